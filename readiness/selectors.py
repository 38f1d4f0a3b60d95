"""Reads. Querysets with their joins and prefetches live here, not in views."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from readiness import scanning
from readiness.checks import CHECKS, SEVERITY_RANK, CheckResult, Issue
from readiness.checks.results import Text
from readiness.imports import bundle
from readiness.models import (
    LISTING_PLAN_FIELDS,
    Finding,
    Gift,
    ImageReading,
    ImportJob,
    InboundShipment,
    JobStatus,
    Listing,
    ListingImage,
    PriceHistory,
    Promotion,
    Rebate,
    ScanChunk,
    ScanRun,
    SeenIssue,
    ServicePlan,
    Shop,
    ShopRuleOverride,
    ShopTerm,
    Sku,
    TermKind,
    Waiver,
)
from readiness.platforms import PlatformName, RebateKindName
from readiness.report import WaiverInfo, build_report
from readiness.rulepacks import RulePack, load_rule_pack
from readiness.scoring import Resolved, score

# The columns of a Finding row that carry a check's Issue (written by services.scans, read back by run_results).
FINDING_FIELDS = [
    "run", "check_name", "listing", "sku_code", "rule", "category", "severity", "message", "remediation",
    "message_args", "evidence", "owner", "deadline", "exposure_min", "exposure_max", "field", "start", "end", "text",
    "citation", "suggestion", "related", "fingerprint",
]  # fmt: skip


def shops_for_user(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Shop]:
    """The shops a user may see: those they are a member of (all of them for superusers)."""
    shops = Shop.objects.all()
    if not getattr(user, "is_superuser", False):
        shops = shops.filter(memberships__user_id=user.pk)  # type: ignore[misc]  # None for anonymous: no shop
    return shops.annotate(
        listing_count=Count("listings", filter=Q(listings__archived_at__isnull=True), distinct=True)
    ).prefetch_related(Prefetch("promotions", queryset=Promotion.objects.order_by("-sale_start")))


def readiness_input(
    *, promotion: Promotion, listing_pks: list[int] | None = None, detail: bool = True
) -> bundle.Bundle:
    """The shop's catalogue and plan for one promotion as the plain dataclasses of ``readiness.imports.bundle``.

    Set-based: one query per table whatever the number of listings (``listing_pks`` restricts it to a chunk).
    Archived listings and SKUs are left out; price history is limited to the 30 days before the sale.
    Without ``detail`` inbound shipments, price history, gifts and rebates are left out (two queries fewer
    than a tenth of the rows: what the shop-level checks need).
    """
    shop = promotion.shop
    listings_qs = Listing.objects.filter(shop=shop, archived_at__isnull=True)
    if listing_pks is not None:
        listings_qs = listings_qs.filter(pk__gte=min(listing_pks, default=0), pk__lte=max(listing_pks, default=-1))
    listing_rows = list(listings_qs.order_by("listing_id").values_list("pk", "listing_id", *LISTING_PLAN_FIELDS))
    if listing_pks is not None:
        wanted = set(listing_pks)
        listing_rows = [row for row in listing_rows if row[0] in wanted]
    scope: dict[str, Any] = {"listing__shop": shop, "listing__archived_at__isnull": True}
    if listing_pks is not None and listing_pks:
        # A chunk is a run of listing pks: a range scan, not an IN list of thousands of ids (rows of listings
        # outside the chunk but inside the range are dropped below, with the listings they belong to).
        scope = {"listing_id__gte": min(listing_pks), "listing_id__lte": max(listing_pks)}
    elif listing_pks is not None:
        scope = {"listing_id__in": []}
    sku_rows = list(
        Sku.objects.filter(**scope, archived_at__isnull=True)
        .order_by("listing_id", "position")
        .values_list(
            "pk",
            "listing_id",
            "code",
            "name",
            "price",
            "list_price",
            "list_price_basis",
            "stock",
            "forecast_units",
            "safety_stock",
        )
    )
    sku_scope = {f"sku__{key}": value for key, value in scope.items()} | {"sku__archived_at__isnull": True}
    inbound: dict[int, list[bundle.InboundData]] = defaultdict(list)
    prices: dict[int, list[bundle.PricePointData]] = defaultdict(list)
    gifts: dict[int, list[bundle.GiftData]] = defaultdict(list)
    rebates: dict[int, list[bundle.RebateData]] = defaultdict(list)
    if detail:  # shop-level checks need listings and SKU prices only, not history, gifts and rebates
        for sku_id, units, arrives in (
            InboundShipment.objects.filter(**sku_scope).order_by("arrives").values_list("sku_id", "units", "arrives")
        ):
            inbound[sku_id].append(bundle.InboundData(units=units, arrives=arrives))
        since = (promotion.sale_start - timedelta(days=30)).date()
        for sku_id, day, lowest in (
            PriceHistory.objects.filter(**sku_scope, date__gte=since)
            .order_by("date")
            .values_list("sku_id", "date", "lowest_price")
        ):
            prices[sku_id].append(bundle.PricePointData(date=day, lowest_price=lowest))
        for listing_pk, name, stock, sku_code, per_order, first_n, described in (
            Gift.objects.filter(**scope)
            .order_by("pk")
            .values_list("listing_id", "name", "stock", "sku_code", "per_order", "first_n", "described_on_page")
        ):
            gifts[listing_pk].append(
                bundle.GiftData(
                    name=name,
                    stock=stock,
                    sku_code=sku_code or None,
                    per_order=per_order,
                    first_n=first_n,
                    described_on_page=described,
                )
            )
        for listing_pk, kind, text, activity in (
            Rebate.objects.filter(**scope)
            .order_by("pk")
            .values_list("listing_id", "kind", "text", "official_activity_id")
        ):
            rebates[listing_pk].append(
                bundle.RebateData(kind=cast(RebateKindName, kind), text=text, official_activity_id=activity or None)
            )
    skus: dict[int, list[bundle.SkuData]] = defaultdict(list)
    for pk, listing_pk, code, name, price, list_price, basis, stock, forecast, safety in sku_rows:
        skus[listing_pk].append(
            bundle.SkuData(
                code=code,
                price=price,
                stock=stock,
                name=name,
                list_price=list_price,
                list_price_basis=basis or None,
                inbound=inbound.get(pk, []),
                forecast_units=forecast,
                safety_stock=safety,
                price_history=prices.get(pk, []),
            )
        )
    listings = [
        bundle.ListingData(
            id=listing_id,
            category=category,
            title=title,
            subtitle=subtitle,
            description=description,
            specs=specs or {},
            presale=bundle.PresaleData(enabled=True, ship_by=ship_by, label=label) if presale else None,
            gifts=gifts.get(pk, []),
            rebates=rebates.get(pk, []),
            skus=skus.get(pk, []),
        )
        for pk, listing_id, category, title, subtitle, description, specs, presale, ship_by, label in listing_rows
    ]
    couriers = [
        bundle.CourierData(
            code=c.code,
            daily_capacity=c.daily_capacity,
            planned_share=float(c.planned_share),
            name=c.name,
            regions=list(c.regions),
            supports_intercept=c.supports_intercept,
        )
        for c in promotion.couriers.all()
    ]
    service_plan = ServicePlan.objects.filter(promotion=promotion).first()
    service = None
    if service_plan is not None:
        service = bundle.ServiceData(
            auto_refund_unshipped=service_plan.auto_refund_unshipped,
            auto_accept_returns=service_plan.auto_accept_returns,
            cs_agents=service_plan.cs_agents,
            dispute_refund_rate=service_plan.dispute_refund_rate,
            refund_self_completion_rate=service_plan.refund_self_completion_rate,
            roles=dict(service_plan.roles or {}),
            auto_refund_shipped=service_plan.auto_refund_shipped,
            fast_refund_plan=service_plan.fast_refund_plan,
        )
    return bundle.Bundle(
        format=bundle.FORMAT,
        shop=bundle.ShopData(code=shop.code, name=shop.name, platform=cast(PlatformName, shop.platform)),
        promotion=bundle.PromotionData(
            code=promotion.code,
            sale_start=promotion.sale_start,
            sale_end=promotion.sale_end,
            name=promotion.name,
            presale_start=promotion.presale_start,
            final_payment_start=promotion.final_payment_start,
            expected_orders=promotion.expected_orders,
            destinations=dict(promotion.destinations),
        ),
        couriers=couriers,
        service=service,
        listings=listings,
    )


def latest_run(*, promotion: Promotion) -> ScanRun | None:
    """The newest complete scan run of a promotion, or None."""
    return (
        ScanRun.objects.filter(promotion=promotion)
        .complete()
        .latest_first()
        .select_related("shop", "promotion")
        .first()
    )


def scan_in_progress(*, promotion: Promotion) -> ScanRun | None:
    """A pending or running scan of the promotion that is still alive (younger than a task's time limit), or None.

    The one definition used before starting a scan from a request (the dashboard's button, the API's first
    report): while one runs, a second is refused (409), never started beside it."""
    from django.conf import settings
    from django.utils import timezone

    from readiness.models import RunStatus

    alive_since = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    return (
        ScanRun.objects.filter(
            promotion=promotion, status__in=(RunStatus.PENDING, RunStatus.RUNNING), created_at__gte=alive_since
        )
        .order_by("-created_at")
        .first()
    )


def readiness_report(*, run: ScanRun) -> dict[str, Any]:
    """The readiness report of interfaces.md §3 for a finished run, with the waivers in force now."""
    rules = run_rules(run=run)
    waivers = active_waivers(shop=run.shop)
    results = run_results(run=run)
    result_score = score(results, waivers.keys(), rules, resolved_issues(run=run))
    return build_report(
        results,
        result_score,
        shop=run.shop.code,
        promotion=run.promotion.code,
        rules=rules,
        waivers={
            fp: WaiverInfo(by=w.created_by.get_username(), reason=w.reason, at=w.created_at, expires=w.expires_at)
            for fp, w in waivers.items()
        },
        computed_at=run.finished_at or run.created_at,
    ) | {"run": run.pk}


# ---- a run's rules, results and counts ---------------------------------------------------------------------


def run_rules(*, run: ScanRun) -> RulePack:
    """The rule pack a run judges by: the one it started with, with the shop's overrides of that time, so every
    chunk (and every later re-score) judges alike."""
    return load_rule_pack(run.shop.platform, run.overrides)


def run_results(*, run: ScanRun) -> list[CheckResult]:
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


def stored_text(row: Mapping[str, Any], name: str) -> str:
    """A finding's message or remediation: the stored Chinese text, rebuilt as a Text (template and params kept)
    where the row has them (``Finding.message_args``)."""
    spec = (row.get("message_args") or {}).get(name)
    return Text.from_spec(spec) if spec else row[name]


def _issue_from_row(row: dict[str, Any]) -> Issue:
    return Issue(
        check=row["check_name"],
        rule=row["rule"],
        severity=row["severity"],
        message=stored_text(row, "message"),
        remediation=stored_text(row, "remediation"),
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


def run_counts(*, run: ScanRun) -> dict[str, int]:
    """Open (not waived) findings of a run by severity."""
    waived = active_waivers(shop=run.shop).keys()
    counts = dict.fromkeys(SEVERITY_RANK, 0)
    for severity, fingerprint in run.findings.values_list("severity", "fingerprint"):
        if fingerprint not in waived:
            counts[severity] += 1
    return counts


# ---- waivers -----------------------------------------------------------------------------------------------------


def resolved_issues(*, run: ScanRun, listing_id: str | None = None) -> list[Resolved]:
    """The errors and warnings found for the run's promotion by any scan and not found in this run (fixed, or
    their listing gone), for ``scoring.score``; ``listing_id`` narrows them to one listing (one query)."""
    qs = SeenIssue.objects.filter(promotion_id=run.promotion_id).exclude(
        fingerprint__in=Finding.objects.filter(run=run).values("fingerprint")
    )
    if listing_id is not None:
        qs = qs.filter(listing_id=listing_id)
    return [
        Resolved(check=row[0], severity=row[1], exposure_max=row[2], listing_id=row[3] or None)
        for row in qs.values_list("check_name", "severity", "exposure_max", "listing_id")
    ]


def active_waivers(*, shop: Shop, now: dt.datetime | None = None) -> dict[str, Waiver]:
    """Waivers in force for a shop: fingerprint → waiver (not lifted, not expired)."""
    waivers = Waiver.objects.filter(shop=shop).in_force(now).select_related("created_by")
    return {w.fingerprint: w for w in waivers}


# ---- a shop's rules and scanner options --------------------------------------------------------------------------


def shop_overrides(*, shop: Shop) -> dict[str, Any]:
    """The shop's rule-pack overrides (key → value), as a new scan run records them."""
    return dict(ShopRuleOverride.objects.filter(shop=shop).values_list("key", "value"))


