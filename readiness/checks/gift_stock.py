"""Gift stock against the gifts the forecast needs.

gifts needed = forecast main units of the listing × per_order; a "first N buyers" offer needs at most N
orders' worth: min(N, forecast) × per_order. Gift stock must be ≥ ``gift_stock.factor`` (1.1) × needed.
A first-N promise above the stock is only noted (info): the forecast, not N, is what will be claimed.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from readiness.checks.phases import stock_deadline
from readiness.checks.results import WAREHOUSE, CheckContext, CheckResult, Issue, msg
from readiness.imports.bundle import GiftData, ListingData

NAME = "gift_stock"


def gifts_needed(listing: ListingData, gift: GiftData) -> tuple[int, int]:
    """(orders that get the gift, gifts needed) for one gift of a listing."""
    forecast = sum(sku.forecast_units for sku in listing.skus)
    orders = min(gift.first_n, forecast) if gift.first_n is not None else forecast
    return orders, orders * gift.per_order


def check(ctx: CheckContext) -> CheckResult:
    """Every gift's stock against ``factor`` × the gifts the forecast needs."""
    factor = Fraction(str(ctx.rules.number("gift_stock.factor")))
    deadline = stock_deadline(ctx.promotion, ctx.rules)
    issues: list[Issue] = []
    examined = 0
    for listing in ctx.listings:
        forecast = sum(sku.forecast_units for sku in listing.skus)
        for index, gift in enumerate(listing.gifts):
            examined += 1
            orders, needed = gifts_needed(listing, gift)
            where = f"gifts[{index}]"
            evidence: dict[str, Any] = {
                "gift": gift.name,
                "gift_stock": gift.stock,
                "forecast_units": forecast,
                "per_order": gift.per_order,
                "first_n": gift.first_n,
                "orders_with_gift": orders,
                "needed": needed,
                "factor": float(factor),
                "required": math.ceil(factor * needed),
                "ratio": round(gift.stock / needed, 3) if needed else None,
            }
            if needed and gift.stock < factor * needed:
                short = math.ceil(factor * needed) - gift.stock
                issues.append(
                    Issue(
                        check=NAME,
                        rule="gift_stock.insufficient",
                        severity="error",
                        message=(
                            msg(
                                "赠品「%(name)s」库存 %(stock)s 不足：预计需要 %(needed)s 件（%(orders)s 单 × 每单 %(per_order)s 件），按 %(factor)s 倍备货应有 %(target)s 件。",
                                name=gift.name,
                                stock=gift.stock,
                                needed=needed,
                                orders=orders,
                                per_order=gift.per_order,
                                factor=format(float(factor), "g"),
                                target=math.ceil(factor * needed),
                            )
                        ),
                        remediation=msg(
                            "补充赠品至少 %(short)s 件并在开售前入库；来不及补货时在页面写明“送完即止”并限量。",
                            short=short,
                        ),
                        owner=WAREHOUSE,
                        evidence=evidence,
                        deadline=deadline,
                        listing_id=listing.id,
                        sku=gift.sku_code,
                        field=where,
                        text=gift.name,
                    )
                )
            elif gift.first_n is not None and gift.first_n > gift.stock:
                issues.append(
                    Issue(
                        check=NAME,
                        rule="gift_stock.first_n_above_stock",
                        severity="info",
                        message=(
                            msg(
                                "赠品「%(name)s」承诺前 %(first_n)s 名赠送，库存只有 %(stock)s 件；按预测 %(forecast)s 件只需 %(needed)s 件，库存足够，但销量超预测时将不够送。",
                                name=gift.name,
                                first_n=gift.first_n,
                                stock=gift.stock,
                                forecast=forecast,
                                needed=needed,
                            )
                        ),
                        remediation=msg("关注实时销量；销量接近库存时及时补货或在页面注明“送完即止”。"),
                        owner=WAREHOUSE,
                        evidence=evidence,
                        deadline=deadline,
                        listing_id=listing.id,
                        sku=gift.sku_code,
                        field=where,
                        text=gift.name,
                    )
                )
    return CheckResult(
        check=NAME,
        issues=tuple(issues),
        examined=examined,
        listing_ids=tuple(listing.id for listing in ctx.listings if listing.gifts),
    )
