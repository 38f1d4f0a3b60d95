"""Listing ids cannot reach another URL (issue 15, item 3): an id is a slug (letters, digits, '-', '_', as
platforms' item ids and merchants' codes are), anything else is refused at import with its path, and every link
to a listing is built by reverse()."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from readiness.imports.bundle import BundleError, parse_bundle
from readiness.imports.writing import bundle_import
from tests.factories import bundle_dict
from tests.readiness.web.conftest import ShopSetup

HOSTILE_IDS = ["../../admin/", "a/b", "L 100", '=HYPERLINK("x")', "L100?x=1", "L100#top", "商品1", "%2e%2e", ""]
PLATFORM_IDS = ["L100", "6012345678901", "10023456789012345678", "SKU-2026_A"]


@pytest.mark.parametrize("listing_id", HOSTILE_IDS)
def test_an_id_that_is_not_a_slug_is_refused_at_import_with_its_path(listing_id: str) -> None:
    data = bundle_dict(listings=2)
    data["listings"][1]["id"] = listing_id
    with pytest.raises(BundleError) as caught:
        parse_bundle(json.dumps(data, ensure_ascii=False))
    assert [i.path for i in caught.value.errors] == ["listings[1].id"]


@pytest.mark.django_db
@pytest.mark.parametrize("listing_id", PLATFORM_IDS)
def test_platform_ids_import_and_every_link_resolves_to_their_page(listing_id: str, client) -> None:  # type: ignore[no-untyped-def]
    from readiness.models import Role, ShopMembership
    from tests.factories import UserFactory

    data = bundle_dict(listings=1)
    data["listings"][0]["id"] = listing_id
    data["listings"][0]["title"] = "最佳 龙井"
    promotion = bundle_import(parsed=parse_bundle(json.dumps(data, ensure_ascii=False))).promotion
    user = UserFactory()
    ShopMembership.objects.create(user=user, shop=promotion.shop, role=Role.OPERATIONS_MANAGER)
    client.force_login(user)
    url = reverse("listing", args=[promotion.shop.code, promotion.code, listing_id])
    assert client.get(url).status_code == 200
    assert client.get(f"/api/v1/shops/{promotion.shop.code}/listings/{listing_id}").status_code in (401, 403, 200)


@pytest.mark.django_db
def test_the_queue_links_every_listing_by_reverse(setup: ShopSetup) -> None:
    body = setup.client.get(setup.url("listings/")).content.decode()
    expected = reverse("listing", args=[setup.shop.code, setup.promotion.code, "L100"])
    # The link may carry the queue's state (its filters and the listing's position) after the reversed path.
    assert re.search(f'href="{re.escape(expected)}(\\?[^"]*)?"', body), expected
