"""Hot paths answer in a constant number of queries, whatever the size of the shop (N+1 is a bug)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from readiness.api.tokens import api_token_issue
from readiness.imports.bundle import parse_bundle
from readiness.imports.writing import bundle_import
from readiness.models import Role
from readiness.services import scans, waivers
from tests.factories import UserFactory
from tests.readiness.api.world import problem_bundle

pytestmark = pytest.mark.django_db


def _shop(code: str, listings: int) -> tuple[Any, str]:
    data = problem_bundle(code, listings=listings)
    for listing in data["listings"][2:]:
        listing["title"] = f"最佳 {listing['title']}"  # a text finding on every listing
    summary = bundle_import(parsed=parse_bundle(json.dumps(data, ensure_ascii=False)))
    run = scans.scan_run_sync(promotion=summary.promotion)
    for finding in run.findings.filter(check_name="listing_text")[:2]:
        waivers.waiver_create(finding=finding, user=UserFactory(), reason="ok")
    return summary.promotion, api_token_issue(
        username=f"{code}-ops", shop=summary.shop, role=Role.OPERATIONS_MANAGER
    ).key


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries.captured_queries)


ENDPOINTS = [
    "/api/v1/shops",
    "/api/v1/shops/{shop}/promotions",
    "/api/v1/shops/{shop}/promotions/{promo}/readiness",
    "/api/v1/shops/{shop}/promotions/{promo}/findings?page_size=500",
    "/api/v1/shops/{shop}/promotions/{promo}/findings?status=open&ordering=-severity",
    "/api/v1/shops/{shop}/promotions/{promo}/runs",
    "/api/v1/shops/{shop}/listings/L103",
    "/api/v1/shops/{shop}/waivers",
]


def test_query_counts_do_not_depend_on_the_shop_size(client_for: Any) -> None:
    counts = {}
    for code, size in (("small-shop", 4), ("big-shop", 40)):
        promotion, token = _shop(code, size)
        client = client_for(token)
        for url in ENDPOINTS:
            url = url.format(shop=code, promo=promotion.code)
            cache.clear()
            cold = _count(client, url)
            counts[(url.replace(code, "*"), size)] = (cold, _count(client, url))
    for url in ENDPOINTS:
        key = url.format(shop="*", promo="d11-2026")
        assert counts[(key, 4)] == counts[(key, 40)], (key, counts[(key, 4)], counts[(key, 40)])
    # A cached readiness report costs the token, the membership and the run with its ETag state.
    assert counts[("/api/v1/shops/*/promotions/d11-2026/readiness", 40)][1] <= 3
