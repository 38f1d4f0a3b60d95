"""Stock coverage per SKU.

coverage = (on hand + inbound arriving before sale_start) / (forecast units + safety stock)

fail below ``stock.fail_below`` (0.9), warn below ``stock.warn_below`` (1.0), warn (overstock) above
``stock.overstock_above`` (2.0). Inbound that arrives at or after sale_start does not count: it cannot be
sold in the sale. Safety stock a SKU does not give is ``stock.safety_stock_share`` of its forecast.

A listing whose SKUs have no forecast (nor safety stock) cannot be judged: that is reported (info
``stock.no_forecast``, owner operations), not skipped in silence — a spreadsheet often arrives without one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from readiness.checks.exposure import money_text, stockout_compensation
from readiness.checks.phases import iso, stock_deadline
from readiness.checks.results import (
    OPERATIONS,
    WAREHOUSE,
    CheckContext,
    CheckResult,
    Issue,
    SeverityName,
    TextList,
    msg,
)
from readiness.imports.bundle import ListingData, SkuData

NAME = "stock"


def safety_stock(sku: SkuData, share: float) -> tuple[int, bool]:
    """(safety stock, derived?) — the SKU's own figure, or a share of its forecast rounded up."""
    if sku.safety_stock is not None:
        return sku.safety_stock, False
    return math.ceil(sku.forecast_units * Fraction(str(share))), True


def check(ctx: CheckContext) -> CheckResult:
    """Coverage of every SKU against its forecast plus safety stock."""
    issues: list[Issue] = []
    examined = 0
    rules = ctx.rules
    # Thresholds read once per check, as exact fractions (coverage exactly 0.9 is not below 0.9).
    limits = _Limits(
        fail_below=Fraction(str(rules.number("stock.fail_below"))),
        warn_below=Fraction(str(rules.number("stock.warn_below"))),
        overstock_above=Fraction(str(rules.number("stock.overstock_above"))),
        safety_share=rules.number("stock.safety_stock_share"),
    )
    for listing in ctx.listings:
        unjudged = []
        for sku in listing.skus:
            examined += 1
            if _demand(sku, limits) == 0:
                unjudged.append(sku)
                continue
            issue = _sku_issue(ctx, listing, sku, limits)
            if issue is not None:
                issues.append(issue)
        if unjudged:
            issues.append(_no_forecast(ctx, listing, unjudged))
    return CheckResult(
        check=NAME,
        issues=tuple(issues),
        examined=examined,
        listing_ids=tuple(listing.id for listing in ctx.listings),
    )


@dataclass(frozen=True, slots=True)
class _Limits:
    fail_below: Fraction
    warn_below: Fraction
    overstock_above: Fraction
    safety_share: float


def _below(available: int, demand: int, limit: Fraction) -> bool:
    """available / demand < limit, in integers (no Fraction per SKU on the common path)."""
    return available * limit.denominator < limit.numerator * demand


def _demand(sku: SkuData, limits: _Limits) -> int:
    return sku.forecast_units + safety_stock(sku, limits.safety_share)[0]


def _no_forecast(ctx: CheckContext, listing: ListingData, skus: list[SkuData]) -> Issue:
    """The SKUs of a listing that have nothing forecast: their stock is not judged, and the report says so."""
    codes = [sku.code for sku in skus]
    every = len(skus) == len(listing.skus)
    what = msg("商品没有销量预测") if every else msg("SKU %(codes)s 没有销量预测", codes=TextList(codes))
    return Issue(
        check=NAME,
        rule="stock.no_forecast",
        severity="info",
        message=msg(
            "无销量预测：%(what)s，库存未评估（现有库存 %(stock)s 件）。",
            what=what,
            stock=sum(sku.stock for sku in skus),
        ),
        remediation=msg("填写活动预测销量（件），以便判断库存是否够卖；确实不参加活动的商品可忽略此提示。"),
        owner=OPERATIONS,
        evidence={"skus": codes, "on_hand": {sku.code: sku.stock for sku in skus}},
        deadline=stock_deadline(ctx.promotion, ctx.rules),
        listing_id=listing.id,
        sku=codes[0] if len(codes) == 1 else None,
        field="skus[].forecast_units",
    )


