"""A plan with gaps imports and the checks report the gaps (issue 17, "Plans are judged, not refused").

The rules the bundle validator used to refuse (docs/checks.md, "Refused or reported") fire here, with rule id,
severity, owner and deadline; messages name couriers and codes the way people say them.
"""

from __future__ import annotations

import json

import pytest

from readiness.checks import CheckContext, couriers, presale_label, rebates, run_checks, stock
from readiness.checks.phases import courier_deadline, page_deadline, stock_deadline
from readiness.imports.bundle import example_bundle, parse_bundle
from readiness.rulepacks import load_rule_pack
from tests.readiness.checks.builders import context, courier, listing, promotion, rebate, rules_of, sku

NAMED = {"zto": "中通快递", "yto": "圆通速递", "sf": "顺丰速运"}


def _named(code: str, share: float, capacity: int, **changes: object) -> object:
    return courier(code, share, capacity, name=NAMED[code], **changes)  # type: ignore[arg-type]


# ---- courier shares ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shares", "severity"),
    [
        pytest.param([0.5, 0.3], "error", id="0.8: a fifth of the parcels has no courier"),
        pytest.param([0.6, 0.6], "warning", id="1.2: parcels promised twice"),
        pytest.param([0.5, 0.5], None, id="exactly 1"),
        pytest.param([0.33, 0.33, 0.33], None, id="0.99: rounding, within the tolerance"),
        pytest.param([0.34, 0.33, 0.34], None, id="1.01: exactly at the tolerance is fine"),
    ],
)
def test_courier_shares_not_adding_up(shares: list[float], severity: str | None) -> None:
    plan = [courier(code, share, 8000) for code, share in zip(("zto", "yto", "sf"), shares, strict=False)]
    ctx = context([listing()], couriers=plan)
    found = [i for i in couriers.check(ctx).issues if i.rule == "couriers.shares_not_one"]
    if severity is None:
        assert found == []
        return
    [issue] = found
    assert (issue.severity, issue.owner, issue.field) == (severity, "logistics", "couriers")
    assert issue.deadline == courier_deadline(ctx.promotion, ctx.rules)
    assert issue.evidence["total"] == pytest.approx(sum(shares))


def test_share_message_names_the_couriers() -> None:
    plan = [_named("zto", 0.5, 8000), _named("yto", 0.3, 8000)]
    [issue] = [
        i for i in couriers.check(context([listing()], couriers=plan)).issues if i.rule == "couriers.shares_not_one"
    ]
    assert issue.message.startswith("各快递计划占比合计 80%（中通快递 50%、圆通速递 30%）")
    assert "zto" not in issue.message and "yto" not in issue.message


@pytest.mark.parametrize("plan", [None, []], ids=["with couriers", "without couriers"])
def test_destination_shares_not_adding_up(plan: list[object] | None) -> None:
    ctx = context([listing()], promo=promotion(destinations={"华东": 0.5, "华南": 0.2}), couriers=plan)  # type: ignore[arg-type]
    [issue] = [i for i in couriers.check(ctx).issues if i.rule == "couriers.destinations_not_one"]
    assert (issue.severity, issue.owner, issue.field) == ("warning", "operations", "destinations")
    assert issue.deadline == courier_deadline(ctx.promotion, ctx.rules)
    assert "70%" in issue.message


def test_destinations_adding_up_pass() -> None:
    assert "couriers.destinations_not_one" not in rules_of(couriers.check(context([listing()])))


# ---- names, not codes, in messages ------------------------------------------------------------------------------


def test_courier_messages_use_names_not_codes() -> None:
    regions = {"zto": ("华东", "华南"), "yto": ("华东",), "sf": ("华东",)}
    plan = [
        _named("zto", 0.8, 3000, regions=regions["zto"], intercept=False),
        _named("yto", 0.1, 300, regions=regions["yto"]),
        _named("sf", 0.1, 300, regions=regions["sf"]),
    ]
    result = couriers.check(context([listing()], couriers=plan))
    by_rule = {issue.rule: issue for issue in result.issues}
    assert {
        "couriers.top_share",
        "couriers.region_few_couriers",
        "couriers.capacity_short",
        "couriers.no_intercept",
    } <= set(by_rule)
    assert "中通快递 计划承担 80%" in by_rule["couriers.top_share"].message
    assert "（中通快递）" in by_rule["couriers.region_few_couriers"].message
    assert "中通快递 计划" in by_rule["couriers.capacity_short"].message
    assert by_rule["couriers.no_intercept"].message.startswith("中通快递（计划占比 80%）")
    for issue in result.issues:
        for code in NAMED:
            assert code not in issue.message and code not in issue.remediation, (issue.rule, issue.message)
    # The evidence keeps the codes, for programs.
    assert by_rule["couriers.region_few_couriers"].evidence["couriers"] == ["zto"]


