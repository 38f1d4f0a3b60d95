"""The web import of the platforms' own exports (no mapping asked), 仓库中 items, the category filter in Chinese,
the template download, and adding a shop (who may, who may not)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from readiness.models import ImportJob, Listing, Role, Shop, ShopMembership
from tests.factories import UserFactory
from tests.readiness.web.conftest import ShopSetup, planted_bundle

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parents[1] / "imports" / "fixtures"


def fixture(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes())


def post(client: Client, url: str, capture: Any, data: dict[str, Any]) -> Any:
    with capture(execute=True):
        return client.post(url, data)


@pytest.mark.parametrize(
    ("name", "on_sale", "off_shelf"),
    [
        ("taobao_assistant_gbk.csv", ["681234567890", "TB-TGY"], "681234560001"),
        ("qianniu_export.xlsx", ["700100200301", "700100200302"], "700100200303"),
        ("pinduoduo_export.csv", ["4201001"], "4201002"),
    ],
)
def test_each_platform_export_imports_without_mapping(
    setup: ShopSetup, django_capture_on_commit_callbacks: Any, name: str, on_sale: list[str], off_shelf: str
) -> None:
    columns = setup.client.post(setup.url("imports/columns"), {"file": fixture(name)})
    assert columns.status_code == 200 and "data-recognised" in columns.content.decode()
    response = post(setup.client, setup.url("imports/"), django_capture_on_commit_callbacks, {"file": fixture(name)})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.get()
    assert job.status == "complete", job.errors
    active = set(Listing.objects.filter(shop=setup.shop, archived_at__isnull=True).values_list("listing_id", flat=True))
    assert set(on_sale) <= active
    assert off_shelf not in active
    assert not Listing.objects.filter(listing_id=off_shelf).exists()
    page = setup.client.get(response["Location"]).content.decode()
    assert "已识别为" in page and off_shelf in page  # the format and the item left out are told


def test_an_item_now_in_the_warehouse_is_archived(setup: ShopSetup, django_capture_on_commit_callbacks: Any) -> None:
    book = openpyxl.Workbook()
    book.active.append(["商品ID", "商品标题", "价格", "库存", "商家编码", "宝贝状态"])
    book.active.append(["L100", "精选西湖龙井", 59.9, 10, "L100-0", "仓库中"])
    book.active.append(["L101", "明前龙井 250g", 39.9, 10, "L101-0", "出售中"])
    out = io.BytesIO()
    book.save(out)
    file = SimpleUploadedFile("千牛导出.xlsx", out.getvalue())
    response = post(setup.client, setup.url("imports/"), django_capture_on_commit_callbacks, {"file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Listing.objects.get(listing_id="L100").archived_at is not None  # not on sale: not counted as such
    assert Listing.objects.get(listing_id="L101").archived_at is None


def test_queue_filter_and_pages_show_one_chinese_name_per_category(setup: ShopSetup) -> None:
    Listing.objects.filter(listing_id="L100").update(category="tea")
    Listing.objects.filter(listing_id="L101").update(category="茶叶")
    page = setup.client.get(setup.url("listings/")).content.decode()
    select = page[page.find('id="q-category"') : page.find("</select>", page.find('id="q-category"'))]
    assert select.count(">茶叶</option>") == 1
    assert ">tea</option>" not in select and ">snacks</option>" not in select and ">零食</option>" in select
    filtered = setup.client.get(setup.url("listings/"), {"category": "茶叶"}).content.decode()
    assert 'data-listing="L100"' in filtered and 'data-listing="L101"' in filtered
    assert 'data-listing="L102"' not in filtered
    listing_page = setup.client.get(setup.url("listings/L100/")).content.decode()
    assert "类目 茶叶" in listing_page


def test_category_names_switch_to_english(setup: ShopSetup) -> None:
    Listing.objects.filter(listing_id="L100").update(category="茶叶")
    setup.client.post("/i18n/setlang/", {"language": "en", "next": setup.url()})
    page = setup.client.get(setup.url("listings/")).content.decode()
    assert ">Tea</option>" in page and ">Snacks</option>" in page and ">茶叶<" not in page


def test_template_download_opens_and_reimports(setup: ShopSetup, django_capture_on_commit_callbacks: Any) -> None:
    assert "data-template-link" in setup.client.get(setup.url("imports/")).content.decode()
    response = setup.client.get(setup.url("imports/template.xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.cell(row=1, column=1).value == "商品ID" and sheet.cell(row=2, column=1).value == "L100"
    file = SimpleUploadedFile("模板.xlsx", data)
    again = post(setup.client, setup.url("imports/"), django_capture_on_commit_callbacks, {"file": file})
    assert again.status_code == 302
    assert Listing.objects.get(listing_id="L100").title == "武夷山正山小种红茶 250g"


# ---- adding a shop -----------------------------------------------------------------------------------------


def bundle_file(code: str) -> SimpleUploadedFile:
    data = planted_bundle(shop_code=code)
    return SimpleUploadedFile("plan.json", json.dumps(data, ensure_ascii=False).encode())


def member(role: str, shop: Shop, name: str) -> Client:
    user = UserFactory(username=name)
    ShopMembership.objects.create(user=user, shop=shop, role=role)
    client = Client()
    client.force_login(user)
    return client


def test_home_has_an_import_entry_and_add_shop_for_a_manager(setup: ShopSetup) -> None:
    page = setup.client.get("/").content.decode()
    assert "data-add-shop" in page and "data-import-entry" in page
    assert f'href="{setup.url("imports/")}"' in page


def test_an_operations_manager_adds_a_second_shop_from_a_bundle(
    setup: ShopSetup, django_capture_on_commit_callbacks: Any
) -> None:
    assert setup.client.get("/shops/new").status_code == 200
    response = post(setup.client, "/shops/new", django_capture_on_commit_callbacks, {"file": bundle_file("second")})
    assert response.status_code == 302, response.content.decode()[:2000]
    shop = Shop.objects.get(code="second")
    assert ShopMembership.objects.get(shop=shop, user=setup.user).role == Role.OPERATIONS_MANAGER
    assert ImportJob.objects.get(shop=shop).status == "complete"
    assert Listing.objects.filter(shop=shop).count() == 3
    assert "second" in setup.client.get("/").content.decode()


def test_a_shop_from_a_platform_export_with_the_shop_named_in_the_form(
    setup: ShopSetup, django_capture_on_commit_callbacks: Any
) -> None:
    form = {
        "file": fixture("pinduoduo_export.csv"),
        "shop_code": "pdd-tea",
        "shop_name": "拼多多茶叶店",
        "platform": "pdd",
        "promotion_code": "double11",
        "promotion_name": "双11",
        "sale_start": "2026-11-10T20:00",
        "sale_end": "2026-11-11T23:59",
    }
    response = post(setup.client, "/shops/new", django_capture_on_commit_callbacks, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    shop = Shop.objects.get(code="pdd-tea")
    assert list(Listing.objects.filter(shop=shop).values_list("listing_id", flat=True)) == ["4201001"]


def test_adding_an_existing_shop_code_is_refused_and_nothing_is_created(
    setup: ShopSetup, django_capture_on_commit_callbacks: Any
) -> None:
    response = post(
        setup.client, "/shops/new", django_capture_on_commit_callbacks, {"file": bundle_file(setup.shop.code)}
    )
    assert response.status_code == 400 and "已存在" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_spreadsheet_shop_needs_its_name_and_dates(setup: ShopSetup) -> None:
    response = setup.client.post("/shops/new", {"file": fixture("qianniu_export.xlsx")})
    assert response.status_code == 400 and "用表格新建店铺时必填" in response.content.decode()
    assert Shop.objects.count() == 1


@pytest.mark.parametrize("role", [Role.LISTING_EDITOR, Role.API_CLIENT])
def test_roles_that_may_not_add_a_shop_are_refused(
    setup: ShopSetup, role: str, django_capture_on_commit_callbacks: Any
) -> None:
    client = member(role, setup.shop, f"user-{role}")
    assert "data-add-shop" not in client.get("/").content.decode()
    assert client.get("/shops/new").status_code == 403
    response = post(client, "/shops/new", django_capture_on_commit_callbacks, {"file": bundle_file("sneaky")})
    assert response.status_code == 403
    assert not Shop.objects.filter(code="sneaky").exists()


def test_a_user_of_no_shop_is_refused_and_staff_is_allowed(db: Any, django_capture_on_commit_callbacks: Any) -> None:
    nobody = Client()
    nobody.force_login(UserFactory(username="nobody"))
    assert nobody.get("/shops/new").status_code == 403
    staff = Client()
    staff.force_login(UserFactory(username="staff", is_staff=True))
    assert "data-add-shop" in staff.get("/").content.decode()
    response = post(staff, "/shops/new", django_capture_on_commit_callbacks, {"file": bundle_file("staff-shop")})
    assert response.status_code == 302
    assert Shop.objects.filter(code="staff-shop").exists()


def test_a_code_taken_between_the_check_and_the_insert_is_refused_not_a_500(setup: ShopSetup) -> None:
    """Two people adding one shop code at once: the second's check still finds no shop, the database refuses
    its insert, and the service says the code exists (the page answers 400), with nothing half-written."""
    from unittest import mock

    from readiness.services import shops

    user = setup.shop.memberships.first().user
    with mock.patch.object(Shop.objects, "filter", return_value=mock.Mock(exists=lambda: False)):
        with pytest.raises(shops.ShopExists):
            shops.shop_create(code=setup.shop.code, name="另一家", platform="tmall", user=user)
    assert Shop.objects.filter(code=setup.shop.code).count() == 1
