"""Writes of import jobs: a bundle pushed over the API or uploaded in the browser is validated, queued,
imported (:mod:`readiness.imports.writing`) and scanned."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from readiness.imports.bundle import BundleError, BundleIssue, parse_bundle
from readiness.imports.writing import bundle_import
from readiness.models import ImportJob, JobStatus, Shop
from readiness.services.scans import scan_run_start


def import_job_create(*, raw: bytes, user: Any, shop: Shop | None = None, source: str = "bundle") -> ImportJob:
    """Validate a bundle now (raising ``BundleError`` with every JSON path in error) and queue its import and
    scan. When ``shop`` is given the bundle must be for that shop."""
    from readiness import tasks  # lazy: tasks call services, services enqueue tasks

    parsed = parse_bundle(raw)
    paths = [
        BundleIssue(
            f"listings[{i}].images[{j}].path",
            "a picture given by path cannot be uploaded with the bundle: give a url, or upload it on the listing page",
        )
        for i, listing in enumerate(parsed.bundle.listings)
        for j, image in enumerate(listing.images)
        if image.path is not None
    ]
    if paths:
        raise BundleError(paths[:100], total=len(paths))
    if shop is not None and parsed.bundle.shop.code != shop.code:
        raise BundleError(
            [BundleIssue("shop.code", f"this bundle is for shop {parsed.bundle.shop.code!r}, not {shop.code!r}")]
        )
    with transaction.atomic():
        job = ImportJob.objects.create(
            shop=shop,
            created_by=user,
            source=source,
            payload=raw,
            warnings=[str(w) for w in parsed.warnings],
        )
        transaction.on_commit(lambda: tasks.run_import_job.delay(job.pk))
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Import a queued job's bundle and start its scan (a chord on the workers; finished in-process when eager)."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status not in (JobStatus.QUEUED, JobStatus.IMPORTING):
        return job  # a redelivered task for a job that already ran
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.IMPORTING)
    try:
        summary = bundle_import(parsed=parse_bundle(bytes(job.payload)))
    except BundleError as exc:  # validated on arrival, but the same check again costs nothing
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            errors=[{"path": i.path, "message": i.message} for i in exc.errors],
            finished_at=timezone.now(),
            payload=b"",
        )
        return ImportJob.objects.get(pk=job.pk)
    with transaction.atomic():
        run = scan_run_start(promotion=summary.promotion)
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.SCANNING,
            shop=summary.shop,
            promotion=summary.promotion,
            run=run,
            summary=summary.line(),
            payload=b"",
        )
    # The scan's finish (or failure) completes the job: ``scan_run_finish`` / ``scan_run_fail``.
    return ImportJob.objects.get(pk=job.pk)


def import_job_fail(*, job_id: int, error: str) -> None:
    """A job whose import finally failed (not a bundle error: the database, a bug) says so, with the reason,
    instead of staying ``importing``."""
    ImportJob.objects.filter(pk=job_id).exclude(status__in=(JobStatus.COMPLETE, JobStatus.FAILED)).update(
        status=JobStatus.FAILED,
        errors=[{"path": "", "message": f"the import failed: {error}"[:2000]}],
        finished_at=timezone.now(),
    )
