"""Scanner findings → check issues.

The scanners run elsewhere (``readiness.scanning``); a check receives their findings through the context and
turns the ones of its categories into issues, keeping the highlight (field, span, text, citation,
suggestion, related side) so an editor sees exactly what to change.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

from readiness.checks.exposure import fine_range
from readiness.checks.results import CheckContext, Issue, Text, msg
from readiness.imports.bundle import ListingData
from scanners.findings import Finding

# Which check reports which scanner category. A category added to the scanners later lands in listing_text
# until it is routed explicitly, so no finding is ever dropped.
CATEGORY_CHECK: Mapping[str, str] = {
    "extreme_wording": "listing_text",
    "medical_claim": "listing_text",
    "review_inducement": "listing_text",
    "price_claim": "listing_text",
    "spec_mismatch": "spec_consistency",
    "presale_label": "presale_label",
    "gift_disclosure": "gifts",
}
FALLBACK_CHECK = "listing_text"

# What to do, per category (the scanner's suggestion, when it has one, is added).
REMEDIATION: Mapping[str, Text] = {
    "extreme_wording": msg(
        "删除或替换该绝对化用语（国家级、最高级、最佳等）；如属可证明的限定时间/地域表述，请保留证据。"
    ),
    "medical_claim": msg("删除疾病预防、治疗或保健功效宣称；普通食品和日用品不得宣传医疗功效。"),
    "review_inducement": msg("删除以返现、红包、优惠券等利益诱导好评或晒图评价的内容。"),
    "price_claim": msg("删除无法证明的价格比较用语（如“史上最低价”“全网最低价”），或改为可核验的价格说明。"),
    "spec_mismatch": msg("统一标题、描述、规格参数和 SKU 名称中的数量与单位，以实际商品为准。"),
    "presale_label": msg(
        "在标题或预售标签中标明“预售”和明确的发货时间（具体日期或“付尾款后N天内发货”），删除含糊的发货承诺和“现货”字样。"
    ),
    "gift_disclosure": msg("在详情页写明赠品的名称、规格、数量、赠送期间和赠送方式。"),
    "image_unreadable": msg("该图片未能识别文字：换用不超过大小上限、可公开访问的图片，或人工核对图中文案。"),
}
DEFAULT_REMEDIATION = msg("按提示修改页面文案。")

_SKU_FIELD = re.compile(r"^skus\[(\d+)\]")


def check_for_category(category: str) -> str:
    """The check that reports a scanner category."""
    return CATEGORY_CHECK.get(category, FALLBACK_CHECK)


def findings_for(ctx: CheckContext, check: str) -> Iterator[tuple[str, Finding]]:
    """(listing id, finding) for every scanner finding routed to ``check``, in a stable order.

    Only listings of the context count: a chunk of listings given every finding of the shop reports its own.
    """
    present = {listing.id for listing in ctx.listings}
    for listing_id in sorted(ctx.findings_by_listing):
        if listing_id not in present:
            continue
        findings = sorted(ctx.findings_by_listing[listing_id], key=lambda f: f.sort_key())
        for finding in findings:
            if check_for_category(str(finding.category)) == check:
                yield finding.listing_id or listing_id, finding


def sku_for_field(listing: ListingData | None, field_name: str) -> str | None:
    """The SKU code a ``skus[<i>].name`` field points at (None for other fields)."""
    match = _SKU_FIELD.match(field_name)
    if listing is None or match is None:
        return None
    index = int(match.group(1))
    return listing.skus[index].code if index < len(listing.skus) else None


def issue_from_finding(
    ctx: CheckContext,
    *,
    check: str,
    listing_id: str,
    finding: Finding,
    owner: str,
    deadline: dt.datetime | None,
    listing: ListingData | None = None,
) -> Issue:
    """An issue that keeps the finding's highlight; exposure is the category's fine range (errors and
    warnings only: an info is a note, not a breach)."""
    category = str(finding.category)
    severity = str(finding.severity)
    exposure_min, exposure_max = (None, None)
    if severity in ("error", "warning"):
        exposure_min, exposure_max = fine_range(ctx.rules, category)
    basis = ctx.rules.legal(category)
    citation = finding.citation or (basis.citation if basis else "")
    remediation: Text = REMEDIATION.get(category, DEFAULT_REMEDIATION)
    if finding.suggestion:  # the replacement wording is Chinese for a Chinese page: data, never translated
        remediation = msg(
            "%(remediation)s 建议改为：%(suggestion)s", remediation=remediation, suggestion=finding.suggestion
        )
    related: dict[str, Any] | None = finding.related.to_dict() if finding.related is not None else None
    evidence: dict[str, Any] = {
        "scanner_rule": finding.rule,
        "field": finding.field,
        "span": [finding.start, finding.end],
        "text": finding.text,
    }
    if related is not None:
        evidence["related"] = related
    if finding.image_text is not None:  # a finding in a picture: where in it, and what was read there
        evidence["box"] = list(finding.box) if finding.box is not None else None
        evidence["image_text"] = finding.image_text
        remediation = msg("请重做该图片（%(field)s）。%(remediation)s", field=finding.field, remediation=remediation)
    if exposure_max is not None and basis is not None:
        evidence["penalty"] = basis.penalty
    return Issue(
        check=check,
        rule=finding.rule,
        severity=severity,  # type: ignore[arg-type]  # scanner severities are the same three names
        message=finding.message,
        remediation=remediation,
        owner=owner,
        evidence=evidence,
        deadline=deadline,
        exposure_min=exposure_min,
        exposure_max=exposure_max,
        listing_id=listing_id,
        sku=sku_for_field(listing, finding.field),
        field=finding.field,
        start=finding.start,
        end=finding.end,
        text=finding.text,
        citation=citation,
        suggestion=finding.suggestion,
        category=category,
        related=related,
    )


def text_issues(ctx: CheckContext, check: str, *, owner: str, deadline: dt.datetime | None) -> list[Issue]:
    """Every finding routed to ``check`` as an issue."""
    listings = {listing.id: listing for listing in ctx.listings}
    return [
        issue_from_finding(
            ctx,
            check=check,
            listing_id=listing_id,
            finding=finding,
            owner=owner,
            deadline=deadline,
            listing=listings.get(listing_id),
        )
        for listing_id, finding in findings_for(ctx, check)
    ]
