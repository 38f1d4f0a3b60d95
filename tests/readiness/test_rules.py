"""One home per domain rule: the querysets in ``readiness.models`` are the definitions, and every second copy
(the raw SQL the report's ETag is read with) is pinned to them here. A read never writes: an import job's status
is set by the service that finishes or fails its scan."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from readiness.api.reports import latest_run_state
from readiness.checks.results import SEVERITIES, SEVERITY_RANK
from readiness.models import (
    CheckResult,
    Finding,
    ImportJob,
    JobStatus,
    RunStatus,
    ScanRun,
    Severity,
    Waiver,
    severity_rank,
)
from readiness.platforms import PLATFORMS
from readiness.scoring import Tally, round_score
from readiness.services import imports, scans
from tests.factories import PromotionFactory, ShopFactory, UserFactory, bundle_dict

pytestmark = pytest.mark.django_db


def _waiver(shop: Any, user: Any, n: int, **fields: Any) -> Waiver:
    return Waiver.objects.create(shop=shop, fingerprint=f"fp{n}", rule="r", reason="ok", created_by=user, **fields)


def test_the_raw_sql_of_the_etag_agrees_with_the_orm_rules() -> None:
    """``api.reports.latest_run_state`` repeats "the latest complete run" and "a waiver in force" in SQL."""
    now = timezone.now()
    promotion = PromotionFactory()
    shop, other = promotion.shop, ShopFactory()
    user = UserFactory()
    hour = dt.timedelta(hours=1)
    runs = [
        ScanRun.objects.create(shop=shop, promotion=promotion, status=RunStatus.COMPLETE, finished_at=now - 2 * hour),
        # two finished at the same instant: the higher id wins
        ScanRun.objects.create(shop=shop, promotion=promotion, status=RunStatus.COMPLETE, finished_at=now - hour),
        ScanRun.objects.create(shop=shop, promotion=promotion, status=RunStatus.COMPLETE, finished_at=now - hour),
        # newer, but not complete
        ScanRun.objects.create(shop=shop, promotion=promotion, status=RunStatus.FAILED, finished_at=now),
        ScanRun.objects.create(shop=shop, promotion=promotion, status=RunStatus.RUNNING),
    ]
    CheckResult.objects.create(run=runs[2], check_name="stock", status="pass", score=100, weight=1)
    _waiver(shop, user, 1)  # in force, no expiry
    _waiver(shop, user, 2, expires_at=now + hour)  # in force
    _waiver(shop, user, 3, expires_at=now)  # expires exactly now: no longer in force
    _waiver(shop, user, 4, expires_at=now - hour)  # expired
    _waiver(shop, user, 5, lifted_at=now - hour, lifted_by=user)  # lifted
    _waiver(other, user, 6)  # another shop's

    state = latest_run_state(promotion_id=promotion.pk, now=now)
    latest = ScanRun.objects.filter(promotion=promotion).complete().latest_first().first()
    in_force = Waiver.objects.filter(shop=shop).in_force(now)
    assert latest is not None and state is not None
    assert state.run_id == latest.pk == runs[2].pk
    assert state.results_version == max(CheckResult.objects.filter(run=latest).values_list("pk", flat=True))
    assert state.waivers_in_force == in_force.count() == 2
    assert state.newest_waiver == max(in_force.values_list("pk", flat=True))
    assert set(in_force.values_list("fingerprint", flat=True)) == {"fp1", "fp2"}
    annotated = {w.fingerprint: w.in_force for w in Waiver.objects.filter(shop=shop).with_in_force(now=now)}
    assert annotated == {"fp1": True, "fp2": True, "fp3": False, "fp4": False, "fp5": False}


def test_no_complete_run_has_no_state() -> None:
    promotion = PromotionFactory()
    ScanRun.objects.create(shop=promotion.shop, promotion=promotion, status=RunStatus.FAILED)
    assert latest_run_state(promotion_id=promotion.pk) is None
    assert ScanRun.objects.filter(promotion=promotion).complete().latest_first().first() is None


def test_severity_order_in_sql_is_the_python_order() -> None:
    promotion = PromotionFactory()
    run = ScanRun.objects.create(shop=promotion.shop, promotion=promotion)
    for severity in ("info", "warning", "error", "bogus"):
        Finding.objects.create(run=run, check_name="stock", rule="r", severity=severity, message="m", fingerprint="f")
    ranked = dict(Finding.objects.annotate(rank=severity_rank()).values_list("severity", "rank"))
    assert ranked == {"error": 0, "warning": 1, "info": 2, "bogus": 2}
    assert {name: ranked[name] for name in SEVERITIES} == SEVERITY_RANK
    assert tuple(Severity.values) == SEVERITIES


def test_platforms_have_one_list() -> None:
    from readiness.models import Platform
    from readiness.rulepacks import PLATFORMS as PACK_PLATFORMS
    from scanners.terms import PLATFORMS as SCANNER_PLATFORMS

    assert tuple(Platform.values) == PLATFORMS
    assert PACK_PLATFORMS is PLATFORMS
    assert set(SCANNER_PLATFORMS) == set(PLATFORMS)


@pytest.mark.parametrize(("value", "expected"), [(88.5, 89), (88.49, 88), (-3.0, 0), (100.4, 100), (0.5, 1)])
def test_score_rounding_is_half_up_and_clamped(value: float, expected: int) -> None:
    assert round_score(value) == expected


def test_tallies_add_up() -> None:
    from decimal import Decimal

    total = Tally(errors=1, exposure_max=Decimal("5")) + Tally(warnings=2, waived=1, exposure_min=Decimal("1"))
    assert total == Tally(errors=1, warnings=2, waived=1, exposure_min=Decimal("1"), exposure_max=Decimal("5"))
    assert (total.open, total.status, total.has_exposure) == (3, "fail", True)


def _scanning_job(promotion: Any) -> tuple[ImportJob, ScanRun]:
    run = scans.scan_run_create(promotion=promotion)
    job = ImportJob.objects.create(shop=promotion.shop, promotion=promotion, run=run, status=JobStatus.SCANNING)
    return job, run


def test_the_scan_finish_completes_its_import_job() -> None:
    job, run = _scanning_job(PromotionFactory())
    for index in range(run.chunks_total):
        scans.scan_run_chunk(run_id=run.pk, index=index)
    run = scans.scan_run_finish(run_id=run.pk)
    job.refresh_from_db()
    assert (job.status, job.finished_at) == (JobStatus.COMPLETE, run.finished_at)


def test_a_failed_scan_fails_its_import_job() -> None:
    job, run = _scanning_job(PromotionFactory())
    scans.scan_run_fail(run_id=run.pk, error="chunk 0: boom")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.errors == [{"path": "", "message": "chunk 0: boom"}]
    assert job.finished_at is not None


def test_a_complete_run_is_not_failed_and_its_job_stays_complete() -> None:
    job, run = _scanning_job(PromotionFactory())
    scans.scan_run_sync(promotion=run.promotion)  # another run: this one stays pending
    for index in range(run.chunks_total):
        scans.scan_run_chunk(run_id=run.pk, index=index)
    scans.scan_run_finish(run_id=run.pk)
    scans.scan_run_fail(run_id=run.pk, error="late failure")
    job.refresh_from_db()
    run.refresh_from_db()
    assert (run.status, job.status, job.errors) == (RunStatus.COMPLETE, JobStatus.COMPLETE, [])


def test_reading_a_job_writes_nothing(client: Any, django_capture_on_commit_callbacks: Any) -> None:
    from tests.factories import MembershipFactory

    user = UserFactory()
    raw = json.dumps(bundle_dict(listings=2), ensure_ascii=False).encode()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = imports.import_job_create(raw=raw, user=user)
    while callbacks:
        pending, callbacks[:] = list(callbacks), []
        for callback in pending:
            callback()
    job.refresh_from_db()
    assert job.shop is not None and job.promotion is not None
    MembershipFactory(user=user, shop=job.shop, role="operations_manager")
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        api = client.get(f"/api/v1/jobs/{job.pk}")
        page = client.get(f"/shops/{job.shop.code}/promotions/{job.promotion.code}/imports/{job.pk}/progress")
    assert api.status_code == 200 and api.json()["status"] == "complete"
    assert page.status_code == 200 and page.json()["status"] == "complete"
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")
    ]
    assert [w for w in writes if "readiness_importjob" in w] == []
