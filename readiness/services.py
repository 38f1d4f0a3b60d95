"""Writes: scan runs (start, scan a chunk, finish), re-scanning one listing after an edit, waivers.

A scan run is split into chunks of listings. Each chunk is scanned by one Celery task, which runs the
scanners and every per-listing check over its listings and replaces that chunk's findings in one
transaction, then marks the chunk done: a chunk that runs twice (a redelivered task after a worker died)
leaves the same rows. The run is finished once, by the chord's callback, which refuses to mark a run
complete unless every chunk is done, runs the shop-level checks (couriers, after-sales), scores and stores
the check results.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from readiness import scanning, selectors
from readiness.bulkwrite import insert_rows
from readiness.checks import CHECKS, LISTING_CHECKS, SHOP_CHECKS, CheckContext, CheckResult, Issue, run_checks
from readiness.models import (
    CheckResult as CheckResultRow,
)
from readiness.models import (
    Finding,
    ImportJob,
    JobStatus,
    Listing,
    ListingRevision,
    Promotion,
    RunStatus,
    ScanChunk,
    ScanRun,
    Shop,
    ShopRuleOverride,
    ShopTerm,
    TermKind,
    Waiver,
)
from readiness.rulepacks import RulePack, load_rule_pack
from readiness.scoring import Score, score

logger = logging.getLogger(__name__)

FINDING_FIELDS = [
    "run", "check_name", "listing", "sku_code", "rule", "category", "severity", "message", "remediation",
    "evidence", "owner", "deadline", "exposure_min", "exposure_max", "field", "start", "end", "text",
    "citation", "suggestion", "related", "fingerprint",
]  # fmt: skip


class RunIncomplete(RuntimeError):
    """A run cannot be finished: some chunk has not been scanned (yet)."""


# ---- rules and scanner options of a shop ---------------------------------------------------------------------


def shop_overrides(*, shop: Shop) -> dict[str, Any]:
    return dict(ShopRuleOverride.objects.filter(shop=shop).values_list("key", "value"))


def shop_scanner_options(*, shop: Shop) -> Any:
    allow, extra = [], []
    for kind, term, category, severity, suggestion in ShopTerm.objects.filter(shop=shop).values_list(
        "kind", "term", "category", "severity", "suggestion"
    ):
        if kind == TermKind.ALLOW:
            allow.append(term)
        else:
            extra.append(
                {"term": term, "category": category or "extreme_wording", "severity": severity or "error"}
                | ({"suggestion": suggestion} if suggestion else {})
            )
    return scanning.scanner_options(platform=shop.platform, allow=allow, extra_terms=extra)


def _run_rules(run: ScanRun) -> RulePack:
    # The run keeps the pack and overrides it started with, so every chunk judges by the same rules.
    return load_rule_pack(run.shop.platform, run.overrides)


# ---- starting a run ------------------------------------------------------------------------------------------


def scan_run_create(*, promotion: Promotion, chunk_size: int | None = None) -> ScanRun:
    """Create a pending run and its chunks (the active listings, split by ``SCAN_CHUNK_SIZE``)."""
    shop = promotion.shop
    size = chunk_size or settings.SCAN_CHUNK_SIZE
    rules = load_rule_pack(shop.platform, shop_overrides(shop=shop))  # a bad override fails here, named
    with transaction.atomic():
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
        )
        ScanChunk.objects.bulk_create(
            ScanChunk(run=run, index=i, listing_count=len(chunk), listing_pks=chunk) for i, chunk in enumerate(chunks)
        )
    return run


def scan_run_start(*, promotion: Promotion, chunk_size: int | None = None) -> ScanRun:
    """Create a run and hand its chunks to Celery once the transaction commits (a chord: chunks in parallel,
    then one finish). With Celery eager (no broker) the run has finished when this returns."""
    from readiness import tasks

    with transaction.atomic():
        run = scan_run_create(promotion=promotion, chunk_size=chunk_size)
        transaction.on_commit(lambda: tasks.dispatch_scan_run(run.pk, run.chunks_total))
    run.refresh_from_db()
    return run


def scan_run_sync(*, promotion: Promotion) -> ScanRun:
    """Scan in this process, chunk by chunk, whatever the Celery settings (for commands that need a result)."""
    run = scan_run_create(promotion=promotion)
    for index in range(run.chunks_total):
        scan_run_chunk(run_id=run.pk, index=index)
    return scan_run_finish(run_id=run.pk)


def run_counts(run: ScanRun) -> dict[str, int]:
    """Open (not waived) findings of a run by severity."""
    waived = active_waivers(shop=run.shop).keys()
    counts = dict.fromkeys(("error", "warning", "info"), 0)
    for severity, fingerprint in run.findings.values_list("severity", "fingerprint"):
        if fingerprint not in waived:
            counts[severity] += 1
    return counts


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
    findings = scanning.scan(data.listings, shop_scanner_options(shop=run.shop))
    ctx = CheckContext.from_bundle(data, rules=_run_rules(run), findings_by_listing=findings, now=run.created_at)
    return run_checks(ctx, LISTING_CHECKS)


def _coverage(results: Iterable[CheckResult]) -> dict[str, Any]:
    """What each check examined in this chunk, kept for scoring at the end."""
    return {
        r.check: {"examined": r.examined, "listing_ids": list(r.listing_ids), "notes": list(r.notes)} for r in results
    }


def _maybe_crash_for_test(run_id: int, index: int) -> None:
    """Fault injection for the worker-loss test: if the file named by READINESS_CRASH_ONCE exists, remove it and
    kill this process in the middle of the chunk's transaction, as a worker killed by the OOM killer would be."""
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
    insert_rows(
        Finding,
        FINDING_FIELDS,
        [_finding_row(run.pk, issue, pk_by_id) for result in results for issue in result.issues],
    )


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
    rules = _run_rules(run)
    data = selectors.readiness_input(promotion=run.promotion, detail=False)
    ctx = CheckContext.from_bundle(data, rules=rules, now=run.created_at)
    shop_results = run_checks(ctx, SHOP_CHECKS)
    with transaction.atomic():
        _replace_findings(run, Q(check_name__in=SHOP_CHECKS), shop_results, [])
        results = run_results(run)
        result_score = score(results, active_waivers(shop=run.shop).keys(), rules)
        _store_score(run, result_score)
        run.status = RunStatus.COMPLETE
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at", "score", "grade"])
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
    ScanRun.objects.filter(pk=run_id).exclude(status=RunStatus.COMPLETE).update(
        status=RunStatus.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def run_results(run: ScanRun) -> list[CheckResult]:
    """The check results of a run, rebuilt from its stored findings and chunk coverage (one query each)."""
    coverage: dict[str, dict[str, Any]] = defaultdict(lambda: {"examined": 0, "listing_ids": [], "notes": []})
    for checks in ScanChunk.objects.filter(run=run).values_list("checks", flat=True):
        for name, seen in (checks or {}).items():
            coverage[name]["examined"] += seen["examined"]
            coverage[name]["listing_ids"] += seen["listing_ids"]
            coverage[name]["notes"] += [n for n in seen["notes"] if n not in coverage[name]["notes"]]
    issues: dict[str, list[Issue]] = defaultdict(list)
    for row in run.findings.order_by("pk").values(*FINDING_FIELDS[1:], "listing__listing_id"):
        issues[row["check_name"]].append(_issue_from_row(row))
    return [
        CheckResult(
            check=name,
            issues=tuple(issues.get(name, ())),
            examined=coverage[name]["examined"] if name in coverage else len(issues.get(name, ())),
            listing_ids=tuple(coverage[name]["listing_ids"]) if name in coverage else (),
            notes=tuple(coverage[name]["notes"]) if name in coverage else (),
        )
        for name in CHECKS
    ]


def _issue_from_row(row: dict[str, Any]) -> Issue:
    return Issue(
        check=row["check_name"],
        rule=row["rule"],
        severity=row["severity"],
        message=row["message"],
        remediation=row["remediation"],
        owner=row["owner"],
        evidence=row["evidence"] or {},
        deadline=row["deadline"],
        exposure_min=row["exposure_min"],
        exposure_max=row["exposure_max"],
        listing_id=row["listing__listing_id"],
        sku=row["sku_code"] or None,
        field=row["field"] or None,
        start=row["start"],
        end=row["end"],
        text=row["text"] or None,
        citation=row["citation"],
        suggestion=row["suggestion"] or None,
        category=row["category"],
        related=row["related"],
    )


# ---- waivers ---------------------------------------------------------------------------------------------------


def active_waivers(*, shop: Shop, now: dt.datetime | None = None) -> dict[str, Waiver]:
    """Waivers in force for a shop: fingerprint → waiver (not lifted, not expired)."""
    now = now or timezone.now()
    waivers = (
        Waiver.objects.filter(shop=shop, lifted_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("created_by")
    )
    return {w.fingerprint: w for w in waivers}


def run_rescore(*, run: ScanRun) -> ScanRun:
    """Score a finished run again from its findings and the waivers in force now (after a waiver or a re-scan)."""
    result_score = score(run_results(run), active_waivers(shop=run.shop).keys(), _run_rules(run))
    with transaction.atomic():
        _store_score(run, result_score)
        run.save(update_fields=["score", "grade"])
    return run


# ---- domain errors -------------------------------------------------------------------------------------------


class ServiceError(Exception):
    """A request the domain refuses. The API maps it to a problem-details response with ``status``."""

    status = 400

    def __init__(self, message: str, *, errors: Sequence[dict[str, str]] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.errors = list(errors)


class Conflict(ServiceError):
    status = 409


# ---- editing a listing and re-scanning it ----------------------------------------------------------------------

EDITABLE_FIELDS = ("title", "subtitle", "description", "specs")


def listing_update_text(*, listing: Listing, changes: dict[str, Any], user: Any, source: str = "web") -> Listing:
    """Change a listing's text (title, subtitle, description, specs), keep who changed what and when, and
    re-scan the listing so its findings and the shop's score are current."""
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ServiceError(
            "only title, subtitle, description and specs can be edited",
            errors=[{"path": key, "message": "not an editable field"} for key in unknown],
        )
    _validate_text_changes(changes)
    diff = {
        name: {"old": getattr(listing, name), "new": value}
        for name, value in changes.items()
        if getattr(listing, name) != value
    }
    if not diff:
        return listing
    with transaction.atomic():
        for name, values in diff.items():
            setattr(listing, name, values["new"])
        listing.full_clean()
        listing.save(update_fields=[*diff, "updated_at"])
        ListingRevision.objects.create(listing=listing, changed_by=user, changes=diff, source=source)
        listing_rescan(listing=listing)
    return listing


def _validate_text_changes(changes: dict[str, Any]) -> None:
    from readiness import bundle

    errors = []
    limits = {"title": 500, "subtitle": 500, "description": 100_000}
    for name, limit in limits.items():
        if name not in changes:
            continue
        value = changes[name]
        if not isinstance(value, str):
            errors.append({"path": name, "message": "expected a string"})
        elif len(value) > limit:
            errors.append({"path": name, "message": f"must be at most {limit} characters"})
        elif bundle._UNSTORABLE.search(value):
            errors.append({"path": name, "message": "text must not contain NUL or lone surrogates"})
    if "specs" in changes:
        specs = changes["specs"]
        if not isinstance(specs, dict) or not all(
            isinstance(k, str) and k.strip() and isinstance(v, str) and len(k) <= 100 and len(v) <= 500
            for k, v in specs.items()
        ):
            errors.append({"path": "specs", "message": "expected an object of spec name → text"})
    if errors:
        raise ServiceError("invalid listing text", errors=errors)


def listing_rescan(*, listing: Listing) -> list[ScanRun]:
    """Re-scan one listing in the latest finished run of each of its shop's promotions and re-score them."""
    runs = []
    for promotion in Promotion.objects.filter(shop_id=listing.shop_id):
        run = selectors.latest_run(promotion=promotion)
        if run is None:
            continue
        results = _judge_listings(run, [listing.pk])
        with transaction.atomic():
            _replace_findings(run, Q(listing_id=listing.pk, check_name__in=LISTING_CHECKS), results, [listing.pk])
            run_rescore(run=run)
        runs.append(run)
    return runs


# ---- waivers -----------------------------------------------------------------------------------------------------


def waiver_create(*, finding: Finding, user: Any, reason: str, expires_at: dt.datetime | None = None) -> Waiver:
    """Accept one finding with a reason. The waiver follows the finding's fingerprint into later scans."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("a waiver needs a reason", errors=[{"path": "reason", "message": "required"}])
    if expires_at is not None and expires_at <= timezone.now():
        raise ServiceError("expiry is in the past", errors=[{"path": "expires_at", "message": "must be in the future"}])
    shop = finding.run.shop
    with transaction.atomic():
        if Waiver.objects.filter(shop=shop, fingerprint=finding.fingerprint, lifted_at__isnull=True).exists():
            raise Conflict("this finding is already waived")
        waiver = Waiver(
            shop=shop,
            listing_id=finding.listing_id,
            fingerprint=finding.fingerprint,
            rule=finding.rule,
            reason=reason[:2000],
            created_by=user,
            expires_at=expires_at,
        )
        waiver.full_clean()
        waiver.save()
        _rescore_latest(shop)
    return waiver


def waiver_lift(*, waiver: Waiver, user: Any) -> Waiver:
    """End a waiver. The record stays, with who lifted it and when."""
    if waiver.lifted_at is not None:
        raise Conflict("this waiver was already lifted")
    with transaction.atomic():
        waiver.lifted_at = timezone.now()
        waiver.lifted_by = user
        waiver.save(update_fields=["lifted_at", "lifted_by"])
        _rescore_latest(waiver.shop)
    return waiver


def _rescore_latest(shop: Shop) -> None:
    for promotion in Promotion.objects.filter(shop=shop):
        run = selectors.latest_run(promotion=promotion)
        if run is not None:
            run_rescore(run=run)


# ---- import jobs (bundles pushed over the API or uploaded in the browser) --------------------------------------


def import_job_create(*, raw: bytes, user: Any, shop: Shop | None = None, source: str = "bundle") -> ImportJob:
    """Validate a bundle now (raising ``BundleError`` with every JSON path in error) and queue its import and
    scan. When ``shop`` is given the bundle must be for that shop."""
    from readiness import tasks
    from readiness.bundle import BundleError, BundleIssue, parse_bundle

    parsed = parse_bundle(raw)
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
    from readiness.bundle import BundleError, parse_bundle
    from readiness.importing import bundle_import

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
    return import_job_refresh(job=ImportJob.objects.get(pk=job.pk))


def import_job_refresh(*, job: ImportJob) -> ImportJob:
    """Bring a scanning job's status up to date with its scan run."""
    if job.status == JobStatus.SCANNING and job.run_id is not None:
        run_status = ScanRun.objects.values_list("status", "error").get(pk=job.run_id)
        if run_status[0] in (RunStatus.COMPLETE, RunStatus.FAILED):
            job.status = JobStatus.COMPLETE if run_status[0] == RunStatus.COMPLETE else JobStatus.FAILED
            job.finished_at = timezone.now()
            if run_status[1]:
                job.errors = [{"path": "", "message": run_status[1]}]
            job.save(update_fields=["status", "finished_at", "errors"])
    return job


def import_job_progress(*, job: ImportJob) -> dict[str, Any]:
    """Steps done and total: 1 for the import, then one per scan chunk, then 1 for finishing."""
    if job.run_id is None:
        done = 1 if job.status in (JobStatus.COMPLETE,) else 0
        return {"done": done, "total": max(done, 1)}
    chunks = ScanChunk.objects.filter(run_id=job.run_id)
    total = chunks.count()
    done_chunks = chunks.filter(done_at__isnull=False).count()
    finished = 1 if job.status == JobStatus.COMPLETE else 0
    return {"done": 1 + done_chunks + finished, "total": 2 + total}
