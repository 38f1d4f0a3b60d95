"""A worker machine lost mid-scan (issue 15, item 13): the worker's MAIN process is killed with SIGKILL (and its
pool children with it, as when a host or container dies), so nothing acknowledges or rejects the chunk it held.
The broker's visibility timeout (CELERY_BROKER_VISIBILITY_TIMEOUT, set low by .ci/run) gives the chunk back, a
new worker scans it, and the run completes within minutes with every finding once.

Run by .ci/run against a real worker: READINESS_HANG_ONCE names a file that makes the next chunk stop inside its
transaction (so it is surely in progress when the worker is killed), READINESS_WORKER_PIDFILE is the worker's
pidfile and READINESS_WORKER_START the command that starts a worker (the new one writes the same pidfile, so
.ci/run stops it at the end).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.factories import bundle_dict

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL and a worker"),
]


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def _wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_worker_main_process_killed_mid_chunk_and_the_run_still_completes() -> None:
    from readiness.imports.bundle import parse_bundle
    from readiness.imports.writing import bundle_import
    from readiness.models import RunStatus
    from readiness.services import scans

    hang_file = Path(os.environ["READINESS_HANG_ONCE"])
    pidfile = Path(os.environ["READINESS_WORKER_PIDFILE"])
    start_worker = os.environ["READINESS_WORKER_START"]

    data = bundle_dict(listings=8)
    data["shop"]["code"] = f"lost-{time.monotonic_ns()}"
    data["listings"][0]["title"] = "最佳明前龙井 250g"
    promotion = bundle_import(parsed=parse_bundle(json.dumps(data, ensure_ascii=False))).promotion
    reference = scans.scan_run_sync(promotion=promotion)  # the same scan, in-process, for comparison
    expected = sorted(reference.findings.values_list("fingerprint", flat=True))

    hanging = Path(f"{hang_file}.hanging")
    hanging.unlink(missing_ok=True)
    hang_file.write_text("stop the next chunk inside its transaction")
    run = scans.scan_run_start(promotion=promotion, chunk_size=4)
    _wait_for(hanging.exists, 60, "a chunk to be in progress")

    main = int(pidfile.read_text().strip())
    pool = _children(main)
    os.kill(main, signal.SIGKILL)  # the main process first: it can neither ack, nor reject, nor requeue
    for pid in pool:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _wait_for(lambda: not _alive(main) and not any(_alive(p) for p in pool), 30, "the worker to be dead")
    killed_at = time.monotonic()

    run.refresh_from_db()
    assert run.status != RunStatus.COMPLETE  # the held chunk is not done

    # A killed process whose parent does not reap it (a detached worker under a container's init) stays a zombie,
    # and celery's stale-pidfile check (kill(pid, 0)) takes a zombie for a running worker and refuses to start.
    # A lost host leaves no pidfile behind either: remove it, as the host's restart would.
    pidfile.unlink(missing_ok=True)
    subprocess.run(start_worker, shell=True, check=True, timeout=60)  # a new worker (detaches)
    _wait_for(
        lambda: pidfile.exists() and pidfile.read_text().strip().isdigit() and _alive(int(pidfile.read_text().strip())),
        60,
        "the new worker to start",
    )
    deadline = killed_at + 300
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in (RunStatus.COMPLETE, RunStatus.FAILED):
            break
        time.sleep(0.5)
    recovered_in = time.monotonic() - killed_at
    assert run.status == RunStatus.COMPLETE, (run.status, run.error, f"{recovered_in:.0f} s")
    assert not hang_file.exists(), "the hang hook did not fire"
    assert max(run.chunks.values_list("attempts", flat=True)) >= 2, "no chunk was delivered again"
    assert sorted(run.findings.values_list("fingerprint", flat=True)) == expected
    assert run.score == reference.score
    print(f"run {run.pk} completed {recovered_in:.0f} s after the worker was killed")
