"""Open issues as CSV and XLSX, so that a manager can hand out the work (one row per issue, worst first).

CSV is streamed (UTF-8 with a byte-order mark, which Excel needs to read Chinese); XLSX is written by openpyxl in
write-only mode, with an autofilter on the header, deadlines as real date cells and money as numbers. Every column
reads as text for people: names instead of codes, the citation as its words, the evidence as "名称：值" lines. Every text cell that a spreadsheet would run as a formula (=, +, -, @, tab or CR at the start) is
prefixed with an apostrophe, whatever its column: listing ids, SKU codes and listing text come from shops and back
offices, not from us (``rows`` applies it to every string it yields, so a new column cannot forget it).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from readiness.web import formatting, presenters

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def columns() -> list[str]:
    return [
        _("负责人"),
        _("级别"),
        _("检查项"),
        _("规则"),
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
        _("证据"),
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
            presenters.rule_label(issue["rule"]) if issue.get("rule") else "",
            issue.get("listing__listing_id") or "",
            issue.get("listing__title") or "",
            issue.get("sku_code") or "",
            issue["message"],
            issue["remediation"],
            timezone.localtime(deadline).replace(tzinfo=None, second=0, microsecond=0) if deadline else None,
            _("是") if deadline and deadline < now else "",
            issue.get("exposure_min"),
            issue.get("exposure_max"),
            formatting.field_label(issue["field"]) if issue.get("field") else "",
            issue.get("text") or "",
            issue.get("suggestion") or "",
            citation(issue),
            evidence_text(issue.get("evidence")),
            _("已豁免") if issue.get("waived") else _("待处理"),
        ]


def citation(issue: dict[str, Any]) -> str:
    """The legal basis as its words: the finding's own, else the one its check kept in the evidence."""
    raw = issue.get("evidence")
    evidence: dict[str, Any] = raw if isinstance(raw, dict) else {}
    for value in (issue.get("citation"), evidence.get("citation"), evidence.get("compensation_basis")):
        if isinstance(value, str) and value:
            return value
    return ""


# Evidence kept for the page's highlight or for programs, which the export's own columns already show.
_NOT_EVIDENCE = {"citation", "compensation_basis", "field", "span", "start", "end", "text", "suggestion",
                 "scanner_rule", "image_text"}  # fmt: skip


def evidence_text(evidence: Any) -> str:
    """The evidence as "名称：值" lines (never JSON): nested values in words, a text's place by its field's name."""
    if not isinstance(evidence, dict):
        return ""
    return "\n".join(
        f"{presenters.evidence_label(key)}：{_words(value)}"
        for key, value in evidence.items()
        if key not in _NOT_EVIDENCE
    )


def _words(value: Any) -> str:
    if isinstance(value, dict):
        if isinstance(value.get("field"), str) and "text" in value:
            return f"{formatting.field_label(value['field'])}「{value['text']}」"
        return "，".join(f"{presenters.evidence_label(str(k))} {_words(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(_words(v) for v in value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if value is None:
        return "—"
    return str(value)


def _safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def _xlsx_value(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value) if value else value
    if isinstance(value, dt.datetime):
        return value  # a date cell (local time, as the page shows it)
    return float(value)  # Decimal money: a number Excel can sum


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(issues: Iterable[dict[str, Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(columns())
    for row in rows(issues):
        yield writer.writerow([_csv_value(v) for v in row])


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value


def xlsx_bytes(issues: Iterable[dict[str, Any]], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31] or "issues")
    sheet.freeze_panes = "A2"
    names = columns()
    widths = [10, 8, 10, 16, 10, 30, 12, 60, 60, 17, 7, 14, 14, 14, 16, 16, 30, 40, 8]
    for i, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(i + 1)].width = width
    deadline_column = names.index(_("截止时间"))
    bold = Font(bold=True)
    header = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows(issues):
        cells: list[Any] = [_xlsx_value(v) for v in row]
        if cells[deadline_column] is not None:
            date = WriteOnlyCell(sheet, value=cells[deadline_column])
            date.number_format = "yyyy-mm-dd hh:mm"
            cells[deadline_column] = date
        sheet.append(cells)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(names))}{count + 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
