"""Spec consistency: the scanner's ``spec_mismatch`` findings as issues.

The same quantity in the spec table, title, description and SKU names must agree (units, multipacks, gross ≥
net). Each issue keeps both sides: the highlighted span and ``related`` (the other field and its text).
"""

from __future__ import annotations

from readiness.checks.phases import page_deadline
from readiness.checks.results import LISTING_EDITOR, CheckContext, CheckResult
from readiness.checks.text_findings import text_issues

NAME = "spec_consistency"


def check(ctx: CheckContext) -> CheckResult:
    """Spec-mismatch findings of every listing."""
    issues = text_issues(ctx, NAME, owner=LISTING_EDITOR, deadline=page_deadline(ctx.promotion))
    return CheckResult(
        check=NAME,
        issues=tuple(issues),
        examined=len(ctx.listings),
        listing_ids=tuple(listing.id for listing in ctx.listings),
    )
