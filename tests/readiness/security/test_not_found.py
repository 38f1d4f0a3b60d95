"""Never a 500 for what does not exist or cannot exist (issue 15, item 2).

A superuser is a member of every shop, but not of one that does not exist: 404. A NUL character (``%00``) in a
path or a query string cannot be stored or compared by PostgreSQL; the whole class is refused with 400 before any
view runs, on every URL (API, pages, exports), instead of a 500 or a truncated stream.
"""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.readiness.web.conftest import ShopSetup

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_api() -> APIClient:
    client = APIClient()
    client.force_authenticate(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/shops/no-such-shop/promotions",
        "/api/v1/shops/no-such-shop/waivers",
        "/api/v1/shops/no-such-shop/listings/L1",
        "/api/v1/shops/no-such-shop/promotions/d11/readiness",
        "/api/v1/shops/no-such-shop/promotions/d11/findings",
        "/api/v1/shops/no-such-shop/promotions/d11/runs",
    ],
)
def test_superuser_asking_for_what_does_not_exist_gets_404(superuser_api: APIClient, path: str) -> None:
    response = superuser_api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_superuser_unknown_promotion_of_a_real_shop_is_404(setup: ShopSetup, superuser_api: APIClient) -> None:
    assert superuser_api.get(f"/api/v1/shops/{setup.shop.code}/promotions/nope/readiness").status_code == 404
    assert (
        superuser_api.get(f"/api/v1/shops/{setup.shop.code}/promotions/{setup.promotion.code}/runs").status_code == 200
    )


API_NUL = [
    "/api/v1/shops/%00/promotions",
    "/api/v1/shops/acme-tmall/listings/L%00",
    "/api/v1/shops/acme-tmall/promotions/d11-2026/findings?rule=%00",
    "/api/v1/shops/acme-tmall/promotions/d11-2026/findings?page=1%00",
    "/api/v1/shops/acme-tmall/waivers?rule=a%00b",
    "/api/v1/shops?%00=1",
]
WEB_NUL = [
    "/shops/%00/promotions/d11-2026/",
    "issues/?rule=%00",
    "issues.csv?rule=%00",
    "issues.xlsx?rule=%00",
    "issues/?check=%00&page=%00",
    "listings/?category=%00",
    "listings/L%00/",
    "/go/?shop=%00",
]


@pytest.mark.parametrize("path", API_NUL)
def test_nul_in_an_api_url_is_a_400_problem(setup: ShopSetup, path: str) -> None:
    client = APIClient()
    client.force_authenticate(setup.user)
    response = client.get(path)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 400


@pytest.mark.parametrize("path", WEB_NUL)
def test_nul_in_a_page_url_is_a_400(setup: ShopSetup, path: str) -> None:
    url = path if path.startswith("/") else setup.url(path)
    response = setup.client.get(url)
    assert response.status_code == 400, (url, response.status_code)


def test_nul_is_refused_before_login_too() -> None:
    assert Client().get("/shops/a/promotions/b/issues.csv?rule=%00").status_code == 400