def test_over_capacity_names_the_courier() -> None:
    plan = [_named("zto", 0.5, 2500), _named("yto", 0.5, 20000)]
    [issue] = [
        i
        for i in couriers.check(context([listing()], couriers=plan)).issues
        if i.rule == "couriers.courier_over_capacity"
    ]
    assert issue.message.startswith("中通快递 高峰日计划 3000 个包裹")
    assert "中通快递" in issue.remediation and "zto" not in issue.remediation


def test_courier_without_a_name_falls_back_to_its_code() -> None:
    plan = [courier("zto", 0.8, 30000, name=""), courier("yto", 0.2, 30000)]
    [issue] = [i for i in couriers.check(context([listing()], couriers=plan)).issues if i.rule == "couriers.top_share"]
    assert issue.message.startswith("zto 计划承担")


def test_disguised_rebate_names_the_kind_in_chinese() -> None:
    item = listing("L1", rebates=[rebate("coupon", "追评送5元无门槛券")])
    [issue] = rebates.check(context([item])).issues
    assert "登记类型为优惠券" in issue.message
    assert "coupon" not in issue.message


# ---- a listing without a forecast ----------------------------------------------------------------------------------


def test_listing_without_forecast_is_reported_not_skipped() -> None:
    item = listing(
        "L7",
        skus=[
            sku("L7-1", forecast_units=0, safety_stock=None, stock=40),
            sku("L7-2", forecast_units=0, safety_stock=None, stock=2),
        ],
    )
    ctx = context([item])
    result = stock.check(ctx)
    [issue] = result.issues
    assert (issue.rule, issue.severity, issue.owner) == ("stock.no_forecast", "info", "operations")
    assert issue.message.startswith("无销量预测：商品没有销量预测，库存未评估")
    assert "42 件" in issue.message
    assert (issue.listing_id, issue.sku) == ("L7", None)
    assert issue.evidence["skus"] == ["L7-1", "L7-2"]
    assert issue.deadline == stock_deadline(ctx.promotion, ctx.rules)
    assert result.examined == 2


def test_some_skus_without_forecast_are_named() -> None:
    item = listing("L8", skus=[sku("L8-1"), sku("L8-2", forecast_units=0, safety_stock=None)])
    [issue] = stock.check(context([item])).issues
    assert issue.rule == "stock.no_forecast"
    assert "SKU L8-2 没有销量预测" in issue.message
    assert issue.sku == "L8-2"


def test_a_forecast_of_safety_stock_only_is_judged() -> None:
    item = listing("L9", skus=[sku("L9-1", forecast_units=0, safety_stock=10, stock=5)])
    assert rules_of(stock.check(context([item]))) == ["stock.coverage_low"]


# ---- from a bundle with gaps to the checks' issues -------------------------------------------------------------------


def test_bundle_with_gaps_imports_and_every_gap_is_reported() -> None:
    """The bundle the validator used to refuse parses, and the checks report each gap with owner and deadline."""
    data = example_bundle()
    item = data["listings"][0]
    item["presale"] = {"enabled": True, "label": "预售"}  # no ship_by
    item["skus"][0]["forecast_units"] = 0
    item["skus"][0].pop("safety_stock", None)
    for sku_data in item["skus"]:
        sku_data["forecast_units"] = 0
        sku_data.pop("safety_stock", None)
    data["couriers"][0]["planned_share"] = 0.3  # shares now add up to less than 1
    data["promotion"]["destinations"] = {"华东": 0.5, "华南": 0.1}
    parsed = parse_bundle(json.dumps(data, ensure_ascii=False))
    ctx = CheckContext.from_bundle(parsed.bundle, rules=load_rule_pack(parsed.bundle.shop.platform))
    issues = {issue.rule: issue for result in run_checks(ctx) for issue in result.issues}
    missing = issues["presale.ship_by_missing"]
    assert (missing.severity, missing.owner, missing.listing_id) == ("error", "operations", item["id"])
    assert missing.deadline == page_deadline(parsed.bundle.promotion)
    assert issues["couriers.shares_not_one"].severity == "error"
    assert issues["couriers.destinations_not_one"].owner == "operations"
    assert issues["stock.no_forecast"].listing_id == item["id"]
    assert presale_label.NAME == "presale_label"
