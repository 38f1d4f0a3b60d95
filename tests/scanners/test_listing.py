"""scan_listing: the fields read, the listing's presale state and kind, merging with the spec scanner."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from scanners import Category, Finding, Severity, listing_fields, scan_listing, scan_listing_wording


def _listing(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "L100",
        "category": "food",
        "title": "红枣枸杞茶 最佳选择",
        "subtitle": "送礼首选",
        "description": "好评返现5元。坚持饮用可降血压。",
        "specs": {"净含量": "500g", "功效": "美容养颜"},
        "presale": {"enabled": True, "ship_by": "2026-11-15", "label": "预售 尽快发货"},
        "gifts": [{"name": "极品茶杯"}],
        "skus": [{"code": "L100-1", "name": "现货 500g*2袋"}],
    }
    base.update(extra)
    return base


def test_every_text_field_is_scanned_and_named_by_its_path() -> None:
    fields = {f.field for f in scan_listing_wording(_listing())}
    assert fields == {
        "title",
        "subtitle",
        "description",
        "specs.功效",
        "presale.label",
        "gifts[0].name",
        "skus[0].name",
    }


def test_offsets_point_into_each_fields_own_value() -> None:
    listing = _listing()
    values = dict(listing_fields(listing))
    for f in scan_listing(listing):
        assert values[f.field][f.start : f.end] == f.text
        assert f.listing_id == "L100"


def test_presale_wording_only_on_presale_listings() -> None:
    on = {f.rule for f in scan_listing_wording(_listing())}
    assert {"presale.vague_ship_time", "presale.in_stock_claim"} <= on
    off = {f.rule for f in scan_listing_wording(_listing(presale={"enabled": False, "label": "尽快发货"}))}
    assert not any(r.startswith("presale.") for r in off)


def test_the_category_selects_citations_and_rules() -> None:
    food = {f.text: f for f in scan_listing_wording(_listing())}
    assert food["降血压"].citation == "食品安全法 第七十三条"
    assert food["美容养颜"].rule == "medical.food_function"
    general = {f.text: f for f in scan_listing_wording(_listing(category="home"))}
    assert general["降血压"].citation == "广告法 第十七条"
    # on home goods beauty from within is a health effect to prove (a warning), not a food's banned function
    assert general["美容养颜"].rule == "medical.health_claim"
    assert general["美容养颜"].severity is Severity.WARNING


def test_a_reference_price_with_a_registered_basis_is_only_information() -> None:
    listing = {
        "id": "P",
        "description": "原价999，现价199",
        "skus": [{"name": "标准装", "list_price_basis": "前7日最低成交价"}],
    }
    (f,) = scan_listing_wording(listing)
    assert f.severity is Severity.INFO


def test_spec_findings_are_merged_and_sorted() -> None:
    # 250g in the title against 净含量 500g: a spec finding in the title, among the title's wording findings.
    found = scan_listing(_listing(title="红枣枸杞茶 250g 最佳选择"))
    spec = [f for f in found if f.category is Category.SPEC_MISMATCH]
    assert [(f.field, f.text, f.listing_id) for f in spec] == [("title", "250g", "L100")]
    assert spec[0].related is not None and spec[0].related.field == "specs.净含量"
    title = [f for f in found if f.field == "title"]
    assert {f.category for f in title} >= {Category.SPEC_MISMATCH, Category.EXTREME_WORDING}
    assert found == sorted(found, key=Finding.sort_key)
    assert all(f.listing_id == "L100" for f in found)


def test_a_listing_with_only_an_id_has_no_findings() -> None:
    assert scan_listing({"id": "E"}) == []


def test_importing_scanners_loads_no_django() -> None:
    code = "import sys, scanners; scanners.scan_text('最佳'); print(json.dumps(sorted(m for m in sys.modules if m.startswith(('django', 'readiness')))))"
    proc = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout) == []
