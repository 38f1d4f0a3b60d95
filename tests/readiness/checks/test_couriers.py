"""Courier mix: top share, HHI, couriers per region, peak-day capacity, interception."""

from __future__ import annotations

from decimal import Decimal

import pytest

from readiness.checks import couriers
from tests.readiness.checks.builders import context, courier, listing, only, promotion, rules_of, sku

ALL = ("华东", "华南")


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        ([0.72, 0.15, 0.08, 0.05], 5498.0),
        ([0.5, 0.5], 5000.0),
        ([0.7, 0.3], 5800.0),
        ([0.4, 0.35, 0.25], 3450.0),
        ([1.0], 10000.0),
        ([0.1] * 10, 1000.0),
    ],
)
def test_hhi(shares: list[float], expected: float) -> None:
    assert couriers.hhi(shares) == expected


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        pytest.param([0.7, 0.1, 0.1, 0.1], ["couriers.hhi"], id="share exactly 0.7 is fine, HHI 5200 is not"),
        pytest.param([0.5, 0.5], [], id="HHI exactly 5000 passes"),
        pytest.param([0.51, 0.49], ["couriers.hhi"], id="HHI 5002 warns"),
        pytest.param([0.7, 0.3], ["couriers.hhi"], id="share exactly 0.7, HHI 5800"),
        pytest.param([0.7] + [0.03] * 10, [], id="share exactly 0.7 with HHI 4990: no issue"),
        pytest.param([0.71] + [0.029] * 10, ["couriers.top_share", "couriers.hhi"], id="share 0.71, HHI 5125.1"),
        pytest.param([0.6, 0.4], ["couriers.hhi"], id="no share above 0.7, HHI 5200"),
        pytest.param([0.701] + [0.013] * 23, ["couriers.top_share"], id="share 0.701 with HHI 4952.88"),
        pytest.param([0.71, 0.29], ["couriers.top_share", "couriers.hhi"], id="share 0.71 warns"),
        pytest.param([0.72, 0.15, 0.08, 0.05], ["couriers.top_share", "couriers.hhi"], id="demo P01+P02"),
        pytest.param([0.4, 0.35, 0.25], [], id="clean shop mix"),
    ],
)
def test_concentration_table(shares: list[float], expected: list[str]) -> None:
    plan = [courier(f"c{i}", share, 100_000, ALL) for i, share in enumerate(shares)]
    found = [r for r in rules_of(couriers.check(context(couriers=plan))) if r in {"couriers.top_share", "couriers.hhi"}]
    assert found == expected


def test_concentration_is_a_warning_with_evidence() -> None:
    plan = [courier("zto", 0.72, 100_000), courier("yto", 0.28, 100_000)]
    result = couriers.check(context(couriers=plan))
    top = only(result, "couriers.top_share")
    assert top.severity == "warning"
    assert top.owner == "logistics"
    assert top.evidence["top_share"] == 0.72
    assert top.field == "couriers[zto]"
    assert only(result, "couriers.hhi").evidence["hhi"] == 72**2 + 28**2


@pytest.mark.parametrize(
    ("destinations", "regions", "expected"),
    [
        pytest.param({"华东": 1.0}, [ALL, ALL], [], id="two couriers: fine"),
        pytest.param({"华东": 0.9, "西北": 0.1}, [ALL, (*ALL, "西北")], ["couriers.region_few_couriers"], id="one"),
        pytest.param({"华东": 0.9, "西北": 0.1}, [ALL, ALL], ["couriers.region_uncovered"], id="none"),
        pytest.param({"华东": 1.0, "西北": 0.0}, [ALL, ALL], [], id="a region without orders needs nothing"),
        pytest.param({}, [ALL, ALL], [], id="no destination shares: nothing to judge"),
    ],
)
def test_region_coverage_table(
    destinations: dict[str, float], regions: list[tuple[str, ...]], expected: list[str]
) -> None:
    plan = [courier("a", 0.5, 100_000, regions[0]), courier("b", 0.5, 100_000, regions[1])]
    result = couriers.check(context(couriers=plan, promo=promotion(destinations=destinations)))
    assert [r for r in rules_of(result) if r.startswith("couriers.region")] == expected


def test_region_issue_says_which_couriers_and_coverage() -> None:
    # Demo P03: 西北 (3%) only in ems' regions.
    plan = [courier("zto", 0.5, 100_000), courier("ems", 0.5, 100_000, (*ALL, "西北"))]
    destinations = {"华东": 0.6, "华南": 0.37, "西北": 0.03}
    issue = only(
        couriers.check(context(couriers=plan, promo=promotion(destinations=destinations))),
        "couriers.region_few_couriers",
    )
    assert issue.severity == "warning"
    assert issue.evidence["couriers"] == ["ems"]
    assert issue.evidence["covered_share"] == 1.0
    assert issue.evidence["redundant_share"] == 0.97
    assert issue.field == "destinations.西北"


