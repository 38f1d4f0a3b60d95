"""The XLSX export reads as text for people (issue 17): Chinese column names, rule names instead of ids, the
citation as words and the evidence as "名称：值" lines (never JSON), deadlines as real Excel date cells in local
time, and an autofilter over the whole table."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.utils import timezone

from readiness.models import Finding
from tests.readiness.web.conftest import ShopSetup

pytestmark = pytest.mark.django_db

CJK = re.compile("[\u4e00-\u9fff]")


def _sheet(setup: ShopSetup) -> openpyxl.worksheet.worksheet.Worksheet:
    response = setup.client.get(setup.url("issues.xlsx"))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]


def test_xlsx_columns_are_readable_and_filterable(setup: ShopSetup) -> None:
    sheet = _sheet(setup)
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert all((isinstance(name, str) and CJK.search(name)) or name == "SKU" for name in header), header
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{len(rows)}"
    column = {name: i for i, name in enumerate(header)}
    body = rows[1:]
    assert body
    rules = [row[column["规则"]] for row in body]
    assert all(rule and CJK.search(rule) and not re.fullmatch(r"[a-z_]+\.[a-z_]+", rule) for rule in rules), rules
    for row in body:
        evidence, basis = row[column["证据"]] or "", row[column["法规依据"]] or ""
        assert "{" not in evidence and '"' not in evidence.split("：")[0], evidence
        assert "{" not in basis and "待核对" not in basis, basis


def test_xlsx_deadlines_are_date_cells_in_local_time(setup: ShopSetup) -> None:
    finding = Finding.objects.filter(run=setup.run, severity="error").first()
    assert finding is not None
    due = dt.datetime(2026, 11, 7, 12, 0, tzinfo=dt.UTC)  # 20:00 in Shanghai
    Finding.objects.filter(run=setup.run).update(deadline=due)
    sheet = _sheet(setup)
    header = next(sheet.iter_rows(values_only=True))
    index = header.index("截止时间")
    cells = [row[index] for row in sheet.iter_rows(min_row=2)]
    assert cells and all(cell.is_date for cell in cells)
    assert {cell.value for cell in cells} == {timezone.localtime(due).replace(tzinfo=None)}
    assert {cell.value.hour for cell in cells} == {20}
    assert all("yy" in cell.number_format for cell in cells)


def test_xlsx_citation_comes_from_the_evidence_when_the_finding_has_none(setup: ShopSetup) -> None:
    finding = Finding.objects.filter(run=setup.run).exclude(severity="info").first()
    assert finding is not None
    Finding.objects.filter(pk=finding.pk).update(citation="", evidence={"citation": "《广告法》第八条", "units": 3})
    sheet = _sheet(setup)
    rows = list(sheet.iter_rows(values_only=True))
    column = {name: i for i, name in enumerate(rows[0])}
    mine = [row for row in rows[1:] if row[column["法规依据"]] == "《广告法》第八条"]
    assert mine and mine[0][column["证据"]] == "件数：3"
