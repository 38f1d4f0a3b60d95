"""python manage.py create_api_token --user NAME --shop CODE [--role ...]"""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from readiness.models import Role, ShopMembership
from tests.factories import ShopFactory, UserFactory

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip().splitlines()[-1]


def test_creates_the_user_grants_the_role_and_prints_a_working_token() -> None:
    shop = ShopFactory(code="acme-tmall")
    token = _run("--user", "erp", "--shop", "acme-tmall")
    assert Token.objects.get(key=token).user.username == "erp"
    assert ShopMembership.objects.get(user__username="erp", shop=shop).role == Role.API_CLIENT
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert [s["code"] for s in client.get("/api/v1/shops").json()["results"]] == ["acme-tmall"]


def test_again_keeps_the_token_and_changes_the_role() -> None:
    ShopFactory(code="acme-tmall")
    first = _run("--user", "wang", "--shop", "acme-tmall", "--role", "listing_editor")
    second = _run("--user", "wang", "--shop", "acme-tmall", "--role", "operations_manager")
    assert first == second
    assert ShopMembership.objects.get(user__username="wang").role == Role.OPERATIONS_MANAGER


def test_existing_user_keeps_their_password_and_other_shops() -> None:
    user = UserFactory(username="li")
    ShopMembership.objects.create(user=user, shop=ShopFactory(code="a"), role=Role.LISTING_EDITOR)
    ShopFactory(code="b")
    _run("--user", "li", "--shop", "b")
    user.refresh_from_db()
    assert user.check_password("pw-for-tests-only")
    assert sorted(user.memberships.values_list("shop__code", "role")) == [("a", "listing_editor"), ("b", "api_client")]


def test_unknown_shop_or_role_is_an_error() -> None:
    with pytest.raises(CommandError, match="no shop"):
        _run("--user", "x", "--shop", "nope")
    ShopFactory(code="s")
    with pytest.raises(CommandError):
        _run("--user", "x", "--shop", "s", "--role", "admin")
