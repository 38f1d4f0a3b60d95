"""Celery tasks: thin, they take ids and call one service.

Tasks are acknowledged late (settings: CELERY_TASK_ACKS_LATE, CELERY_TASK_REJECT_ON_WORKER_LOST), so a chunk
whose worker dies is delivered again; chunk writes are idempotent, and the run is finished once, by the chord's
callback, after every chunk is done.
"""

from __future__ import annotations

from typing import Any

from celery import chord, group, shared_task
from django.db import OperationalError

from readiness.services import imports, scans


@shared_task(name="readiness.ping")
def ping(value: str = "pong") -> str:
    """A health probe: proves a worker is consuming from the broker and can reach the code base."""
    return value


@shared_task(
    name="readiness.scan_chunk",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def scan_chunk(run_id: int, index: int) -> int:
    try:
        scans.scan_run_chunk(run_id=run_id, index=index)
    except OperationalError:
        raise  # the database went away: retried
    except Exception as exc:
        scans.scan_run_fail(run_id=run_id, error=f"chunk {index}: {exc!r}")
        raise
    return index


@shared_task(name="readiness.scan_finish", bind=True, acks_late=True, max_retries=30)
def scan_finish(self: Any, run_id: int) -> int:
    try:
        run = scans.scan_run_finish(run_id=run_id)
    except scans.RunIncomplete as exc:
        raise self.retry(exc=exc, countdown=2) from exc
    except Exception as exc:
        scans.scan_run_fail(run_id=run_id, error=f"finish: {exc!r}")
        raise
    return run.score or 0


@shared_task(name="readiness.run_import_job", acks_late=True, autoretry_for=(OperationalError,), max_retries=5)
def run_import_job(job_id: int) -> str:
    return imports.import_job_run(job_id=job_id).status


def dispatch_scan_run(run_id: int, chunks: int) -> None:
    """Scan every chunk in parallel, then finish the run once (a chord)."""
    header = group(scan_chunk.si(run_id, index) for index in range(chunks))
    chord(header)(scan_finish.si(run_id))
