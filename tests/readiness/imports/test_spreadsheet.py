"""readiness.imports.spreadsheet: spreadsheets as shops export them → a readiness bundle. Pure: no database."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from typing import Any

import openpyxl
import pytest

from readiness.imports import spreadsheet
from readiness.imports.bundle import parse_bundle
from readiness.imports.spreadsheet import IGNORE, SPEC, CatalogueError, Table
from tests.factories import bundle_dict


def xlsx(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def base() -> dict[str, Any]:
    """The shop's current data as the web layer passes it in (``bundle_to_json`` of a Bundle)."""
    return spreadsheet.bundle_to_json(parse_bundle(json.dumps(bundle_dict(listings=2), ensure_ascii=False)).bundle)


def apply(rows: list[list[Any]], mapping: list[str] | None = None, data: dict[str, Any] | None = None) -> Any:
    table = Table(headers=tuple(rows[0]), rows=tuple((i + 2, tuple(r)) for i, r in enumerate(rows[1:])))
    return spreadsheet.apply_table(data or base(), table, mapping or spreadsheet.guess_mapping(table.headers))


# ---- reading files ---------------------------------------------------------------------------------------


def test_read_xlsx_skips_blank_rows_and_keeps_row_numbers() -> None:
    data = xlsx(
        [[None], ["商品ID", "商品标题", "库存"], ["L100", "新标题", 5], [None, None, None], ["L101", "另一个", 7]]
    )
    table = spreadsheet.read_table(data, "导出.xlsx")
    assert table.headers == ("商品ID", "商品标题", "库存")
    assert [number for number, _ in table.rows] == [3, 5]
    assert table.rows[0][1] == ("L100", "新标题", 5)


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("商品ID,商品标题,库存\r\nL100,新标题,5\r\n".encode("utf-8-sig"), "a.csv"),
        ("商品ID,商品标题,库存\nL100,新标题,5\n".encode(), "a.csv"),
        ("商品ID,商品标题,库存\r\nL100,新标题,5\r\n".encode("gb18030"), "a.csv"),  # Excel's CSV in Chinese
        ("商品ID\t商品标题\t库存\nL100\t新标题\t5\n".encode(), "a.tsv"),
    ],
)
def test_read_csv_encodings_and_separators(raw: bytes, name: str) -> None:
    table = spreadsheet.read_table(raw, name)
    assert table.headers == ("商品ID", "商品标题", "库存")
    assert table.rows == ((2, ("L100", "新标题", "5")),)


def test_unreadable_files_are_named() -> None:
    with pytest.raises(CatalogueError, match="只支持"):
        spreadsheet.read_table(b"x", "a.pdf")
    with pytest.raises(CatalogueError, match="无法读取 Excel"):
        spreadsheet.read_table(b"not a zip", "a.xlsx")
    with pytest.raises(CatalogueError, match="表格是空的"):
        spreadsheet.read_table(b"\n\n", "a.csv")
    with pytest.raises(CatalogueError, match="无法识别文件编码"):  # neither UTF-8 nor GB 18030 can decode it
        spreadsheet.read_table(b"\xff", "a.csv")


# ---- the mapping -------------------------------------------------------------------------------------------


def test_guess_mapping_from_back_office_headers() -> None:
    headers = ["宝贝ID", "宝贝标题", "一口价", "可售库存", "商家编码", "净含量", "规格参数:产地", "备注"]
    assert spreadsheet.guess_mapping(headers) == [
        "listing_id",
        "title",
        "price",
        "stock",
        "sku_code",
        SPEC,
        SPEC,
        IGNORE,
    ]


def test_remembered_mapping_wins_and_duplicates_are_left_to_the_user() -> None:
    headers = ["商品ID", "数量", "库存"]
    assert spreadsheet.guess_mapping(headers) == ["listing_id", "stock", IGNORE]
    assert spreadsheet.guess_mapping(headers, {"数量": IGNORE, "库存": "stock"}) == ["listing_id", IGNORE, "stock"]


def test_mapping_issues() -> None:
    assert [i.message for i in spreadsheet.mapping_issues(["标题"], ["title"])] == ["必须有一列对应「商品ID」"]
    issues = spreadsheet.mapping_issues(["ID", "A", "B"], ["listing_id", "price", "price"])
    assert [i.message for i in issues] == ["「价格」对应了多列：A、B"]


def test_mapping_is_stored_by_header() -> None:
    assert spreadsheet.mapping_to_store(["商品ID", "", "备注"], ["listing_id", IGNORE, IGNORE]) == {
        "商品ID": "listing_id",
        "备注": IGNORE,
    }


# ---- applying rows -----------------------------------------------------------------------------------------


def test_rows_update_listings_and_skus_and_keep_the_rest() -> None:
    original = base()
    result = apply(
        [
            ["商品ID", "SKU编码", "商品标题", "价格", "库存", "净含量"],
            ["L100", "L100-0", "新标题", "¥49.90", "1,200", "300g"],
            ["L100", "L100-1", "新标题", 88, 7.0, None],
        ],
        data=copy.deepcopy(original),
    )
    assert result.issues == []
    listing = result.bundle["listings"][0]
    assert listing["title"] == "新标题"
    assert listing["specs"] == {"净含量": "300g", "保质期": "18个月"}
    assert [(s["code"], s["price"], s["stock"]) for s in listing["skus"]] == [
        ("L100-0", "49.90", 1200),
        ("L100-1", "88.00", 7),
    ]
    # untouched: the other SKU fields, the other listing, the rest of the plan
    assert listing["skus"][0]["forecast_units"] == original["listings"][0]["skus"][0]["forecast_units"]
    assert result.bundle["listings"][1] == original["listings"][1]
    assert result.bundle["couriers"] == original["couriers"]
    assert (result.listings_updated, result.skus_updated, result.listings_added) == (1, 2, 0)
    parse_bundle(json.dumps(result.bundle, ensure_ascii=False))  # still a valid bundle


