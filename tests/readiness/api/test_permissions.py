"""Authorization as a table: every endpoint × every role × own shop / other shop, and no token at all.

Expected, from the issue: listing editors may edit listing text and waive findings; API clients may import and
read; operations managers may do all of it; every member may read. Another shop's objects answer 404 (never
their data), a role that may not do something answers 403, no credentials answer 401.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from readiness.models import Role
from tests.readiness.api.problem import assert_problem
from tests.readiness.api.world import ROLES, ShopWorld, World, problem_bundle

pytestmark = pytest.mark.django_db

OPS, EDITOR, CLIENT = Role.OPERATIONS_MANAGER, Role.LISTING_EDITOR, Role.API_CLIENT
EVERYONE = frozenset(ROLES)


@dataclass(frozen=True)
class Op:
    name: str
    method: str
    url: Callable[[ShopWorld], str]
    allowed: frozenset[str]
    ok: int = 200
    body: Callable[[ShopWorld], Any] | None = None

    def __str__(self) -> str:
        return self.name


def _promo(w: ShopWorld, tail: str) -> str:
    return f"/api/v1/shops/{w.shop.code}/promotions/{w.promotion.code}/{tail}"


SHOP_OPS = [
    Op("promotions_list", "get", lambda w: f"/api/v1/shops/{w.shop.code}/promotions", EVERYONE),
    Op(
        "bundles_create",
        "post",
        lambda w: f"/api/v1/shops/{w.shop.code}/bundles",
        frozenset({OPS, CLIENT}),
        ok=202,
        body=lambda w: problem_bundle(w.shop.code),
    ),
    Op("jobs_retrieve", "get", lambda w: f"/api/v1/jobs/{w.job.pk}", EVERYONE),
    Op("readiness_retrieve", "get", lambda w: _promo(w, "readiness"), EVERYONE),
    Op("findings_list", "get", lambda w: _promo(w, "findings"), EVERYONE),
    Op("runs_list", "get", lambda w: _promo(w, "runs"), EVERYONE),
    Op("listings_retrieve", "get", lambda w: f"/api/v1/shops/{w.shop.code}/listings/{w.listing_id}", EVERYONE),
    Op(
        "listings_partial_update",
        "patch",
        lambda w: f"/api/v1/shops/{w.shop.code}/listings/{w.listing_id}",
        frozenset({OPS, EDITOR}),
        body=lambda w: {"title": "明前龙井 250g 新款"},
    ),
    Op("waivers_list", "get", lambda w: f"/api/v1/shops/{w.shop.code}/waivers", EVERYONE),
    Op(
        "waivers_create",
        "post",
        lambda w: f"/api/v1/findings/{w.finding.pk}/waiver",
        frozenset({OPS, EDITOR}),
        ok=201,
        body=lambda w: {"reason": "仓库确认补货"},
    ),
    Op("waivers_destroy", "delete", lambda w: f"/api/v1/findings/{w.waived.pk}/waiver", frozenset({OPS, EDITOR})),
]


def call(client: Any, op: Op, target: ShopWorld) -> Any:
    body = op.body(target) if op.body else None
    return getattr(client, op.method)(op.url(target), data=json.dumps(body) if body is not None else None,
                                      content_type="application/json")  # fmt: skip


@pytest.mark.parametrize("op", SHOP_OPS, ids=str)
@pytest.mark.parametrize("role", ROLES)
def test_own_shop(op: Op, role: str, world: World, client_for: Any) -> None:
    response = call(client_for(world.tokens[role]), op, world.own)
    if role in op.allowed:
        assert response.status_code == op.ok, response.content[:500]
    else:
        assert_problem(response, 403)


@pytest.mark.parametrize("op", SHOP_OPS, ids=str)
@pytest.mark.parametrize("role", ROLES)
def test_other_shop_is_not_found(op: Op, role: str, world: World, client_for: Any) -> None:
    response = call(client_for(world.tokens[role]), op, world.other)
    assert_problem(response, 404)
    text = response.content.decode()
    assert world.other.shop.name not in text and world.other.listing_id not in text.replace(op.url(world.other), "")


@pytest.mark.parametrize("op", SHOP_OPS, ids=str)
@pytest.mark.parametrize("token", [None, "not-a-real-token"])
def test_no_valid_token_is_401(op: Op, token: str | None, world: World, client_for: Any) -> None:
    response = call(client_for(token), op, world.own)
    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("role", ROLES)
def test_shop_list_shows_only_own_shops(role: str, world: World, client_for: Any) -> None:
    body = client_for(world.tokens[role]).get("/api/v1/shops").json()
    assert [(shop["code"], shop["role"]) for shop in body["results"]] == [(world.own.shop.code, role)]


@pytest.mark.parametrize("role", ROLES)
def test_stateless_scan_is_open_to_every_role(role: str, world: World, client_for: Any) -> None:
    response = client_for(world.tokens[role]).post("/api/v1/scan", [{"id": "X1", "title": "最佳"}], format="json")
    assert response.status_code == 200
    assert response.json()["counts"]["error"] == 1


@pytest.mark.parametrize(("method", "url"), [("get", "/api/v1/shops"), ("post", "/api/v1/scan")])
def test_shopless_endpoints_need_a_token(method: str, url: str, client_for: Any) -> None:
    assert_problem(getattr(client_for(None), method)(url, format="json"), 401)


def test_a_member_of_the_other_shop_sees_it(world: World, client_for: Any) -> None:
    # The 404s above are about membership, not about the other shop being broken.
    client = client_for(world.other_token)
    for op in SHOP_OPS:
        with transaction.atomic():  # each operation on the same data (an edit re-scans, replacing findings)
            assert call(client, op, world.other).status_code == op.ok, op.name
            transaction.set_rollback(True)


def test_session_auth_for_the_browser(world: World) -> None:
    from django.contrib.auth import get_user_model

    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(get_user_model().objects.get(username="api-listing_editor"))
    assert browser.get("/api/v1/shops").status_code == 200
    # Unsafe methods in a session need the CSRF token (Swagger UI sends it), or they are refused.
    response = browser.post(f"/api/v1/findings/{world.own.finding.pk}/waiver", {"reason": "x"}, format="json")
    assert assert_problem(response, 403)["detail"].startswith("CSRF")
