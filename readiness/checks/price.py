"""Price: reference prices and raises before the sale (《明码标价和禁止价格欺诈规定》).

- A struck-through / 原价 reference price (``list_price``) without a stated basis may not exceed the lowest
  price of the ``price.reference_lookback_days`` (7) days before sale_start. With a basis (e.g.
  厂商建议零售价) it is the basis that must hold, which the data cannot check.
- A price raised by more than ``price.raise_tolerance`` inside ``price.raise_lookback_days`` before the sale,
  when the sale price is below the raised level (the "discount" is measured from the raise), is an error.
A reference price without basis and without any history in the window cannot be verified: a warning.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from readiness.checks.exposure import fine_range, money_text
from readiness.checks.phases import local_date, page_deadline
from readiness.checks.results import OPERATIONS, CheckContext, CheckResult, Issue, msg
from readiness.imports.bundle import ListingData, PricePointData, SkuData

NAME = "price"


def window(history: list[PricePointData], sale_day: dt.date, days: int) -> list[PricePointData]:
    """Price points of the ``days`` days before ``sale_day`` (not the sale day itself), oldest first."""
    first = sale_day - dt.timedelta(days=days)
    return sorted((p for p in history if first <= p.date < sale_day), key=lambda p: p.date)


def largest_raise(points: list[PricePointData]) -> tuple[PricePointData, PricePointData, Decimal] | None:
    """(low point, later high point, raise as a share) with the largest raise over an earlier price."""
    best = None
    lowest: PricePointData | None = None
    for point in points:
        if lowest is not None and lowest.lowest_price > 0:
            share = point.lowest_price / lowest.lowest_price - 1
            if share > 0 and (best is None or share > best[2]):
                best = (lowest, point, share)
        if lowest is None or point.lowest_price < lowest.lowest_price:
            lowest = point
    return best


def check(ctx: CheckContext) -> CheckResult:
    """Reference price and price raises of every SKU."""
    issues: list[Issue] = []
    examined = 0
    for listing in ctx.listings:
        for sku in listing.skus:
            examined += 1
            issues.extend(_sku_issues(ctx, listing, sku))
    return CheckResult(
        check=NAME,
        issues=tuple(issues),
        examined=examined,
        listing_ids=tuple(listing.id for listing in ctx.listings),
    )


def _sku_issues(ctx: CheckContext, listing: ListingData, sku: SkuData) -> list[Issue]:
    rules = ctx.rules
    sale_day = local_date(ctx.promotion.sale_start)
    basis = rules.legal("reference_price")
    fine_min, fine_max = fine_range(rules, "reference_price")
    common: dict[str, Any] = {
        "check": NAME,
        "owner": OPERATIONS,
        "deadline": page_deadline(ctx.promotion),
        "listing_id": listing.id,
        "sku": sku.code,
        "citation": basis.citation if basis else "",
        "category": "price_claim",
    }
    issues = []
    days = rules.integer("price.reference_lookback_days")
    recent = window(list(sku.price_history), sale_day, days)
    has_basis = bool(sku.list_price_basis and sku.list_price_basis.strip())
    if sku.list_price is not None and sku.list_price > sku.price and not has_basis:
        if not recent:
            issues.append(
                Issue(
                    rule="price.reference_unverifiable",
                    severity="warning",
                    message=(
                        msg(
                            "SKU %(code)s 划线价 ¥%(list_price)s 没有标明依据，且缺少开售前 %(days)s 天的成交价记录，无法核实。",
                            code=sku.code,
                            list_price=sku.list_price,
                            days=days,
                        )
                    ),
                    remediation=msg(
                        "补充前 %(days)s 天最低成交价记录，或标明划线价依据（如“厂商建议零售价”）。", days=days
                    ),
                    evidence={"list_price": money_text(sku.list_price), "lookback_days": days},
                    **common,
                )
            )
        else:
            low = min(recent, key=lambda p: (p.lowest_price, p.date))
            if sku.list_price > low.lowest_price:
                issues.append(
                    Issue(
                        rule="price.reference_above_recent_low",
                        severity="error",
                        message=(
                            msg(
                                "SKU %(code)s 划线价 ¥%(list_price)s 未标明依据，高于开售前 %(days)s 天最低成交价 ¥%(lowest_price)s（%(date)s）。",
                                code=sku.code,
                                list_price=sku.list_price,
                                days=days,
                                lowest_price=low.lowest_price,
                                date=low.date.isoformat(),
                            )
                        ),
                        remediation=(
                            msg(
                                "把划线价改为不高于 ¥%(lowest_price)s，或标明被比较价格的依据（如“厂商建议零售价”并确有依据）。",
                                lowest_price=low.lowest_price,
                            )
                        ),
                        evidence={
                            "list_price": money_text(sku.list_price),
                            "price": money_text(sku.price),
                            "lowest_recent": money_text(low.lowest_price),
                            "lowest_date": low.date.isoformat(),
                            "lookback_days": days,
                            "window": [recent[0].date.isoformat(), recent[-1].date.isoformat()],
                            "penalty": basis.penalty if basis else "",
                        },
                        exposure_min=fine_min,
                        exposure_max=fine_max,
                        **common,
                    )
                )
    raise_days = rules.integer("price.raise_lookback_days")
    raised = largest_raise(window(list(sku.price_history), sale_day, raise_days))
    tolerance = rules.money("price.raise_tolerance")
    if raised is not None:
        low_point, high_point, share = raised
        if share > tolerance and sku.price < high_point.lowest_price:
            issues.append(
                Issue(
                    rule="price.raised_before_sale",
                    severity="error",
                    message=(
                        msg(
                            "SKU %(code)s 开售前先提价：%(low_date)s ¥%(low_price)s → %(high_date)s ¥%(high_price)s（+%(share)s），活动价 ¥%(price)s 是从提价后的价格“打折”。",
                            code=sku.code,
                            low_date=low_point.date.isoformat(),
                            low_price=low_point.lowest_price,
                            high_date=high_point.date.isoformat(),
                            high_price=high_point.lowest_price,
                            share=format(share, ".1%"),
                            price=sku.price,
                        )
                    ),
                    remediation=msg(
                        "恢复提价前的价格，以提价前价格为基准计算活动优惠，不以临时提价后的价格作为划线价。"
                    ),
                    evidence={
                        "from_price": money_text(low_point.lowest_price),
                        "from_date": low_point.date.isoformat(),
                        "to_price": money_text(high_point.lowest_price),
                        "to_date": high_point.date.isoformat(),
                        "raise": round(float(share), 4),
                        "tolerance": float(tolerance),
                        "price": money_text(sku.price),
                        "penalty": basis.penalty if basis else "",
                    },
                    exposure_min=fine_min,
                    exposure_max=fine_max,
                    **common,
                )
            )
    return issues
