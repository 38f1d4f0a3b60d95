"""Shop allow-lists and extra terms (ScanOptions)."""

from __future__ import annotations

import pytest

from scanners import Category, ExtraTerm, ScanOptions, Severity, scan_listing, scan_text
from scanners.options import allow_matcher, extra_matcher


def test_an_allowed_brand_silences_a_term_inside_it() -> None:
    assert scan_text("最生活 纯棉毛巾")
    assert scan_text("最生活 纯棉毛巾", options=ScanOptions(allow=frozenset({"最生活"}))) == []
    # Only what lies inside the name: the same words elsewhere are still reported.
    found = scan_text("最生活毛巾，最好的选择", options=ScanOptions(allow=frozenset({"最生活"})))
    assert [f.text for f in found] == ["最好"]


def test_allowed_names_match_whatever_the_spelling() -> None:
    opts = ScanOptions(allow=frozenset({"TOP-1"}))
    assert scan_text("top 1 运动耳机", options=opts) == []
    assert scan_text("ＴＯＰ１ 运动耳机", options=opts) == []


def test_the_listings_own_brand_and_model_are_allowed() -> None:
    listing = {
        "id": "L1",
        "title": "第一坊 手工挂面",
        "specs": {"品牌": "第一坊", "净含量": "500g"},
    }
    assert scan_listing(listing) == []
    listing["specs"] = {"净含量": "500g"}
    assert [f.text for f in scan_listing(listing)] == ["第一"]


def test_extra_terms_are_reported_with_their_own_settings() -> None:
    extra = ExtraTerm(
        term="秒杀价",
        category=Category.PRICE_CLAIM,
        severity=Severity.WARNING,
        message="“{text}”本店禁用",
        suggestion="活动价",
        citation="price_rules_19",
        rule="shop.banned_price_word",
    )
    (f,) = scan_text("今日秒 杀 价 99元", options=ScanOptions(extra_terms=(extra,)))
    assert (f.rule, f.category, f.severity, f.text) == ("shop.banned_price_word", "price_claim", "warning", "秒 杀 价")
    assert f.message == "“秒 杀 价”本店禁用"
    assert f.citation == "明码标价和禁止价格欺诈规定 第十九条"  # a key of citations.toml
    assert f.suggestion == "活动价"


def test_shop_automata_are_cached_per_distinct_set() -> None:
    a = (ExtraTerm(term="甲"), ExtraTerm(term="乙"))
    assert extra_matcher(a) is extra_matcher((ExtraTerm(term="甲"), ExtraTerm(term="乙")))
    assert allow_matcher(frozenset({"极米"})) is allow_matcher(frozenset({"极米"}))


def test_options_from_plain_data_name_the_bad_path() -> None:
    opts = ScanOptions.from_mapping(
        {"platform": "jd", "allow": ["极米"], "extra_terms": ["禁词", {"term": "坏词", "category": "price_claim"}]}
    )
    assert opts.platform == "jd"
    assert [e.term for e in opts.extra_terms] == ["禁词", "坏词"]
    with pytest.raises(ValueError, match=r"options.extra_terms\[1\].term"):
        ScanOptions.from_mapping({"extra_terms": ["x", {"term": ""}]})
    with pytest.raises(ValueError, match=r"options.extra_terms\[0\].category: unknown category"):
        ScanOptions.from_mapping({"extra_terms": [{"term": "x", "category": "nope"}]})
    with pytest.raises(ValueError, match=r"options\.platform"):
        ScanOptions.from_mapping({"platform": "amazon"})
    with pytest.raises(ValueError, match="unknown keys"):
        ScanOptions.from_mapping({"allowed": []})
