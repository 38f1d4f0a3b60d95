"""Spec-consistency scanner: a labelled table of listings (cases/specs.toml) and the finding contract."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanners.findings import Category, Finding, Severity
from scanners.specs import scan_specs, spec_kind

CASES_FILE = Path(__file__).parent / "cases" / "specs.toml"
CASES: list[dict[str, Any]] = tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))["case"]


def _listing(case: dict[str, Any]) -> dict[str, Any]:
    listing: dict[str, Any] = {"id": "L1"}
    for key in ("title", "subtitle", "description", "specs"):
        if key in case:
            listing[key] = case[key]
    if "skus" in case:
        listing["skus"] = [{"code": f"S{i}", "name": name} for i, name in enumerate(case["skus"])]
    return listing


def _field_value(listing: dict[str, Any], field: str) -> str:
    if field.startswith("specs."):
        return str(listing["specs"][field[len("specs.") :]])
    if field.startswith("skus["):
        index = int(field[len("skus[") : field.index("]")])
        return str(listing["skus"][index]["name"])
    return str(listing[field])


def _assert_contract(listing: dict[str, Any], finding: Finding) -> None:
    """interfaces.md §1: exact spans on both sides, category, a message that names both values."""
    assert finding.category is Category.SPEC_MISMATCH
    assert finding.listing_id == "L1"
    assert _field_value(listing, finding.field)[finding.start : finding.end] == finding.text
    assert finding.related is not None
    related = finding.related
    assert related.start is not None and related.end is not None
    assert _field_value(listing, related.field)[related.start : related.end] == related.text
    assert finding.text in finding.message and related.text in finding.message
    assert finding.citation
    data = finding.to_dict()
    assert data["category"] == "spec_mismatch" and set(data["related"]) >= {"field", "text"}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_listing_table(case: dict[str, Any]) -> None:
    listing = _listing(case)
    findings = scan_specs(listing)
    for finding in findings:
        _assert_contract(listing, finding)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    warnings = [f for f in findings if f.severity is Severity.WARNING]
    described = [f.to_dict() for f in findings]
    if case["expect"] == "consistent":
        assert findings == [], described
        return
    if case["expect"] == "mismatch":
        assert errors, described
        candidates = errors
    else:
        assert case["expect"] == "review"
        assert warnings and not errors, described
        candidates = warnings
    for key, attr in (("rule", "rule"), ("field", "field"), ("text", "text")):
        if key in case:
            candidates = [f for f in candidates if getattr(f, attr) == case[key]]
    if "related" in case:
        candidates = [f for f in candidates if f.related is not None and f.related.field == case["related"]]
    if "related_text" in case:
        candidates = [f for f in candidates if f.related is not None and f.related.text == case["related_text"]]
    assert candidates, described


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 100


def test_message_states_both_values_in_one_unit() -> None:
    (finding,) = scan_specs({"id": "L1", "title": "东北大米 三斤装", "specs": {"净含量": "1kg"}})
    assert finding.rule == "spec.mass_mismatch"
    assert finding.message.startswith("规格表净含量 1kg，标题写 三斤（1.5kg）")
    assert finding.suggestion == "2斤"
    assert finding.citation == "《消费者权益保护法》第二十条；《广告法》第八条"
    assert finding.to_dict()["related"] == {"field": "specs.净含量", "text": "1kg", "start": 0, "end": 3}


def test_spans_are_offsets_into_the_original_value() -> None:
    listing = {"id": "L1", "title": "【官方】 红枣 １０００ｇ 包邮", "specs": {"净含量": "  500 g"}}
    (finding,) = scan_specs(listing)
    assert listing["title"][finding.start : finding.end] == "１０００ｇ"
    assert finding.related is not None and finding.related.text == "500 g"


def test_one_finding_per_quantity() -> None:
    findings = scan_specs({"id": "L1", "title": "大米 1.5kg", "specs": {"净含量": "1kg", "毛重": "1.2kg"}})
    assert [(f.field, f.text) for f in findings] == [("title", "1.5kg")]


@pytest.mark.parametrize(
    "listing",
    [
        {},
        {"id": "L1"},
        {"id": "L1", "specs": None, "title": "三斤"},
        {"id": "L1", "specs": ["净含量", "1kg"], "title": "三斤"},
        {"id": "L1", "specs": {"净含量": None}, "title": "三斤"},
        {"id": "L1", "specs": {"净含量": True}, "title": "三斤"},
        {"id": "L1", "specs": {"净含量": "1kg"}, "title": 3, "skus": "500g"},
        {"id": "L1", "specs": {"净含量": "1kg"}, "skus": [None, {"name": None}, {"code": "x"}]},
        {"id": 7, "specs": {"净含量": 1000}, "title": "三斤"},
    ],
)
def test_odd_input_does_not_crash(listing: dict[str, Any]) -> None:
    for finding in scan_specs(listing):
        assert finding.category is Category.SPEC_MISMATCH


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("净含量", "净含量"),
        ("产品净含量", "净含量"),
        ("净含量(g)", "净含量"),
        ("净含量（克）", "净含量"),
        ("屏幕尺寸", "屏幕尺寸"),
        ("电池容量(mAh)", "电池容量"),
        ("额定容量", "额定容量"),
        ("毛重", "毛重"),
        ("产地", None),
        ("蛋白质含量", None),
        ("适用身高", None),
        ("适用体重", None),
        ("适用床垫尺寸", "适用床垫尺寸"),
        ("单果重量", "单果重量"),
        ("裤长", "裤长"),
        ("床单尺寸", "尺寸"),
        ("箱规", "箱规"),
    ],
)
def test_spec_names(name: str, expected: str | None) -> None:
    kind = spec_kind(name)
    assert (kind.name if kind else None) == expected


_PIECES = st.sampled_from(
    [
        "三斤",
        "1kg",
        "500g*2袋",
        "2袋×500g",
        "约4kg",
        "6斤起",
        "3-5斤",
        "2L",
        "500ml",
        "75寸",
        "20000mAh",
        "74Wh",
        "2200W",
        "3.7V",
        "100抽×3包",
        "两件套",
        "16oz",
        "180×200cm",
        "净含量",
        "毛重",
        "赠",
        "每",
        "/",
        "、",
        "。",
        " ",
        "x",
        "iPhone 15",
        "单颗约300g",
        "16-20只",
        "每日喂食量约50g",
        "4741g 4750g",
        "裤长",
        "买一送一",
        "（9-14kg）",
    ]
)
_TEXT = st.lists(_PIECES | st.text(max_size=4), max_size=8).map("".join)
_SPEC_NAMES = st.sampled_from(
    [
        "净含量",
        "毛重",
        "容量",
        "屏幕尺寸",
        "电池容量",
        "额定容量",
        "功率",
        "件数",
        "规格",
        "单果重量",
        "适用体重",
        "裤长",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    title=_TEXT,
    description=_TEXT,
    skus=st.lists(_TEXT, max_size=3),
    specs=st.dictionaries(_SPEC_NAMES, _TEXT, max_size=4),
)
def test_arbitrary_listings_never_crash_and_spans_map_back(
    title: str, description: str, skus: list[str], specs: dict[str, str]
) -> None:
    listing: dict[str, Any] = {
        "id": "L1",
        "title": title,
        "description": description,
        "specs": specs,
        "skus": [{"code": str(i), "name": n} for i, n in enumerate(skus)],
    }
    for finding in scan_specs(listing):
        _assert_contract(listing, finding)
