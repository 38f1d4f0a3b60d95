"""Dates outside 2000-01-01 … 2099-12-31 are refused where they come in (the bundle, a waiver's expiry), with the
range in the message and in the schema; dates in range are served as RFC 3339 date-times (issue 20, item 2)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from readiness.imports.bundle import BundleError, parse_bundle
from readiness.imports.writing import bundle_import
from tests.readiness.api.problem import assert_problem
from tests.readiness.api.strict import StrictSchema
from tests.readiness.api.world import World, problem_bundle

pytestmark = pytest.mark.django_db

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


@pytest.fixture
def ops(world: World, client_for: Callable[[str | None], APIClient]) -> APIClient:
    return client_for(world.tokens["operations_manager"])


@pytest.mark.parametrize(
    ("where", "value"),
    [(("promotion", "sale_start"), "0053-02-05T10:11:04"), (("promotion", "presale_start"), "1999-12-31T23:59:59"),
     (("promotion", "sale_end"), "2100-01-01"), (("listings", 0, "skus", 0, "price_history", 0, "date"), "1899-12-31"),
     (("listings", 0, "presale", "ship_by"), "2100-01-01"), (("listings", 0, "skus", 0, "inbound", 0, "arrives"), "0001-01-01")],
)  # fmt: skip
def test_dates_out_of_range_are_refused_with_the_range(where: tuple[Any, ...], value: str) -> None:
    data = problem_bundle("acme-tmall")
    listing = data["listings"][0]
    listing["presale"] = {"enabled": True, "ship_by": "2026-11-15", "label": "预售"}
    listing["skus"][0]["price_history"] = [{"date": "2026-11-01", "lowest_price": "60.00"}]
    listing["skus"][0]["inbound"] = [{"units": 1, "arrives": "2026-11-05"}]
    target = data
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    with pytest.raises(BundleError) as refused:
        parse_bundle(json.dumps(data))
    path = ".".join(str(k) for k in where).replace(".0", "[0]")
    [issue] = [issue for issue in refused.value.errors if issue.path == path]
    assert "应在 2000-01-01 至 2099-12-31 之间" in issue.message and value in issue.message


def test_a_pre_1900_date_in_a_pushed_bundle_is_a_400_not_a_lmt_offset(world: World, ops: APIClient) -> None:
    data = problem_bundle(world.own.shop.code)
    data["promotion"]["sale_start"] = "0053-02-05T10:11:04"
    body = assert_problem(ops.post(f"/api/v1/shops/{world.own.shop.code}/bundles", data, format="json"), 400)
    assert [e["path"] for e in body["errors"]] == ["promotion.sale_start"]


def test_the_ends_of_the_range_are_served_as_rfc3339(world: World, ops: APIClient) -> None:
    data = problem_bundle(world.own.shop.code)
    data["promotion"].update(presale_start="2000-01-01", final_payment_start="2000-01-02T00:00:00+14:00",
                             sale_start="2099-12-30T20:00:00", sale_end="2099-12-31T23:59:59-12:00")  # fmt: skip
    bundle_import(parsed=parse_bundle(json.dumps(data)))
    schema = StrictSchema(APIClient().get("/api/schema/?format=json").json())
    [promotion] = schema.check_django(ops.get(f"/api/v1/shops/{world.own.shop.code}/promotions"))["results"]
    for name in ("presale_start", "final_payment_start", "sale_start", "sale_end"):
        assert RFC3339.match(promotion[name]), (name, promotion[name])
    assert promotion["presale_start"] == "2000-01-01T00:00:00+08:00"


def test_a_waiver_expiry_past_the_range_is_a_400(world: World, ops: APIClient) -> None:
    url = f"/api/v1/findings/{world.own.finding.pk}/waiver"
    response = ops.post(url, {"reason": "x", "expires_at": "9999-12-31T23:59:59Z"}, format="json")
    assert [e["path"] for e in assert_problem(response, 400)["errors"]] == ["expires_at"]


def test_the_range_is_in_the_schema() -> None:
    schemas = APIClient().get("/api/schema/?format=json").json()["components"]["schemas"]
    assert (
        "between 2000-01-01 and 2099-12-31" in schemas["BundlePromotionData"]["properties"]["sale_start"]["description"]
    )
    assert "2099-12-31" in schemas["WaiverInputRequest"]["properties"]["expires_at"]["description"]
