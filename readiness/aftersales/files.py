"""Files of after-sale records and paid orders as tables: CSV (UTF-8 or GBK) and XLSX (every sheet).

The encoding of a CSV is found by decoding: UTF-8 (with or without a BOM) first, then GB18030, the superset of
GBK that Chinese back offices and Excel save in. A file that is neither is an error naming the file, never a
table of mojibake. A file's kind (records or paid orders) is told later by its headers, sheet by sheet.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from readiness.aftersales.records import RowIssue, Table

XLSX_MAGIC = b"PK\x03\x04"


def decode_csv(raw: bytes, name: str) -> str:
    """The text of a CSV file in UTF-8 or GBK (GB18030); ValueError otherwise."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(f"{name}: 无法识别的编码（应为 UTF-8 或 GBK）")


def csv_table(raw: bytes, name: str) -> Table:
    text = decode_csv(raw, name)
    # The sniffer is not needed: exports are comma-separated; a tab-separated export (.txt/.xls saved as text)
    # is recognised by its header line.
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers = next(reader, [])
    return Table(name=name, headers=headers, rows=list(reader))


def xlsx_tables(raw: bytes, name: str) -> list[Table]:
    """One table per non-empty sheet (named ``file.xlsx[sheet]``)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValueError(f"{name}: 不是有效的 XLSX 文件（{exc.__class__.__name__}）") from None
    tables = []
    try:
        for sheet in book.worksheets:
            rows: Iterator[tuple[Any, ...]] = sheet.iter_rows(values_only=True)
            headers = next(rows, None)
            if headers is None or not any(h is not None and str(h).strip() for h in headers):
                continue
            tables.append(Table(name=f"{name}[{sheet.title}]", headers=list(headers), rows=[list(r) for r in rows]))
    finally:
        book.close()
    return tables


def file_tables(raw: bytes, name: str) -> tuple[list[Table], list[RowIssue]]:
    """The tables of one file (CSV or XLSX, told by its content, not its name) and errors for unreadable files."""
    try:
        if raw.startswith(XLSX_MAGIC):
            return xlsx_tables(raw, name), []
        return [csv_table(raw, name)], []
    except ValueError as exc:
        return [], [RowIssue("", str(exc))]
