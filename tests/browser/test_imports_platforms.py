"""The platforms' own exports uploaded in a real browser: recognised without a column mapping, their listings
shown afterwards, items 仓库中 / 已下架 left out; the home page's import entry and the template link."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from readiness.models import ImportJob, Listing
from tests.browser.site import PROMOTION, SHOP, log_in, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIXTURES = Path(__file__).resolve().parents[1] / "readiness" / "imports" / "fixtures"

EXPORTS = [
    (
        "taobao_assistant_gbk.csv",
        "淘宝助理 CSV",
        {"681234567890": "武夷山正山小种红茶", "TB-TGY": "安溪铁观音"},
        "681234560001",
    ),
    (
        "qianniu_export.xlsx",
        "千牛商品导出",
        {"700100200301": "凤凰单丛", "700100200302": "手工竹制茶则"},
        "700100200303",
    ),
    ("pinduoduo_export.csv", "拼多多商品导出", {"4201001": "云南滇红"}, "4201002"),
]


@pytest.mark.usefixtures("demo")
def test_each_platform_export_is_imported_without_mapping(page: Any, live_server: Any, shot: Any) -> None:
    log_in(page, live_server, shot)
    entry = page.locator("[data-import-entry]").first
    entry.click()
    page.wait_for_url(url(live_server, "imports/"))
    assert page.locator("[data-template-link]").get_attribute("href", timeout=5_000) == (
        f"/shops/{SHOP}/promotions/{PROMOTION}/imports/template.xlsx"
    )
    for number, (name, label, listings, off_shelf) in enumerate(EXPORTS, start=1):
        page.goto(url(live_server, "imports/"))
        page.get_by_label("文件", exact=True).set_input_files(str(FIXTURES / name))
        recognised = page.locator("[data-recognised]")
        recognised.wait_for()  # no column mapping is asked for
        assert label in recognised.inner_text()
        assert page.locator("select[name='map-0']").count() == 0
        shot(page, f"imports-platform-{number}-recognised")
        page.get_by_role("button", name="上传并导入").click()
        page.wait_for_url(re.compile(r".*/imports/\d+/$"))
        page.locator("progress[data-percent='100']").wait_for()
        notes = page.locator("ul.messages").inner_text()
        assert label in notes and off_shelf in notes  # the item off the shelf is named, not silently dropped
        shot(page, f"imports-platform-{number}-done")
        assert ImportJob.objects.order_by("-pk").first().status == "complete"  # type: ignore[union-attr]
        for listing_id, title in listings.items():
            page.goto(url(live_server, f"listings/{listing_id}/"))
            assert title in page.locator("h1").inner_text()
        assert not Listing.objects.filter(listing_id=off_shelf).exists()
    shot(page, "imports-platform-listing")
