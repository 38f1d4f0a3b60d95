"""The listing queue and a listing's page: highlights at exact offsets, editing, one-click suggestions, waivers,
history — as partial HTML for the page's script and as plain form posts."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from readiness.models import Finding, ListingRevision, ScanRun, Waiver
from tests.readiness.web.conftest import L100_TITLE, L101_TITLE, ShopSetup, import_and_scan, planted_bundle

pytestmark = pytest.mark.django_db
PARTIAL = {"HTTP_X_REQUESTED_WITH": "fetch"}


def marks(body: str) -> list[dict[str, str]]:
    """Every highlight on a page: its attributes and its text."""
    out = []
    for match in re.finditer(r"<mark ([^>]*)>(.*?)</mark>", body, re.S):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', match[1]))
        attrs["text"] = unescape(match[2])
        out.append(attrs)
    return out


def latest(setup: ShopSetup) -> ScanRun:
    return ScanRun.objects.filter(promotion=setup.promotion, status="complete").latest("finished_at")


def finding(setup: ShopSetup, text: str) -> Finding:
    return Finding.objects.get(run=latest(setup), text=text)


# ---- the queue -----------------------------------------------------------------------------------------------


def test_queue_lists_flagged_listings_worst_first(setup: ShopSetup) -> None:
    body = setup.client.get(setup.url("listings/")).content.decode()
    ids = re.findall(r'<tr class="sev-\w+" data-listing="(\w+)">', body)
    assert ids == ["L100", "L101"]  # L100 has two errors, L101 one; L102 is clean
    assert "页面文案" in body and "参数一致" in body


def test_queue_filters_by_check_and_category(setup: ShopSetup) -> None:
    body = setup.client.get(setup.url("listings/"), {"check": "spec_consistency"}).content.decode()
    assert re.findall(r'data-listing="(\w+)"', body) == ["L101"]
    body = setup.client.get(setup.url("listings/"), {"category": "snacks"}).content.decode()
    assert re.findall(r'data-listing="(\w+)"', body) == []
    # one Chinese name per category (readiness.categories); the old code still filters (?category=snacks)
    assert '<option value="零食"' in body and '<option value="茶叶"' in body
    assert '<option value="snacks"' not in body and '<option value="tea"' not in body


# ---- one listing: highlights -------------------------------------------------------------------------------


def test_listing_highlights_each_finding_at_its_exact_offsets(setup: ShopSetup) -> None:
    body = setup.client.get(setup.url("listings/L100/")).content.decode()
    top = finding(setup, "顶级")
    lowest = finding(setup, "全网最低价")
    found = {m["data-findings"]: m for m in marks(body)}
    assert found[str(top.pk)]["text"] == "顶级" == L100_TITLE[top.start : top.end]
    assert (found[str(top.pk)]["data-start"], found[str(top.pk)]["data-end"]) == (str(top.start), str(top.end))
    assert found[str(lowest.pk)]["text"] == "全网最低价"
    assert "sev-error" in found[str(top.pk)]["class"]
    # reason, citation and suggestion: in the side list, and the mark points at them
    assert found[str(top.pk)]["aria-describedby"] == f"tip-{top.pk}"
    tip = re.search(rf'id="tip-{top.pk}">(.*?)</div>', body, re.S)
    tip_text = unescape(re.sub(r"<[^>]+>", "", tip[1])) if tip else ""  # shop words inside are marked as data
    assert tip and top.message in tip_text and "广告法" in tip[1] and "高品质" in tip[1]
    assert f'href="#hl-{top.pk}-main"' in body and f'id="hl-{top.pk}-main"' in body
    # one-click suggestions for replacement words only ("删除，或…" is advice)
    assert re.findall(r'data-apply="([^"]+)"', body) == ["高品质", "精选"]


def test_spec_mismatch_highlights_both_sides(setup: ShopSetup) -> None:
    body = setup.client.get(setup.url("listings/L101/")).content.decode()
    mismatch = finding(setup, "2斤")
    sides = [m for m in marks(body) if m["data-findings"] == str(mismatch.pk)]
    assert [m["text"] for m in sides] == ["2斤", "250g"]
    assert "hl-related" in sides[1]["class"] and "hl-related" not in sides[0]["class"]
    assert L101_TITLE[mismatch.start : mismatch.end] == "2斤"
    assert f'href="#hl-{mismatch.pk}-related"' in body and "规格参数·净含量「250g」" in re.sub(r"<[^>]+>", "", body)


def test_listing_page_query_count_is_constant(start_scan: Any, setup: ShopSetup) -> None:
    with CaptureQueriesContext(connection) as small:
        setup.client.get(setup.url("listings/L100/"))
    data = planted_bundle(listings=3, shop_code="big-tmall")
    data["listings"][0]["skus"] = data["listings"][0]["skus"] * 1  # same listing shape …
    data["listings"][0]["description"] = "顶级 最佳 第一 " * 20  # … with many more findings
    promotion, _run = import_and_scan(data, start_scan)
    promotion.shop.memberships.create(user=setup.user, role="listing_editor")
    with CaptureQueriesContext(connection) as large:
        setup.client.get(f"/shops/big-tmall/promotions/{promotion.code}/listings/L100/")
    assert len(large.captured_queries) == len(small.captured_queries)


# ---- editing, suggestions, waivers -------------------------------------------------------------------------


def test_edit_in_place_rescans_and_records_who_and_when(setup: ShopSetup) -> None:
    before = setup.run.score
    response = setup.client.post(
        setup.url("listings/L100/edit"), {"field": "title", "value": "精选西湖龙井 明前 250g"}, **PARTIAL
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body  # the panel only
    assert "已保存并重新扫描" in body and f"{before} →" in body
    assert not [m for m in marks(body) if m["text"] in ("顶级", "全网最低价")]
    revision = ListingRevision.objects.get(listing__listing_id="L100")
    assert revision.changed_by == setup.user and revision.source == "web"
    assert revision.changes["title"] == {"old": L100_TITLE, "new": "精选西湖龙井 明前 250g"}
    assert "修改了" in body and "ops" in body  # the history shows it
    assert latest(setup).score > before


def test_edit_a_spec_value(setup: ShopSetup) -> None:
    response = setup.client.post(
        setup.url("listings/L101/edit"), {"field": "specs.净含量", "value": "1000g"}, **PARTIAL
    )
    assert response.status_code == 200
    listing = setup.shop.listings.get(listing_id="L101")
    assert listing.specs["净含量"] == "1000g" and listing.specs["保质期"] == "18个月"
    # the title's 2斤 (1000 g) now agrees with the spec table
    assert not Finding.objects.filter(run=latest(setup), text="2斤").exists()


def test_edit_without_script_redirects_with_a_message(setup: ShopSetup) -> None:
    response = setup.client.post(setup.url("listings/L100/edit"), {"field": "subtitle", "value": "杭州\r\n产区"})
    assert response.status_code == 302 and response["Location"] == setup.url("listings/L100/")
    assert setup.shop.listings.get(listing_id="L100").subtitle == "杭州 产区"
    body = setup.client.get(response["Location"]).content.decode()
    assert "已保存并重新扫描" in body


def test_edit_refuses_fields_it_cannot_change(setup: ShopSetup) -> None:
    response = setup.client.post(setup.url("listings/L100/edit"), {"field": "category", "value": "x"}, **PARTIAL)
    assert response.status_code == 400
    assert "无法保存" in response.content.decode()
    long = setup.client.post(setup.url("listings/L100/edit"), {"field": "title", "value": "长" * 600}, **PARTIAL)
    assert long.status_code == 400 and "title" in long.content.decode()
    assert not ListingRevision.objects.exists()


def test_apply_suggestion_replaces_exactly_the_span(setup: ShopSetup) -> None:
    top = finding(setup, "顶级")
    before = setup.run.score
    response = setup.client.post(setup.url("listings/L100/apply"), {"finding": top.pk, "choice": 0}, **PARTIAL)
    assert response.status_code == 200
    title = setup.shop.listings.get(listing_id="L100").title
    assert title == "高品质" + L100_TITLE[2:]
    body = response.content.decode()
    assert "已把“顶级”改为“高品质”" in body
    assert not Finding.objects.filter(run=latest(setup), rule=top.rule, listing__listing_id="L100").exists()
    assert latest(setup).score > before
    shown = re.search(r'data-testid="shop-score">(\d+)<', body)
    assert shown and int(shown[1]) == latest(setup).score


def test_apply_second_choice_and_stale_findings(setup: ShopSetup) -> None:
    top = finding(setup, "顶级")
    setup.client.post(setup.url("listings/L100/apply"), {"finding": top.pk, "choice": 1}, **PARTIAL)
    assert setup.shop.listings.get(listing_id="L100").title.startswith("精选")
    # the finding row is gone after the re-scan: a second click on the old page says so
    again = setup.client.post(setup.url("listings/L100/apply"), {"finding": top.pk, "choice": 0}, **PARTIAL)
    assert again.status_code == 400 and "已不存在" in again.content.decode()


def test_apply_refuses_advice_and_moved_text(setup: ShopSetup) -> None:
    lowest = finding(setup, "全网最低价")  # suggestion is advice ("删除，或…")
    response = setup.client.post(setup.url("listings/L100/apply"), {"finding": lowest.pk}, **PARTIAL)
    assert response.status_code == 400 and "没有可以直接套用的建议" in response.content.decode()
    top = finding(setup, "顶级")
    setup.shop.listings.filter(listing_id="L100").update(title="新" + L100_TITLE)  # edited elsewhere, not re-scanned
    response = setup.client.post(setup.url("listings/L100/apply"), {"finding": top.pk}, **PARTIAL)
    assert response.status_code == 400 and "重新扫描" in response.content.decode()
    assert not ListingRevision.objects.exists()


def test_waive_with_a_reason_marks_it_waived_and_lift_reopens_it(setup: ShopSetup) -> None:
    lowest = finding(setup, "全网最低价")
    before = setup.run.score
    empty = setup.client.post(setup.url(f"findings/{lowest.pk}/waive"), {"reason": "  "}, **PARTIAL)
    assert empty.status_code == 400 and "豁免理由" in empty.content.decode()
    response = setup.client.post(
        setup.url(f"findings/{lowest.pk}/waive"), {"reason": "已取得第三方比价报告"}, **PARTIAL
    )
    assert response.status_code == 200
    body = response.content.decode()
    item = re.search(rf'<li id="finding-{lowest.pk}" class="([^"]+)"', body)
    assert item and "is-waived" in item[1]
    assert "ops 于" in body and "已取得第三方比价报告" in body and "豁免了" in body
    waived_mark = [m for m in marks(body) if m["data-findings"] == str(lowest.pk)]
    assert waived_mark and "sev-waived" in waived_mark[0]["class"]
    assert latest(setup).score > before
    waiver = Waiver.objects.get()
    assert waiver.created_by == setup.user
    lifted = setup.client.post(setup.url(f"waivers/{waiver.pk}/lift"), **PARTIAL)
    assert lifted.status_code == 200 and "已撤销豁免" in lifted.content.decode()
    assert latest(setup).score == before
    waiver.refresh_from_db()
    assert waiver.lifted_by == setup.user


def test_waive_from_the_dashboard_returns_there(setup: ShopSetup) -> None:
    lowest = finding(setup, "全网最低价")
    response = setup.client.post(
        setup.url(f"findings/{lowest.pk}/waive"), {"reason": "活动页已下线", "next": setup.url() + "#x"}
    )
    assert response.status_code == 302 and response["Location"] == setup.url() + "#x"
    response = setup.client.post(
        setup.url(f"findings/{lowest.pk}/waive"), {"reason": "again", "next": "https://evil.example/"}
    )
    assert response["Location"] == setup.url("listings/L100/")  # an outside "next" is ignored
    assert Waiver.objects.count() == 1  # and the second waiver was a conflict


# ---- the queue is the editor's: only what an editor can fix ---------------------------------------------------


def test_queue_leaves_stock_to_the_warehouse(start_scan: Any, client: Any) -> None:
    from readiness.models import Role, ShopMembership
    from tests.factories import UserFactory

    data = planted_bundle(listings=3, shop_code="stock-tmall")
    for sku in data["listings"][2]["skus"]:
        sku["stock"], sku["inbound"] = 10, []  # L102: its text is clean, its stock short of the forecast
    promotion, run = import_and_scan(data, start_scan)
    warehouse = Finding.objects.filter(run=run, listing__listing_id="L102", owner="warehouse")
    assert warehouse.exists()  # the problem is real and found …
    user = UserFactory(username="editor")
    ShopMembership.objects.create(user=user, shop=promotion.shop, role=Role.LISTING_EDITOR)
    client.force_login(user)
    base = f"/shops/stock-tmall/promotions/{promotion.code}/"
    body = client.get(base + "listings/").content.decode()
    assert re.findall(r'data-listing="(\w+)"', body) == ["L100", "L101"]  # … but not the editor's
    assert '<option value="stock"' not in body and '<option value="listing_text"' in body
    assert "库存和赠品库存由仓储处理" in body
    assert "L102" in client.get(base + "issues/").content.decode()  # the warehouse still sees it


# ---- 上一个/下一个 through the queue ------------------------------------------------------------------------------


def nav(body: str) -> dict[str, str]:
    return {
        rel: unescape(href) for rel, href in re.findall(r'<a class="btn btn-small" rel="(\w+)" href="([^"]+)"', body)
    }


def test_queue_links_carry_the_filters_and_the_position(setup: ShopSetup) -> None:
    body = setup.client.get(setup.url("listings/"), {"check": "listing_text", "category": "tea"}).content.decode()
    links = [unescape(h) for h in re.findall(r'<th scope="row"><a href="([^"]+)"', body)]
    assert links == [setup.url("listings/L100/?category=tea&check=listing_text&pos=1")]
    body = setup.client.get(links[0]).content.decode()
    assert "第 1 / 1 个" in body and f'href="{setup.url("listings/")}?category=tea&amp;check=listing_text"' in body


def test_next_and_previous_follow_the_queue_order(setup: ShopSetup) -> None:
    first = setup.client.get(setup.url("listings/L100/"), {"pos": "1"}).content.decode()
    assert nav(first) == {"next": setup.url("listings/L101/?pos=2")}
    assert "第 1 / 2 个" in first and 'aria-keyshortcuts="j"' in first
    second = setup.client.get(setup.url("listings/L101/"), {"pos": "2"}).content.decode()
    assert nav(second) == {"prev": setup.url("listings/L100/?pos=1")}
    assert "第 2 / 2 个" in second


def test_next_and_previous_keep_the_queue_filter(setup: ShopSetup) -> None:
    body = setup.client.get(setup.url("listings/L101/"), {"check": "spec_consistency", "pos": "1"}).content.decode()
    assert nav(body) == {} and "第 1 / 1 个" in body  # L101 is the only spec mismatch
    assert f'href="{setup.url("listings/")}?check=spec_consistency"' in body  # back to the filtered queue


def test_a_fixed_listing_still_leads_to_the_next(setup: ShopSetup) -> None:
    # L100 is fixed: it leaves the queue, and 下一个 goes on from where it was
    setup.client.post(setup.url("listings/L100/edit?pos=1"), {"field": "title", "value": "西湖龙井 明前 250g"})
    response = setup.client.post(
        setup.url("listings/L100/edit?pos=1"), {"field": "title", "value": "西湖龙井 明前 250g 新茶"}
    )
    assert response["Location"] == setup.url("listings/L100/?pos=1")  # a plain post keeps the queue state
    body = setup.client.get(response["Location"]).content.decode()
    assert nav(body) == {"next": setup.url("listings/L101/?pos=1")}
    assert "第 1 / 2 个" not in body
