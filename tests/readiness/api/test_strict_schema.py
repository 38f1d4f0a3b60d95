"""Real responses validate strictly against the schema (openapi-core / openapi-schema-validator, OAS 3.0.3 rules):
every operation with real data, nulls included, and the errors clients meet."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.readiness.api.strict import StrictSchema
from tests.readiness.api.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def strict() -> StrictSchema:
    return StrictSchema(APIClient().get("/api/schema/?format=json").json())


@pytest.fixture
def ops(world: World, client_for: Callable[[str | None], APIClient]) -> APIClient:
    return client_for(world.tokens["operations_manager"])


def test_nullable_objects_admit_null_under_oas_30(strict: StrictSchema) -> None:
    # nullable without a type beside it means nothing in OAS 3.0.3: every nullable object is a oneOf with null.
    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            assert not (node.get("nullable") and "type" not in node), path
            for key, value in node.items():
                if key not in ("example", "examples"):
                    walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}/{index}")

    walk(strict.document["components"], "#/components")
    walk(strict.document["paths"], "#/paths")
    waiver = strict.document["components"]["schemas"]["FindingOutput"]["properties"]["waiver"]
    assert waiver["oneOf"] == [
        {"$ref": "#/components/schemas/FindingWaiver"},
        {"$ref": "#/components/schemas/NullEnum"},
    ]


def test_names_are_ascii_for_generators(strict: StrictSchema) -> None:
    assert strict.document["info"]["title"].isascii() and "双11" in strict.document["info"]["description"]
    titles: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("title"), str):
                titles.append(node["title"])
            for key, value in node.items():
                if key not in ("example", "examples", "enum"):
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(strict.document["paths"])
    walk(strict.document["components"])
    assert all(title.isascii() for title in titles), [t for t in titles if not t.isascii()]
    assert all(name.isascii() and name.isidentifier() for name in strict.document["components"]["schemas"])


def test_every_read_validates_strictly(world: World, ops: APIClient, strict: StrictSchema) -> None:
    shop, promo = world.own.shop.code, world.own.promotion.code
    base = f"/api/v1/shops/{shop}"
    strict.check_django(ops.get("/api/v1/shops"))
    promotions = strict.check_django(ops.get(f"{base}/promotions"))
    assert promotions["results"][0]["latest_run"] is not None
    report = ops.get(f"{base}/promotions/{promo}/readiness")
    body = strict.check_django(report)
    # The report carries the nulls the schema has to admit (issues without a waiver or an exposure).
    issues = [issue for check in body["checks"] for issue in check["issues"]]
    assert any(issue["waiver"] is None for issue in issues) and any(issue["waiver"] for issue in issues)
    strict.check_django(ops.get(f"{base}/promotions/{promo}/readiness", HTTP_IF_NONE_MATCH=report["ETag"]))
    findings = strict.check_django(ops.get(f"{base}/promotions/{promo}/findings?ordering=-severity,id"))
    assert {f["status"] for f in findings["results"]} == {"open", "waived"}
    strict.check_django(ops.get(f"{base}/promotions/{promo}/findings?status=waived&severity=error&severity=warning"))
    strict.check_django(ops.get(f"{base}/promotions/{promo}/runs"))
    strict.check_django(ops.get(f"{base}/listings/{world.own.listing_id}"))
    strict.check_django(ops.get(f"{base}/waivers?active=true"))
    strict.check_django(ops.get(f"/api/v1/jobs/{world.own.job.pk}"))


def test_every_write_validates_strictly(world: World, ops: APIClient, strict: StrictSchema, bundle_for: Any) -> None:
    shop = world.own.shop.code
    waiver = ops.post(f"/api/v1/findings/{world.own.finding.pk}/waiver", {"reason": "已确认"}, format="json")
    assert strict.check_django(waiver)["expires_at"] is None
    strict.check_django(ops.delete(f"/api/v1/findings/{world.own.finding.pk}/waiver"))
    listing = strict.check_django(
        ops.patch(f"/api/v1/shops/{shop}/listings/{world.own.listing_id}", {"title": "优选 龙井"}, format="json")
    )
    assert listing["presale"] is None
    job = ops.post(f"/api/v1/shops/{shop}/bundles", bundle_for(shop), content_type="application/json")
    assert job.status_code == 202
    strict.check_django(job)
    scan = ops.post("/api/v1/scan", {"listings": [{"id": "L1", "title": "最佳 龙井"}]}, format="json")
    assert strict.check_django(scan)["counts"]["error"] >= 1


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("post", "/api/v1/shops/{shop}/bundles", {"format": "readiness-bundle/1"}, 400),
        ("get", "/api/v1/shops/nope/promotions", None, 404),
        ("patch", "/api/v1/shops/{shop}/listings/L100", {"title": 3}, 400),
        ("get", "/api/v1/shops/{shop}/promotions/d11-2026/findings?severity=fatal", None, 400),
        ("post", "/api/v1/scan", {"listings": "x"}, 400),
    ],
)
def test_errors_validate_strictly(
    world: World, ops: APIClient, strict: StrictSchema, method: str, path: str, body: Any, status: int
) -> None:
    url = path.format(shop=world.own.shop.code)
    response = getattr(ops, method)(
        url, json.dumps(body) if body is not None else None, content_type="application/json"
    )
    assert response.status_code == status, response.content[:300]
    strict.check_django(response)
