"""Reads for the web pages, shaped for templates and kept set-based.

The API's report (``selectors.readiness_report``) rebuilds every issue of a run in Python, which is right for a
JSON export but too slow for a page that a 20,000-listing shop opens many times a day. The pages instead ask
the database for what they show: counts, sums and one example per kind of issue grouped in SQL (no sort of
every issue), one page of the queue or the issue list chosen over narrow rows. Each page runs a fixed number
of queries whatever the size of the shop (``bench/web_bench.py``; the view tests compare a small and a larger
shop).

Open and waived follow ``scoring.tally``: an issue is waived while a waiver for its fingerprint is in force;
``info`` issues never count against anything.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from readiness import categories as category_names
from readiness import selectors
from readiness.checks import CHECKS
from readiness.checks.results import SEVERITY_RANK
from readiness.models import (
    CheckResult,
    Finding,
    ImageBlob,
    ImageReading,
    Listing,
    ListingImage,
    ListingRevision,
    OwnerRole,
    Promotion,
    RunStatus,
    ScanRun,
    SeenIssue,
    Shop,
    Sku,
    Waiver,
    severity_rank,
)
from readiness.scoring import Tally, grade_for, issue_points, risk_score, round_score

ISSUE_FIELDS = (
    "pk",
    "check_name",
    "rule",
    "category",
    "severity",
    "message",
    "remediation",
    "message_args",
    "evidence",
    "owner",
    "deadline",
    "exposure_min",
    "exposure_max",
    "field",
    "start",
    "end",
    "text",
    "citation",
    "suggestion",
    "related",
    "sku_code",
    "fingerprint",
    "listing_id",
    "listing__listing_id",
    "listing__title",
)
WORST_FIRST = (
    F("severity_order").asc(),
    F("exposure_max").desc(nulls_last=True),
    F("deadline").asc(nulls_last=True),
    F("pk").asc(),
)


def waived_fingerprints(shop: Shop, now: dt.datetime) -> QuerySet[Waiver, Any]:
    """The fingerprints of the shop's waivers in force (a subquery)."""
    return Waiver.objects.filter(shop=shop).in_force(now).values("fingerprint")


def _waived(shop: Shop, now: dt.datetime) -> ExpressionWrapper:
    # ``fingerprint IN (SELECT …)``: PostgreSQL hashes the subquery once instead of probing it per row.
    return ExpressionWrapper(Q(fingerprint__in=waived_fingerprints(shop, now)), output_field=BooleanField())


def open_findings(run: ScanRun, now: dt.datetime | None = None) -> QuerySet[Finding]:
    """A run's open issues that count (errors and warnings not waived), with their severity order."""
    now = now or timezone.now()
    return (
        Finding.objects.filter(run=run)
        .exclude(severity="info")
        .exclude(fingerprint__in=waived_fingerprints(run.shop, now))
        .annotate(severity_order=severity_rank())
    )


# ---- the dashboard -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class CheckRow:
    check: str
    status: str
    score: int
    weight: int
    tally: Tally


@dataclass(slots=True)
class Phase:
    key: str
    label: Any
    at: dt.datetime
    tally: Tally = field(default_factory=Tally)
    issues: list[dict[str, Any]] = field(default_factory=list)
    passed: bool = False


@dataclass(slots=True)
class OwnerGroup:
    owner: str
    tally: Tally = field(default_factory=Tally)
    issues: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Progress:
    """已处理 done / found: of the distinct errors and warnings found for the promotion since its first scan
    (``SeenIssue``), those fixed (no longer found by the latest run) or waived (a waiver in force); the rest
    are open. Counted by fingerprint: the same problem found again by a later scan counts once."""

    found: int = 0
    fixed: int = 0
    waived: int = 0

    @property
    def done(self) -> int:
        return self.fixed + self.waived

    @property
    def open(self) -> int:
        return self.found - self.done

    @property
    def percent(self) -> int:
        return round_score(100 * self.done / self.found) if self.found else 100


