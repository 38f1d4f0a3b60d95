"""After-sale readiness: auto tools, staffing against the forecast wave, rates (typed in or from records), problem
listings and couriers that cannot intercept."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from readiness.aftersales.metrics import ROLES, AfterSalesFacts, Counts, ListingQuality, PageFinding, Window
from readiness.checks import after_sales
from tests.readiness.checks.builders import (
    SALE_END,
    SALE_START,
    context,
    courier,
    listing,
    only,
    promotion,
    rules_of,
    service,
    sku,
)


def _peak(orders: int, **service_changes: object) -> int:
    ctx = context(service_data=service(**service_changes), promo=promotion(expected_orders=orders))
    return after_sales.wave_forecast(ctx).peak_total


@pytest.mark.parametrize(
    ("changes", "orders", "expected"),
    [
        pytest.param({}, 10000, [], id="clean plan"),
        pytest.param({"auto_refund_unshipped": False}, 10000, ["after_sales.auto_refund_off"], id="auto refund off"),
        pytest.param({"auto_accept_returns": False}, 10000, ["after_sales.auto_accept_returns_off"], id="demo P06"),
        pytest.param({"auto_refund_shipped": True}, 10000, ["after_sales.auto_refund_shipped_on"], id="more is a risk"),
        pytest.param({"cs_agents": 4}, 20000, ["after_sales.understaffed"], id="demo P07: 4 agents for 20000"),
        pytest.param({"cs_agents": 0}, 10000, ["after_sales.no_agents"], id="no agents"),
        pytest.param({"cs_agents": 0}, 0, [], id="no orders expected, no agents needed"),
        pytest.param({"dispute_refund_rate": 0.0004}, 10000, [], id="demo: 0.04% is fine"),
        pytest.param({"dispute_refund_rate": 0.001}, 10000, [], id="exactly the maximum"),
        pytest.param({"dispute_refund_rate": 0.0011}, 10000, ["after_sales.dispute_rate_high"], id="above max"),
        pytest.param({"refund_self_completion_rate": 0.96}, 10000, [], id="demo: 96% is fine"),
        pytest.param({"refund_self_completion_rate": 0.95}, 10000, [], id="exactly the minimum"),
        pytest.param({"refund_self_completion_rate": 0.94}, 10000, ["after_sales.self_completion_low"], id="below"),
        pytest.param({"dispute_refund_rate": None, "refund_self_completion_rate": None}, 10000, [], id="unknown"),
    ],
)
def test_after_sales_table(changes: dict[str, object], orders: int, expected: list[str]) -> None:
    ctx = context(service_data=service(**changes), promo=promotion(expected_orders=orders))
    assert rules_of(after_sales.check(ctx)) == expected


def test_staffing_follows_the_forecast() -> None:
    peak = _peak(20000)
    assert peak > 4
    ok = context(service_data=service(cs_agents=peak), promo=promotion(expected_orders=20000))
    assert rules_of(after_sales.check(ok)) == []
    short = context(service_data=service(cs_agents=peak - 1), promo=promotion(expected_orders=20000))
    issue = only(after_sales.check(short), "after_sales.understaffed")
    assert issue.evidence["agents_needed"] == peak and issue.evidence["planned"] == peak - 1
    assert issue.deadline == SALE_END
    assert issue.field == "service.cs_agents"


def test_role_plan_is_compared_role_by_role() -> None:
    promo = promotion(expected_orders=30000)
    ctx = context(service_data=service(), promo=promo)
    wave = after_sales.wave_forecast(ctx)
    plan = {role: wave.peak(role) for role in ROLES}
    assert rules_of(after_sales.check(context(service_data=service(roles=plan), promo=promo))) == []
    short = dict(plan, 查件=plan["查件"] - 1)
    result = after_sales.check(context(service_data=service(roles=short), promo=promo))
    issue = only(result, "after_sales.role_understaffed")
    assert issue.field == "service.roles.查件"
    assert issue.evidence["role"] == "查件"
    assert all(day["needed"] > day["planned"] for day in issue.evidence["days"])
    assert "“查件”岗位人手不足" in issue.message


def test_deadlines_and_owner() -> None:
    ctx = context(service_data=service(auto_refund_unshipped=False, auto_accept_returns=False, cs_agents=1))
    result = after_sales.check(ctx)
    assert only(result, "after_sales.auto_refund_off").deadline == SALE_START
    assert only(result, "after_sales.auto_accept_returns_off").deadline == SALE_END
    assert only(result, "after_sales.understaffed").deadline == SALE_END
    assert {i.owner for i in result.issues} == {"customer_service"}
    assert {i.severity for i in result.issues} == {"warning"}


def test_missing_plan_is_a_warning() -> None:
    result = after_sales.check(context(service_data=None))
    assert [(i.rule, i.severity) for i in result.issues] == [("after_sales.no_plan", "warning")]
    assert result.examined == 0


def test_staffing_uses_the_rule_pack_handling_times() -> None:
    promo = promotion(expected_orders=20000)
    slow = {f"after_sales.handling_minutes.return_refund.{role}": 60.0 for role in ROLES}
    base = after_sales.wave_forecast(context(service_data=service(), promo=promo)).peak_total
    slower = after_sales.wave_forecast(context(service_data=service(), promo=promo, overrides=slow)).peak_total
    assert slower > base


def test_couriers_that_cannot_intercept_need_a_fast_refund_plan() -> None:
    couriers = [courier("zto", 0.5, 4000), courier("ems", 0.5, 4000, intercept=False)]
    issue = only(after_sales.check(context(couriers=couriers)), "after_sales.no_fast_refund_plan")
    assert issue.evidence == {"couriers": ["ems"], "planned_share": 0.5}
    assert issue.deadline == SALE_START and issue.owner == "customer_service"
    planned = context(couriers=couriers, service_data=service(fast_refund_plan=True))
    assert rules_of(after_sales.check(planned)) == []


# ---- with records ---------------------------------------------------------------------------------------------

WINDOW = Window.ending(dt.date(2026, 10, 15), 30)


def _facts(**changes: object) -> AfterSalesFacts:
    counts = Counts(
        paid_orders=10000,
        closed=400,
        disputes=2,
        self_closed=396,
        refund_only_hours=10.0,
        return_refund_hours=80.0,
        stages={"agree": 5.0, "buyer_ship": 30.0, "in_transit": 35.0, "inspect_and_refund": 10.0},
        quality_orders=60,
    )
    values: dict[str, object] = {
        "as_of": WINDOW.end,
        "window": WINDOW,
        "has_records": True,
        "counts": counts,
        "requests_by_type": {"refund_only_unshipped": 300, "return_refund": 400},
    }
    return AfterSalesFacts(**(values | changes))  # type: ignore[arg-type]


def test_records_replace_the_typed_in_rates() -> None:
    # The bundle says 0.02% disputes; the records say 2 / 10000 = 0.02% → fine; make them say 0.2%.
    facts = _facts(counts=dataclasses.replace(_facts().counts, disputes=20))
    ctx = dataclasses.replace(context(service_data=service(dispute_refund_rate=0.0002)), after_sales=facts)
    issue = only(after_sales.check(ctx), "after_sales.dispute_rate_high")
    assert issue.evidence["source"] == "records" and issue.evidence["dispute_refund_rate"] == pytest.approx(0.002)
    assert issue.field == "records.dispute_refund_rate"
    # and a typed-in bad rate is ignored when records exist
    typed_bad = dataclasses.replace(context(service_data=service(dispute_refund_rate=0.5)), after_sales=_facts())
    assert "after_sales.dispute_rate_high" not in rules_of(after_sales.check(typed_bad))


def test_records_judge_durations_and_quality() -> None:
    counts = dataclasses.replace(_facts().counts, refund_only_hours=30.0, return_refund_hours=130.0, quality_orders=150)
    ctx = dataclasses.replace(context(), after_sales=_facts(counts=counts))
    rules = rules_of(after_sales.check(ctx))
    assert {"after_sales.refund_only_slow", "after_sales.return_refund_slow", "after_sales.quality_rate_high"} <= set(
        rules
    )
    slow = only(after_sales.check(ctx), "after_sales.return_refund_slow")
    assert "退款同意 5.0 小时" in slow.message and "商家验货及退款 10.0 小时" in slow.message


def test_own_rates_drive_the_forecast() -> None:
    ctx = dataclasses.replace(context(), after_sales=_facts())
    wave = after_sales.wave_forecast(ctx)
    assert wave.rates_source == "records"
    assert wave.rates["return_refund"] == pytest.approx(0.04)
    too_few = dataclasses.replace(context(), after_sales=_facts(requests_by_type={"return_refund": 10}))
    assert after_sales.wave_forecast(too_few).rates_source == "defaults"


def test_problem_listing_links_the_page_findings() -> None:
    listings = [
        ListingQuality("L1", quality_orders=12, paid_orders=200, reasons=(("描述不符", 9), ("质量问题", 3)),
                       quality_amount=Decimal("600.00")),
        ListingQuality("L2", quality_orders=48, paid_orders=9800, reasons=(("质量问题", 48),)),
    ]  # fmt: skip
    finding = PageFinding(
        rule="spec.mismatch",
        category="spec_mismatch",
        field="specs.净含量",
        text="500g",
        message="规格与标题不一致",
        related_text="1kg",
        related_field="title",
    )
    facts = _facts(listings=listings, page_findings={"L1": [finding]})
    page = [listing("L1", skus=[sku("L1-1", forecast_units=1000)])]
    ctx = dataclasses.replace(context(page), after_sales=facts)
    issue = only(after_sales.check(ctx), "after_sales.problem_listing")
    assert issue.listing_id == "L1" and issue.owner == "listing_editor"
    assert "商品体验退款率 6.0%（12/200 单）" in issue.message
    assert "页面规格表（净含量） 500g 与标题 1kg 不一致" in issue.message
    # exposure: 1000 units × rate × ¥50 average refund; the excess over the shop's 0.6% at least
    assert issue.exposure_max == Decimal("3000.00")
    assert issue.exposure_min == Decimal("2700.00")
