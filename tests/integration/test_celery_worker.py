"""Celery against a real Redis broker and a real `celery worker` process (started by .ci/run).

Skipped unless CELERY_BROKER_URL is set, because there is then no broker to talk to; .ci/run sets it, starts
the worker (with READINESS_CRASH_ONCE pointing at a file, for the worker-loss test) and fails if any of these
tests is skipped.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from tests.factories import bundle_dict

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL and a worker"),
]


def test_ping_round_trip_through_real_worker() -> None:
    from django.conf import settings

    from readiness.tasks import ping

    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    result = ping.delay("ready-for-d11")
    assert result.get(timeout=30) == "ready-for-d11"


def _import(listings: int) -> Any:
    from readiness.imports.bundle import parse_bundle
    from readiness.imports.writing import bundle_import

    data = bundle_dict(listings=listings)
    data["shop"]["code"] = f"worker-{time.monotonic_ns()}"
    return bundle_import(parsed=parse_bundle(json.dumps(data, ensure_ascii=False))).promotion


def _wait(run_id: int, timeout: float = 120) -> Any:
    from readiness.models import RunStatus, ScanRun

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = ScanRun.objects.get(pk=run_id)
        if run.status in (RunStatus.COMPLETE, RunStatus.FAILED):
            return run
        time.sleep(0.3)
    raise AssertionError(f"run {run_id} did not finish in {timeout} s")


@pytest.mark.django_db(transaction=True)
def test_scan_runs_in_chunks_on_real_workers() -> None:
    from readiness.models import RunStatus
    from readiness.services import scans

    promotion = _import(listings=12)
    run = scans.scan_run_start(promotion=promotion, chunk_size=4)
    assert run.chunks_total == 3
    run = _wait(run.pk)
    assert run.status == RunStatus.COMPLETE, run.error
    assert run.chunks.filter(done_at__isnull=False).count() == 3
    assert run.check_results.count() == 10
    assert run.score is not None


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_chunk_never_leaves_a_complete_run_with_missing_findings() -> None:
    """The worker process dies inside a chunk's transaction (os._exit). With acks_late the chunk is delivered
    again, the half-written transaction was rolled back, and the run completes once with each finding once."""
    from readiness.models import RunStatus
    from readiness.services import scans

    crash_file = os.environ.get("READINESS_CRASH_ONCE")
    assert crash_file, ".ci/run starts the worker with READINESS_CRASH_ONCE set"

    promotion = _import(listings=9)
    reference = scans.scan_run_sync(promotion=promotion)  # the same scan, in-process, for comparison
    expected = sorted(reference.findings.values_list("fingerprint", flat=True))

    Path(crash_file).write_text("crash the next chunk")
    run = scans.scan_run_start(promotion=promotion, chunk_size=3)
    # While the killed chunk waits for redelivery the run must not claim to be complete.
    seen = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        run.refresh_from_db()
        done = run.chunks.filter(done_at__isnull=False).count()
        seen.append((run.status, done))
        if run.status == RunStatus.COMPLETE:
            break
        time.sleep(0.2)
    assert run.status == RunStatus.COMPLETE, (run.error, seen[-5:])
    assert not Path(crash_file).exists(), "the crash hook did not fire"
    assert all(done == run.chunks_total for status, done in seen if status == RunStatus.COMPLETE)
    assert max(run.chunks.values_list("attempts", flat=True)) >= 2, "no chunk was delivered twice"
    assert sorted(run.findings.values_list("fingerprint", flat=True)) == expected
    assert run.score == reference.score


@pytest.mark.django_db(transaction=True)
def test_api_client_pushes_bundle_and_job_finishes_on_real_worker() -> None:
    """A token holder posts a bundle; the import and the scan run on the real worker; the job reports done and
    links to the report, which the same client then reads."""
    from rest_framework.test import APIClient

    from readiness.imports.bundle import parse_bundle
    from readiness.imports.writing import bundle_import
    from readiness.models import Role, ShopMembership
    from tests.factories import UserFactory

    data = bundle_dict(listings=6)
    data["shop"]["code"] = f"api-worker-{time.monotonic_ns()}"
    shop = bundle_import(parsed=parse_bundle(json.dumps(data, ensure_ascii=False))).shop
    user = UserFactory()
    ShopMembership.objects.create(user=user, shop=shop, role=Role.API_CLIENT)
    client = APIClient()
    client.force_authenticate(user)
    data["listings"][0]["title"] = "最佳明前龙井 250g"  # a change the scan must see
    response = client.post(f"/api/v1/shops/{shop.code}/bundles", data, format="json")
    assert response.status_code == 202, response.content
    job_url = response["Location"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = client.get(job_url).json()
        if job["status"] in ("complete", "failed"):
            break
        time.sleep(0.3)
    assert job["status"] == "complete", job
    report = client.get(f"/api/v1/shops/{shop.code}/promotions/d11-2026/readiness").json()
    issues = next(c for c in report["checks"] if c["check"] == "listing_text")["issues"]
    assert any(i["listing_id"] == "L100" and i.get("text") == "最佳" for i in issues)


@pytest.mark.django_db(transaction=True)
def test_listing_pictures_are_read_on_real_workers(tmp_path: Path) -> None:
    """A picture given by path is stored at import; the scan's OCR batch runs on the worker (this process never
    loads the model), then the chunks report what it says, with the box."""
    from readiness.imports.bundle import parse_bundle
    from readiness.imports.writing import bundle_import
    from readiness.models import ImageReading, RunStatus
    from readiness.services import scans
    from tests.scanners import imagegen

    (tmp_path / "main.png").write_bytes(imagegen.slogan("全网最佳的绿茶，第一品牌").png())
    data = bundle_dict(listings=2)
    data["shop"]["code"] = f"worker-img-{time.monotonic_ns()}"
    data["listings"][0]["images"] = [{"path": "main.png", "kind": "main"}]
    promotion = bundle_import(parsed=parse_bundle(json.dumps(data, ensure_ascii=False)), image_root=tmp_path).promotion
    run = _wait(scans.scan_run_start(promotion=promotion).pk, timeout=300)
    assert run.status == RunStatus.COMPLETE, run.error
    found = run.findings.get(field="images[0]", text="全网最佳")
    assert found.rule == "extreme.superlative" and len(found.evidence["box"]) == 4
    assert ImageReading.objects.filter(seconds__gt=0).exists()
    import sys

    assert "rapidocr_onnxruntime" not in sys.modules  # read by the worker, not here
