"""Problem listings: listings whose quality refund rate is far above the rest of the shop's. Pure: scipy, no Django.

A raw ratio on a handful of orders means nothing (1 refund in 3 orders is 33%), so each listing with at least
``problem_min_orders`` paid orders is tested: a one-sided exact binomial test of its quality refunds against the
rate of the rest of the shop (the listing itself left out, so a big listing is not compared with itself). With
hundreds of listings some would pass by chance, so the p-values are corrected for the number tested
(Benjamini–Hochberg, ``scipy.stats.false_discovery_control``). A listing is a problem when the corrected value is
below ``problem_alpha`` and its rate is at least ``problem_min_ratio`` times the shop's (significant and large).
The Wilson interval of its rate is reported with it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from decimal import Decimal

import numpy as np
from scipy import stats

from readiness.aftersales.metrics import AfterSalesFacts, ListingQuality, PageFinding
from readiness.checks.results import msg
from readiness.rulepacks import RulePack


@dataclasses.dataclass(frozen=True, slots=True)
class ProblemListing:
    listing_id: str
    paid_orders: int
    quality_orders: int
    rate: float
    shop_rate: float
    baseline: float  # the rest of the shop's rate, tested against
    p_value: float
    q_value: float  # after Benjamini–Hochberg
    wilson_low: float
    wilson_high: float
    top_reasons: Sequence[str]
    description_share: float  # share of its requests with a 描述不符 reason
    quality_amount: Decimal
    page_findings: Sequence[PageFinding] = ()

    @property
    def ratio(self) -> float | None:
        return self.rate / self.shop_rate if self.shop_rate else None

    description_top: bool = False  # 描述不符 is among its top reasons

    @property
    def page_is_suspect(self) -> bool:
        """描述不符 is among its top reasons: the page itself may be the problem."""
        return self.description_top

    def to_dict(self) -> dict[str, object]:
        return {
            "listing_id": self.listing_id,
            "paid_orders": self.paid_orders,
            "quality_refund_rate": self.rate,
            "top_reasons": list(self.top_reasons),
            "quality_orders": self.quality_orders,
            "shop_rate": self.shop_rate,
            "p_value": self.p_value,
            "q_value": self.q_value,
            "wilson_interval": [self.wilson_low, self.wilson_high],
            "page_findings": [
                {"rule": f.rule, "field": f.field, "text": f.text, "related_text": f.related_text}
                for f in self.page_findings
            ],
        }


def problem_listings(facts: AfterSalesFacts, rules: RulePack) -> list[ProblemListing]:
    """The problem listings of a shop, most significant first (at most ``problem_max_listed``)."""
    shop_orders = facts.counts.paid_orders
    shop_quality = facts.counts.quality_orders
    if shop_orders <= 0:
        return []
    shop_rate = shop_quality / shop_orders
    min_orders = rules.integer("after_sales.problem_min_orders")
    tested: list[tuple[ListingQuality, float, float]] = []
    for item in facts.listings:
        n = item.paid_orders
        if n is None or n < min_orders:
            continue
        k = min(item.quality_orders, n)
        rest_orders = shop_orders - n
        baseline = (shop_quality - k) / rest_orders if rest_orders > 0 else shop_rate
        baseline = min(max(baseline, 0.0), 1.0)
        p_value = float(stats.binomtest(k, n, baseline, alternative="greater").pvalue) if k else 1.0
        tested.append((item, baseline, p_value))
    if not tested:
        return []
    q_values = stats.false_discovery_control(np.array([p for _i, _b, p in tested]), method="bh")
    alpha = rules.number("after_sales.problem_alpha")
    min_ratio = rules.number("after_sales.problem_min_ratio")
    description = set(rules.texts("after_sales.description_reasons"))
    found = []
    for (item, baseline, p_value), q_value in zip(tested, q_values, strict=True):
        n = int(item.paid_orders or 0)
        k = min(item.quality_orders, n)
        rate = k / n
        if not (q_value < alpha and rate >= min_ratio * shop_rate and k > 0):
            continue
        interval = stats.binomtest(k, n).proportion_ci(confidence_level=1 - alpha, method="wilson")
        total = sum(count for _reason, count in item.reasons)
        described = sum(count for reason, count in item.reasons if reason in description)
        found.append(
            ProblemListing(
                listing_id=item.listing_id,
                paid_orders=n,
                quality_orders=k,
                rate=rate,
                shop_rate=shop_rate,
                baseline=baseline,
                p_value=p_value,
                q_value=float(q_value),
                wilson_low=float(interval.low),
                wilson_high=float(interval.high),
                top_reasons=item.top_reasons(),
                description_share=described / total if total else 0.0,
                quality_amount=item.quality_amount,
                page_findings=tuple(_page_findings(facts.page_findings, item.listing_id)),
                description_top=any(reason in description for reason in item.top_reasons()),
            )
        )
    found.sort(key=lambda p: (p.q_value, -p.rate, p.listing_id))
    return found[: rules.integer("after_sales.problem_max_listed")]


def _page_findings(findings: Mapping[str, Sequence[PageFinding]], listing_id: str) -> Sequence[PageFinding]:
    return findings.get(listing_id, ())


FIELD_LABELS = {"title": msg("标题"), "subtitle": msg("副标题"), "description": msg("详情描述")}


def field_label(field: str) -> str:
    """Where on the page: 标题, 规格表（净含量）, SKU 名称 … (a Text: the web pages show it in their language)."""
    if field.startswith("specs."):
        return msg("规格表（%(name)s）", name=field[6:])
    if field.startswith("skus["):
        return msg("SKU 名称")
    if field.startswith("images["):
        return msg("图片文字")
    return FIELD_LABELS.get(field, field)


def finding_summary(finding: PageFinding) -> str:
    """One finding in a sentence: 页面规格表（净含量）500g 与标题 1kg 不一致, or the finding's own words."""
    if finding.category == "spec_mismatch" and finding.related_text:
        other = field_label(finding.related_field) if finding.related_field else msg("页面其他位置")
        return msg(
            "页面%(field)s %(text)s 与%(other)s %(related)s 不一致",
            field=field_label(finding.field),
            text=finding.text,
            other=other,
            related=finding.related_text,
        )
    if finding.text:
        return msg(
            "页面%(field)s“%(text)s”：%(message)s",
            field=field_label(finding.field),
            text=finding.text,
            message=finding.message,
        )
    return finding.message
