"""Stock coverage: (on hand + inbound before sale_start) / (forecast + safety stock)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from readiness.checks import stock
from tests.readiness.checks.builders import SALE_START, context, inbound, listing, only, rules_of, sku


@pytest.mark.parametrize(
    ("on_hand", "arrivals", "forecast", "safety", "expected"),
    [
        pytest.param(1000, [], 900, 100, [], id="coverage exactly 1.0 passes"),
        pytest.param(999, [], 900, 100, ["stock.coverage_tight"], id="just below 1.0 warns"),
        pytest.param(900, [], 900, 100, ["stock.coverage_tight"], id="coverage exactly 0.9 warns, not fails"),
        pytest.param(899, [], 900, 100, ["stock.coverage_low"], id="just below 0.9 fails"),
        pytest.param(2000, [], 900, 100, [], id="coverage exactly 2.0 is not overstock"),
        pytest.param(2001, [], 900, 100, ["stock.overstock"], id="just above 2.0 is overstock"),
        pytest.param(1170, [], 1200, 100, ["stock.coverage_tight"], id="1170/1300 is exactly 0.9"),
        pytest.param(500, [(500, "2026-11-09")], 900, 100, [], id="inbound before the sale counts"),
        pytest.param(500, [(500, SALE_START)], 900, 100, ["stock.coverage_low"], id="inbound at sale_start does not"),
        pytest.param(
            500, [(500, SALE_START - dt.timedelta(seconds=1))], 900, 100, [], id="inbound a second before counts"
        ),
        pytest.param(500, [(500, "2026-11-13")], 900, 100, ["stock.coverage_low"], id="inbound after the sale"),
        pytest.param(990, [], 900, None, [], id="no safety stock: 10% of forecast (990/990)"),
        pytest.param(989, [], 900, None, ["stock.coverage_tight"], id="derived safety stock still counts"),
        pytest.param(0, [], 0, 0, ["stock.no_forecast"], id="nothing forecast: reported, not judged"),
        pytest.param(1100, [], 1400, 100, ["stock.coverage_low"], id="demo P08: 1100/1500"),
        pytest.param(200, [(180, "2026-11-04")], 420, 40, ["stock.coverage_low"], id="demo P09: 380/460"),
        pytest.param(600, [(900, "2026-11-13")], 1150, 100, ["stock.coverage_low"], id="demo P14: late inbound"),
    ],
)
def test_coverage_table(
    on_hand: int, arrivals: list[tuple[int, object]], forecast: int, safety: int | None, expected: list[str]
) -> None:
    item = sku(
        "L1-1",
        stock=on_hand,
        inbound=[inbound(units, when) for units, when in arrivals],  # type: ignore[arg-type]
        forecast_units=forecast,
        safety_stock=safety,
    )
    result = stock.check(context([listing("L1", skus=[item])]))
    assert rules_of(result) == expected
    assert result.examined == 1
    assert result.listing_ids == ("L1",)


def test_severities() -> None:
    skus = [
        sku("L1-1", stock=899, forecast_units=900, safety_stock=100),
        sku("L1-2", stock=900, forecast_units=900, safety_stock=100),
        sku("L1-3", stock=2001, forecast_units=900, safety_stock=100),
    ]
    result = stock.check(context([listing("L1", skus=skus)]))
    assert [(i.sku, i.severity) for i in result.issues] == [("L1-1", "error"), ("L1-2", "warning"), ("L1-3", "warning")]


def test_late_inbound_is_named_in_evidence_and_message() -> None:
    item = sku("L116-1", stock=600, inbound=[inbound(900, "2026-11-13")], forecast_units=1150, safety_stock=100)
    issue = only(stock.check(context([listing("L116", skus=[item])])), "stock.coverage_low")
    assert issue.evidence["coverage"] == 0.48
    assert issue.evidence["inbound_counted"] == 0
    assert issue.evidence["inbound_after_sale_start"] == [{"units": 900, "arrives": "2026-11-13T00:00:00+08:00"}]
    assert "900 件在途库存在开售后才到货" in issue.message
    assert (issue.listing_id, issue.sku) == ("L116", "L116-1")


def test_owner_deadline_and_exposure() -> None:
    # Demo P08: price 168 → compensation min(30% × 168, 500) = 50.40 per order; 300 to 400 orders short.
    item = sku("L111-1", price="168.00", stock=1100, forecast_units=1400, safety_stock=100)
    issue = only(stock.check(context([listing("L111", skus=[item])])), "stock.coverage_low")
    assert issue.owner == "warehouse"
    assert issue.deadline == SALE_START - dt.timedelta(days=3)
    assert issue.exposure_min == Decimal("15120.00")
    assert issue.exposure_max == Decimal("20160.00")
    assert issue.evidence["compensation_per_order"] == "50.40"


def test_compensation_is_capped_per_order() -> None:
    item = sku("L1-1", price="5000.00", stock=90, forecast_units=100, safety_stock=0)
    issue = only(stock.check(context([listing("L1", skus=[item])])), "stock.coverage_tight")
    assert issue.exposure_max == Decimal("5000.00")  # 10 orders × ¥500 cap


def test_overstock_is_for_operations_without_exposure() -> None:
    item = sku("L115-1", stock=3200, forecast_units=1100, safety_stock=100)
    issue = only(stock.check(context([listing("L115", skus=[item])])), "stock.overstock")
    assert issue.owner == "operations"
    assert issue.exposure_min is None and issue.exposure_max is None
    assert issue.evidence["coverage"] == 2.667


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, ["stock.coverage_low"]),
        ({"stock.fail_below": 0.85}, ["stock.coverage_tight"]),
        ({"stock.fail_below": 0.8, "stock.warn_below": 0.8}, []),
    ],
)
def test_thresholds_come_from_the_rule_pack(overrides: dict[str, float], expected: list[str]) -> None:
    item = sku("L1-1", stock=880, forecast_units=900, safety_stock=100)
    assert rules_of(stock.check(context([listing("L1", skus=[item])], overrides=overrides))) == expected


def test_derived_safety_stock_share_is_configurable() -> None:
    item = sku("L1-1", stock=1000, forecast_units=1000, safety_stock=None)
    assert (
        rules_of(stock.check(context([listing("L1", skus=[item])], overrides={"stock.safety_stock_share": 0.0}))) == []
    )
    issue = only(stock.check(context([listing("L1", skus=[item])])), "stock.coverage_tight")
    assert issue.evidence["safety_stock"] == 100
    assert issue.evidence["safety_stock_derived"] is True
