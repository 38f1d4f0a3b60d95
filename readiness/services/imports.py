"""Writes of import jobs: a bundle pushed over the API or uploaded in the browser is validated, queued,
imported (:mod:`readiness.imports.writing`) and scanned."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from readiness.imports.bundle import BundleError, BundleIssue, parse_bundle
from readiness.imports.writing import ImportSummary, bundle_import
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
            _("按路径给出的图片不能随导入包上传：请给出 url，或在商品页面上传"),
        )
        for i, listing in enumerate(parsed.bundle.listings)
        for j, image in enumerate(listing.images)
        if image.path is not None
    ]
    if paths:
        raise BundleError(paths[:100], total=len(paths))
    if shop is not None and parsed.bundle.shop.code != shop.code:
        raise BundleError(
            [
                BundleIssue(
                    "shop.code",
                    _("这个导入包属于店铺 %(bundle)s，不是 %(shop)s")
                    % {"bundle": repr(parsed.bundle.shop.code), "shop": repr(shop.code)},
                )
            ]
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
            summary=import_summary_stored(summary),
            payload=b"",
        )
    # The scan's finish (or failure) completes the job: ``scan_run_finish`` / ``scan_run_fail``.
    return ImportJob.objects.get(pk=job.pk)


def import_job_fail(*, job_id: int, error: str) -> None:
    """A job whose import finally failed (not a bundle error: the database, a bug) says so, with the reason,
    instead of staying ``importing``."""
    ImportJob.objects.filter(pk=job_id).exclude(status__in=(JobStatus.COMPLETE, JobStatus.FAILED)).update(
        status=JobStatus.FAILED,
        errors=[{"path": "", "message": (_("导入失败：%(error)s") % {"error": error})[:2000]}],
        finished_at=timezone.now(),
    )


# The summary of an import is stored once (ImportJob.summary, in the product's language) and shown in the
# reader's: ``import_summary_text`` reads the numbers back from the stored line, Chinese or the older English
# form (``imported shop/promo: listings 2 created, …; SKUs …; 1 warning(s)``), and says them again.
_COUNTS = r"(\d+) created, (\d+) updated, (\d+) archived, (\d+) unchanged"
_ZH_COUNTS = r"新建 (\d+)、更新 (\d+)、归档 (\d+)、未变 (\d+)"
_STORED = (
    re.compile(rf"^imported (?P<where>\S+): listings {_COUNTS}; SKUs {_COUNTS}; (?P<warnings>\d+) warning\(s\)$"),
    re.compile(rf"^已导入 (?P<where>\S+)：商品 {_ZH_COUNTS}；SKU {_ZH_COUNTS}；(?P<warnings>\d+) 条提醒$"),
)


def _summary_line(where: str, listings: tuple[int, ...], skus: tuple[int, ...], warnings: int) -> str:
    def counts(values: tuple[int, ...]) -> str:
        created, updated, archived, unchanged = values
        return _("新建 %(created)d、更新 %(updated)d、归档 %(archived)d、未变 %(unchanged)d") % {
            "created": created,
            "updated": updated,
            "archived": archived,
            "unchanged": unchanged,
        }

    return _("已导入 %(where)s：商品 %(listings)s；SKU %(skus)s；%(warnings)s") % {
        "where": where,
        "listings": counts(listings),
        "skus": counts(skus),
        "warnings": ngettext("%(count)d 条提醒", "%(count)d 条提醒", warnings) % {"count": warnings},
    }


def import_summary_stored(summary: ImportSummary) -> str:
    """The line kept with the job: always in the product's language (Chinese), whatever the request's."""

    def values(c: Any) -> tuple[int, ...]:
        return (c.created, c.updated, c.archived, c.unchanged)

    where = f"{summary.shop.code}/{summary.promotion.code}"
    with translation.override(settings.LANGUAGE_CODE):
        return _summary_line(where, values(summary.listings), values(summary.skus), len(summary.warnings))


def import_summary_text(stored: str) -> str:
    """A job's stored summary in the active language (a line it does not recognise is shown as it is)."""
    for pattern in _STORED:
        match = pattern.match(stored or "")
        if match:
            numbers = tuple(int(n) for n in match.groups()[1:9])
            return _summary_line(match["where"], numbers[:4], numbers[4:], int(match["warnings"]))
    return stored
