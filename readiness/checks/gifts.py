"""Gift description on the page (广告法 第八条: kind, spec, quantity, period and method of a gift).

Data rules: a gift the shop says is not described (``described_on_page`` false) is an error; one it says is
described must at least be named on the page (title, subtitle or description), or it is an error too; a
named gift whose sentence lacks quantity or spec, or a page without period or method, is a warning. The
element patterns are rule-pack data (``gifts.*_pattern``).

Scanner findings of category ``gift_disclosure`` (vague "下单送好礼" wording) are added with their highlight.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from readiness.checks.exposure import fine_range
from readiness.checks.phases import page_deadline
from readiness.checks.results import LISTING_EDITOR, CheckContext, CheckResult, Issue, TextList, msg
from readiness.checks.text_findings import text_issues
from readiness.imports.bundle import GiftData, ListingData

NAME = "gifts"
_SENTENCE_END = re.compile(r"[。！!？?；;\n]")
ELEMENT_NAMES = {"quantity": msg("数量"), "spec": msg("规格"), "period": msg("赠送期间"), "method": msg("赠送方式")}


def page_text(listing: ListingData) -> str:
    """What a buyer reads: title, subtitle and description."""
    return "\n".join((listing.title, listing.subtitle, listing.description))


def gift_mentions(text: str, name: str) -> Iterator[str]:
    """The sentences of ``text`` that name the gift: its full name, or failing that its head noun (the last
    two or more characters, e.g. 茶则 for 竹制茶则) in a sentence that offers something (送/赠)."""
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    compact = name.replace(" ", "")
    found = [s for s in sentences if compact in s.replace(" ", "")]
    if found:
        yield from found
        return
    for size in range(len(compact) - 1, 1, -1):
        head = compact[-size:]
        hits = [s for s in sentences if head in s and ("送" in s or "赠" in s)]
        if hits:
            yield from hits
            return


def missing_elements(ctx: CheckContext, listing: ListingData, gift: GiftData) -> list[str] | None:
    """The elements the page does not state for a gift (keys of ELEMENT_NAMES); None if the gift is not
    named at all."""
    text = page_text(listing)
    sentences = list(gift_mentions(text, gift.name))
    if not sentences:
        return None
    rules = ctx.rules
    around = "".join(sentences)
    missing = []
    if not re.search(rules.text("gifts.quantity_pattern"), around):
        missing.append("quantity")
    if not re.search(rules.text("gifts.spec_pattern"), around, flags=re.IGNORECASE):
        missing.append("spec")
    if not re.search(rules.text("gifts.period_pattern"), text):
        missing.append("period")
    if not re.search(rules.text("gifts.method_pattern"), text):
        missing.append("method")
    return missing


def check(ctx: CheckContext) -> CheckResult:
    """Each gift must be described on the page; plus the scanner's gift_disclosure findings."""
    deadline = page_deadline(ctx.promotion)
    fine_min, fine_max = fine_range(ctx.rules, "gift_disclosure")
    basis = ctx.rules.legal("gift_disclosure")
    citation = basis.citation if basis else ""
    issues: list[Issue] = []
    examined = 0
    for listing in ctx.listings:
        for index, gift in enumerate(listing.gifts):
            examined += 1
            common: dict[str, Any] = {
                "check": NAME,
                "owner": LISTING_EDITOR,
                "deadline": deadline,
                "listing_id": listing.id,
                "sku": gift.sku_code,
                "field": f"gifts[{index}]",
                "text": gift.name,
                "citation": citation,
                "category": "gift_disclosure",
            }
            if not gift.described_on_page:
                issues.append(
                    Issue(
                        rule="gifts.not_described",
                        severity="error",
                        message=msg("赠品「%(name)s」未在页面说明（店铺标记为未描述）。", name=gift.name),
                        remediation=_remediation(gift),
                        evidence={"gift": gift.name, "described_on_page": False},
                        exposure_min=fine_min,
                        exposure_max=fine_max,
                        **common,
                    )
                )
                continue
            missing = missing_elements(ctx, listing, gift)
            if missing is None:
                issues.append(
                    Issue(
                        rule="gifts.not_named_on_page",
                        severity="error",
                        message=msg(
                            "赠品「%(name)s」标记为已在页面说明，但标题、副标题和详情中都没有写出赠品名称。",
                            name=gift.name,
                        ),
                        remediation=_remediation(gift),
                        evidence={"gift": gift.name, "described_on_page": True, "named_on_page": False},
                        exposure_min=fine_min,
                        exposure_max=fine_max,
                        **common,
                    )
                )
            elif missing:
                names = TextList(ELEMENT_NAMES[m] for m in missing)
                issues.append(
                    Issue(
                        rule="gifts.description_incomplete",
                        severity="warning",
                        message=msg("赠品「%(name)s」的页面说明缺少：%(names)s。", name=gift.name, names=names),
                        remediation=_remediation(gift),
                        evidence={"gift": gift.name, "missing": missing},
                        exposure_min=fine_min,
                        exposure_max=fine_max,
                        **common,
                    )
                )
    issues.extend(text_issues(ctx, NAME, owner=LISTING_EDITOR, deadline=deadline))
    return CheckResult(
        check=NAME,
        issues=tuple(issues),
        examined=examined,
        listing_ids=tuple(listing.id for listing in ctx.listings if listing.gifts),
    )


def _remediation(gift: GiftData) -> str:
    return msg(
        "在详情页写明赠品「%(name)s」的名称、规格、数量、赠送期间和赠送方式，例如“活动期间每笔订单随单赠送××1个（约××cm），送完即止”。",
        name=gift.name,
    )