@dataclass(slots=True)
class Dashboard:
    run: ScanRun | None
    pending: ScanRun | None
    checks: list[CheckRow]
    total: Tally
    phases: list[Phase]
    owners: list[OwnerGroup]
    trend: list[Any]  # {pk, finished_at, score, grade} per complete run, oldest first
    progress: Progress = field(default_factory=Progress)


def progress(promotion: Promotion, run: ScanRun, now: dt.datetime | None = None) -> Progress:
    """The promotion's progress (two queries): see :class:`Progress`."""
    now = now or timezone.now()
    found = SeenIssue.objects.filter(promotion=promotion).count()
    counts = (
        Finding.objects.filter(run=run)
        .exclude(severity="info")
        .aggregate(
            present=Count("fingerprint", distinct=True),
            waived=Count("fingerprint", distinct=True, filter=Q(fingerprint__in=waived_fingerprints(run.shop, now))),
        )
    )
    found = max(found, counts["present"])
    return Progress(found=found, fixed=found - counts["present"], waived=counts["waived"])


PHASE_LABELS = {
    "presale_start": _("预售开始"),
    "final_payment_start": _("尾款开始"),
    "sale_start": _("正式开售"),
    "sale_end": _("活动结束（售后高峰）"),
}


def phases_of(promotion: Promotion) -> list[tuple[str, dt.datetime]]:
    """The promotion's phases in time order (presale and final payment only when planned)."""
    phases = [
        ("presale_start", promotion.presale_start),
        ("final_payment_start", promotion.final_payment_start),
        ("sale_start", promotion.sale_start),
        ("sale_end", promotion.sale_end),
    ]
    return [(key, at) for key, at in phases if at is not None]


def _phase_bucket(promotion: Promotion) -> Case:
    """Which phase an issue is due before: the first phase at or after its deadline (99: none)."""
    whens = [When(deadline__lte=at, then=Value(i)) for i, (_key, at) in enumerate(phases_of(promotion))]
    return Case(*whens, default=Value(99), output_field=IntegerField())


def pending_run(promotion: Promotion) -> ScanRun | None:
    """A scan of the promotion that has not finished yet, with its chunks done (``done``)."""
    return (
        ScanRun.objects.filter(promotion=promotion, status__in=[RunStatus.PENDING, RunStatus.RUNNING])
        .annotate(done=Count("chunks", filter=Q(chunks__done_at__isnull=False)))
        .order_by("-created_at")
        .first()
    )


def latest_run(promotion: Promotion) -> ScanRun | None:
    """The newest complete run (as ``selectors.latest_run``), without re-fetching shop and promotion."""
    run = ScanRun.objects.filter(promotion=promotion).complete().latest_first().first()
    if run is not None:
        run.shop = promotion.shop
        run.promotion = promotion
    return run


