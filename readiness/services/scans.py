"""Writes of scan runs: start a run, scan a chunk, finish, fail, re-score; re-scan one listing after an edit.

A scan run is split into chunks of listings. Each chunk is scanned by one Celery task, which runs the
scanners and every per-listing check over its listings and replaces that chunk's findings in one
transaction, then marks the chunk done: a chunk that runs twice (a redelivered task after a worker died)
leaves the same rows. The run is finished once, by the chord's callback, which refuses to mark a run
complete unless every chunk is done, runs the shop-level checks (couriers, after-sales), scores and stores
the check results.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from readiness import scanning, selectors
from readiness.bulkwrite import insert_rows
from readiness.checks import LISTING_CHECKS, SHOP_CHECKS, CheckContext, CheckResult, Issue, run_checks
from readiness.checks.results import Text
from readiness.models import CheckResult as CheckResultRow
from readiness.models import (
    Finding,
    ImportJob,
    JobStatus,
    Listing,
    Promotion,
    RunStatus,
    ScanChunk,
    ScanRun,
    SeenIssue,
    Shop,
)
from readiness.rulepacks import RulePack, load_rule_pack
from readiness.scoring import Score, score
from readiness.services.images import images_read
from readiness.services.locks import shop_lock

logger = logging.getLogger(__name__)


class RunIncomplete(RuntimeError):
    """A run cannot be finished: some chunk has not been scanned (yet)."""


# Why a run that saw an import is not recorded: its chunks may have read the catalogue before and after it.
CATALOGUE_CHANGED = (
    "the shop's catalogue was imported again during this scan, so its result is not recorded; scan again"
)


# ---- starting a run ------------------------------------------------------------------------------------------


def scan_run_create(*, promotion: Promotion, chunk_size: int | None = None, wait: bool = True) -> ScanRun:
    """Create a pending run and its chunks (the active listings, split by ``SCAN_CHUNK_SIZE``).

    Under the shop's lock, so that the listings it takes and the catalogue version it records come from one
    import, never from the middle of one: with ``wait`` it waits for an import of the shop to finish; without
    (a web request) it raises ``ShopBusy`` (409) while one runs."""
    shop = promotion.shop
    size = chunk_size or settings.SCAN_CHUNK_SIZE
    rules = load_rule_pack(shop.platform, selectors.shop_overrides(shop=shop))  # a bad override fails here, named
    with transaction.atomic():
        shop_lock(shop.code, wait=wait)
        version = Shop.objects.values_list("catalogue_version", flat=True).get(pk=shop.pk)
        pks = list(Listing.objects.active().filter(shop=shop).order_by("pk").values_list("pk", flat=True))
        chunks = [pks[i : i + size] for i in range(0, len(pks), size)] or [[]]
        run = ScanRun.objects.create(
            shop=shop,
            promotion=promotion,
            status=RunStatus.PENDING,
            chunks_total=len(chunks),
            listings_total=len(pks),
            rule_pack=rules.name,
            overrides=dict(rules.overrides),
            catalogue_version=version,
        )
        ScanChunk.objects.bulk_create(
            ScanChunk(run=run, index=i, listing_count=len(chunk), listing_pks=chunk) for i, chunk in enumerate(chunks)
        )
    return run


def scan_run_start(*, promotion: Promotion, chunk_size: int | None = None, wait: bool = True) -> ScanRun:
    """Create a run and hand its chunks to Celery once the transaction commits (a chord: chunks in parallel,
    then one finish). With Celery eager (no broker) the run has finished when this returns. ``wait``: see
    ``scan_run_create`` (web requests pass False)."""
    from readiness import tasks  # lazy: tasks call services, services enqueue tasks

    with transaction.atomic():
        run = scan_run_create(promotion=promotion, chunk_size=chunk_size, wait=wait)
        # Pictures not read yet are read first, in batches on the workers; the chunks then find their text.
        pending = selectors.images_to_read(shop=promotion.shop)
        size = settings.IMAGE_READ_BATCH
        batches = [pending[i : i + size] for i in range(0, len(pending), size)]
        transaction.on_commit(lambda: tasks.dispatch_scan_run(run.pk, run.chunks_total, batches))
    run.refresh_from_db()
    return run


def scan_run_sync(
    *,
    promotion: Promotion,
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScanRun:
    """Scan in this process, chunk by chunk, whatever the Celery settings (for commands that need a result).
    ``progress(done, total)`` is called after each chunk."""
    run = scan_run_create(promotion=promotion, chunk_size=chunk_size)
    images_read(image_pks=selectors.images_to_read(shop=promotion.shop))
    for index in range(run.chunks_total):
        scan_run_chunk(run_id=run.pk, index=index)
        if progress is not None:
            progress(index + 1, run.chunks_total)
    return scan_run_finish(run_id=run.pk)


# ---- one chunk -------------------------------------------------------------------------------------------------


def scan_run_chunk(*, run_id: int, index: int) -> None:
    """Scan one chunk and replace its findings (idempotent)."""
    run = ScanRun.objects.select_related("shop", "promotion__shop").get(pk=run_id)
    listing_pks = ScanChunk.objects.values_list("listing_pks", flat=True).get(run_id=run_id, index=index)
    if run.status in (RunStatus.COMPLETE, RunStatus.FAILED):
        logger.info("run %s is %s: chunk %s ignored", run_id, run.status, index)
        return
    ScanRun.objects.filter(pk=run_id, status=RunStatus.PENDING).update(
        status=RunStatus.RUNNING, started_at=timezone.now()
    )
    ScanChunk.objects.filter(run_id=run_id, index=index).update(attempts=F("attempts") + 1)
    results = _judge_listings(run, listing_pks)
    with transaction.atomic():
        _replace_findings(run, Q(listing_id__in=listing_pks), results, listing_pks)
        _maybe_crash_for_test(run_id, index)
        ScanChunk.objects.filter(run_id=run_id, index=index).update(done_at=timezone.now(), checks=_coverage(results))


def _judge_listings(run: ScanRun, listing_pks: Sequence[int]) -> list[CheckResult]:
    data = selectors.readiness_input(promotion=run.promotion, listing_pks=list(listing_pks))
    pictures = selectors.listing_pictures(listing_pks=listing_pks)
    findings = scanning.scan(data.listings, selectors.shop_scanner_options(shop=run.shop), pictures)
    ctx = CheckContext.from_bundle(
        data, rules=selectors.run_rules(run=run), findings_by_listing=findings, now=run.created_at
    )
    return run_checks(ctx, LISTING_CHECKS)


def _coverage(results: Iterable[CheckResult]) -> dict[str, Any]:
    """What each check examined in this chunk, kept for scoring at the end."""
    return {
        r.check: {"examined": r.examined, "listing_ids": list(r.listing_ids), "notes": list(r.notes)} for r in results
    }


def _maybe_crash_for_test(run_id: int, index: int) -> None:
    """Fault injection for the worker-loss tests: if the file named by READINESS_CRASH_ONCE exists, remove it and
    kill this process in the middle of the chunk's transaction, as a worker killed by the OOM killer would be;
    if the file named by READINESS_HANG_ONCE exists, remove it, say so in ``<file>.hanging`` and stop there (the
    test then kills the worker's main process and its pool)."""
    hang = os.environ.get("READINESS_HANG_ONCE")
    if hang:
        try:
            os.remove(hang)
        except FileNotFoundError:
            pass
        else:
            logger.warning("stopping on purpose in run %s chunk %s (READINESS_HANG_ONCE)", run_id, index)
            with open(f"{hang}.hanging", "w") as marker:
                marker.write(str(os.getpid()))
            time.sleep(3600)
    path = os.environ.get("READINESS_CRASH_ONCE")
    if path:
        try:
            os.remove(path)  # the claim: of the worker processes that see the file, only one removes it
        except FileNotFoundError:
            return
        logger.warning("crashing on purpose in run %s chunk %s (READINESS_CRASH_ONCE)", run_id, index)
        os._exit(137)


def _replace_findings(run: ScanRun, scope: Q, results: Iterable[CheckResult], listing_pks: Sequence[int]) -> None:
    pk_by_id = dict(Listing.objects.filter(pk__in=listing_pks).values_list("listing_id", "pk")) if listing_pks else {}
    Finding.objects.filter(scope, run=run).delete()
    issues = [issue for result in results for issue in result.issues]
    insert_rows(Finding, selectors.FINDING_FIELDS, [_finding_row(run.pk, issue, pk_by_id) for issue in issues])
    _remember_seen(run, issues)


def _remember_seen(run: ScanRun, issues: Iterable[Issue]) -> None:
    """Record the run's errors and warnings as found for the promotion (progress and score count them after a
    fix); one upsert, in fingerprint order (concurrent chunks lock rows in the same order)."""
    now = timezone.now()
    latest: dict[str, Issue] = {}
    for issue in issues:
        if issue.severity != "info":
            latest[issue.fingerprint] = issue
    rows = [
        SeenIssue(
            promotion_id=run.promotion_id,
            fingerprint=fp,
            check_name=issue.check,
            severity=issue.severity,
            listing_id=issue.listing_id or "",
            exposure_max=issue.exposure_max,
            first_seen_at=now,
            last_seen_at=now,
        )
        for fp, issue in sorted(latest.items())
    ]
    SeenIssue.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["promotion", "fingerprint"],
        update_fields=["check_name", "severity", "listing_id", "exposure_max", "last_seen_at"],
    )


