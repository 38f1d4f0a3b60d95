"""Every page of a shop is for its members only: another shop's pages answer 404 (never 403), and a visitor who
is not logged in is sent to the login page."""

from __future__ import annotations

import pytest
from django.test import Client

from readiness.models import Finding, ImportJob, Waiver
from tests.readiness.web.conftest import ShopSetup

pytestmark = pytest.mark.django_db

GET_PAGES = [
    "",
    "issues/",
    "issues.csv",
    "issues.xlsx",
    "listings/",
    "listings/L100/",
    "imports/",
]


def test_another_shops_pages_answer_404(setup: ShopSetup, other_shop: ShopSetup) -> None:
    other_shop.client.force_login(other_shop.user)
    for suffix in GET_PAGES:
        assert setup.client.get(other_shop.url(suffix)).status_code == 404, suffix
        # the member of that shop sees it
        assert other_shop.client.get(other_shop.url(suffix)).status_code == 200, suffix


def test_pages_need_login(setup: ShopSetup) -> None:
    for suffix in GET_PAGES:
        response = Client().get(setup.url(suffix))
        assert response.status_code == 302, suffix
        assert response["Location"].startswith("/accounts/login/"), suffix


def test_another_shops_actions_answer_404_and_change_nothing(setup: ShopSetup, other_shop: ShopSetup) -> None:
    finding = other_shop.run.findings.filter(field="title").first()
    assert finding is not None
    waiver = Waiver.objects.create(
        shop=other_shop.shop, fingerprint="x", rule="r", reason="theirs", created_by=other_shop.user
    )
    job = ImportJob.objects.create(shop=other_shop.shop, created_by=other_shop.user)
    runs = other_shop.promotion.scan_runs.count()
    posts = {
        "scan": {},
        "listings/L100/edit": {"field": "title", "value": "改掉"},
        "listings/L100/apply": {"finding": finding.pk, "choice": 0},
        f"findings/{finding.pk}/waive": {"reason": "不是我的店"},
        f"waivers/{waiver.pk}/lift": {},
    }
    for suffix, data in posts.items():
        assert setup.client.post(other_shop.url(suffix), data).status_code == 404, suffix
    for suffix in (f"imports/{job.pk}/", f"imports/{job.pk}/progress", f"runs/{other_shop.run.pk}/progress"):
        assert setup.client.get(other_shop.url(suffix)).status_code == 404, suffix
    assert other_shop.promotion.scan_runs.count() == runs
    assert other_shop.shop.listings.get(listing_id="L100").title != "改掉"
    assert not Waiver.objects.filter(reason="不是我的店").exists()
    assert Waiver.objects.get(pk=waiver.pk).lifted_at is None


def test_a_finding_of_another_shop_cannot_be_waived_through_my_shop(setup: ShopSetup, other_shop: ShopSetup) -> None:
    """The shop in the URL is mine, the finding id is theirs: 404."""
    theirs = Finding.objects.filter(run=other_shop.run).first()
    assert theirs is not None
    response = setup.client.post(setup.url(f"findings/{theirs.pk}/waive"), {"reason": "x"})
    assert response.status_code == 404
    assert not Waiver.objects.exists()


def test_unknown_promotion_or_listing_is_404(setup: ShopSetup) -> None:
    assert setup.client.get(f"/shops/{setup.shop.code}/promotions/nope/").status_code == 404
    assert setup.client.get(setup.url("listings/NOPE/")).status_code == 404
    assert setup.client.get(setup.url("issues.pdf")).status_code == 404


def test_switcher_only_goes_to_my_shops(setup: ShopSetup, other_shop: ShopSetup) -> None:
    response = setup.client.get("/go/", {"shop": setup.shop.code})
    assert response.status_code == 302 and response["Location"] == setup.url()
    assert setup.client.get("/go/", {"shop": other_shop.shop.code}).status_code == 404


def test_superuser_sees_every_shop(setup: ShopSetup, other_shop: ShopSetup, admin_client: Client) -> None:
    assert admin_client.get(other_shop.url()).status_code == 200
    assert admin_client.get(setup.url()).status_code == 200