def dashboard(promotion: Promotion, run: ScanRun | None, *, per_owner: int = 8, per_phase: int = 5) -> Dashboard:
    """Everything the operations dashboard shows, in six queries whatever the size of the shop.

    The issues under each owner and phase are one per *kind* (check, rule, severity, deadline), worst first,
    each with how many more of its kind there are: a manager hands out kinds of work, and a big shop's
    thousands of identical issues would hide every other kind. They come from one hash aggregate over the run
    (no sort of every issue), plus one small query for the representatives' text.
    """
    now = timezone.now()
    trend = list(
        ScanRun.objects.filter(promotion=promotion)
        .complete()
        .latest_first()
        .values("pk", "finished_at", "score", "grade")[:30]
    )[::-1]
    pending = pending_run(promotion)
    phases = [Phase(key=key, label=PHASE_LABELS[key], at=at, passed=at <= now) for key, at in phases_of(promotion)]
    if run is None:
        return Dashboard(run, pending, [], Tally(), phases, [], trend)

    stored = {row.check_name: row for row in CheckResult.objects.filter(run=run)}
    by_check: dict[str, Tally] = defaultdict(Tally)
    by_owner: dict[str, Tally] = defaultdict(Tally)
    by_phase: dict[int, Tally] = defaultdict(Tally)
    total = Tally()
    waivers = waived_fingerprints(run.shop, now)
    kinds: list[dict[str, Any]] = [
        dict(kind)
        for kind in Finding.objects.filter(run=run)
        .exclude(fingerprint__in=waivers)
        .values("check_name", "rule", "severity", "owner", "deadline")
        .annotate(n=Count("pk"), low=Sum("exposure_min"), high=Sum("exposure_max"), worst=Max("exposure_max"))
        .annotate(first=Min("pk"))
        .order_by()
    ]
    waived = (
        Finding.objects.filter(run=run, fingerprint__in=waivers)
        .values("check_name", "severity")
        .annotate(n=Count("pk"))
        .order_by()
    )
    bucket_of = _bucket_function(promotion)
    for kind in kinds:
        kind["waived"] = False
        kind["bucket"] = bucket_of(kind["deadline"])
        tally = _tally_of(kind)
        by_check[kind["check_name"]] += tally
        total += tally
        if kind["severity"] != "info":
            by_owner[kind["owner"]] += tally
            by_phase[kind["bucket"]] += tally
    for row in waived:
        tally = _tally_of(row | {"waived": True, "low": None, "high": None})
        by_check[row["check_name"]] += tally
        total += tally
    checks = []
    order = list(CHECKS) + sorted(set(stored) - set(CHECKS))
    for name in order:
        result = stored.get(name)
        if result is None and name not in by_check:
            continue
        checks.append(
            CheckRow(
                check=name,
                status=result.status if result else "pass",
                score=result.score if result else 100,
                weight=result.weight if result else 0,
                tally=by_check.get(name, Tally()),
            )
        )

    # Worst kinds first: severity, then the money at risk, then the deadline (as the report's table sorts).
    counted = sorted(
        (k for k in kinds if k["severity"] != "info"),
        key=lambda k: (
            SEVERITY_RANK.get(k["severity"], 9),
            -(k["worst"] or 0),
            k["deadline"] is None,
            k["deadline"] or now,
            k["first"],
        ),
    )
    owner_kinds: dict[str, list[dict[str, Any]]] = defaultdict(list)
    phase_kinds: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for kind in counted:
        if len(owner_kinds[kind["owner"]]) < per_owner:
            owner_kinds[kind["owner"]].append(kind)
        if len(phase_kinds[kind["bucket"]]) < per_phase:
            phase_kinds[kind["bucket"]].append(kind)
    shown = {k["first"] for group in (*owner_kinds.values(), *phase_kinds.values()) for k in group}
    examples = {row["pk"]: row for row in Finding.objects.filter(pk__in=shown).values(*ISSUE_FIELDS)}

    def issues_of(group: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [examples[k["first"]] | {"same_kind": k["n"] - 1} for k in group if k["first"] in examples]

    owners = [
        OwnerGroup(owner=owner, tally=by_owner[owner], issues=issues_of(owner_kinds.get(owner, [])))
        for owner in sorted(by_owner, key=lambda o: (-by_owner[o].errors, -by_owner[o].warnings, o))
        if by_owner[owner].open
    ]
    for i, phase in enumerate(phases):
        phase.tally = by_phase.get(i, Tally())
        phase.issues = issues_of(phase_kinds.get(i, []))
    return Dashboard(run, pending, checks, total, phases, owners, trend, progress(promotion, run, now))


def _bucket_function(promotion: Promotion) -> Any:
    """The phase an issue is due before, in Python (the same rule as :func:`_phase_bucket`)."""
    times = [at for _key, at in phases_of(promotion)]

    def bucket(deadline: dt.datetime | None) -> int:
        if deadline is None:
            return 99
        return next((i for i, at in enumerate(times) if deadline <= at), 99)

    return bucket


def _tally_of(row: dict[str, Any]) -> Tally:
    """The tally of ``n`` issues of one kind (the rule of ``scoring.tally``), with their money at risk if open."""
    n = row["n"]
    if row["severity"] == "info":
        return Tally(infos=n)
    if row["waived"]:
        return Tally(waived=n)
    low, high = Decimal(row["low"] or 0), Decimal(row["high"] or 0)
    if row["severity"] == "error":
        return Tally(errors=n, exposure_min=low, exposure_max=high)
    return Tally(warnings=n, exposure_min=low, exposure_max=high)


# ---- issue lists (the dashboard's "all issues" page and the exports) -------------------------------------


@dataclass(frozen=True, slots=True)
class IssueFilter:
    owner: str = ""
    check: str = ""
    rule: str = ""
    severity: str = ""
    phase: str = ""  # a key of PHASE_LABELS: issues due before it (and after the phase before)
    status: str = "open"  # open, waived, all

    def as_query(self) -> str:
        from urllib.parse import urlencode

        return urlencode({k: v for k, v in self.__iter_items() if v and not (k == "status" and v == "open")})

    def __iter_items(self) -> Iterable[tuple[str, str]]:
        return (
            ("owner", self.owner),
            ("check", self.check),
            ("rule", self.rule),
            ("severity", self.severity),
            ("phase", self.phase),
            ("status", self.status),
        )


def issues(run: ScanRun, promotion: Promotion, flt: IssueFilter) -> QuerySet[Finding]:
    """A run's issues, worst first, filtered (values rows with ``waived``); the export streams it whole."""
    return _filtered(run, promotion, flt).order_by(*WORST_FIRST).values(*ISSUE_FIELDS, "waived")


def _filtered(run: ScanRun, promotion: Promotion, flt: IssueFilter) -> QuerySet[Finding]:
    now = timezone.now()
    qs = Finding.objects.filter(run=run).annotate(severity_order=severity_rank(), waived=_waived(run.shop, now))
    if flt.status == "open":
        qs = qs.filter(waived=False).exclude(severity="info")
    elif flt.status == "waived":
        qs = qs.filter(waived=True)
    if flt.owner:
        qs = qs.filter(owner=flt.owner)
    if flt.check:
        qs = qs.filter(check_name=flt.check)
    if flt.rule:
        qs = qs.filter(rule=flt.rule)
    if flt.severity:
        qs = qs.filter(severity=flt.severity)
    if flt.phase:
        keys = [key for key, _ in phases_of(promotion)]
        if flt.phase in keys:
            qs = qs.annotate(bucket=_phase_bucket(promotion)).filter(bucket=keys.index(flt.phase))
    return qs


def issue_page(run: ScanRun, promotion: Promotion, flt: IssueFilter, number: Any, per_page: int = 50) -> Page:
    """One page of the issue list: the page's ids are chosen over narrow rows, then only they are fetched whole
    (sorting every issue of a big shop with its messages and evidence would be the slow part)."""
    ids = _filtered(run, promotion, flt).order_by(*WORST_FIRST).values_list("pk", flat=True)
    page = Paginator(ids, per_page).get_page(number)
    wanted = list(page.object_list)
    rows = {
        row["pk"]: row
        for row in Finding.objects.filter(pk__in=wanted)
        .annotate(waived=_waived(run.shop, timezone.now()))
        .values(*ISSUE_FIELDS, "waived")
    }
    page.object_list = [rows[pk] for pk in wanted if pk in rows]
    return page


# ---- the listing queue -----------------------------------------------------------------------------------


@dataclass(slots=True)
class QueueRow:
    listing_pk: int
    listing_id: str
    title: str
    category: str
    worst: str
    due: dt.datetime | None
    errors: int
    warnings: int
    exposure_max: Decimal | None
    checks: list[str]


def editor_findings(run: ScanRun) -> QuerySet[Finding]:
    """The open issues of listings that a listing editor can fix (owner 详情页编辑: text, labels, specs); stock and
    gift stock belong to the warehouse and stay off the editor's queue."""
    return open_findings(run).filter(listing__isnull=False, owner=OwnerRole.LISTING_EDITOR)


def queue(run: ScanRun, *, category: str = "", check: str = "") -> QuerySet[Any]:
    """Listings with open errors or warnings an editor can fix, worst first, then by due date: one row each."""
    qs = editor_findings(run)
    if check:
        qs = qs.filter(check_name=check)
    if category:  # the Chinese name the filter shows: every stored value shown as that name
        stored = Listing.objects.filter(shop_id=run.shop_id).values_list("category", flat=True).distinct()
        qs = qs.filter(listing__category__in=category_names.values_named(category, stored))
    return (
        qs.values("listing_id")
        .annotate(
            worst=Min("severity_order"),
            due=Min("deadline"),
            errors=Count("pk", filter=Q(severity="error")),
            warnings=Count("pk", filter=Q(severity="warning")),
            exposure=Max("exposure_max"),
        )
        .order_by("worst", F("due").asc(nulls_last=True), "-errors", "listing_id")
    )


def queue_rows(run: ScanRun, groups: Sequence[dict[str, Any]], *, check: str = "") -> list[QueueRow]:
    """One page of the queue with the listings' ids, titles and the checks that flagged them (two queries)."""
    pks = [g["listing_id"] for g in groups]
    listings = {
        row["pk"]: row for row in Listing.objects.filter(pk__in=pks).values("pk", "listing_id", "title", "category")
    }
    checks: dict[int, set[str]] = defaultdict(set)
    flagged = editor_findings(run).filter(listing_id__in=pks)
    if check:
        flagged = flagged.filter(check_name=check)
    for listing_pk, name in flagged.values_list("listing_id", "check_name").distinct():
        checks[listing_pk].add(name)
    order = {name: i for i, name in enumerate(CHECKS)}
    return [
        QueueRow(
            listing_pk=g["listing_id"],
            listing_id=listings[g["listing_id"]]["listing_id"],
            title=listings[g["listing_id"]]["title"],
            category=listings[g["listing_id"]]["category"],
            worst="error" if g["worst"] == 0 else "warning",
            due=g["due"],
            errors=g["errors"],
            warnings=g["warnings"],
            exposure_max=g["exposure"],
            checks=sorted(checks[g["listing_id"]], key=lambda c: (order.get(c, 99), c)),
        )
        for g in groups
        if g["listing_id"] in listings
    ]


def queue_order(run: ScanRun, *, category: str = "", check: str = "") -> list[int]:
    """The pks of the queue's listings in its order (one narrow query), for 上一个/下一个 on a listing's page."""
    return [row["listing_id"] for row in queue(run, category=category, check=check)]


def queue_checks(run: ScanRun) -> list[str]:
    """The checks with issues on the editor's queue (the queue's check filter offers only these)."""
    return list(editor_findings(run).order_by().values_list("check_name", flat=True).distinct())


def listing_ids(pks: Sequence[int]) -> dict[int, str]:
    return dict(Listing.objects.filter(pk__in=pks).values_list("pk", "listing_id"))


def categories(shop: Shop) -> list[str]:
    """The Chinese names of the shop's listing categories, one per category (``tea`` and 茶叶 are one 茶叶)."""
    return category_names.names(
        Listing.objects.filter(shop=shop, archived_at__isnull=True)
        .exclude(category="")
        .values_list("category", flat=True)
        .distinct()
    )


# ---- one listing -------------------------------------------------------------------------------------------


@dataclass(slots=True)
class ListingDetail:
    listing: Listing
    skus: list[Sku]
    findings: list[dict[str, Any]]
    waivers: list[Waiver]
    revisions: list[ListingRevision]
    score: int | None
    grade: str
    status: str


def listing_detail(run: ScanRun | None, listing: Listing) -> ListingDetail:
    """A listing with its SKUs, its issues in the run (waived ones marked, with their waiver), its waivers and
    its revisions, and its own score (the rule of ``scoring.score`` for one listing)."""
    now = timezone.now()
    skus = list(listing.skus.filter(archived_at__isnull=True).order_by("position", "pk"))
    waivers = list(
        Waiver.objects.filter(shop_id=listing.shop_id, listing=listing)
        .with_in_force(now=now)
        .select_related("created_by", "lifted_by")
        .order_by("-created_at")[:100]
    )
    revisions = list(listing.revisions.select_related("changed_by").order_by("-changed_at", "-pk")[:100])
    if run is None:
        return ListingDetail(listing, skus, [], waivers, revisions, None, "", "")
    in_force = {w.fingerprint: w for w in waivers if w.in_force}  # type: ignore[attr-defined]
    findings = list(
        Finding.objects.filter(run=run, listing=listing)
        .annotate(
            severity_order=severity_rank(),
            # A waiver made on another listing row (same fingerprint) still counts: match like the scorer.
            waived=Exists(
                Waiver.objects.filter(shop=run.shop).in_force(now).filter(fingerprint=OuterRef("fingerprint"))
            ),
        )
        .order_by("severity_order", "field", "start", "pk")
        .values(*ISSUE_FIELDS, "waived")
    )
    errors = warnings = 0
    for finding in findings:
        finding["waiver"] = in_force.get(finding["fingerprint"])
        if finding["waived"] or finding["severity"] == "info":
            continue
        if finding["severity"] == "error":
            errors += 1
        else:
            warnings += 1
    score, grade = _listing_score(run, listing, findings)
    status = "fail" if errors else "warn" if warnings else "pass"
    return ListingDetail(listing, skus, findings, waivers, revisions, score, grade, status)


def _listing_score(run: ScanRun, listing: Listing, rows: Iterable[Mapping[str, Any]]) -> tuple[int, str]:
    """A listing's score from its issues in the run (rows with ``waived``) and its resolved ones, by the run's
    rules: the formula of ``scoring.score`` for one listing."""
    rules = selectors.run_rules(run=run)
    open_points = seen_points = 0.0
    open_count = seen_count = 0
    for row in rows:
        if row["severity"] == "info":
            continue
        points = issue_points(row["check_name"], row["severity"], row["exposure_max"], rules)
        seen_points, seen_count = seen_points + points, seen_count + 1
        if not row["waived"]:
            open_points, open_count = open_points + points, open_count + 1
    for item in selectors.resolved_issues(run=run, listing_id=listing.listing_id):
        seen_points += issue_points(item.check, item.severity, item.exposure_max, rules)
        seen_count += 1
    score = round_score(risk_score(open_points, seen_points, open_count, seen_count, rules))
    return score, grade_for(score, rules)


def listing_score(run: ScanRun, listing: Listing) -> int:
    """One listing's score in a run (three queries: rules, its issues, its resolved ones)."""
    rows = (
        Finding.objects.filter(run=run, listing=listing)
        .exclude(severity="info")
        .annotate(waived=_waived(run.shop, timezone.now()))
        .values("check_name", "severity", "exposure_max", "waived")
    )
    return _listing_score(run, listing, rows)[0]


# ---- listing pictures ----------------------------------------------------------------------------------------


def listing_pictures(listing: Listing) -> list[dict[str, Any]]:
    """The listing's pictures in the order of ``images[i]`` (bundle pictures, then uploads), each with the size
    OCR measured (None before it was read). Two queries."""
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in ListingImage.objects.filter(listing=listing)
        .order_by("source", "position")
        .values("pk", "kind", "url", "path", "sha256", "source", "fetch_error")
    ]
    sizes = {
        sha: text
        for sha, text in ImageReading.objects.filter(sha256__in={r["sha256"] for r in rows if r["sha256"]}).values_list(
            "sha256", "text"
        )
    }
    for i, row in enumerate(rows):
        row["index"] = i
        text = sizes.get(row["sha256"]) if row["sha256"] else None
        row["width"] = text.get("width") if isinstance(text, dict) else None
        row["height"] = text.get("height") if isinstance(text, dict) else None
    return rows


def picture_bytes(sha256: str) -> bytes | None:
    data = ImageBlob.objects.filter(sha256=sha256).values_list("data", flat=True).first()
    return bytes(data) if data is not None else None


def picture_format(data: bytes) -> str | None:
    """Pillow's name for the picture's format from its header (PNG, JPEG …), None for anything else."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.format
    except (UnidentifiedImageError, OSError, ValueError):
        return None
