"""Reads the API needs beyond ``readiness.selectors``: querysets with their joins and annotations, each a
constant number of queries whatever the size of the shop (the views paginate them)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery, Value

from readiness import selectors
from readiness.api.permissions import role_subquery
from readiness.checks import SEVERITY_RANK
from readiness.models import (
    Finding,
    ImportJob,
    Listing,
    Promotion,
    ScanRun,
    Shop,
    Waiver,
    severity_rank,
)


def shops_with_role(*, user: Any) -> QuerySet[Shop]:
    """The user's shops (``selectors.shops_for_user``) with the user's role on each."""
    return selectors.shops_for_user(user=user).annotate(role=role_subquery(user)).order_by("code")


def _latest_complete_runs() -> QuerySet[ScanRun]:
    return ScanRun.objects.filter(promotion=OuterRef("pk")).complete().latest_first()


def promotions_of(*, shop: Shop) -> QuerySet[Promotion]:
    """A shop's promotions, newest sale first, each with its latest complete run's id, score and grade."""
    latest = _latest_complete_runs()
    return (
        Promotion.objects.filter(shop=shop)
        .select_related("shop")
        .annotate(
            latest_run_id=Subquery(latest.values("pk")[:1]),
            latest_score=Subquery(latest.values("score")[:1]),
            latest_grade=Subquery(latest.values("grade")[:1]),
            latest_finished_at=Subquery(latest.values("finished_at")[:1]),
        )
        .order_by("-sale_start", "code")
    )


def runs_of(*, promotion: Promotion) -> QuerySet[ScanRun]:
    """A promotion's scan history, newest first."""
    return ScanRun.objects.filter(promotion=promotion).order_by("-created_at", "-pk")


def finding_totals(run_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Findings per severity for each run (waived or not): one query for a page of runs."""
    totals: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(SEVERITY_RANK, 0))
    rows = (
        Finding.objects.filter(run_id__in=list(run_ids))
        .order_by()
        .values_list("run_id", "severity")
        .annotate(n=Count("id"))
    )
    for run_id, severity, n in rows:
        totals[run_id][severity] = n
    return totals


def _findings(shop_id: int, promotion_code: str | None = None) -> QuerySet[Finding]:
    # Selected: the listing's own id (not the whole row: a description can be 100k characters) and the promotion's
    # code. Aliased (usable in filter and order_by, not selected): whether a waiver is in force for the finding's
    # fingerprint, so that status is filtered and counted in the database, and a rank that puts errors first.
    # The listing's id is a subquery rather than a join: PostgreSQL evaluates it for the rows of the page only,
    # after sorting and limiting, where a join would be made for every finding of the run first.
    promotion = Value(promotion_code) if promotion_code is not None else F("run__promotion__code")
    listing_code = Subquery(Listing.objects.filter(pk=OuterRef("listing_id")).order_by().values("listing_id")[:1])
    waived = Exists(Waiver.objects.in_force().filter(shop_id=shop_id, fingerprint=OuterRef("fingerprint")))
    return Finding.objects.annotate(listing_code=listing_code, promotion_code=promotion, waived=waived).alias(
        severity_rank=severity_rank()
    )


def run_findings(*, run_id: int | None, shop_id: int, promotion_code: str) -> QuerySet[Finding]:
    """The findings of one run (none when there is no run yet), for filtering and paginating."""
    findings = _findings(shop_id, promotion_code).order_by("pk")
    return findings.filter(run_id=run_id) if run_id is not None else findings.none()


def listing_findings(*, listing: Listing) -> QuerySet[Finding]:
    """A listing's current findings: those of the latest complete run of each of its shop's promotions."""
    latest_runs = Promotion.objects.filter(shop_id=listing.shop_id).annotate(
        run_id=Subquery(_latest_complete_runs().values("pk")[:1])
    )
    return (
        _findings(listing.shop_id)
        .filter(listing=listing, run_id__in=latest_runs.values("run_id"))
        .order_by("run__promotion__code", "check_name", "field", "start", "pk")
    )


def waivers_of(*, shop_id: int, findings: Iterable[Finding]) -> dict[str, Waiver]:
    """The waivers in force for these findings (annotated ``waived``): at most one query for a page of them."""
    fingerprints = {f.fingerprint for f in findings if f.waived}  # type: ignore[attr-defined]
    if not fingerprints:
        return {}
    waivers = Waiver.objects.in_force().filter(shop_id=shop_id, fingerprint__in=fingerprints)
    return {w.fingerprint: w for w in waivers.select_related("created_by")}


def _waivers() -> QuerySet[Waiver]:
    return Waiver.objects.select_related("created_by", "lifted_by", "listing").with_in_force("active")


def shop_waivers(*, shop: Shop) -> QuerySet[Waiver]:
    """Every waiver of a shop, lifted ones included (the audit trail), newest first."""
    return _waivers().filter(shop=shop).order_by("-created_at", "-pk")


def waiver_record(*, pk: int) -> Waiver:
    """One waiver as the audit trail shows it."""
    return _waivers().get(pk=pk)


def unlifted_waiver(*, finding: Finding) -> Waiver | None:
    """The waiver of a finding that has not been lifted (an expired one too: lifting it records who ended it)."""
    return (
        Waiver.objects.filter(shop_id=finding.run.shop_id, fingerprint=finding.fingerprint, lifted_at__isnull=True)
        .select_related("shop", "created_by")
        .first()
    )


def listing_of(*, shop: Shop, listing_id: str) -> Listing | None:
    return Listing.objects.filter(shop=shop, listing_id=listing_id).prefetch_related("skus").first()


def finding_by_id(*, pk: int) -> Finding | None:
    return (
        Finding.objects.select_related("run__shop", "run__promotion", "listing")
        .annotate(listing_code=F("listing__listing_id"), promotion_code=F("run__promotion__code"))
        .filter(pk=pk)
        .first()
    )


def job_by_id(*, pk: int) -> ImportJob | None:
    return ImportJob.objects.select_related("shop", "promotion").defer("payload").filter(pk=pk).first()
