from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import MembershipFactory, PromotionFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_home_requires_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_home_lists_only_the_users_shops(client: Client) -> None:
    mine = MembershipFactory(shop__name="我的茶叶店").shop
    PromotionFactory(shop=mine, name="2026 双11")
    ShopFactory(name="别人的店")
    client.force_login(MembershipFactory._meta.model.objects.get(shop=mine).user)
    body = client.get("/").content.decode()
    assert "我的茶叶店" in body and "2026 双11" in body
    assert "别人的店" not in body


def test_login_page_renders_in_chinese(client: Client) -> None:
    UserFactory(username="ops")
    body = client.get("/accounts/login/").content.decode()
    assert "登录" in body


def test_admin_refuses_unknown_rule_override_key(client: Client) -> None:
    from readiness.models import ShopRuleOverride

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    shop = ShopFactory()
    client.force_login(admin)
    response = client.post(
        "/admin/readiness/shopruleoverride/add/", {"shop": shop.pk, "key": "stock.fail_belo", "value": "0.8"}
    )
    assert response.status_code == 200 and "stock.fail_belo" in response.content.decode()
    assert not ShopRuleOverride.objects.exists()
    response = client.post(
        "/admin/readiness/shopruleoverride/add/", {"shop": shop.pk, "key": "stock.fail_below", "value": "0.8"}
    )
    assert response.status_code == 302
    assert ShopRuleOverride.objects.get().value == 0.8
