"""Find and replace across a shop's listings: the service (preview, apply, bounds, concurrent edits, all or
nothing) and the page (who may use it, the preview, the apply and what it reports)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.test import Client

from readiness.models import Finding, Listing, ListingRevision, Role, ScanRun, ShopMembership
from readiness.services import listings
from readiness.services.errors import ServiceError
from tests.factories import UserFactory
from tests.readiness.web.conftest import ShopSetup, import_and_scan, planted_bundle

pytestmark = pytest.mark.django_db

WORD, BETTER = "最佳", "精选"


@pytest.fixture
def shop(start_scan: Any, client: Client) -> ShopSetup:
    """The planted shop with 最佳 in three listings, in three kinds of field (L103 is archived: never touched)."""
    data = planted_bundle(listings=4)
    data["listings"][0]["description"] = "最佳口感，冲泡三次。最佳赏味期一年。"
    data["listings"][1]["subtitle"] = "杭州产区 最佳"
    data["listings"][2]["specs"]["产地"] = "最佳产区杭州"
    promotion, run = import_and_scan(data, start_scan)
    Listing.objects.filter(shop=promotion.shop, listing_id="L103").update(title="最佳 已下架")
    Listing.objects.filter(shop=promotion.shop, listing_id="L103").update(archived_at=run.created_at)
    user = UserFactory(username="editor")
    ShopMembership.objects.create(user=user, shop=promotion.shop, role=Role.LISTING_EDITOR)
    client.force_login(user)
    return ShopSetup(promotion.shop, promotion, run, user, client)


def latest(setup: ShopSetup) -> ScanRun:
    return ScanRun.objects.filter(promotion=setup.promotion, status="complete").latest("finished_at")


def refs(preview: listings.ReplacePreview) -> list[listings.ChangeRef]:
    return [listings.ChangeRef(c.listing_pk, c.field, c.digest) for c in preview.changes]


def texts(setup: ShopSetup) -> dict[str, tuple[str, str, str, dict[str, str]]]:
    return {
        row.listing_id: (row.title, row.subtitle, row.description, row.specs)
        for row in Listing.objects.filter(shop=setup.shop)
    }


# ---- the service -------------------------------------------------------------------------------------------------


def test_preview_lists_every_change_and_writes_nothing(shop: ShopSetup) -> None:
    before = texts(shop)
    preview = listings.listings_replace_preview(shop=shop.shop, find=WORD, replace=BETTER)
    found = {(c.listing_id, c.field): c for c in preview.changes}
    assert set(found) == {("L100", "description"), ("L101", "subtitle"), ("L102", "specs.产地")}
    assert preview.listings == 3 and not preview.truncated
    description = found["L100", "description"]
    assert description.spans == ((0, 2), (10, 12))
    assert [description.before[s:e] for s, e in description.spans] == [WORD, WORD]
    assert description.after == "精选口感，冲泡三次。精选赏味期一年。"
    assert [description.after[s:e] for s, e in description.after_spans] == [BETTER, BETTER]
    assert found["L102", "specs.产地"].after == "精选产区杭州"
    assert texts(shop) == before and not ListingRevision.objects.exists()


def test_after_spans_follow_a_replacement_of_another_length(shop: ShopSetup) -> None:
    preview = listings.listings_replace_preview(shop=shop.shop, find=WORD, replace="")
    description = next(c for c in preview.changes if c.field == "description")
    assert description.after == "口感，冲泡三次。赏味期一年。"
    assert description.after_spans == ((0, 0), (8, 8))
    longer = listings.listings_replace_preview(shop=shop.shop, find=WORD, replace="口碑之选")
    description = next(c for c in longer.changes if c.field == "description")
    assert [description.after[s:e] for s, e in description.after_spans] == ["口碑之选", "口碑之选"]


def test_apply_replaces_records_each_change_like_an_edit_and_rescans(shop: ShopSetup) -> None:
    assert Finding.objects.filter(run=latest(shop), text=WORD).count() >= 3  # 最佳 is an extreme word
    preview = listings.listings_replace_preview(shop=shop.shop, find=WORD, replace=BETTER)
    result = listings.listings_replace(
        shop=shop.shop, find=WORD, replace=BETTER, selected=refs(preview), user=shop.user
    )
    assert len(result.applied) == 3 and result.skipped == []
    now = texts(shop)
    assert now["L100"][2] == "精选口感，冲泡三次。精选赏味期一年。"
    assert now["L101"][1] == "杭州产区 精选"
    assert now["L102"][3] == {"净含量": "250g", "保质期": "18个月", "产地": "精选产区杭州"}
    assert now["L103"][0] == "最佳 已下架"  # archived: not the shop's listing on sale
    revisions = ListingRevision.objects.order_by("listing__listing_id")
    assert [(r.listing.listing_id, r.source, r.changed_by) for r in revisions] == [
        ("L100", "replace", shop.user),
        ("L101", "replace", shop.user),
        ("L102", "replace", shop.user),
    ]
    assert revisions[1].changes == {"subtitle": {"old": "杭州产区 最佳", "new": "杭州产区 精选"}}
    # re-scanned: the latest run no longer has the word, and the score moved
    assert not Finding.objects.filter(run=latest(shop), text=WORD).exists()
    assert latest(shop).pk == shop.run.pk and latest(shop).score >= shop.run.score


def test_apply_only_the_ticked_changes(shop: ShopSetup) -> None:
    preview = listings.listings_replace_preview(shop=shop.shop, find=WORD, replace=BETTER)
    ticked = [r for r in refs(preview) if r.field == "subtitle"]
    result = listings.listings_replace(shop=shop.shop, find=WORD, replace=BETTER, selected=ticked, user=shop.user)
    assert [(c.listing_id, c.field) for c in result.applied] == [("L101", "subtitle")]
    now = texts(shop)
    assert now["L101"][1] == "杭州产区 精选" and now["L100"][2].startswith(WORD)
    assert ListingRevision.objects.count() == 1


def test_a_field_edited_since_the_preview_is_skipped_not_overwritten(shop: ShopSetup) -> None:
    preview = listings.listings_replace_preview(shop=shop.shop, find=WORD, replace=BETTER)
    l101 = Listing.objects.get(shop=shop.shop, listing_id="L101")
    listings.listing_update_text(listing=l101, changes={"subtitle": "最佳 西湖产区"}, user=shop.user)
    result = listings.listings_replace(
        shop=shop.shop, find=WORD, replace=BETTER, selected=refs(preview), user=shop.user
    )
    assert [(s.listing_id, s.field) for s in result.skipped] == [("L101", "subtitle")]
    assert {(c.listing_id, c.field) for c in result.applied} == {("L100", "description"), ("L102", "specs.产地")}
    assert texts(shop)["L101"][1] == "最佳 西湖产区"  # the other editor's text stands


def test_an_edit_to_another_field_does_not_block_the_change(shop: ShopSetup) -> None:
    preview = listings.listings_replace_preview(shop=shop.shop, find=WORD, replace=BETTER)
    l101 = Listing.objects.get(shop=shop.shop, listing_id="L101")
    listings.listing_update_text(listing=l101, changes={"title": "明前龙井 500g"}, user=shop.user)
    result = listings.listings_replace(
        shop=shop.shop, find=WORD, replace=BETTER, selected=refs(preview), user=shop.user
    )
    assert result.skipped == [] and texts(shop)["L101"][:2] == ("明前龙井 500g", "杭州产区 精选")


def test_apply_is_all_or_nothing(shop: ShopSetup) -> None:
    # L102's title would outgrow its 500 characters: nothing is saved, not even L100 and L101 before it
    Listing.objects.filter(shop=shop.shop, listing_id="L102").update(title=WORD + "茶" * 490)
    before = texts(shop)
    replacement = "口碑" * 15
    preview = listings.listings_replace_preview(shop=shop.shop, find=WORD, replace=replacement)
    assert ("L102", "title") in {(c.listing_id, c.field) for c in preview.changes}
    with pytest.raises(ServiceError) as caught:
        listings.listings_replace(
            shop=shop.shop, find=WORD, replace=replacement, selected=refs(preview), user=shop.user
        )
    assert "L102" in caught.value.message and "所有修改均未保存" in caught.value.message
    assert caught.value.errors[0]["path"] == "L102.title"
    assert texts(shop) == before and not ListingRevision.objects.exists()


def test_bounds_of_one_apply(shop: ShopSetup, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listings, "MAX_REPLACE_LISTINGS", 2)
    preview = listings.listings_replace_preview(shop=shop.shop, find=WORD, replace=BETTER)
    assert preview.listings == 3 and preview.truncated
    assert {c.listing_id for c in preview.changes} == {"L100", "L101"}
    everything = [*refs(preview), listings.ChangeRef(Listing.objects.get(listing_id="L102").pk, "specs.产地", "0" * 16)]
    before = texts(shop)
    with pytest.raises(ServiceError) as caught:
        listings.listings_replace(shop=shop.shop, find=WORD, replace=BETTER, selected=everything, user=shop.user)
    assert "一次最多替换 2 个商品" in caught.value.message and "这次选了 3 个商品" in caught.value.message
    assert texts(shop) == before
    monkeypatch.setattr(listings, "MAX_REPLACE_CHANGES", 1)
    with pytest.raises(ServiceError, match="一次最多替换 2 个商品、1 处文字"):
        listings.listings_replace(shop=shop.shop, find=WORD, replace=BETTER, selected=refs(preview), user=shop.user)


@pytest.mark.parametrize(
    ("find", "replace", "message"),
    [("", "精选", "请输入要查找的文字"), ("最佳", "最佳", "相同"), ("最" * 101, "", "最多 100 个字")],
)
def test_bad_words_are_refused(shop: ShopSetup, find: str, replace: str, message: str) -> None:
    with pytest.raises(ServiceError, match=message):
        listings.listings_replace_preview(shop=shop.shop, find=find, replace=replace)


def test_nothing_ticked_is_refused(shop: ShopSetup) -> None:
    with pytest.raises(ServiceError, match="没有选中"):
        listings.listings_replace(shop=shop.shop, find=WORD, replace=BETTER, selected=[], user=shop.user)


def test_another_shops_listing_cannot_be_reached(shop: ShopSetup, other_shop: ShopSetup) -> None:
    theirs = Listing.objects.get(shop=other_shop.shop, listing_id="L100")
    ref = listings.ChangeRef(theirs.pk, "title", listings.text_digest(theirs.title))
    result = listings.listings_replace(shop=shop.shop, find="顶级", replace=BETTER, selected=[ref], user=shop.user)
    assert result.applied == [] and [s.listing_id for s in result.skipped] == [""]
    theirs.refresh_from_db()
    assert theirs.title.startswith("顶级")


# ---- the page ----------------------------------------------------------------------------------------------------


def _as(setup: ShopSetup, role: str) -> Client:
    user = UserFactory(username=f"user-{role}")
    ShopMembership.objects.create(user=user, shop=setup.shop, role=role)
    client = Client()
    client.force_login(user)
    return client


def _ticked(body: str) -> list[str]:
    return [unescape(v) for v in re.findall(r'name="change" value="([^"]+)" checked', body)]


@pytest.mark.parametrize(
    ("role", "status"), [(Role.OPERATIONS_MANAGER, 200), (Role.LISTING_EDITOR, 200), (Role.API_CLIENT, 403)]
)
def test_who_may_preview_and_apply(shop: ShopSetup, role: str, status: int) -> None:
    client = _as(shop, role)
    response = client.get(shop.url("replace/"), {"find": WORD, "replace": BETTER})
    assert response.status_code == status
    preview = listings.listings_replace_preview(shop=shop.shop, find=WORD, replace=BETTER)
    values = [f"{c.listing_pk}:{c.digest}:{c.field}" for c in preview.changes]
    response = client.post(shop.url("replace/apply"), {"find": WORD, "replace": BETTER, "change": values})
    assert response.status_code == (302 if status == 200 else 403)
    assert ListingRevision.objects.exists() == (status == 200)
    queue = client.get(shop.url("listings/")).content.decode()
    assert ("批量查找替换" in queue) == (status == 200)


def test_preview_page_shows_each_change_highlighted(shop: ShopSetup) -> None:
    response = shop.client.get(shop.url("replace/"), {"find": WORD, "replace": BETTER})
    body = response.content.decode()
    assert response.status_code == 200
    assert len(_ticked(body)) == 3
    rows = re.findall(r'<tr data-change="([^"]+)">', body)
    assert rows == ["L100:description", "L101:subtitle", "L102:specs.产地"]
    assert body.count(f'<mark class="replace-old">{WORD}</mark>') == 4  # twice in L100's description
    assert body.count(f'<mark class="replace-new">{BETTER}</mark>') == 4
    assert "规格参数·产地" in body and "3 个商品包含这个词" in body


def test_apply_from_the_page_then_the_search_finds_nothing(shop: ShopSetup) -> None:
    body = shop.client.get(shop.url("replace/"), {"find": WORD, "replace": BETTER}).content.decode()
    response = shop.client.post(
        shop.url("replace/apply"), {"find": WORD, "replace": BETTER, "change": _ticked(body)[:2]}, follow=True
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(shop.url("replace/") + "?find=")
    assert "2 个商品、2 处，已重新扫描" in page
    assert re.findall(r'<tr data-change="([^"]+)">', page) == ["L102:specs.产地"]  # the unticked one is left
    history = shop.client.get(shop.url("listings/L100/")).content.decode()
    assert "（批量替换）" in history and "精选口感" in history


def test_a_stale_preview_reports_what_it_skipped(shop: ShopSetup) -> None:
    body = shop.client.get(shop.url("replace/"), {"find": WORD, "replace": BETTER}).content.decode()
    Listing.objects.filter(shop=shop.shop, listing_id="L101").update(subtitle="最佳 西湖")
    response = shop.client.post(
        shop.url("replace/apply"), {"find": WORD, "replace": BETTER, "change": _ticked(body)}, follow=True
    )
    page = response.content.decode()
    assert "2 个商品、2 处" in page and "1 处在预览之后被修改过" in page and "L101 副标题" in page
    assert Listing.objects.get(shop=shop.shop, listing_id="L101").subtitle == "最佳 西湖"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"find": "", "replace": BETTER}, "查找"),
        ({"find": WORD, "replace": WORD, "change": "1:0123456789abcdef:title"}, "相同"),
        ({"find": WORD, "replace": BETTER, "change": "x:title"}, "无法识别"),
        ({"find": WORD, "replace": BETTER}, "没有选中"),
    ],
)
def test_bad_posts_are_a_400_in_chinese_and_change_nothing(shop: ShopSetup, data: dict[str, str], message: str) -> None:
    response = shop.client.post(shop.url("replace/apply"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ListingRevision.objects.exists()


def test_too_many_changes_is_a_400(shop: ShopSetup, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listings, "MAX_REPLACE_CHANGES", 2)
    body = shop.client.get(shop.url("replace/"), {"find": WORD, "replace": BETTER}).content.decode()
    response = shop.client.post(shop.url("replace/apply"), {"find": WORD, "replace": BETTER, "change": _ticked(body)})
    assert response.status_code == 400
    assert "一次最多替换 100 个商品、2 处文字" in unescape(response.content.decode())
    assert not ListingRevision.objects.exists()


def test_the_tools_in_english(shop: ShopSetup) -> None:
    shop.client.post("/i18n/setlang/", {"language": "en", "next": shop.url()})
    body = unescape(shop.client.get(shop.url("replace/"), {"find": WORD, "replace": BETTER}).content.decode())
    for text in ("Find and replace", "3 listings contain the word; 3 fields to change.", "Apply the selected changes"):
        assert text in body, text
    listing = unescape(shop.client.get(shop.url("listings/L100/"), {"pos": "1"}).content.decode())
    assert "Next" in listing and "1 of" in listing and "Keys: J next, K previous" in listing
    chinese = re.compile(r"[\u4e00-\u9fff]")
    # the page's own words are English; the shop's data (titles, the word searched for) stays as it is
    heading = re.search(r"<h1>(.*?)</h1>", body, re.S)
    assert heading and not chinese.search(heading[1])


def test_preview_is_one_query_whatever_the_number_of_matches(
    shop: ShopSetup, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(1):
        preview = listings.listings_replace_preview(shop=shop.shop, find=WORD, replace=BETTER)
    assert preview.listings == 3