def message_args(issue: Issue) -> dict[str, Any] | None:
    """The templates and params of an issue's texts (Finding.message_args), None when it has none."""
    args = {
        name: value.spec() for name in ("message", "remediation") if isinstance(value := getattr(issue, name), Text)
    }
    return args or None


def _finding_row(run_pk: int, issue: Issue, pk_by_id: dict[str, int]) -> tuple[Any, ...]:
    return (
        run_pk,
        issue.check,
        pk_by_id.get(issue.listing_id) if issue.listing_id else None,
        issue.sku or "",
        issue.rule,
        issue.category,
        issue.severity,
        issue.message,
        issue.remediation,
        message_args(issue),
        dict(issue.evidence),
        issue.owner,
        issue.deadline,
        issue.exposure_min,
        issue.exposure_max,
        issue.field or "",
        issue.start,
        issue.end,
        (issue.text or "")[:500],
        issue.citation[:200],
        (issue.suggestion or "")[:200],
        dict(issue.related) if issue.related is not None else None,
        issue.fingerprint,
    )


# ---- finishing ---------------------------------------------------------------------------------------------------


def _listing_pks(run: ScanRun, results: Iterable[CheckResult]) -> list[int]:
    # Shop-level checks may name listings too (after-sales problem listings): their findings keep the link.
    ids = {issue.listing_id for result in results for issue in result.issues if issue.listing_id}
    if not ids:
        return []
    return list(Listing.objects.filter(shop_id=run.shop_id, listing_id__in=ids).values_list("pk", flat=True))


