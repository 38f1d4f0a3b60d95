"""The data checks on the demo bundles (docs/demo.md): every planted data problem is found under the right
check, nothing is flagged on correct data, and the clean shop passes with a score of at least 90.

The text checks need scanner findings; the end-to-end test with the real scanners is the lead's.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from readiness.checks import DATA_CHECKS, CheckContext, CheckResult, Issue, run_checks
from readiness.imports.bundle import parse_bundle
from readiness.rulepacks import load_rule_pack
from readiness.scoring import score

DEMO = Path(__file__).resolve().parents[3] / "readiness" / "demo"


def _results(name: str) -> list[CheckResult]:
    bundle = parse_bundle((DEMO / name).read_bytes()).bundle
    ctx = CheckContext.from_bundle(bundle, rules=load_rule_pack(bundle.shop.platform))
    return run_checks(ctx, DATA_CHECKS)


@pytest.fixture(scope="module")
def demo() -> list[CheckResult]:
    return _results("demo-shop.json")


@pytest.fixture(scope="module")
def clean() -> list[CheckResult]:
    return _results("clean-shop.json")


def _issues(results: list[CheckResult]) -> list[Issue]:
    return [issue for result in results for issue in result.issues]


# (planted id, check, listing, sku or data location, rule, severity)
PLANTED = [
    ("P01", "couriers", None, "couriers[zto]", "couriers.top_share", "warning"),
    ("P02", "couriers", None, "couriers", "couriers.hhi", "warning"),
    ("P03", "couriers", None, "destinations.西北", "couriers.region_few_couriers", "warning"),
    ("P04", "couriers", None, "couriers", "couriers.capacity_short", "error"),
    ("P05", "couriers", None, "couriers[ems]", "couriers.no_intercept", "info"),
    ("P06", "after_sales", None, "service.auto_accept_returns", "after_sales.auto_accept_returns_off", "warning"),
    ("P07", "after_sales", None, "service.cs_agents", "after_sales.understaffed", "warning"),
    ("P62", "after_sales", None, "service.fast_refund_plan", "after_sales.no_fast_refund_plan", "warning"),
    ("P08", "stock", "L111", "L111-1", "stock.coverage_low", "error"),
    ("P09", "stock", "L112", "L112-1", "stock.coverage_low", "error"),
    ("P10", "stock", "L113", "L113-1", "stock.coverage_tight", "warning"),
    ("P11", "stock", "L114", "L114-1", "stock.coverage_tight", "warning"),
    ("P12", "stock", "L114", "L114-2", "stock.overstock", "warning"),
    ("P13", "stock", "L115", "L115-1", "stock.overstock", "warning"),
    ("P14", "stock", "L116", "L116-1", "stock.coverage_low", "error"),
    ("P15", "gift_stock", "L117", "G-BAG-01", "gift_stock.insufficient", "error"),
    ("P16", "gift_stock", "L118", "G-CUP-02", "gift_stock.insufficient", "error"),
    ("P17", "gift_stock", "L119", "G-GLS-03", "gift_stock.first_n_above_stock", "info"),
    ("P18", "gifts", "L120", "G-OPN-04", "gifts.not_described", "error"),
    ("P19", "gifts", "L121", "G-CAN-05", "gifts.not_named_on_page", "error"),
    ("P20", "presale_label", "L122", "presale.label", "presale.not_labelled", "error"),
    ("P21", "presale_label", "L123", "presale.label", "presale.ship_date_not_stated", "error"),
    ("P25", "presale_label", "L125", "presale.ship_by", "presale.ship_date_beyond_limit", "error"),
    ("P26", "presale_label", "L126", "L126-1", "presale.ship_before_stock", "error"),
    ("P27", "rebates", "L127", "rebates[0]", "rebates.review_cashback", "error"),
    ("P29", "rebates", "L128", "rebates[0]", "rebates.review_cashback_disguised", "error"),
    ("P31", "rebates", "L129", "rebates[0]", "rebates.prize_without_official_activity", "error"),
    ("P32", "rebates", "L129", "rebates[1]", "rebates.prize_without_official_activity", "error"),
    ("P33", "price", "L130", "L130-1", "price.reference_above_recent_low", "error"),
    ("P35", "price", "L131", "L131-1", "price.reference_above_recent_low", "error"),
    ("P36", "price", "L131", "L131-1", "price.raised_before_sale", "error"),
    ("P38", "price", "L132", "L132-1", "price.raised_before_sale", "error"),
]


@pytest.mark.parametrize(
    ("planted", "check", "listing_id", "where", "rule", "severity"), PLANTED, ids=[p[0] for p in PLANTED]
)
def test_planted_problem_is_found(
    demo: list[CheckResult], planted: str, check: str, listing_id: str | None, where: str, rule: str, severity: str
) -> None:
    result = next(r for r in demo if r.check == check)
    matches = [
        issue
        for issue in result.issues
        if issue.listing_id == listing_id and issue.rule == rule and where in (issue.sku, issue.field)
    ]
    assert len(matches) == 1, f"{planted}: {[(i.listing_id, i.sku, i.field, i.rule) for i in result.issues]}"
    assert matches[0].severity == severity


def test_nothing_else_is_flagged(demo: list[CheckResult]) -> None:
    found = {(i.check, i.listing_id, i.rule, i.sku or i.field) for i in _issues(demo)}
    expected = {(c, listing_id, rule, where) for _, c, listing_id, where, rule, _ in PLANTED}
    assert found == expected


def test_numbers_of_the_planted_problems(demo: list[CheckResult]) -> None:
    by_key = {(i.listing_id, i.sku or i.field, i.rule): i for i in _issues(demo)}
    assert by_key[("L111", "L111-1", "stock.coverage_low")].evidence["coverage"] == 0.733
    assert by_key[("L112", "L112-1", "stock.coverage_low")].evidence["coverage"] == 0.826
    # P14: the inbound of 11-13 must not count (it would give 1.20).
    assert by_key[("L116", "L116-1", "stock.coverage_low")].evidence["coverage"] == 0.48
    assert by_key[("L117", "G-BAG-01", "gift_stock.insufficient")].evidence["ratio"] == 0.8
    assert by_key[("L119", "G-GLS-03", "gift_stock.first_n_above_stock")].evidence["needed"] == 1800
    assert by_key[(None, "couriers", "couriers.hhi")].evidence["hhi"] == 5498
    capacity = by_key[(None, "couriers", "couriers.capacity_short")].evidence
    assert (capacity["peak_day_parcels"], capacity["required_capacity"], capacity["committed_capacity"]) == (
        12000,
        14400,
        8100,
    )
    assert capacity["per_courier"]["zto"]["planned"] == 8640
    assert by_key[("L125", "presale.ship_by", "presale.ship_date_beyond_limit")].exposure_max == Decimal("52800.00")
    assert by_key[("L126", "L126-1", "presale.ship_before_stock")].exposure_max == Decimal("56880.00")
    raise_36 = by_key[("L131", "L131-1", "price.raised_before_sale")].evidence
    assert (raise_36["from_price"], raise_36["to_price"], raise_36["to_date"]) == ("59.00", "79.00", "2026-11-06")


def test_correct_data_on_problem_listings_is_not_flagged(demo: list[CheckResult]) -> None:
    issues = _issues(demo)
    # L126 stock coverage 1.15 (its inbound arrives before sale_start).
    assert not [i for i in issues if i.check == "stock" and i.listing_id == "L126"]
    # L132: list price = 7-day lowest → only the raise.
    assert {i.rule for i in issues if i.listing_id == "L132"} == {"price.raised_before_sale"}
    # L117–L119 gifts are described; L120–L121 gift stock is enough.
    assert not [i for i in issues if i.check == "gifts" and i.listing_id in {"L117", "L118", "L119"}]
    assert not [i for i in issues if i.check == "gift_stock" and i.listing_id in {"L120", "L121"}]
    # L122–L124 and L126 ship dates are within the platform limit.
    assert not [i for i in issues if i.rule == "presale.ship_date_beyond_limit" and i.listing_id != "L125"]
    # L119 carries only the first-N edge case, as an info.
    assert {(i.rule, i.severity) for i in issues if i.listing_id == "L119"} == {
        ("gift_stock.first_n_above_stock", "info")
    }


def test_clean_listings_of_the_demo_shop_are_clean(demo: list[CheckResult]) -> None:
    clean_ids = {f"L1{n:02d}" for n in range(1, 11)}
    assert not [i for i in _issues(demo) if i.listing_id in clean_ids]


def test_demo_check_statuses(demo: list[CheckResult]) -> None:
    result = score(demo, set(), load_rule_pack("tmall"))
    statuses = {item.check: item.status for item in result.checks}
    assert statuses == {
        "stock": "fail",
        "gift_stock": "fail",
        "couriers": "fail",
        "presale_label": "fail",
        "gifts": "fail",
        "rebates": "fail",
        "price": "fail",
        "after_sales": "warn",
    }
    assert result.grade == "F"
    assert result.score < 60


def test_clean_shop_has_no_error_or_warning(clean: list[CheckResult]) -> None:
    flagged = [(i.check, i.listing_id, i.rule, i.severity) for i in _issues(clean) if i.severity != "info"]
    assert flagged == []
    assert _issues(clean) == []  # not even an info


def test_clean_shop_scores_at_least_90(clean: list[CheckResult]) -> None:
    bundle = parse_bundle((DEMO / "clean-shop.json").read_bytes()).bundle
    everything = run_checks(CheckContext.from_bundle(bundle, rules=load_rule_pack("tmall")))
    for results in (clean, everything):
        result = score(results, set(), load_rule_pack("tmall"))
        assert result.score >= 90
        assert result.grade == "A"
        assert {item.status for item in result.checks} == {"pass"}
        assert {item.status for item in result.listings} == {"pass"}
