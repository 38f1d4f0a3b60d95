"""Plain-data builders for check tests: a clean shop by default, each test changes only what it examines.

The defaults pass every check (coverage 1.0–2.0, a balanced courier mix with enough capacity, a staffed
service plan), so a test's expected issues come from its own table row alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from readiness.checks import CheckContext, CheckResult, Issue
from readiness.imports.bundle import (
    CourierData,
    GiftData,
    InboundData,
    ListingData,
    PresaleData,
    PricePointData,
    PromotionData,
    RebateData,
    ServiceData,
    ShopData,
    SkuData,
)
from readiness.rulepacks import load_rule_pack
from scanners.findings import Category, Finding, Related, Severity

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    """An aware Asia/Shanghai datetime: at("2026-11-05", 20)."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute, second), tzinfo=SHANGHAI)


PRESALE_START = at("2026-10-20", 20)
FINAL_PAYMENT_START = at("2026-10-31", 20)
SALE_START = at("2026-11-10", 20)
SALE_END = at("2026-11-11", 23, 59, 59)


def promotion(**changes: Any) -> PromotionData:
    values: dict[str, Any] = {
        "code": "d11-2026",
        "name": "2026 双11",
        "presale_start": PRESALE_START,
        "final_payment_start": FINAL_PAYMENT_START,
        "sale_start": SALE_START,
        "sale_end": SALE_END,
        "expected_orders": 10000,
        "destinations": {"华东": 0.6, "华南": 0.4},
    }
    return PromotionData(**(values | changes))


def inbound(units: int, arrives: dt.datetime | str) -> InboundData:
    return InboundData(units=units, arrives=at(arrives) if isinstance(arrives, str) else arrives)


def flat_history(price: str, first: str = "2026-11-03", days: int = 7) -> list[PricePointData]:
    start = dt.date.fromisoformat(first)
    return [PricePointData(date=start + dt.timedelta(days=i), lowest_price=Decimal(price)) for i in range(days)]


def history(*points: tuple[str, str]) -> list[PricePointData]:
    """history(("2026-11-03", "59.00"), …)"""
    return [PricePointData(date=dt.date.fromisoformat(day), lowest_price=Decimal(price)) for day, price in points]


def sku(code: str = "L1-1", **changes: Any) -> SkuData:
    values: dict[str, Any] = {
        "code": code,
        "name": "250g 罐装",
        "price": Decimal("100.00"),
        "list_price": None,
        "list_price_basis": None,
        "stock": 1200,
        "inbound": [],
        "forecast_units": 1000,
        "safety_stock": 100,
        "price_history": flat_history("100.00"),
    }
    values |= changes
    for key in ("price", "list_price"):
        if isinstance(values[key], str):
            values[key] = Decimal(values[key])
    return SkuData(**values)


def listing(listing_id: str = "L1", **changes: Any) -> ListingData:
    values: dict[str, Any] = {
        "id": listing_id,
        "category": "tea",
        "title": "西湖龙井 明前 绿茶 250g 罐装",
        "subtitle": "西湖产区 手工炒制",
        "description": "茶叶产自杭州西湖产区，清明前采摘。",
        "specs": {"净含量": "250g"},
        "presale": None,
        "gifts": [],
        "rebates": [],
        "skus": [sku(f"{listing_id}-1")],
    }
    return ListingData(**(values | changes))


def presale(ship_by: str | None = "2026-11-04", label: str = "预售 11月4日前发货", enabled: bool = True) -> PresaleData:
    return PresaleData(enabled=enabled, ship_by=dt.date.fromisoformat(ship_by) if ship_by else None, label=label)


def gift(name: str = "竹制茶则", stock: int = 1200, **changes: Any) -> GiftData:
    values: dict[str, Any] = {
        "name": name,
        "stock": stock,
        "sku_code": "G1",
        "per_order": 1,
        "first_n": None,
        "described_on_page": True,
    }
    return GiftData(**(values | changes))


def rebate(kind: str, text: str = "", official_activity_id: str | None = None) -> RebateData:
    return RebateData(kind=kind, text=text, official_activity_id=official_activity_id)  # type: ignore[arg-type]


def courier(
    code: str,
    share: float,
    capacity: int,
    regions: Iterable[str] = ("华东", "华南"),
    intercept: bool = True,
    name: str | None = None,
) -> CourierData:
    return CourierData(
        code=code,
        name=code.upper() if name is None else name,
        planned_share=share,
        daily_capacity=capacity,
        regions=list(regions),
        supports_intercept=intercept,
    )


# Peak day = 0.6 × 10000 = 6000 parcels; 1.2 × 6000 = 7200 ≤ 4000 + 4000.
DEFAULT_COURIERS = (courier("zto", 0.5, 4000), courier("yto", 0.5, 4000))


def service(**changes: Any) -> ServiceData:
    values: dict[str, Any] = {
        "auto_refund_unshipped": True,
        "auto_accept_returns": True,
        "cs_agents": 20,
        "dispute_refund_rate": 0.0002,
        "refund_self_completion_rate": 0.98,
    }
    return ServiceData(**(values | changes))


_DEFAULT = object()


def context(
    listings: Sequence[ListingData] = (),
    *,
    couriers: Sequence[CourierData] | None = None,
    service_data: ServiceData | object | None = _DEFAULT,
    promo: PromotionData | None = None,
    platform: str = "tmall",
    overrides: Mapping[str, Any] | None = None,
    findings: Mapping[str, Sequence[Finding]] | None = None,
) -> CheckContext:
    return CheckContext(
        shop=ShopData(code="test-shop", name="测试旗舰店", platform=platform),  # type: ignore[arg-type]
        promotion=promo or promotion(),
        couriers=tuple(DEFAULT_COURIERS if couriers is None else couriers),
        service=service() if service_data is _DEFAULT else service_data,  # type: ignore[arg-type]
        listings=tuple(listings),
        rules=load_rule_pack(platform, overrides),
        findings_by_listing=dict(findings or {}),
        now=at("2026-10-15", 9),
    )


def finding(
    category: str,
    *,
    listing_id: str = "L1",
    field: str = "title",
    start: int = 0,
    end: int = 2,
    text: str = "最佳",
    severity: str = "error",
    rule: str | None = None,
    citation: str = "",
    suggestion: str | None = None,
    related: Related | None = None,
    message: str = "扫描发现的问题",
) -> Finding:
    return Finding(
        rule=rule or f"{category}.test",
        category=Category(category),
        severity=Severity(severity),
        field=field,
        start=start,
        end=end,
        text=text,
        message=message,
        citation=citation,
        suggestion=suggestion,
        listing_id=listing_id,
        related=related,
    )


def rules_of(result: CheckResult) -> list[str]:
    """The rule ids of a result's issues, in order."""
    return [issue.rule for issue in result.issues]


def only(result: CheckResult, rule: str) -> Issue:
    """The single issue of a rule (fails the test when there is none or more than one)."""
    found = [issue for issue in result.issues if issue.rule == rule]
    assert len(found) == 1, f"expected one {rule} issue, got {rules_of(result)}"
    return found[0]
