"""Open issues as CSV and XLSX, so that a manager can hand out the work (one row per issue, worst first).

CSV is streamed (UTF-8 with a byte-order mark, which Excel needs to read Chinese); XLSX is written by openpyxl in
write-only mode. Every text cell that a spreadsheet would run as a formula (=, +, -, @, tab or CR at the start) is
prefixed with an apostrophe, whatever its column: listing ids, SKU codes and listing text come from shops and back
offices, not from us (``rows`` applies it to every string it yields, so a new column cannot forget it).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from readiness.web import formatting

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def columns() -> list[str]:
    return [
        _("负责人"),
        _("级别"),
        _("检查项"),
        _("商品ID"),
        _("商品标题"),
        _("SKU"),
        _("问题"),
        _("整改建议"),
        _("截止时间"),
        _("已逾期"),
        _("风险金额下限（元）"),
        _("风险金额上限（元）"),
        _("字段"),
        _("原文"),
        _("建议改为"),
        _("法规依据"),
        _("依据"),
        _("状态"),
    ]


def rows(issues: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    """The export's rows, every text cell guarded against formula injection."""
    for row in _raw_rows(issues):
        yield [_safe(value) if isinstance(value, str) else value for value in row]


def _raw_rows(issues: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    now = timezone.now()
    for issue in issues:
        deadline = issue.get("deadline")
        yield [
            formatting.owner_label(issue["owner"]),
            formatting.severity_label(issue["severity"]),
            formatting.check_label(issue["check_name"]),
            issue.get("listing__listing_id") or "",
            issue.get("listing__title") or "",
            issue.get("sku_code") or "",
            issue["message"],
            issue["remediation"],
            timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M") if deadline else "",
            _("是") if deadline and deadline < now else "",
            issue.get("exposure_min"),
            issue.get("exposure_max"),
            formatting.field_label(issue["field"]) if issue.get("field") else "",
            issue.get("text") or "",
            issue.get("suggestion") or "",
            issue.get("citation") or "",
            json.dumps(issue.get("evidence") or {}, ensure_ascii=False, default=str),
            _("已豁免") if issue.get("waived") else _("待处理"),
        ]


def _safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def _xlsx_value(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value) if value else value
    return float(value)  # Decimal money: a number Excel can sum


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(issues: Iterable[dict[str, Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(columns())
    for row in rows(issues):
        yield writer.writerow(["" if v is None else v for v in row])


def xlsx_bytes(issues: Iterable[dict[str, Any]], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31] or "issues")
    sheet.freeze_panes = "A2"
    widths = [10, 8, 10, 10, 30, 12, 60, 60, 17, 7, 14, 14, 14, 16, 16, 24, 40, 8]
    for i, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    bold = Font(bold=True)
    header = []
    for name in columns():
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows(issues):
        sheet.append([_xlsx_value(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