def _after_sales_facts(run: ScanRun, rules: RulePack) -> Any:
    # The shop's after-sale records as of the run's day (issue 18), with the page findings of this run.
    from readiness.aftersales.selectors import after_sales_facts
    from readiness.checks.phases import local_date

    return after_sales_facts(shop_id=run.shop_id, as_of=local_date(run.created_at), rules=rules, run_id=run.pk)


def scan_run_finish(*, run_id: int) -> ScanRun:
    """Run the shop-level checks, score, store check results and mark the run complete.

    Raises :class:`RunIncomplete` (and leaves the run as it is) if any chunk is not done.
    """
    run = ScanRun.objects.select_related("shop", "promotion__shop").get(pk=run_id)
    if run.status == RunStatus.COMPLETE:
        return run
    pending = ScanChunk.objects.filter(run=run, done_at__isnull=True).count()
    if pending:
        raise RunIncomplete(f"run {run_id}: {pending} of {run.chunks_total} chunk(s) not scanned")
    rules = selectors.run_rules(run=run)
    data = selectors.readiness_input(promotion=run.promotion, detail=False)
    ctx = CheckContext.from_bundle(data, rules=rules, now=run.created_at, after_sales=_after_sales_facts(run, rules))
    shop_results = run_checks(ctx, SHOP_CHECKS)
    with transaction.atomic():
        shop_lock(run.shop.code)  # no import commits between this check and the run's completion
        if Shop.objects.values_list("catalogue_version", flat=True).get(pk=run.shop_id) != run.catalogue_version:
            scan_run_fail(run_id=run.pk, error=CATALOGUE_CHANGED)  # and the import job waiting for it
            run.refresh_from_db()
            return run
        _replace_findings(run, Q(check_name__in=SHOP_CHECKS), shop_results, _listing_pks(run, shop_results))
        results = selectors.run_results(run=run)
        result_score = score(
            results, selectors.active_waivers(shop=run.shop).keys(), rules, selectors.resolved_issues(run=run)
        )
        _store_score(run, result_score)
        run.status = RunStatus.COMPLETE
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at", "score", "grade"])
        # An import job waiting for this scan is complete with it (its status is never refreshed on read).
        ImportJob.objects.filter(run=run, status=JobStatus.SCANNING).update(
            status=JobStatus.COMPLETE, finished_at=run.finished_at
        )
    return run


