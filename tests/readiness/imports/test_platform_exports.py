"""readiness.imports.platform_exports: the platforms' own catalogue files read without a mapping; categories;
the downloadable template. Pure: no database."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from readiness import categories
from readiness.imports import platform_exports, spreadsheet
from readiness.imports.bundle import parse_bundle
from tests.factories import bundle_dict

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str) -> spreadsheet.Table:
    return spreadsheet.read_table((FIXTURES / name).read_bytes(), name)


def base() -> dict[str, Any]:
    return spreadsheet.bundle_to_json(parse_bundle(json.dumps(bundle_dict(listings=2), ensure_ascii=False)).bundle)


def imported(name: str, data: dict[str, Any] | None = None) -> tuple[platform_exports.Recognised, Any]:
    known = platform_exports.recognise(read(name))
    assert known is not None
    result = spreadsheet.apply_table(data or base(), known.table, known.mapping, off_shelf=known.off_shelf)
    assert result.issues == []
    parse_bundle(json.dumps(result.bundle, ensure_ascii=False))  # the bundle validation accepts it
    return known, result


def listing(result: Any, listing_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(item for item in result.bundle["listings"] if item["id"] == listing_id)
    return found


@pytest.mark.parametrize(
    ("name", "key", "on_sale", "off_shelf"),
    [
        ("taobao_assistant_gbk.csv", "taobao_assistant", ["681234567890", "TB-TGY"], "681234560001"),
        ("qianniu_export.xlsx", "qianniu", ["700100200301", "700100200302"], "700100200303"),
        ("pinduoduo_export.csv", "pinduoduo", ["4201001"], "4201002"),
    ],
)
def test_each_export_is_recognised_and_imported_without_mapping(
    name: str, key: str, on_sale: list[str], off_shelf: str
) -> None:
    known, result = imported(name)
    assert known.format.key == key
    ids = [item["id"] for item in result.bundle["listings"]]
    assert ids[:2] == ["L100", "L101"]  # the shop's listings stay
    assert ids[2:] == on_sale
    assert off_shelf not in ids  # 仓库中 / 已下架: not imported as on sale
    assert known.off_shelf == [off_shelf]
    assert [n.params["listing"] for n in known.notes] == [off_shelf]
    assert result.listings_added == len(on_sale)


def test_taobao_assistant_gbk_file_is_detected_and_its_sku_combinations_read() -> None:
    raw = (FIXTURES / "taobao_assistant_gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the fixture really is GBK
    table = read("taobao_assistant_gbk.csv")
    assert table.headers[0] == "version 1.00"
    known, result = imported("taobao_assistant_gbk.csv")
    assert "宝贝名称" in known.table.headers and "销售属性组合" in known.table.headers
    tea = listing(result, "681234567890")
    assert tea["title"] == "武夷山正山小种红茶 250g 罐装"
    assert tea["subtitle"] == "桐木关松烟香"
    assert tea["description"] == "产自福建武夷山桐木关。\n松烟香，桂圆汤味&回甘。"  # HTML made text
    assert [(s["code"], s["name"], s["price"], s["stock"]) for s in tea["skus"]] == [
        ("TB-ZS-250", "罐装250g", "128.00", 200),
        ("TB-ZS-250G", "礼盒250g", "138.00", 100),
    ]
    # 数字ID 0 (not yet published): the listing is known by its 商家编码; 预售时间 makes it a presale
    oolong = listing(result, "TB-TGY")
    assert oolong["presale"] == {"enabled": True, "ship_by": "2026-11-08", "label": ""}
    assert [(s["code"], s["price"], s["stock"]) for s in oolong["skus"]] == [("TB-TGY", "96.00", 120)]
    note = known.notes[0]
    assert note.row == 6 and note.column == "放入仓库" and note.params["status"] == "仓库中"


def test_the_same_taobao_assistant_file_in_utf8_is_recognised_too() -> None:
    raw = (FIXTURES / "taobao_assistant_gbk.csv").read_bytes().decode("gbk").encode("utf-8-sig")
    known = platform_exports.recognise(spreadsheet.read_table(raw, "utf8.csv"))
    assert known is not None and known.format.key == "taobao_assistant"
    assert known.table.rows[0][1][1] == "武夷山正山小种红茶 250g 罐装"


def test_an_item_in_the_warehouse_the_shop_had_is_taken_out_so_the_import_archives_it() -> None:
    data = base()
    data["listings"][0]["id"] = "700100200303"  # the shop has the item the 千牛 file says is 仓库中
    known, result = imported("qianniu_export.xlsx", data)
    assert "700100200303" not in [item["id"] for item in result.bundle["listings"]]
    assert result.listings_archived == 1
    assert known.notes[0].params == {"listing": "700100200303", "status": "仓库中"}


def test_pinduoduo_rows_are_skus_of_one_listing_with_group_price() -> None:
    _known, result = imported("pinduoduo_export.csv")
    item = listing(result, "4201001")
    assert item["category"] == "tea"  # 食品保健>茶叶>红茶
    assert [(s["code"], s["name"], s["price"], s["stock"]) for s in item["skus"]] == [
        ("PDD-DH-1", "罐装 100g", "59.90", 80),
        ("PDD-DH-2", "罐装 200g", "109.00", 40),
    ]


def test_categories_arrive_as_platform_text_and_are_stored_as_the_products_category() -> None:
    _known, result = imported("qianniu_export.xlsx")
    assert listing(result, "700100200301")["category"] == "tea"  # 茶/咖啡/冲饮>>乌龙茶
    assert listing(result, "700100200302")["category"] == "teaware"  # 茶具/茶盘/茶道


@pytest.mark.parametrize(
    ("text", "code", "name"),
    [
        ("茶叶", "tea", "茶叶"),
        ("tea", "tea", "茶叶"),
        ("食品>茶叶>红茶", "tea", "茶叶"),
        ("茶/咖啡/冲饮>>乌龙茶", "tea", "茶叶"),
        ("女装/女士精品", "womens_apparel", "女装"),
        ("snacks", "snack", "零食"),
        ("茶具", "teaware", "茶具"),
        ("宠物用品", "宠物用品", "宠物用品"),  # unknown: kept and shown as it came
    ],
)
def test_category_codes_and_chinese_names(text: str, code: str, name: str) -> None:
    assert categories.category_code(text) == code
    assert categories.category_name(code) == name
    assert categories.category_name(text) == name


def test_one_chinese_name_per_category_for_the_filter() -> None:
    stored = ["tea", "茶叶", "食品>茶叶>红茶", "snack", "snacks", "宠物用品"]
    assert categories.names(stored) == sorted(["茶叶", "零食", "宠物用品"])
    assert categories.values_named("茶叶", stored) == ["tea", "茶叶", "食品>茶叶>红茶"]


def test_a_sheet_of_no_platform_keeps_the_mapping() -> None:
    table = spreadsheet.Table(headers=("商品ID", "商品标题", "库存"), rows=((2, ("L100", "标题", 5)),))
    assert platform_exports.recognise(table) is None


def test_listings_without_a_forecast_are_imported_not_skipped() -> None:
    table = spreadsheet.Table(
        headers=("商品ID", "SKU编码", "商品标题", "价格", "库存"), rows=((2, ("N1", "N1-1", "新品红茶", "29.90", 50)),)
    )
    result = spreadsheet.apply_table(base(), table, spreadsheet.guess_mapping(table.headers))
    assert result.issues == [] and result.listings_added == 1
    sku = listing(result, "N1")["skus"][0]
    assert "forecast_units" not in sku  # no forecast given: none invented (the stock check reports it)
    parsed = parse_bundle(json.dumps(result.bundle, ensure_ascii=False)).bundle
    assert [item.id for item in parsed.listings][-1] == "N1"


def test_template_opens_with_openpyxl_and_reimports_without_mapping() -> None:
    data = spreadsheet.template_xlsx()
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["商品ID", "商品标题", "副标题", "详情描述"] and "库存" in headers and "净含量" in headers
    assert sheet.cell(row=2, column=1).value == "L100"
    table = spreadsheet.read_table(data, "模板.xlsx")
    mapping = spreadsheet.guess_mapping(table.headers)
    assert spreadsheet.IGNORE not in mapping  # every column is understood
    result = spreadsheet.apply_table({"listings": []}, table, mapping)
    assert result.issues == []
    item = result.bundle["listings"][0]
    assert item["category"] == "tea" and item["specs"] == {"净含量": "250g"}
    assert item["skus"][0] == {
        "code": "L100-1",
        "name": "罐装 250g",
        "price": "128.00",
        "stock": 300,
        "forecast_units": 120,
        "safety_stock": 20,
    }


# ---- hostile or broken exports --------------------------------------------------------------------------------


def test_a_taobao_assistant_file_cut_after_its_first_lines_is_not_recognised() -> None:
    raw = "version 1.00,Csv由淘宝助理导出\r\ntitle,cid,price\r\n".encode("gbk")
    table = spreadsheet.read_table(raw, "cut.csv")
    assert platform_exports.recognise(table) is None  # the mapping then asks for 商品ID
    assert spreadsheet.mapping_issues(table.headers, spreadsheet.guess_mapping(table.headers))


def test_a_cell_naming_too_many_skus_is_refused_not_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform_exports, "MAX_ROWS", 50)
    headers = ("宝贝名称", "宝贝价格", "宝贝数量", "销售属性组合", "商家编码")
    combo = "".join(f"1.00:1:C{i}:1627207:{i};" for i in range(60))
    table = spreadsheet.Table(headers=headers, rows=((4, ("茶", "1.00", "60", combo, "TB-X")),))
    with pytest.raises(spreadsheet.CatalogueError) as caught:
        platform_exports.recognise(table)
    assert caught.value.issues[0].params == {"limit": 50}


def test_a_malformed_sku_combination_falls_back_to_the_row_price_and_stock() -> None:
    headers = ("宝贝名称", "宝贝价格", "宝贝数量", "销售属性组合", "商家编码")
    table = spreadsheet.Table(headers=headers, rows=((4, ("红茶", "39.00", "8", "not:a;combo", "TB-HC")),))
    known = platform_exports.recognise(table)
    assert known is not None
    result = spreadsheet.apply_table({"listings": []}, known.table, known.mapping)
    assert result.issues == []
    assert result.bundle["listings"][0]["skus"] == [{"code": "TB-HC", "name": "", "price": "39.00", "stock": 8}]