def shop_scanner_options(*, shop: Shop) -> Any:
    """The scanner options of a shop: its platform and its own allowed and extra terms."""
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


# ---- import jobs -------------------------------------------------------------------------------------------------


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


# ---- listing pictures (docs/images.md) ---------------------------------------------------------------------------


def images_to_read(*, shop: Shop, listing_pks: Sequence[int] | None = None) -> list[int]:
    """Pictures of the shop's active listings that still need work: a URL not fetched yet (tried again on every
    scan), or contents that no ``ImageReading`` holds yet."""
    read = ImageReading.objects.filter(sha256=OuterRef("sha256"))
    qs = ListingImage.objects.filter(listing__shop=shop, listing__archived_at__isnull=True)
    if listing_pks is not None:
        qs = qs.filter(listing_id__in=list(listing_pks))
    qs = qs.filter((Q(sha256="") & ~Q(url="")) | (~Q(sha256="") & ~Exists(read)))
    return list(qs.order_by("pk").values_list("pk", flat=True))


def listing_pictures(*, listing_pks: Sequence[int]) -> dict[str, list[dict[str, Any]]]:
    """Listing id -> its pictures in order (bundle pictures, then uploads), each ``{"index", "kind", "text"}``
    with what OCR read (``ImageText.to_dict()``), or ``{"index", "kind", "reason"}`` when it was not read."""
    rows = list(
        ListingImage.objects.filter(listing_id__in=list(listing_pks))
        .order_by("listing_id", "source", "position")
        .values_list("listing__listing_id", "kind", "sha256", "fetch_error", "url")
    )
    readings = {
        sha: (text, error)
        for sha, text, error in ImageReading.objects.filter(sha256__in={r[2] for r in rows if r[2]}).values_list(
            "sha256", "text", "error"
        )
    }
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for listing_id, kind, sha, fetch_error, url in rows:
        pictures = out[listing_id]
        entry: dict[str, Any] = {"index": len(pictures), "kind": kind}
        if not sha:
            entry["reason"] = fetch_error or ("图片尚未抓取" if url else "图片文件缺失")
        elif sha not in readings:
            entry["reason"] = "图片尚未识别（识别任务未完成）"
        elif readings[sha][1]:
            entry["reason"] = readings[sha][1]
        else:
            entry["text"] = readings[sha][0]
        pictures.append(entry)
    return dict(out)