def _store_score(run: ScanRun, result_score: Score) -> None:
    CheckResultRow.objects.filter(run=run).delete()
    CheckResultRow.objects.bulk_create(
        CheckResultRow(run=run, check_name=item.check, status=item.status, score=item.score, weight=item.weight)
        for item in result_score.checks
    )
    run.score = result_score.score
    run.grade = result_score.grade


def scan_run_fail(*, run_id: int, error: str) -> None:
    """Mark a run failed (not one already complete), and the import job waiting for it."""
    now, error = timezone.now(), error[:2000]
    with transaction.atomic():
        failed = (
            ScanRun.objects.filter(pk=run_id)
            .exclude(status=RunStatus.COMPLETE)
            .update(status=RunStatus.FAILED, error=error, finished_at=now)
        )
        if failed:
            ImportJob.objects.filter(run_id=run_id, status=JobStatus.SCANNING).update(
                status=JobStatus.FAILED, finished_at=now, errors=[{"path": "", "message": error}] if error else []
            )


# ---- scoring again ---------------------------------------------------------------------------------------------


def run_rescore(*, run: ScanRun) -> ScanRun:
    """Score a finished run again from its findings and the waivers in force now (after a waiver or a re-scan)."""
    result_score = score(
        selectors.run_results(run=run),
        selectors.active_waivers(shop=run.shop).keys(),
        selectors.run_rules(run=run),
        selectors.resolved_issues(run=run),
    )
    with transaction.atomic():
        _store_score(run, result_score)
        run.save(update_fields=["score", "grade"])
    return run


def shop_runs_rescore(*, shop: Shop) -> None:
    """Re-score the latest complete run of each of a shop's promotions (after a waiver is given or lifted)."""
    for promotion in Promotion.objects.filter(shop=shop):
        run = selectors.latest_run(promotion=promotion)
        if run is not None:
            run_rescore(run=run)


# ---- re-scanning one listing -------------------------------------------------------------------------------------


def listing_images_refresh(*, listing_pk: int) -> int:
    """Read a listing's pictures not read yet (an upload), then re-scan the listing in its latest runs."""
    listing = Listing.objects.select_related("shop").get(pk=listing_pk)
    read = images_read(image_pks=selectors.images_to_read(shop=listing.shop, listing_pks=[listing_pk]))
    listing_rescan(listing=listing)
    return read


def listing_rescan(*, listing: Listing) -> list[ScanRun]:
    """Re-scan one listing in the latest finished run of each of its shop's promotions and re-score them."""
    return listings_rescan(shop_id=listing.shop_id, listing_pks=[listing.pk])


def listings_rescan(*, shop_id: int, listing_pks: Sequence[int]) -> list[ScanRun]:
    """Re-scan some listings of one shop in the latest finished run of each of its promotions, re-scoring each
    run once (a find-and-replace over many listings is one re-score, not one per listing)."""
    pks = list(listing_pks)
    runs = []
    for promotion in Promotion.objects.filter(shop_id=shop_id):
        run = selectors.latest_run(promotion=promotion)
        if run is None or not pks:
            continue
        results = _judge_listings(run, pks)
        with transaction.atomic():
            _replace_findings(run, Q(listing_id__in=pks, check_name__in=LISTING_CHECKS), results, pks)
            run_rescore(run=run)
        runs.append(run)
    return runs
