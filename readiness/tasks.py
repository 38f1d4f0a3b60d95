"""Celery tasks: thin, they take ids and call one service.

Tasks are acknowledged late (settings: CELERY_TASK_ACKS_LATE, CELERY_TASK_REJECT_ON_WORKER_LOST), so a chunk
whose worker dies is delivered again; chunk writes are idempotent, and the run is finished once, by the chord's
callback, after every chunk is done. A worker whose main process dies cannot give its task back: the broker does,
after CELERY_BROKER_VISIBILITY_TIMEOUT (settings).

A transient database error (the connection dropped, the server restarting: Django's ``OperationalError`` or
``InterfaceError``, or psycopg's own from the COPY path, which Django does not wrap) is retried in the task with a
new connection (``with_db_retries``); a task that still fails says so on its run or job, with the reason, instead
of leaving it ``running`` or ``importing``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import psycopg
from celery import chord, group, shared_task
from django import db

from readiness.services import images, imports, scans

T = TypeVar("T")

TRANSIENT_DB_ERRORS: tuple[type[BaseException], ...] = (
    db.OperationalError,
    db.InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)
DB_ATTEMPTS = 6  # waits of 1, 2, 4, 8, 8 s between them: a restarting database server is back in that time

logger = logging.getLogger(__name__)


def with_db_retries(call: Callable[[], T], what: str) -> T:
    """Run ``call``, again with a new connection after a transient database error (the services it calls are
    idempotent: a chunk replaces its findings, an import writes only what differs). The last error is raised."""
    for attempt in range(DB_ATTEMPTS):
        try:
            return call()
        except TRANSIENT_DB_ERRORS as exc:
            if attempt == DB_ATTEMPTS - 1:
                raise
            logger.warning("%s: transient database error, retrying (%s): %r", what, attempt + 1, exc)
            _drop_connections()
            time.sleep(min(2**attempt, 8))
    raise AssertionError("unreachable")


def _drop_connections() -> None:
    """Close the connections: psycopg's own errors (the COPY path) do not mark Django's connection unusable, so
    it would be reused. One inside a transaction (a task run eagerly in a caller's transaction) is the caller's."""
    for connection in db.connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


@shared_task(name="readiness.ping")
def ping(value: str = "pong") -> str:
    """A health probe: proves a worker is consuming from the broker and can reach the code base."""
    return value


@shared_task(name="readiness.scan_chunk", acks_late=True)
def scan_chunk(run_id: int, index: int) -> int:
    try:
        with_db_retries(lambda: scans.scan_run_chunk(run_id=run_id, index=index), f"run {run_id} chunk {index}")
    except Exception as exc:
        scans.scan_run_fail(run_id=run_id, error=f"chunk {index}: {exc!r}")
        raise
    return index


@shared_task(name="readiness.scan_finish", bind=True, acks_late=True, max_retries=30)
def scan_finish(self: Any, run_id: int) -> int:
    try:
        run = with_db_retries(lambda: scans.scan_run_finish(run_id=run_id), f"run {run_id} finish")
    except scans.RunIncomplete as exc:
        raise self.retry(exc=exc, countdown=2) from exc
    except Exception as exc:
        scans.scan_run_fail(run_id=run_id, error=f"finish: {exc!r}")
        raise
    return run.score or 0


@shared_task(name="readiness.run_import_job", acks_late=True)
def run_import_job(job_id: int) -> str:
    try:
        return with_db_retries(lambda: imports.import_job_run(job_id=job_id), f"import job {job_id}").status
    except Exception as exc:
        imports.import_job_fail(job_id=job_id, error=f"{type(exc).__name__}: {exc}")
        raise


@shared_task(name="readiness.read_images", acks_late=True)
def read_images(image_pks: list[int]) -> int:
    """Fetch and read a batch of pictures (OCR). A failure is stored per picture, never raised: the scan after
    the batch must run whatever happened to it (a picture not read is a finding that says why)."""
    try:
        return with_db_retries(lambda: images.images_read(image_pks=image_pks), f"images {image_pks[:5]}")
    except Exception:  # the database for good, or the soft time limit: the pictures left are reported as not read
        logger.exception("reading images %s failed", image_pks[:5])
        return -1


@shared_task(name="readiness.read_listing_images", acks_late=True)
def read_listing_images(listing_pk: int) -> int:
    """Read a listing's new pictures (an upload), then re-scan the listing."""
    return with_db_retries(
        lambda: scans.listing_images_refresh(listing_pk=listing_pk), f"listing {listing_pk} pictures"
    )


@shared_task(name="readiness.scan_chunks", acks_late=True)
def scan_chunks(run_id: int, chunks: int) -> None:
    """After a run's pictures are read: scan its chunks (a second chord)."""
    try:
        dispatch_scan_run(run_id, chunks)
    except Exception as exc:
        scans.scan_run_fail(run_id=run_id, error=f"dispatch: {exc!r}")
        raise


def dispatch_scan_run(run_id: int, chunks: int, image_batches: Sequence[Sequence[int]] = ()) -> None:
    """Read the pictures not read yet (batches in parallel), then scan every chunk in parallel, then finish the
    run once (chords)."""
    if image_batches:
        reads = group(read_images.si(list(batch)) for batch in image_batches)
        chord(reads)(scan_chunks.si(run_id, chunks))
        return
    header = group(scan_chunk.si(run_id, index) for index in range(chunks))
    chord(header)(scan_finish.si(run_id))
