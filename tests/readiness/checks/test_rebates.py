"""Rebates: review cash-back is always an error; prize promotions need an official id and disclosed rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from readiness.checks import rebates
from tests.readiness.checks.builders import context, listing, only, rebate, rules_of

DISCLOSED = "双11当天（11月11日0:00起）付款前10名免单，名单11月12日公布。"


@pytest.mark.parametrize(
    ("kind", "text", "activity", "description", "expected"),
    [
        pytest.param("review_cashback", "五星好评返现5元", None, "", ["rebates.review_cashback"], id="demo P27"),
        pytest.param("review_cashback", "确认收货有惊喜", None, "", ["rebates.review_cashback"], id="any wording"),
        pytest.param("review_cashback", "好评返现", "TM-1", "", ["rebates.review_cashback"], id="even with an id"),
        pytest.param(
            "other", "晒图评价送3元红包", None, "", ["rebates.review_cashback_disguised"], id="demo P29: disguised"
        ),
        pytest.param("coupon", "追评送5元无门槛券", None, "", ["rebates.review_cashback_disguised"], id="coupon"),
        pytest.param("other", "收藏加购送小样", None, "", [], id="no review word"),
        pytest.param("coupon", "店铺优惠券 满300减30", None, "", [], id="demo L103 coupon"),
        pytest.param("full_reduction", "跨店满减 每满300减50", "TM-D11-2026-KDMJ", "", [], id="demo L108"),
        pytest.param(
            "free_order", "双11当天付款前10名免单", None, "", ["rebates.prize_without_official_activity"], id="P31"
        ),
        pytest.param(
            "ranking_cashback",
            "付款排名前100名返现50%",
            None,
            "双11当天付款排名前100名返现50%",
            ["rebates.prize_without_official_activity"],
            id="demo P32",
        ),
        pytest.param("free_order", "前10名免单", "TM-FREE-1", DISCLOSED, [], id="official and disclosed"),
        pytest.param(
            "free_order", "免单", "TM-FREE-1", "", ["rebates.prize_rules_undisclosed"], id="official, undisclosed"
        ),
        pytest.param(
            "ranking_cashback",
            "排名返现",
            None,
            "",
            ["rebates.prize_without_official_activity", "rebates.prize_rules_undisclosed"],
            id="neither",
        ),
    ],
)
def test_rebate_table(kind: str, text: str, activity: str | None, description: str, expected: list[str]) -> None:
    item = listing("L1", description=description, rebates=[rebate(kind, text, activity)])
    assert rules_of(rebates.check(context([item]))) == expected


def test_review_cashback_issue_fields() -> None:
    item = listing("L127", rebates=[rebate("review_cashback", "五星好评返现5元")])
    issue = only(rebates.check(context([item])), "rebates.review_cashback")
    assert issue.severity == "error"
    assert issue.owner == "operations"
    assert issue.field == "rebates[0]"
    assert issue.text == "五星好评返现5元"
    assert "第九条(五)" in issue.citation
    assert (issue.exposure_min, issue.exposure_max) == (Decimal("200000"), Decimal("1000000"))


def test_citation_and_fine_come_from_the_rule_pack() -> None:
    item = listing("L127", rebates=[rebate("review_cashback", "好评返现")])
    ctx = context(
        [item], overrides={"legal.review_inducement.fine_max": 5000000, "legal.review_inducement.citation": "新条文"}
    )
    issue = only(rebates.check(ctx), "rebates.review_cashback")
    assert issue.citation == "新条文"
    assert issue.exposure_max == Decimal("5000000")


def test_undisclosed_lists_missing_parts() -> None:
    item = listing("L1", rebates=[rebate("free_order", "免单", "TM-1")])
    issue = only(rebates.check(context([item])), "rebates.prize_rules_undisclosed")
    assert issue.severity == "warning"
    assert issue.evidence["missing"] == ["condition", "time"]
