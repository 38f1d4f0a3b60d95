"""What the schema promises client teams, and what the server does: null items, ordering by several fields, content
negotiation, headers, and the rules for query parameters and bodies (issue 20, items 3, 4 and 6)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.readiness.api.problem import assert_problem
from tests.readiness.api.world import World

pytestmark = pytest.mark.django_db

RANK = {"error": 0, "warning": 1, "info": 2}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return APIClient().get("/api/schema/?format=json").json()


@pytest.fixture
def ops(world: World, client_for: Callable[[str | None], APIClient]) -> APIClient:
    return client_for(world.tokens["operations_manager"])


def _operations(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {op["operationId"]: op for ops in schema["paths"].values() for op in ops.values()}


def _findings_url(world: World, query: str) -> str:
    return f"/api/v1/shops/{world.own.shop.code}/promotions/{world.own.promotion.code}/findings?{query}"


# ---- 3: null items in the lists of POST /scan ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "item"), [("skus", {"code": "S"}), ("gifts", {"name": "木勺"}), ("rebates", {"kind": "coupon"})]
)
def test_scan_refuses_null_items_with_their_path(ops: APIClient, key: str, item: dict[str, str]) -> None:
    body = assert_problem(ops.post("/api/v1/scan", [{"id": "L1", key: [item, None]}], format="json"), 400)
    assert [e["path"] for e in body["errors"]] == [f"[0].{key}[1]"]


def test_scan_still_takes_null_lists(ops: APIClient) -> None:
    response = ops.post("/api/v1/scan", [{"id": "L1", "skus": None, "gifts": None, "rebates": None}], format="json")
    assert response.status_code == 200, response.content


# ---- 4: ordering by several fields, repeated or comma-separated -------------------------------------------------


def test_ordering_repeated_is_the_same_as_comma_separated(world: World, ops: APIClient) -> None:
    repeated = ops.get(_findings_url(world, "ordering=-listing&ordering=severity&ordering=-id&page_size=500")).json()
    comma = ops.get(_findings_url(world, "ordering=-listing,severity,-id&page_size=500")).json()
    rows = repeated["results"]
    assert [f["id"] for f in rows] == [f["id"] for f in comma["results"]] and len(rows) >= 3
    keys = [(f["listing_id"] or "", RANK[f["severity"]], f["id"]) for f in rows]
    # -listing, then severity (worst first), then -id: every field is applied, not only the last one.
    expected = sorted(keys, key=lambda k: k[2], reverse=True)
    expected = sorted(expected, key=lambda k: k[1])
    expected = sorted(expected, key=lambda k: k[0], reverse=True)
    assert keys == expected
    assert len({k[0] for k in keys}) > 1 and len({k[1] for k in keys}) > 1


@pytest.mark.parametrize("direction", ["listing", "-listing"])
def test_findings_without_a_listing_sort_as_the_smallest_on_every_database(
    world: World, ops: APIClient, direction: str
) -> None:
    from readiness.models import Finding

    run = world.own.finding.run
    if not run.findings.filter(listing=None).exists():  # a shop-level finding (couriers, after-sales) to order
        shop_level = run.findings.order_by("pk").first()
        assert shop_level is not None
        shop_level.pk, shop_level.listing, shop_level.fingerprint = None, None, "0" * 64
        shop_level.save()
    rows = ops.get(_findings_url(world, f"ordering={direction}&page_size=500")).json()["results"]
    ids = [f["listing_id"] for f in rows]
    assert None in ids and len(set(ids)) > 2
    keys = [(i or "", f["id"]) for i, f in zip(ids, rows, strict=True)]
    listing_order = sorted({k[0] for k in keys}, reverse=direction.startswith("-"))
    assert [k[0] for k in keys] == [k for k in listing_order for _ in range(sum(1 for x in keys if x[0] == k))]
    assert Finding.objects.filter(run=run).count() == len(rows)


def test_ordering_is_declared_as_a_repeated_parameter(schema: dict[str, Any]) -> None:
    [ordering] = [p for p in _operations(schema)["findings_list"]["parameters"] if p["name"] == "ordering"]
    assert (ordering["style"], ordering["explode"], ordering["schema"]["type"]) == ("form", True, "array")
    assert {"-severity", "id", "listing"} <= set(ordering["schema"]["items"]["enum"])


def test_unknown_ordering_field_is_400(world: World, ops: APIClient) -> None:
    body = assert_problem(ops.get(_findings_url(world, "ordering=-severity&ordering=colour")), 400)
    assert [e["path"] for e in body["errors"]] == ["ordering"]


# ---- 6: content negotiation --------------------------------------------------------------------------------------


def test_accept_problem_json_alone_is_served(world: World, ops: APIClient) -> None:
    ok = ops.get(f"/api/v1/shops/{world.own.shop.code}/promotions", HTTP_ACCEPT="application/problem+json")
    assert (ok.status_code, ok["Content-Type"]) == (200, "application/json")
    missing = ops.get("/api/v1/shops/nope/promotions", HTTP_ACCEPT="application/problem+json")
    assert_problem(missing, 404)


@pytest.mark.parametrize("accept", ["text/csv", "application/problem+json;q=0", "application/xml"])
def test_unknown_accept_is_a_documented_406(world: World, ops: APIClient, schema: dict[str, Any], accept: str) -> None:
    assert_problem(ops.get(f"/api/v1/shops/{world.own.shop.code}/promotions", HTTP_ACCEPT=accept), 406)
    for name, op in _operations(schema).items():
        assert "application/problem+json" in op["responses"]["406"]["content"], name


# ---- 6: headers --------------------------------------------------------------------------------------------------


def test_location_and_retry_after_are_documented(schema: dict[str, Any]) -> None:
    operations = _operations(schema)
    location = operations["bundles_create"]["responses"]["202"]["headers"]["Location"]
    assert location["required"] is True and location["schema"] == {"type": "string", "format": "uri"}
    for name, op in operations.items():
        assert op["responses"]["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer"}, name


# ---- 6: rules the schema states ----------------------------------------------------------------------------------


def test_rules_are_in_the_schema(schema: dict[str, Any], world: World, ops: APIClient) -> None:
    components = schema["components"]["schemas"]
    assert components["BundleSkuData"]["properties"]["code"]["minLength"] == 1
    patch = components["PatchedListingUpdateInputRequest"]
    assert patch["additionalProperties"] is False
    refused = ops.patch(f"/api/v1/shops/{world.own.shop.code}/listings/L100", {"colour": "red"}, format="json")
    assert [e["path"] for e in assert_problem(refused, 400)["errors"]] == ["colour"]
    assert "in the future" in components["WaiverInputRequest"]["properties"]["expires_at"]["description"]
    past = ops.post(
        f"/api/v1/findings/{world.own.finding.pk}/waiver",
        {"reason": "x", "expires_at": "2020-01-01T00:00:00+08:00"},
        format="json",
    )
    assert [e["path"] for e in assert_problem(past, 400)["errors"]] == ["expires_at"]


def test_the_bundle_schema_admits_what_the_validator_accepts(schema: dict[str, Any]) -> None:
    # Schemathesis's invalid data found these: an empty official_activity_id and a JSON integer price are accepted
    # by readiness.imports.bundle, so the schema must not call them invalid.
    components = schema["components"]["schemas"]
    assert "minLength" not in components["BundleRebateData"]["properties"]["official_activity_id"]
    price = components["BundleSkuData"]["properties"]["price"]
    assert {branch["type"] for branch in price["oneOf"]} == {"string", "integer"}


# ---- 6: page, page_size and boolean filters are checked, not ignored --------------------------------------------


@pytest.mark.parametrize(
    ("query", "path"),
    [("page=abc", "page"), ("page=0", "page"), ("page=-1", "page"), ("page_size=abc", "page_size"),
     ("page_size=0", "page_size"), ("page_size=501", "page_size"), ("page_size=1.5", "page_size")],
)  # fmt: skip
def test_page_and_page_size_must_be_integers_in_range(world: World, ops: APIClient, query: str, path: str) -> None:
    body = assert_problem(ops.get(_findings_url(world, query)), 400)
    assert [e["path"] for e in body["errors"]] == [path]
    assert_problem(ops.get(f"/api/v1/shops/{world.own.shop.code}/waivers?{query}"), 400)


@pytest.mark.parametrize("query", ["page=-3", "page_size=abc", "severity=fatal", "ordering=colour"])
def test_a_bad_query_is_400_even_with_if_none_match_any(world: World, ops: APIClient, query: str) -> None:
    assert ops.get(_findings_url(world, "page=1"), HTTP_IF_NONE_MATCH="*").status_code == 304
    assert_problem(ops.get(_findings_url(world, query), HTTP_IF_NONE_MATCH="*"), 400)


def test_a_page_past_the_last_is_404(world: World, ops: APIClient) -> None:
    assert_problem(ops.get(_findings_url(world, "page=999")), 404)
    assert ops.get(_findings_url(world, "page=1&page_size=500")).status_code == 200


def test_active_filter_must_be_a_boolean(world: World, ops: APIClient) -> None:
    url = f"/api/v1/shops/{world.own.shop.code}/waivers"
    body = assert_problem(ops.get(f"{url}?active=maybe"), 400)
    assert [e["path"] for e in body["errors"]] == ["active"]
    # a value with "%" in it (found by the API fuzzing on PostgreSQL) is refused the same way, not a 500
    body = assert_problem(ops.get(f"{url}?active=50%25%0C~"), 400)
    assert [e["path"] for e in body["errors"]] == ["active"] and "50%" in body["errors"][0]["message"]
    active = ops.get(f"{url}?active=true").json()["results"]
    inactive = ops.get(f"{url}?active=false").json()["results"]
    assert active and all(w["active"] for w in active) and not any(w["active"] for w in inactive)
