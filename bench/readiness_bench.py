"""Readiness benchmark: import, scan and report a synthetic shop on PostgreSQL with real Celery workers.

    .venv/bin/python bench/readiness_bench.py --listings 20000 --workers 1,2

For each worker count it starts that many `celery worker --concurrency 1` processes (Redis broker), then
times, on a fresh shop: the import (parse + write), the scan (the chord of chunk tasks on the workers, until
the run is complete) and the readiness report (built from the stored findings), printing seconds, queries
(of this process) and peak memory (this process, and the largest worker). DATABASE_URL defaults to
postgres://postgres@127.0.0.1:5432/readiness_bench (created if missing), CELERY_BROKER_URL to
redis://127.0.0.1:6379/13. Do not point them at data you care about.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/readiness_bench")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/13")
os.environ.setdefault("CELERY_RESULT_BACKEND", os.environ["CELERY_BROKER_URL"])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readiness.settings")

from import_bench import _ensure_database, synthetic_bundle  # noqa: E402


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def start_workers(count: int, logdir: Path) -> list[subprocess.Popen[bytes]]:
    procs = []
    for i in range(count):
        log = (logdir / f"worker{i}.log").open("wb")
        procs.append(
            subprocess.Popen(
                [
                    str(ROOT / ".venv/bin/celery"),
                    "-A",
                    "readiness",
                    "worker",
                    "--concurrency",
                    "1",
                    "--loglevel",
                    "WARNING",
                    "--hostname",
                    f"bench{i}@%h",
                    "--without-gossip",
                    "--without-mingle",
                ],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=os.environ,
            )
        )
    from readiness.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0) or []
        if len(replies) >= count:
            return procs
    raise SystemExit(f"workers did not answer within 60 s (logs in {logdir})")


def stop_workers(procs: list[subprocess.Popen[bytes]]) -> float:
    peak = max((max([_rss_mb(p.pid), *(_rss_mb(c) for c in _children(p.pid))]) for p in procs), default=0.0)
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.wait(timeout=60)
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", type=int, default=20000)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--chunk-size", type=int, default=2000)
    args = parser.parse_args()

    _ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from readiness import selectors
    from readiness.imports.bundle import parse_bundle
    from readiness.imports.writing import bundle_import
    from readiness.models import RunStatus, ScanRun, Shop
    from readiness.services import scans

    call_command("migrate", verbosity=0)
    raw = json.dumps(synthetic_bundle(args.listings), ensure_ascii=False).encode()
    print(f"database {os.environ['DATABASE_URL']}, broker {os.environ['CELERY_BROKER_URL']}")
    print(
        f"{args.listings} listings, {args.listings * 5} SKUs, bundle {len(raw) / 1e6:.1f} MB, chunk size {args.chunk_size}"
    )
    logdir = Path(tempfile.mkdtemp(prefix="readiness-bench-"))
    for workers in (int(w) for w in args.workers.split(",")):
        Shop.objects.filter(code="bench-shop").delete()
        procs = start_workers(workers, logdir)
        try:
            rows = []
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                summary = bundle_import(parsed=parse_bundle(raw))
                rows.append(("import (parse + write)", time.perf_counter() - t0, len(ctx.captured_queries)))
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                run = scans.scan_run_start(promotion=summary.promotion, chunk_size=args.chunk_size)
                queries = len(ctx.captured_queries)
            while True:  # poll outside the capture: polling queries are not the scan's
                status = ScanRun.objects.values_list("status", flat=True).get(pk=run.pk)
                if status in (RunStatus.COMPLETE, RunStatus.FAILED):
                    break
                time.sleep(0.2)
            rows.append((f"scan ({run.chunks_total} chunks on {workers} worker(s))", time.perf_counter() - t0, queries))
            if status == RunStatus.FAILED:
                raise SystemExit(f"scan failed: {ScanRun.objects.get(pk=run.pk).error}")
            run = ScanRun.objects.get(pk=run.pk)
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                report = selectors.readiness_report(run=run)
                rows.append(("report", time.perf_counter() - t0, len(ctx.captured_queries)))
        finally:
            worker_peak = stop_workers(procs)
        issues = sum(len(c["issues"]) for c in report["checks"])
        print(f"\n{workers} worker(s): score {report['score']} ({report['grade']}), {issues} issues")
        for label, seconds, queries in rows:
            print(f"  {label:<34} {seconds:7.2f} s  {queries:4d} queries")
        print(
            f"  total {sum(r[1] for r in rows):.2f} s; peak memory: bench process "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, largest worker {worker_peak:.0f} MB"
        )


if __name__ == "__main__":
    main()