def _sku_issue(ctx: CheckContext, listing: ListingData, sku: SkuData, limits: _Limits) -> Issue | None:
    rules = ctx.rules
    sale_start = ctx.promotion.sale_start
    counted = sum(item.units for item in sku.inbound if item.arrives < sale_start)
    safety, derived = safety_stock(sku, limits.safety_share)
    demand = sku.forecast_units + safety
    if demand == 0:
        return None  # nothing forecast: nothing to cover
    available = sku.stock + counted
    fail_below, warn_below, overstock_above = limits.fail_below, limits.warn_below, limits.overstock_above
    low = _below(available, demand, warn_below)
    high = available * overstock_above.denominator > overstock_above.numerator * demand
    if not low and not high:
        return None  # covered: the common case, decided without building any evidence
    late = [item for item in sku.inbound if item.arrives >= sale_start]
    coverage = Fraction(available, demand)

    evidence: dict[str, Any] = {
        "coverage": round(float(coverage), 3),
        "on_hand": sku.stock,
        "inbound_counted": counted,
        "forecast_units": sku.forecast_units,
        "safety_stock": safety,
        "safety_stock_derived": derived,
        "required": demand,
        "fail_below": float(fail_below),
        "warn_below": float(warn_below),
    }
    if late:
        evidence["inbound_after_sale_start"] = [
            {"units": item.units, "arrives": iso(item.arrives)} for item in sorted(late, key=lambda i: i.arrives)
        ]
    late_note = ""
    if late:
        late_units = sum(item.units for item in late)
        late_note = msg("（另有 %(late_units)s 件在途库存在开售后才到货，不计入）", late_units=late_units)

    if coverage < warn_below:
        severity: SeverityName = "error" if coverage < fail_below else "warning"
        short_min = max(0, sku.forecast_units - available)
        short_max = max(0, demand - available)
        per_order = stockout_compensation(sku.price, rules)
        evidence |= {
            "shortfall_units": short_max,
            "compensation_per_order": money_text(per_order),
        }
        return Issue(
            check=NAME,
            rule="stock.coverage_low" if severity == "error" else "stock.coverage_tight",
            severity=severity,
            message=(
                msg(
                    "SKU %(code)s 库存覆盖率 %(coverage)s：可售 %(available)s 件（现货 %(stock)s + 开售前到货 %(counted)s），需求 %(demand)s 件（预测 %(forecast_units)s + 安全库存 %(safety)s）%(late_note)s。",
                    code=sku.code,
                    coverage=format(float(coverage), ".2f"),
                    available=available,
                    stock=sku.stock,
                    counted=counted,
                    demand=demand,
                    forecast_units=sku.forecast_units,
                    safety=safety,
                    late_note=late_note,
                )
            ),
            remediation=(
                msg(
                    "补货至少 %(short_max)s 件，并确保在开售前 %(stock_days_before_sale)s 天入库；无法补足时下调活动备货预测或限购，避免超卖缺货赔付。",
                    short_max=short_max,
                    stock_days_before_sale=rules.integer("deadlines.stock_days_before_sale"),
                )
            ),
            owner=WAREHOUSE,
            evidence=evidence,
            deadline=stock_deadline(ctx.promotion, rules),
            exposure_min=per_order * short_min if short_max else None,
            exposure_max=per_order * short_max if short_max else None,
            listing_id=listing.id,
            sku=sku.code,
        )
    if coverage > overstock_above:
        evidence["overstock_above"] = float(overstock_above)
        return Issue(
            check=NAME,
            rule="stock.overstock",
            severity="warning",
            message=(
                msg(
                    "SKU %(code)s 库存覆盖率 %(coverage)s，超过 %(overstock_above)s 倍需求：可售 %(available)s 件，需求 %(demand)s 件，活动后可能积压。",
                    code=sku.code,
                    coverage=format(float(coverage), ".2f"),
                    overstock_above=format(float(overstock_above), "g"),
                    available=available,
                    demand=demand,
                )
            ),
            remediation=msg("核对销量预测；确属备货过多时调拨或暂停在途补货，释放资金和库容。"),
            owner=OPERATIONS,
            evidence=evidence,
            deadline=stock_deadline(ctx.promotion, rules),
            listing_id=listing.id,
            sku=sku.code,
        )
    return None
