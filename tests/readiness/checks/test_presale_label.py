"""Presale labelling: 预售 on the page, an explicit ship date within the platform's limit and after stock
arrives; scanner findings (vague promises, 现货) become issues with their highlight."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from readiness.checks import presale_label
from tests.readiness.checks.builders import (
    PRESALE_START,
    context,
    finding,
    inbound,
    listing,
    only,
    presale,
    promotion,
    rules_of,
    sku,
)

GOOD_TITLE = "【预售】凤凰单丛 蜜兰香 250g 11月4日前发货"


@pytest.mark.parametrize(
    ("title", "label", "expected"),
    [
        pytest.param(GOOD_TITLE, "预售 11月4日前发货", [], id="title and label say 预售"),
        pytest.param("凤凰单丛 250g", "预售 11月4日前发货", [], id="label alone is enough"),
        pytest.param("【预售】凤凰单丛 250g", "11月4日前发货", [], id="title alone is enough"),
        pytest.param("新会小青柑 11月4日前发货", "11月4日前发货", ["presale.not_labelled"], id="demo P20"),
        pytest.param("凤凰单丛 非预售", "非预售 11月4日前发货", ["presale.not_labelled"], id="非预售 is not 预售"),
        pytest.param(
            "白牡丹 300g", "预售（非现货）付尾款后3天内发货", [], id="非现货 label is a correct presale label"
        ),
        pytest.param(
            "【预售】滇红松针", "预售 付尾款后陆续发货", ["presale.ship_date_not_stated"], id="demo P21: no date"
        ),
        pytest.param("【预售】滇红", "预售 付尾款后3天内发货", [], id="付尾款后N天内发货 is explicit"),
        pytest.param("【预售】滇红", "预售 付款后48小时内发货", [], id="hours are explicit too"),
        pytest.param("【预售】滇红", "预售 2026-11-04前发货", [], id="ISO date"),
        pytest.param(
            "【预售】滇红", "预售 11月5日前发货", ["presale.ship_date_differs"], id="stated date is not ship_by"
        ),
        pytest.param("茶", "尽快发货", ["presale.not_labelled", "presale.ship_date_not_stated"], id="both missing"),
    ],
)
def test_label_table(title: str, label: str, expected: list[str]) -> None:
    item = listing("L1", title=title, description="", presale=presale("2026-11-04", label))
    assert rules_of(presale_label.check(context([item]))) == expected


def test_non_presale_listings_are_not_examined() -> None:
    result = presale_label.check(context([listing("L1", title="现货速发 尽快发货")]))
    assert result.issues == ()
    assert result.examined == 0


def test_negation_is_not_a_contradiction_for_the_data_rules() -> None:
    # Demo L105: 非现货 everywhere. The data rules never look for 现货 (that is the scanner's job), and the
    # listing is otherwise correct, so the check reports nothing without scanner findings.
    item = listing(
        "L105",
        title="【预售】2026年福鼎白牡丹 紧压白茶饼 300g 非现货 付尾款后3天内发货",
        description="本商品为预售非现货，需先付定金，10月31日20:00起付尾款，付尾款后3天内发货。",
        presale=presale("2026-11-03", "预售（非现货）付尾款后3天内发货"),
        skus=[sku("L105-1", stock=1000, forecast_units=760)],
    )
    assert presale_label.check(context([item])).issues == ()


def test_ship_date_differs_is_highlighted() -> None:
    item = listing("L1", title=GOOD_TITLE, description="", presale=presale("2026-11-02", "预售 11月4日前发货"))
    result = presale_label.check(context([item]))
    issues = [i for i in result.issues if i.rule == "presale.ship_date_differs"]
    assert [(i.field, i.start, i.end, i.text) for i in issues] == [
        ("title", 18, 23, "11月4日"),
        ("presale.label", 3, 8, "11月4日"),
    ]
    assert all(i.severity == "warning" for i in issues)


def test_stated_date_with_year() -> None:
    item = listing(
        "L125",
        title="【预售】紫砂壶",
        description="",
        presale=presale("2027-01-05", "预售 定制刻字 2027年1月5日前发货"),
        skus=[sku("L125-1", forecast_units=0)],
    )
    ctx = context([item], overrides={"presale.max_delay_days": 90})
    assert rules_of(presale_label.check(ctx)) == []


@pytest.mark.parametrize(
    ("platform", "ship_by", "expected"),
    [
        pytest.param("tmall", "2026-11-30", [], id="tmall: 30 days after final payment"),
        pytest.param("tmall", "2026-12-01", ["presale.ship_date_beyond_limit"], id="tmall: 31 days"),
        pytest.param("pdd", "2026-11-15", [], id="pdd: 15 days"),
        pytest.param("pdd", "2026-11-16", ["presale.ship_date_beyond_limit"], id="pdd: 16 days"),
        pytest.param("douyin", "2026-11-16", ["presale.ship_date_beyond_limit"], id="douyin: 16 days"),
        pytest.param("jd", "2026-11-30", [], id="jd: 30 days"),
    ],
)
def test_max_delay_per_platform(platform: str, ship_by: str, expected: list[str]) -> None:
    item = listing(
        "L1", title=GOOD_TITLE, description="", presale=presale(ship_by, "预售 付尾款后发货，见详情 2026-11-04")
    )
    found = [r for r in rules_of(presale_label.check(context([item], platform=platform))) if "limit" in r]
    assert found == expected


def test_max_delay_is_an_override() -> None:
    item = listing("L1", title="【预售】凤凰单丛", presale=presale("2026-12-10", "预售 12月10日前发货"))
    assert rules_of(presale_label.check(context([item]))) == ["presale.ship_date_beyond_limit"]  # 40 days
    assert rules_of(presale_label.check(context([item], overrides={"presale.max_delay_days": 45}))) == []


def test_delay_falls_back_to_presale_start_without_final_payment() -> None:
    promo = promotion(final_payment_start=None)
    item = listing("L1", title=GOOD_TITLE, presale=presale("2026-11-20", "预售 11月20日前发货"))
    issue = only(presale_label.check(context([item], promo=promo)), "presale.ship_date_beyond_limit")
    assert issue.evidence["counted_from"] == "presale_start"
    assert issue.evidence["delay_days"] == 31


def test_beyond_limit_exposure_like_demo_p25() -> None:
    item = listing(
        "L125",
        title="【预售】宜兴紫砂壶 原矿朱泥 西施壶 定制刻字 200ml",
        description="全部订单于2027年1月5日前发货。",
        presale=presale("2027-01-05", "预售 定制刻字 2027年1月5日前发货"),
        skus=[sku("L125-1", price="880.00", stock=260, forecast_units=200, safety_stock=20)],
    )
    issue = only(presale_label.check(context([item])), "presale.ship_date_beyond_limit")
    assert issue.severity == "error"
    assert issue.owner == "operations"
    assert issue.deadline == PRESALE_START
    assert issue.evidence["delay_days"] == 66
    assert issue.evidence["limit_verified"] is False
    # 30% × ¥880 = ¥264 per order (under the ¥500 cap) × 200 orders.
    assert issue.exposure_min == issue.exposure_max == Decimal("52800.00")


@pytest.mark.parametrize(
    ("on_hand", "arrives", "forecast", "expected"),
    [
        pytest.param(0, "2026-11-08", 1200, ["presale.ship_before_stock"], id="demo P26: arrives after ship_by"),
        pytest.param(200, "2026-10-28", 850, [], id="demo L104: arrives a week before"),
        pytest.param(0, "2026-11-01", 1000, [], id="arrives the day before ship_by (1 handling day)"),
        pytest.param(0, "2026-11-02", 1000, ["presale.ship_before_stock"], id="arrives on ship_by: no time to pack"),
        pytest.param(999, "2026-11-30", 1000, ["presale.ship_before_stock"], id="one order short"),
        pytest.param(1000, "2026-11-30", 1000, [], id="on hand covers the forecast"),
    ],
)
def test_ship_date_against_stock_arrival(on_hand: int, arrives: str, forecast: int, expected: list[str]) -> None:
    item = listing(
        "L1",
        title="【预售】铁观音 11月2日前发货",
        description="",
        presale=presale("2026-11-02", "预售 11月2日前发货"),
        skus=[sku("L1-1", stock=on_hand, inbound=[inbound(1500, arrives)], forecast_units=forecast)],
    )
    assert rules_of(presale_label.check(context([item]))) == expected


def test_ship_before_stock_exposure_like_demo_p26() -> None:
    item = listing(
        "L126",
        title="【预售】2026年秋茶 安溪铁观音 浓香型 炭焙 250g 11月2日前发货",
        presale=presale("2026-11-02", "预售 11月2日前发货"),
        skus=[sku("L126-1", price="158.00", stock=0, inbound=[inbound(1500, "2026-11-08")], forecast_units=1200)],
    )
    issue = only(presale_label.check(context([item])), "presale.ship_before_stock")
    assert issue.sku == "L126-1"
    assert issue.evidence["late_orders"] == 1200
    assert issue.evidence["compensation_per_order"] == "47.40"
    assert issue.exposure_max == Decimal("56880.00")


def test_handling_days_is_configurable() -> None:
    item = listing(
        "L1",
        title=GOOD_TITLE,
        presale=presale("2026-11-04", "预售 11月4日前发货"),
        skus=[sku("L1-1", stock=0, inbound=[inbound(1000, "2026-11-04")], forecast_units=1000)],
    )
    assert rules_of(presale_label.check(context([item]))) == ["presale.ship_before_stock"]
    assert rules_of(presale_label.check(context([item], overrides={"presale.handling_days": 0}))) == []


def test_missing_ship_by() -> None:
    item = listing("L1", title=GOOD_TITLE, description="", presale=presale(None, "预售 11月4日前发货"))
    assert rules_of(presale_label.check(context([item]))) == ["presale.ship_by_missing"]


def test_scanner_findings_become_issues_with_their_highlight() -> None:
    # Demo P21–P24: vague promises and 现货 on a presale listing come from the scanner.
    item = listing(
        "L124",
        title="【预售】2026年 安吉白茶 明前 绿茶 250g 现货速发",
        presale=presale("2026-11-04", "预售 11月4日前发货"),
    )
    findings = {
        "L124": [
            finding(
                "presale_label",
                listing_id="L124",
                field="title",
                start=26,
                end=28,
                text="现货",
                rule="presale.in_stock_contradiction",
                citation="平台预售规则",
            ),
            finding("extreme_wording", listing_id="L124", field="title", start=0, end=2, text="预售"),
        ]
    }
    result = presale_label.check(context([item], findings=findings))
    issue = only(result, "presale.in_stock_contradiction")
    assert (issue.field, issue.start, issue.end, issue.text) == ("title", 26, 28, "现货")
    assert issue.check == "presale_label"
    assert issue.owner == "listing_editor"
    assert issue.citation == "平台预售规则"
    assert issue.deadline == PRESALE_START
    assert len(result.issues) == 1  # the extreme_wording finding belongs to listing_text


def test_page_deadline_without_presale_phase_is_sale_start() -> None:
    promo = promotion(presale_start=None, final_payment_start=None)
    item = listing("L1", title="茶", description="", presale=presale("2026-11-12", "11月12日前发货"))
    issue = only(presale_label.check(context([item], promo=promo)), "presale.not_labelled")
    assert issue.deadline == promo.sale_start
    assert issue.deadline is not None and issue.deadline.utcoffset() == dt.timedelta(hours=8)


def test_the_scanners_missing_ship_time_gives_way_to_the_data_rule_on_a_marked_listing() -> None:
    # A presale page that tells its payment schedule without a ship time: on a listing marked presale the data rule
    # reports it once (presale.ship_date_not_stated); the scanner's finding of the same is not repeated.
    text = "订金10元抵110元，支付尾款立减50元"
    item = listing("L1", title="【预售】滇红", description=text, presale=presale("2026-11-04", "预售"))
    findings = {
        "L1": [
            finding(
                "presale_label",
                listing_id="L1",
                field="description",
                start=0,
                end=2,
                text="订金",
                severity="warning",
                rule="presale.ship_time_missing",
            )
        ]
    }
    result = presale_label.check(context([item], findings=findings))
    assert rules_of(result) == ["presale.ship_date_not_stated"]
