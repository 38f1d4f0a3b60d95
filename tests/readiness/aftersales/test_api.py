"""The after-sales endpoints (interfaces.md §4): push records as JSON rows, read the report; access by role."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from readiness.aftersales.models import AfterSaleRecord
from readiness.api.tokens import api_token_issue
from readiness.models import Role
from tests.factories import PromotionFactory, ShopFactory
from tests.readiness.aftersales.cases import AS_OF, EXPECTED, PAID_ORDERS, RECORDS

pytestmark = pytest.mark.django_db


def _client(shop: Any, role: str, username: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(username=username, shop=shop, role=role).key}")
    return client


@pytest.fixture
def promotion() -> Any:
    return PromotionFactory(shop=ShopFactory(code="acme-tmall"), code="d11-2026", expected_orders=20000)


def test_push_records_then_read_the_report(promotion: Any) -> None:
    client = _client(promotion.shop, Role.API_CLIENT, "pusher")
    url = "/api/v1/shops/acme-tmall/after-sales/records"
    response = client.post(url, {"records": RECORDS, "paid_orders": PAID_ORDERS}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() | {"warnings": []} == {
        "shop": "acme-tmall",
        "records": len(RECORDS),
        "created": len(RECORDS),
        "updated": 0,
        "unchanged": 0,
        "paid_order_rows": 5,
        "warnings": [],
    }
    again = client.post(url, {"records": RECORDS}, format="json").json()
    assert (again["created"], again["unchanged"]) == (0, len(RECORDS))

    report = client.get(f"/api/v1/shops/acme-tmall/promotions/d11-2026/after-sales?as_of={AS_OF}")
    assert report.status_code == 200, report.content
    body = report.json()
    assert body["as_of"] == AS_OF and body["window_days"] == 30 and body["paid_orders"] == 1200
    assert body["metrics"] == pytest.approx(EXPECTED)
    assert body["return_refund_stages_hours"]["agree"] == pytest.approx(6.0)
    assert {item["listing_id"] for item in body["listings"]} >= {"L1", "L2"}
    assert body["forecast"]["requests_total"] > 0
    assert set(body["forecast"]["days"][0]["agents_needed"]) == {"后台处理", "查件", "疑难件", "投诉接待"}
    assert all(issue["check"] == "after_sales" for issue in body["issues"])


def test_bad_rows_are_a_400_with_every_path(promotion: Any) -> None:
    client = _client(promotion.shop, Role.OPERATIONS_MANAGER, "ops")
    rows = [dict(RECORDS[0], 退款金额="abc"), dict(RECORDS[1], 售后类型="维修")]
    response = client.post("/api/v1/shops/acme-tmall/after-sales/records", {"records": rows}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert response["Content-Type"].startswith("application/problem+json")
    assert [e["path"] for e in body["errors"]] == ["records[0].退款金额", "records[1].售后类型"]
    assert not AfterSaleRecord.objects.exists()


def test_wrong_shape_is_a_400(promotion: Any) -> None:
    client = _client(promotion.shop, Role.OPERATIONS_MANAGER, "ops")
    response = client.post("/api/v1/shops/acme-tmall/after-sales/records", {"records": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "records"


def test_roles_and_strangers(promotion: Any) -> None:
    editor = _client(promotion.shop, Role.LISTING_EDITOR, "editor")
    url = "/api/v1/shops/acme-tmall/after-sales/records"
    assert editor.post(url, {"records": RECORDS}, format="json").status_code == 403
    assert editor.get("/api/v1/shops/acme-tmall/promotions/d11-2026/after-sales").status_code == 200
    stranger = _client(ShopFactory(code="other"), Role.OPERATIONS_MANAGER, "stranger")
    assert stranger.post(url, {"records": RECORDS}, format="json").status_code == 404
    assert stranger.get("/api/v1/shops/acme-tmall/promotions/d11-2026/after-sales").status_code == 404
    assert APIClient().get("/api/v1/shops/acme-tmall/promotions/d11-2026/after-sales").status_code == 401


def test_bad_as_of(promotion: Any) -> None:
    client = _client(promotion.shop, Role.OPERATIONS_MANAGER, "ops")
    response = client.get("/api/v1/shops/acme-tmall/promotions/d11-2026/after-sales?as_of=yesterday")
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "as_of"
