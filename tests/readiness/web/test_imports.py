"""Uploads: bundles and catalogue spreadsheets; errors by row and column with nothing imported; the job page and
its progress endpoint; the column mapping remembered per shop."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from readiness.models import ImportJob, ImportMapping, Listing, Sku
from tests.readiness.web.conftest import ShopSetup, planted_bundle

pytestmark = pytest.mark.django_db


def xlsx_file(rows: list[list[Any]], name: str = "商品导出.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


HEADER = ["商品ID", "SKU编码", "商品标题", "价格", "库存"]


def upload(setup: ShopSetup, file: SimpleUploadedFile, capture: Any, **extra: Any) -> Any:
    with capture(execute=True):
        return setup.client.post(setup.url("imports/"), {"file": file, **extra})


def test_spreadsheet_with_a_bad_row_names_it_and_imports_nothing(
    setup: ShopSetup, django_capture_on_commit_callbacks: Any
) -> None:
    titles = dict(Listing.objects.values_list("listing_id", "title"))
    file = xlsx_file(
        [HEADER, ["L100", "L100-0", "改好的标题", "59.90", 100], ["L101", "L101-0", "另一个标题", "39.90", "很多"]]
    )
    response = upload(setup, file, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    body = response.content.decode()
    assert "没有导入任何数据" in body
    row = re.search(r'<tr data-row="3"><td>第 3 行</td><td>库存</td><td>不是整数：很多</td></tr>', body)
    assert row, body[body.find("errors") : body.find("errors") + 800]
    assert dict(Listing.objects.values_list("listing_id", "title")) == titles
    assert not ImportJob.objects.exists()
    assert 'name="map-4"' in body  # the mapping is shown to adjust


def test_good_spreadsheet_is_imported_scanned_and_mapping_remembered(
    setup: ShopSetup, django_capture_on_commit_callbacks: Any
) -> None:
    file = xlsx_file(
        [HEADER, ["L100", "L100-0", "精选西湖龙井 明前 250g", "59.90", 1500], ["N1", "N1", "新品", "9.90", 20]]
    )
    response = upload(setup, file, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response["Location"] == setup.url(f"imports/{job.pk}/")
    assert job.source == "xlsx" and job.created_by == setup.user
    progress = setup.client.get(setup.url(f"imports/{job.pk}/progress")).json()
    assert progress["status"] == "complete" and progress["finished"] and progress["percent"] == 100
    assert progress["done"] == progress["total"]
    assert "商品 新建 1、更新 1" in progress["summary"]
    assert Listing.objects.get(listing_id="L100").title == "精选西湖龙井 明前 250g"
    assert Sku.objects.get(code="L100-0").stock == 1500
    assert Listing.objects.filter(shop=setup.shop).count() == 4  # the other listings stay
    assert ImportMapping.objects.get(shop=setup.shop).mapping["库存"] == "stock"
    page = setup.client.get(response["Location"]).content.decode()
    assert 'data-percent="100"' in page and "查看运营看板" in page


def test_posted_mapping_is_used_and_remembered(setup: ShopSetup, django_capture_on_commit_callbacks: Any) -> None:
    file = xlsx_file([["编号", "名字", "备注"], ["L100", "手动对应的标题", "忽略"]])
    response = upload(
        setup, file, django_capture_on_commit_callbacks, **{"map-0": "listing_id", "map-1": "title", "map-2": ""}
    )
    assert response.status_code == 302
    assert Listing.objects.get(listing_id="L100").title == "手动对应的标题"
    assert ImportMapping.objects.get(shop=setup.shop).mapping == {"编号": "listing_id", "名字": "title", "备注": ""}
    # the next upload of the same export needs no mapping
    columns = setup.client.post(setup.url("imports/columns"), {"file": xlsx_file([["编号", "名字"], ["L100", "x"]])})
    body = columns.content.decode()
    assert re.search(r'name="map-0">.*?<option value="listing_id" selected>', body, re.S)
    assert re.search(r'name="map-1">.*?<option value="title" selected>', body, re.S)


def test_unmapped_id_column_asks_for_the_mapping(setup: ShopSetup, django_capture_on_commit_callbacks: Any) -> None:
    response = upload(setup, xlsx_file([["编号", "名字"], ["L100", "x"]]), django_capture_on_commit_callbacks)
    assert response.status_code == 400
    body = response.content.decode()
    assert "必须有一列对应「商品ID」" in body and 'name="map-0"' in body
    assert not ImportJob.objects.exists()


def test_csv_from_excel_in_gbk(setup: ShopSetup, django_capture_on_commit_callbacks: Any) -> None:
    raw = "商品ID,SKU编码,库存\r\nL101,L101-1,321\r\n".encode("gb18030")
    response = upload(setup, SimpleUploadedFile("export.csv", raw), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Sku.objects.get(code="L101-1").stock == 321
    assert ImportJob.objects.get().source == "csv"


def test_json_bundle_upload(setup: ShopSetup, django_capture_on_commit_callbacks: Any) -> None:
    data = planted_bundle()
    data["listings"][2]["title"] = "从 JSON 导入的标题"
    file = SimpleUploadedFile("bundle.json", json.dumps(data, ensure_ascii=False).encode())
    response = upload(setup, file, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Listing.objects.get(listing_id="L102").title == "从 JSON 导入的标题"
    job = ImportJob.objects.get()
    assert job.source == "bundle"
    assert setup.client.get(setup.url(f"imports/{job.pk}/progress")).json()["status"] == "complete"


def test_json_bundle_errors_are_listed_by_path(setup: ShopSetup, django_capture_on_commit_callbacks: Any) -> None:
    data = planted_bundle()
    data["listings"][1]["skus"][0]["stock"] = -5
    data["listings"][2]["title"] = "不会被导入"
    file = SimpleUploadedFile("bundle.json", json.dumps(data, ensure_ascii=False).encode())
    response = upload(setup, file, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    body = response.content.decode()
    assert "<code>listings[1].skus[0].stock</code>" in body and "库存不能小于 0，收到 -5" in body
    assert not Listing.objects.filter(title="不会被导入").exists()
    other = planted_bundle(shop_code="rival-tmall")
    response = upload(
        setup, SimpleUploadedFile("b.json", json.dumps(other).encode()), django_capture_on_commit_callbacks
    )
    assert response.status_code == 400 and "rival-tmall" in response.content.decode()


def test_wrong_file_type_is_refused(setup: ShopSetup, django_capture_on_commit_callbacks: Any) -> None:
    response = upload(setup, SimpleUploadedFile("a.pdf", b"%PDF"), django_capture_on_commit_callbacks)
    assert response.status_code == 400 and "只支持" in response.content.decode()


def test_import_page_lists_recent_jobs(setup: ShopSetup, django_capture_on_commit_callbacks: Any) -> None:
    upload(setup, xlsx_file([HEADER, ["L100", "L100-0", "标题", "1", "1"]]), django_capture_on_commit_callbacks)
    body = setup.client.get(setup.url("imports/")).content.decode()
    job = ImportJob.objects.get()
    assert setup.url(f"imports/{job.pk}/") in body and "已完成" in body