def test_uncovered_region_is_an_error() -> None:
    plan = [courier("a", 0.5, 100_000), courier("b", 0.5, 100_000)]
    ctx = context(couriers=plan, promo=promotion(destinations={"华东": 0.95, "西北": 0.05}))
    assert only(couriers.check(ctx), "couriers.region_uncovered").severity == "error"


@pytest.mark.parametrize(
    ("orders", "share", "per_order", "expected"),
    [
        (20000, 0.6, 1.0, 12000),
        (4000, 0.6, 1.0, 2400),
        (10001, 0.6, 1.0, 6001),  # 6000.6 rounds up: a parcel is whole
        (10000, 0.5, 1.2, 6000),
        (0, 0.6, 1.0, 0),
    ],
)
def test_peak_day_parcels(orders: int, share: float, per_order: float, expected: int) -> None:
    assert couriers.peak_day_parcels(orders, share, per_order) == expected


@pytest.mark.parametrize(
    ("capacities", "expected"),
    [
        pytest.param([3600, 3600], [], id="exactly 1.2 x peak (7200) passes"),
        pytest.param([3600, 3599], ["couriers.capacity_short"], id="one parcel short fails"),
        pytest.param([2000, 2000], ["couriers.capacity_short"], id="below the peak itself"),
        pytest.param([2000, 6000], ["couriers.courier_over_capacity"], id="total fine, one courier overloaded"),
    ],
)
def test_capacity_table(capacities: list[int], expected: list[str]) -> None:
    # 10000 expected orders → peak day 6000 parcels, each courier planned 3000.
    plan = [courier("a", 0.5, capacities[0]), courier("b", 0.5, capacities[1])]
    result = couriers.check(context(couriers=plan))
    assert [r for r in rules_of(result) if "capacity" in r] == expected


def test_capacity_short_issue_like_demo_p04() -> None:
    plan = [
        courier("zto", 0.72, 5200),
        courier("yto", 0.15, 1400),
        courier("sf", 0.08, 900),
        courier("ems", 0.05, 600),
    ]
    shop = [listing("L1", skus=[sku("L1-1", price="100.00", forecast_units=1000)])]
    issue = only(
        couriers.check(context(shop, couriers=plan, promo=promotion(expected_orders=20000))), "couriers.capacity_short"
    )
    assert issue.severity == "error"
    assert issue.evidence["peak_day_parcels"] == 12000
    assert issue.evidence["required_capacity"] == 14400
    assert issue.evidence["committed_capacity"] == 8100
    assert issue.evidence["per_courier"]["zto"] == {"planned": 8640, "capacity": 5200}
    # Backlog 3900 parcels × min(30% × ¥100, ¥500) = ¥117,000 at most; the backlog may also clear in time.
    assert (issue.exposure_min, issue.exposure_max) == (Decimal("0.00"), Decimal("117000.00"))
    assert "ZTO 计划 8640/天" in issue.message  # the courier's name (the builder names zto "ZTO"), not its code


def test_capacity_short_but_above_peak_has_no_exposure() -> None:
    plan = [courier("a", 0.5, 3300), courier("b", 0.5, 3300)]  # 6600: above 6000, below 7200
    issue = only(couriers.check(context([listing()], couriers=plan)), "couriers.capacity_short")
    assert issue.exposure_max is None


def test_peak_day_share_is_configurable() -> None:
    plan = [courier("a", 0.5, 3000), courier("b", 0.5, 3000)]
    assert rules_of(couriers.check(context(couriers=plan, overrides={"couriers.peak_day_share": 0.5}))) == []


def test_no_expected_orders_no_capacity_rule() -> None:
    plan = [courier("a", 0.5, 1), courier("b", 0.5, 1)]
    assert rules_of(couriers.check(context(couriers=plan, promo=promotion(expected_orders=0)))) == []


@pytest.mark.parametrize(
    ("share", "severity"),
    [(0.05, "info"), (0.5, "info"), (0.51, "warning")],
)
def test_couriers_that_cannot_intercept(share: float, severity: str) -> None:
    plan = [courier("ems", share, 100_000, intercept=False), courier("zto", 1 - share, 100_000)]
    issue = only(couriers.check(context(couriers=plan)), "couriers.no_intercept")
    assert issue.severity == severity
    assert issue.owner == "customer_service"
    assert issue.field == "couriers[ems]"


def test_no_couriers_is_an_error() -> None:
    result = couriers.check(context(couriers=[]))
    assert [(i.rule, i.severity) for i in result.issues] == [("couriers.none_planned", "error")]
    assert result.notes


def test_clean_plan_passes() -> None:
    result = couriers.check(context())
    assert result.issues == ()
    assert result.examined == 2
