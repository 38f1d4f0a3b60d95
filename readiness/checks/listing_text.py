"""Listing text: the scanners' wording findings as issues.

Categories ``extreme_wording`` (广告法 第九条(三)), ``medical_claim`` (第十七条; food: 食品安全法 第七十三条),
``review_inducement`` and ``price_claim`` (and any category the scanners add later that no other check
claims). Each issue keeps the highlight (field, span, text, citation, suggestion), is owned by the listing
editor, is due when pages go public (presale start, else sale start) and shows the category's fine range
from the rule pack as its exposure.
"""

from __future__ import annotations

from readiness.checks.phases import page_deadline
from readiness.checks.results import LISTING_EDITOR, CheckContext, CheckResult
from readiness.checks.text_findings import text_issues

NAME = "listing_text"


def check(ctx: CheckContext) -> CheckResult:
    """Wording findings of every listing."""
    issues = text_issues(ctx, NAME, owner=LISTING_EDITOR, deadline=page_deadline(ctx.promotion))
    return CheckResult(
        check=NAME,
        issues=tuple(issues),
        examined=len(ctx.listings),
        listing_ids=tuple(listing.id for listing in ctx.listings),
    )
