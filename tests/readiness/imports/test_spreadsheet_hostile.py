"""Spreadsheet cells and files as an attacker or a careless export makes them (issue 15, items 10 and 11): every
one is a row-and-column problem or a file problem, never an exception; a lying <dimension> neither pads rows to
column XFD nor cuts rows off. The hypothesis test feeds arbitrary cells through the reader and the mapping."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tracemalloc
import zipfile
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness.imports import spreadsheet
from readiness.imports.spreadsheet import CatalogueError, apply_table, guess_mapping, read_table
from tests.factories import bundle_dict

HEADERS = ["商品ID", "商品标题", "SKU编码", "价格", "库存", "净含量"]


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def _rewrite_sheet(data: bytes, change: Any) -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = change(body.decode()).encode()
            dst.writestr(item, body)
    return out.getvalue()


def _apply(table: spreadsheet.Table) -> spreadsheet.CatalogueResult:
    return apply_table(bundle_dict(listings=2), table, guess_mapping(table.headers))


def _messages(result: spreadsheet.CatalogueResult) -> list[tuple[int | None, str | None, str]]:
    return [(i.row, i.column, i.template) for i in result.issues]


@pytest.mark.parametrize(
    "column,value",
    [
        ("库存", "9" * 5000),  # int() refuses more than 4,300 digits
        ("库存", "9" * 400 + ".0"),  # float() of it is infinite
        ("库存", 1e300),
        ("价格", "1E+100"),
        ("价格", "9" * 5000),
        ("价格", float("inf")),
    ],
)
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_absurd_numbers_are_row_problems(column: str, value: Any, kind: str) -> None:
    if kind == "xlsx" and isinstance(value, float) and value == float("inf"):
        value = "inf"  # openpyxl writes no infinite number
    rows = [HEADERS, ["L100", "明前龙井", "L100-0", "59.90", 10, "250g"]]
    rows[1][HEADERS.index(column)] = value
    raw = _xlsx(rows) if kind == "xlsx" else _csv(rows)
    result = _apply(read_table(raw, f"c.{kind}"))
    problems = [m for m in _messages(result) if m[1] == column]
    assert problems and problems[0][0] == 2, _messages(result)


@pytest.mark.parametrize(
    "change",
    [
        lambda xml: xml.replace("<sheetData>", "<sheetData><row r='1'><c r='A1' t='s'><v>oops"),
        lambda xml: xml.replace(
            "</sheetData>", "<row r='9'><c r='A9' t='n'><v>" + "9" * 5000 + "</v></c></row></sheetData>"
        ),
        lambda xml: xml.replace("<v>", "<v><v>", 1),
        lambda xml: xml[: len(xml) // 2],
    ],
    ids=["unclosed", "5000-digit number cell", "nested value", "truncated"],
)
def test_malformed_sheet_xml_is_a_file_problem(change: Any) -> None:
    raw = _rewrite_sheet(_xlsx([HEADERS, ["L100", "明前龙井", "L100-0", "59.90", 10, "250g"]]), change)
    with pytest.raises(CatalogueError) as caught:
        read_table(raw, "c.xlsx")
    assert caught.value.issues[0].template == "无法读取 Excel 文件：{error}"


def _with_dimension(raw: bytes, ref: str) -> bytes:
    return _rewrite_sheet(raw, lambda xml: re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>', xml))


def test_a_lying_dimension_does_not_pad_rows_to_column_xfd() -> None:
    rows = [HEADERS] + [[f"L{i}", "龙井", f"L{i}-0", "1.00", 1, "1g"] for i in range(3000)]
    raw = _with_dimension(_xlsx(rows), "A1:XFD3001")
    tracemalloc.start()
    table = read_table(raw, "c.xlsx")
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(table.rows) == 3000
    assert max(len(values) for _n, values in table.rows) <= spreadsheet.MAX_COLUMNS
    assert peak < 60 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"  # padded to XFD it is ~375 MB


def test_a_stale_dimension_does_not_cut_rows_off() -> None:
    rows = [HEADERS] + [[f"L{i}", "龙井", f"L{i}-0", "1.00", 1, "1g"] for i in range(10)]
    table = read_table(_with_dimension(_xlsx(rows), "A1:C3"), "c.xlsx")
    assert len(table.rows) == 10 and len(table.headers) == len(HEADERS)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_nul_in_an_ignored_header_refuses_the_file(kind: str) -> None:
    """Refused when read, so nothing (a remembered mapping, an import job) is written first."""
    data = ["L100", "明前龙井", "L100-0", "59.90", 10, "250g", "x"]
    if kind == "csv":
        raw = _csv([[*HEADERS, "备注\x00"], data])
    else:  # openpyxl will not write a NUL: put its character reference into the sheet's XML by hand
        raw = _rewrite_sheet(_xlsx([[*HEADERS, "备注X"], data]), lambda xml: xml.replace("备注X", "备注&#0;"))
        raw = raw if b"&#0;" in zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml") else _inline(raw)
    with pytest.raises(CatalogueError):
        read_table(raw, f"c.{kind}")


def _inline(raw: bytes) -> bytes:
    # the header went to the shared strings table
    src, out = zipfile.ZipFile(io.BytesIO(raw)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                body = body.replace("备注X".encode(), "备注&#0;".encode())
            dst.writestr(item, body)
    return out.getvalue()


# ---- arbitrary cells ------------------------------------------------------------------------------------------

CELLS = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.text(alphabet="0123456789.-+eE,，¥ ", max_size=40),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1)).map(str),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(CELLS, min_size=len(HEADERS), max_size=len(HEADERS)), min_size=1, max_size=6))
def test_arbitrary_csv_cells_give_rows_or_problems_never_an_exception(rows: list[list[Any]]) -> None:
    raw = _csv([HEADERS, *rows])
    try:
        table = read_table(raw, "c.csv")
    except CatalogueError as exc:
        assert exc.issues
        return
    result = _apply(table)
    for issue in result.issues:
        assert issue.template  # each problem says what, by row and column


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(CELLS, min_size=len(HEADERS), max_size=len(HEADERS)), min_size=1, max_size=4))
def test_arbitrary_xlsx_cells_give_rows_or_problems_never_an_exception(rows: list[list[Any]]) -> None:
    clean = [[v if not isinstance(v, str) else re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", v) for v in r] for r in rows]
    clean = [[v if not (isinstance(v, float) and v != v) else None for v in r] for r in clean]
    clean = [[v if not (isinstance(v, int) and abs(v) > 10**15) else str(v) for v in r] for r in clean]
    try:
        table = read_table(_xlsx([HEADERS, *clean]), "c.xlsx")
    except CatalogueError as exc:
        assert exc.issues
        return
    _apply(table)
