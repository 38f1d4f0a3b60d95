"""Page text: two checks that are the scanners' findings and nothing more, told apart by category only.

- ``listing_text``: wording. Categories ``extreme_wording`` (广告法 第九条(三)), ``medical_claim`` (第十七条;
  food: 食品安全法 第七十三条), ``review_inducement`` and ``price_claim`` (and any category the scanners add later
  that no other check claims, see ``text_findings.CATEGORY_CHECK``).
- ``spec_consistency``: the ``spec_mismatch`` findings. The same quantity in the spec table, title, description
  and SKU names must agree (units, multipacks, gross ≥ net); each issue keeps both sides (``related``).

Each issue keeps the highlight (field, span, text, citation, suggestion), is owned by the listing editor, is due
when pages go public (presale start, else sale start) and shows the category's fine range from the rule pack as
its exposure.
"""

from __future__ import annotations

from collections.abc import Callable

from readiness.checks.phases import page_deadline
from readiness.checks.results import LISTING_EDITOR, CheckContext, CheckResult
from readiness.checks.text_findings import text_issues


def text_check(name: str) -> Callable[[CheckContext], CheckResult]:
    """The check ``name``: the scanner findings routed to it, for every listing of the context."""

    def check(ctx: CheckContext) -> CheckResult:
        issues = text_issues(ctx, name, owner=LISTING_EDITOR, deadline=page_deadline(ctx.promotion))
        return CheckResult(
            check=name,
            issues=tuple(issues),
            examined=len(ctx.listings),
            listing_ids=tuple(listing.id for listing in ctx.listings),
        )

    check.__name__ = check.__qualname__ = name
    check.__doc__ = f"The {name} check: the scanner findings routed to it, for every listing."
    return check


listing_text = text_check("listing_text")
spec_consistency = text_check("spec_consistency")