def test_new_listing_and_single_sku_without_code() -> None:
    result = apply([["商品ID", "商品标题", "价格", "库存", "类目"], ["N1", "新品 红茶 100g", "29.9", "50", "tea"]])
    assert result.issues == []
    added = result.bundle["listings"][-1]
    assert added["id"] == "N1" and added["category"] == "tea"
    assert added["skus"] == [{"code": "N1", "name": "", "price": "29.90", "stock": 50}]
    listing_only = apply([["商品ID", "商品标题"], ["L100", "只改标题"]])
    assert listing_only.issues == [] and listing_only.skus_updated == 0
    assert result.listings_added == 1 and result.skus_added == 1


def test_presale_columns() -> None:
    result = apply(
        [
            ["商品ID", "是否预售", "预售发货日期", "预售标签"],
            ["L100", "是", dt.datetime(2026, 11, 4), "预售 11月4日前发货"],
        ]
    )
    assert result.issues == []
    assert result.bundle["listings"][0]["presale"] == {
        "enabled": True,
        "ship_by": "2026-11-04",
        "label": "预售 11月4日前发货",
    }


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["L100", "L100-0", "abc", "1"], "价格", "不是有效的金额：abc"),
        (["L100", "L100-0", "-1", "1"], "价格", "金额不能为负数：-1"),
        (["L100", "L100-0", "1.234", "1"], "价格", "金额最多两位小数：1.234"),
        (["L100", "L100-0", "1", "三"], "库存", "不是整数：三"),
        (["L100", "L100-0", "1", 2.5], "库存", "不是整数：2.5"),
        (["L100", "L100-0", "1", "-3"], "库存", "不能为负数：-3"),
        (["N9", "N9-1", None, "3"], "价格", "新 SKU N9-1 必须填写价格"),
        (["L100", "L100-0", "1", "1", "x"], None, None),
    ],
)
def test_bad_cells_are_named_by_row_and_column(row: list[Any], column: str | None, message: str | None) -> None:
    headers = ["商品ID", "SKU编码", "价格", "库存"] + (["备注"] if len(row) > 4 else [])
    result = apply([headers, ["L101", "L101-0", "10", "1"], row])
    if message is None:
        assert result.issues == []
        return
    assert [(i.row, i.column, i.message) for i in result.issues] == [(3, column, message)]


def test_listing_columns_must_agree_across_its_rows() -> None:
    result = apply([["商品ID", "SKU编码", "商品标题"], ["L100", "L100-0", "甲"], ["L100", "L100-1", "乙"]])
    assert [(i.row, i.column) for i in result.issues] == [(3, "商品标题")]
    assert "第 2 行" in result.issues[0].message


def test_sku_code_is_needed_to_tell_skus_apart() -> None:
    no_code = apply([["商品ID", "库存"], ["L100", "5"]])  # L100 has two SKUs
    assert [(i.row, i.message) for i in no_code.issues] == [(2, "该商品已有 2 个 SKU，请填写 SKU 编码以指明更新哪一个")]
    twice = apply([["商品ID", "SKU编码", "库存"], ["L100", "L100-0", "5"], ["L100", "L100-0", "6"]])
    assert [(i.row, i.message) for i in twice.issues] == [(3, "SKU 编码 L100-0 已在第 2 行出现")]
    empty_id = apply([["商品ID", "库存"], [" ", "5"]])
    assert [(i.row, i.column) for i in empty_id.issues] == [(2, "商品ID")]


def test_bundle_errors_are_traced_back_to_row_and_column() -> None:
    result = apply([["商品ID", "SKU编码", "价格", "库存"], ["L101", "L101-0", "10", "1"], ["N1", "N1-1", "5", "9"]])
    assert result.locate("listings[2].skus[0].price") == (3, "价格")
    assert result.locate("listings[1].skus[0].stock") == (2, "库存")
    assert result.locate("listings[0].title") == (None, None)  # not from the spreadsheet
    assert result.locate("couriers[0].code") == (None, None)
    issue = result.translate("listings[2].id", "must be at most 64 characters")
    assert (issue.row, issue.column, issue.message, issue.path) == (
        3,
        "商品ID",
        "must be at most 64 characters",
        "listings[2].id",
    )


def test_bad_mapping_is_refused() -> None:
    with pytest.raises(CatalogueError, match="商品ID"):
        apply([["标题"], ["x"]], mapping=["title"])


@pytest.mark.parametrize(
    "module",
    [
        "readiness/imports/spreadsheet.py",
        "readiness/web/highlight.py",
        "readiness/web/suggestions.py",
        "readiness/web/charts.py",
    ],
)
def test_pure_modules_import_no_django(module: str) -> None:
    """The conversion and the page geometry are plain Python: tested without a database or settings."""
    import ast
    from pathlib import Path

    tree = ast.parse((Path(__file__).resolve().parents[3] / module).read_text(encoding="utf-8"))
    imported = {
        alias.name if isinstance(node, ast.Import) else node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {name for name in imported if name.startswith(("django", "readiness.models", "readiness.services"))}
