"""The editor's tools in a real browser on the demo shop: 上一个/下一个 through the queue (links and J/K), find and
replace across the shop (preview, untick, apply, the findings gone after the re-scan), and the pages on a phone."""

from __future__ import annotations

import re
from typing import Any

import pytest

from readiness import selectors
from readiness.models import Finding, Listing, ListingRevision, Promotion
from tests.browser.site import SHOP, log_in, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def listing_id(page: Any) -> str:
    match = re.search(r"/listings/([\w-]+)/", page.url)
    assert match, page.url
    return match[1]


def test_next_and_previous_through_the_filtered_queue(page: Any, live_server: Any, demo: Promotion, shot: Any) -> None:
    log_in(page, live_server)
    page.goto(url(live_server, "listings/?check=listing_text"))
    queue = page.locator("table.queue tbody tr[data-listing]").evaluate_all(
        "rows => rows.map(r => r.getAttribute('data-listing'))"
    )
    assert len(queue) >= 3
    page.locator(f"tr[data-listing='{queue[0]}'] th a").click()
    page.wait_for_url(re.compile(r".*/listings/[\w-]+/\?check=listing_text&pos=1$"))
    assert listing_id(page) == queue[0]
    assert page.get_by_test_id("queue-position").inner_text() == f"第 1 / {len(queue)} 个"
    assert page.get_by_role("link", name=re.compile("上一个")).count() == 0
    shot(page, "editor-01-listing-in-queue", full_page=False)

    page.get_by_role("link", name=re.compile("下一个")).click()
    page.wait_for_url(re.compile(r".*\?check=listing_text&pos=2$"))
    assert listing_id(page) == queue[1]
    page.keyboard.press("j")  # the keyboard shortcut
    page.wait_for_url(re.compile(r".*\?check=listing_text&pos=3$"))
    assert listing_id(page) == queue[2]
    page.keyboard.press("k")
    page.wait_for_url(re.compile(r".*&pos=2$"))
    assert listing_id(page) == queue[1]
    # typing in a field is typing, not navigating
    page.locator("details.edit summary").first.click()
    page.locator("details.edit[open] input[type=text], details.edit[open] textarea").first.press("j")
    assert listing_id(page) == queue[1]
    # back to the queue keeps the filter
    page.get_by_role("link", name="← 商品编辑队列").click()
    page.wait_for_url(url(live_server, "listings/?check=listing_text"))


def test_find_and_replace_preview_then_apply(page: Any, live_server: Any, demo: Promotion, shot: Any) -> None:
    run = selectors.latest_run(promotion=demo)
    assert Finding.objects.filter(run=run, text="最佳", listing__listing_id="L133").exists()
    log_in(page, live_server)
    page.goto(url(live_server, "listings/"))
    page.get_by_role("link", name="批量查找替换").click()
    page.get_by_label("查找").fill("最佳")
    page.get_by_label("替换为").fill("上佳")
    page.get_by_role("button", name="预览修改").click()
    rows = page.locator("table.replace-preview tbody tr")
    assert rows.count() == 2
    changes = rows.evaluate_all("rows => rows.map(r => r.getAttribute('data-change'))")
    assert changes == ["L101:description", "L133:subtitle"]
    l133 = page.locator("tr[data-change='L133:subtitle']")
    assert l133.locator("mark.replace-old").inner_text() == "最佳"
    assert l133.locator("mark.replace-new").inner_text() == "上佳"
    assert "口感上佳的岩茶口粮" in l133.locator(".diff-after").inner_text()
    shot(page, "editor-02-replace-preview")

    # the box that ticks every change, then untick L101 alone
    boxes = page.locator("input[name=change]")
    page.get_by_label("全选").uncheck()
    assert [boxes.nth(i).is_checked() for i in range(2)] == [False, False]
    page.get_by_label("全选").check()
    assert [boxes.nth(i).is_checked() for i in range(2)] == [True, True]
    page.locator("tr[data-change='L101:description'] input[name=change]").uncheck()
    page.get_by_role("button", name="应用选中的修改并重新扫描").click()
    page.locator(".messages", has_text="已重新扫描").wait_for()
    assert "1 个商品、1 处" in page.locator(".messages").inner_text()
    # the search again: only the unticked one is left
    assert page.locator("table.replace-preview tbody tr").evaluate_all(
        "rows => rows.map(r => r.getAttribute('data-change'))"
    ) == ["L101:description"]
    shot(page, "editor-03-replace-applied")

    # saved, recorded like an edit, re-scanned: the finding is gone from the listing page
    assert Listing.objects.get(shop__code=SHOP, listing_id="L133").subtitle.startswith("口感上佳")
    assert ListingRevision.objects.filter(listing__listing_id="L133", source="replace").count() == 1
    run = selectors.latest_run(promotion=demo)
    assert not Finding.objects.filter(run=run, text="最佳", listing__listing_id="L133").exists()
    page.goto(url(live_server, "listings/L133/"))
    assert page.locator("[data-field='subtitle'] mark", has_text="最佳").count() == 0
    assert "上佳" in page.locator("[data-field='subtitle'] [data-field-text]").inner_text()
    assert "批量替换" in page.locator(".timeline").inner_text()


@pytest.mark.parametrize(
    "suffix", ["", "listings/", "listings/L133/", "issues/", "replace/?find=最佳&replace=上佳", "imports/"]
)
def test_phone_layout(browser: Any, live_server: Any, demo: Promotion, shot: Any, suffix: str) -> None:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, device_scale_factor=2, is_mobile=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        log_in(page, live_server)
        page.goto(url(live_server, suffix))
        # the page body never scrolls sideways: wide tables scroll inside their own box
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.evaluate("document.body.scrollWidth") <= PHONE["width"]
        # a compact header: the bar and the tabs take at most a fifth of the screen
        header = page.locator("header.topbar").bounding_box()
        assert header is not None and header["height"] <= 110, header
        # every tab is on the screen, or the tab bar scrolls to it
        tabs = page.locator("nav.tabs")
        scrollable = tabs.evaluate("n => n.scrollWidth > n.clientWidth && getComputedStyle(n).overflowX === 'auto'")
        for link in tabs.locator("a").all():
            box = link.bounding_box()
            assert box is not None and box["height"] > 0
            assert scrollable or (box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]), link.inner_text()
        if scrollable:
            tabs.locator("a").last.scroll_into_view_if_needed()
            last = tabs.locator("a").last.bounding_box()
            assert last is not None and last["x"] + last["width"] <= PHONE["width"] + 1
        name = re.sub(r"\W+", "-", suffix.split("?")[0]).strip("-") or "dashboard"
        shot(page, f"phone-{name}")
    finally:
        context.close()
