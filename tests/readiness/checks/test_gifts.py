"""Gift description on the page (广告法 第八条): kind, spec, quantity, period, method."""

from __future__ import annotations

from decimal import Decimal

import pytest

from readiness.checks import gifts
from tests.readiness.checks.builders import PRESALE_START, context, finding, gift, listing, only, rules_of

FULL = "活动期间（2026年10月20日20:00至11月11日23:59）每笔订单随单赠送竹制茶则1个（长约17cm），与茶叶同箱发出。"


@pytest.mark.parametrize(
    ("description", "described", "expected"),
    [
        pytest.param(FULL, True, [], id="demo L110: fully described"),
        pytest.param(FULL, False, ["gifts.not_described"], id="flag false is an error whatever the page says"),
        pytest.param("双11下单送好礼，数量有限，先到先得。", True, ["gifts.not_named_on_page"], id="demo P19"),
        pytest.param("每笔订单随单赠送茶则1个（长约17cm），活动期间有效。", True, [], id="head noun 茶则 names it"),
        pytest.param(
            "每笔订单随单赠送竹制茶则（长约17cm），活动期间有效。", True, ["gifts.description_incomplete"], id="no qty"
        ),
        pytest.param(
            "每笔订单随单赠送竹制茶则1个，活动期间有效。", True, ["gifts.description_incomplete"], id="no spec"
        ),
        pytest.param("赠送竹制茶则1个（长约17cm）。", True, ["gifts.description_incomplete"], id="no period"),
        pytest.param("活动期间竹制茶则1个（长约17cm）。", True, ["gifts.description_incomplete"], id="no method"),
        pytest.param("本品不含茶则。", True, ["gifts.not_named_on_page"], id="head noun without 送/赠 is no offer"),
    ],
)
def test_gift_description_table(description: str, described: bool, expected: list[str]) -> None:
    item = listing("L1", description=description, gifts=[gift("竹制茶则", described_on_page=described)])
    assert rules_of(gifts.check(context([item]))) == expected


def test_incomplete_lists_what_is_missing() -> None:
    item = listing("L1", description="赠送竹制茶则。", gifts=[gift("竹制茶则")])
    issue = only(gifts.check(context([item])), "gifts.description_incomplete")
    assert issue.severity == "warning"
    assert issue.evidence["missing"] == ["quantity", "spec", "period"]
    assert "数量、规格、赠送期间" in issue.message


def test_not_described_issue_fields() -> None:
    # Demo P18.
    item = listing("L120", gifts=[gift("不锈钢开果器", sku_code="G-OPN-04", described_on_page=False)])
    issue = only(gifts.check(context([item])), "gifts.not_described")
    assert issue.severity == "error"
    assert (issue.listing_id, issue.sku, issue.field) == ("L120", "G-OPN-04", "gifts[0]")
    assert issue.owner == "listing_editor"
    assert issue.deadline == PRESALE_START
    assert "第八条" in issue.citation
    # 广告法 第五十九条: up to ¥100,000 — a range, not a number.
    assert (issue.exposure_min, issue.exposure_max) == (Decimal("0"), Decimal("100000"))


def test_gift_disclosure_findings_are_added_with_highlight() -> None:
    item = listing("L121", description="双11下单送好礼", gifts=[gift("便携茶叶罐")])
    findings = {
        "L121": [
            finding(
                "gift_disclosure",
                listing_id="L121",
                field="description",
                start=2,
                end=7,
                text="下单送好礼",
                severity="warning",
                rule="gift.vague",
            )
        ]
    }
    result = gifts.check(context([item], findings=findings))
    assert rules_of(result) == ["gifts.not_named_on_page", "gift.vague"]
    issue = only(result, "gift.vague")
    assert (issue.field, issue.start, issue.end, issue.text, issue.severity) == (
        "description",
        2,
        7,
        "下单送好礼",
        "warning",
    )


def test_listings_without_gifts_pass() -> None:
    result = gifts.check(context([listing("L1")]))
    assert result.issues == ()
    assert result.examined == 0
