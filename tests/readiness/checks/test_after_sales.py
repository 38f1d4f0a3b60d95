"""After-sale readiness: auto-refund and return settings, staffing, current rates."""

from __future__ import annotations

import pytest

from readiness.checks import after_sales
from tests.readiness.checks.builders import SALE_END, SALE_START, context, only, promotion, rules_of, service


@pytest.mark.parametrize(
    ("changes", "orders", "expected"),
    [
        pytest.param({}, 10000, [], id="clean plan"),
        pytest.param({"auto_refund_unshipped": False}, 10000, ["after_sales.auto_refund_off"], id="auto refund off"),
        pytest.param({"auto_accept_returns": False}, 10000, ["after_sales.auto_accept_returns_off"], id="demo P06"),
        pytest.param({"cs_agents": 4}, 20000, ["after_sales.understaffed"], id="demo P07: 5000 per agent"),
        pytest.param({"cs_agents": 10}, 10000, [], id="exactly 1000 per agent"),
        pytest.param({"cs_agents": 10}, 10001, ["after_sales.understaffed"], id="just above 1000 per agent"),
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


def test_deadlines_follow_the_phases() -> None:
    ctx = context(service_data=service(auto_refund_unshipped=False, auto_accept_returns=False, cs_agents=1))
    result = after_sales.check(ctx)
    assert only(result, "after_sales.auto_refund_off").deadline == SALE_START
    assert only(result, "after_sales.auto_accept_returns_off").deadline == SALE_END
    understaffed = only(result, "after_sales.understaffed")
    assert understaffed.evidence["agents_needed"] == 10
    assert {i.owner for i in result.issues} == {"customer_service"}
    assert {i.severity for i in result.issues} == {"warning"}


def test_missing_plan_is_a_warning() -> None:
    result = after_sales.check(context(service_data=None))
    assert [(i.rule, i.severity) for i in result.issues] == [("after_sales.no_plan", "warning")]


def test_staffing_threshold_is_configurable() -> None:
    ctx = context(service_data=service(cs_agents=4), promo=promotion(expected_orders=20000))
    assert rules_of(after_sales.check(ctx)) == ["after_sales.understaffed"]
    ctx = context(
        service_data=service(cs_agents=4),
        promo=promotion(expected_orders=20000),
        overrides={"after_sales.max_orders_per_agent": 5000},
    )
    assert rules_of(after_sales.check(ctx)) == []
