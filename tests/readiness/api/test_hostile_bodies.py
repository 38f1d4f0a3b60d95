"""Bad input over the API is a 4xx problem and writes nothing, never a 5xx (issue 15, items 7, 8, 9).

The class, not the URL: every JSON endpoint (PATCH listing, POST waiver, POST scan) gets the same hostile bodies —
nested 1,000 deep, larger than the limit, a lone surrogate or a NUL in a value or in a key — and the bundle
endpoint gets them inside a bundle.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from readiness.models import ImportJob, ListingRevision, Waiver
from tests.readiness.api.problem import assert_problem
from tests.readiness.api.world import World, problem_bundle

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops(world: World, client_for: Any) -> APIClient:
    return client_for(world.tokens["operations_manager"])


def _endpoints(world: World) -> list[tuple[str, str]]:
    shop = world.own.shop.code
    return [
        ("patch", f"/api/v1/shops/{shop}/listings/{world.own.listing_id}"),
        ("post", f"/api/v1/findings/{world.own.finding.pk}/waiver"),
        ("post", "/api/v1/scan"),
    ]


def _nothing_written(world: World) -> Callable[[], None]:
    counts = (ListingRevision.objects.count(), Waiver.objects.count(), ImportJob.objects.count())

    def check() -> None:
        assert (ListingRevision.objects.count(), Waiver.objects.count(), ImportJob.objects.count()) == counts

    return check


def _send(client: APIClient, method: str, url: str, raw: bytes) -> Any:
    return getattr(client, method)(url, raw, content_type="application/json")


DEEP = b'{"title": ' + b"[" * 1000 + b"]" * 1000 + b', "reason": "x", "listings": ' + b"[" * 1000 + b"]" * 1000 + b"}"


def test_json_nested_1000_deep_is_a_400(world: World, ops: APIClient) -> None:
    unchanged = _nothing_written(world)
    for method, url in _endpoints(world):
        body = assert_problem(_send(ops, method, url, DEEP), 400)
        assert "嵌套过深" in body["detail"], body
    unchanged()


def test_json_deeper_than_the_limit_but_parsable_is_a_400(world: World, ops: APIClient) -> None:
    nested: Any = "x"
    for _ in range(40):
        nested = [nested]
    raw = json.dumps({"title": "x", "reason": "x", "specs": {"a": nested}, "listings": nested})
    for method, url in _endpoints(world):
        assert_problem(_send(ops, method, url, raw.encode()), 400)


@pytest.mark.parametrize("size", [3 * 1024 * 1024, 11 * 1024 * 1024])
def test_json_over_the_limit_is_a_413_problem(world: World, ops: APIClient, size: int) -> None:
    """Over ~2.5 MB Django's own upload limit used to surface as a 500; every body over API_JSON_MAX_BYTES (one
    setting) is a 413, and bodies under it are read."""
    raw = json.dumps({"title": "x" * size, "reason": "x", "listings": [{"id": "A", "title": "x" * size}]}).encode()
    unchanged = _nothing_written(world)
    with override_settings(API_JSON_MAX_BYTES=size - 1024):
        for method, url in _endpoints(world):
            assert_problem(_send(ops, method, url, raw), 413)
    unchanged()


def test_json_under_the_limit_but_over_djangos_default_is_read(world: World, ops: APIClient) -> None:
    """3 MB of valid JSON under a 10 MB API limit reaches the view (here: a title too long, a 400 with its path)."""
    raw = json.dumps({"title": "龙" * 1_000_000}).encode()
    assert len(raw) > 2_621_440
    body = assert_problem(_send(ops, *_endpoints(world)[0], raw), 400)
    assert body["errors"][0]["path"] == "title"


LONE_SURROGATE = '"\\ud800"'
BAD_TEXT = {
    "surrogate value": '{"title": "a\\udc80b", "reason": "a\\udc80b", "listings": [{"id": "A", "title": "a\\udc80"}]}',
    "surrogate key": '{"\\udc80": "x", "title": "x", "reason": "x", "listings": [{"id": "A", "\\ud800": "x"}]}',
    "NUL key": '{"a\\u0000": "x", "title": "x", "reason": "x", "listings": [{"id": "A", "title": "x", "b\\u0000": 1}]}',
    "NUL in a specs key": '{"specs": {"净含量\\u0000": "250g"}, "reason": "x", '
    '"listings": [{"id": "A", "title": "x", "specs": {"\\u0000": "1"}}]}',
    "NUL in a specs value": '{"specs": {"净含量": "250\\u0000g"}, "reason": "a\\u0000", '
    '"listings": [{"id": "A", "title": "x", "specs": {"a": "\\u0000"}}]}',
}


@pytest.mark.parametrize("case", sorted(BAD_TEXT))
def test_unstorable_text_anywhere_is_a_400_with_its_path(world: World, ops: APIClient, case: str) -> None:
    unchanged = _nothing_written(world)
    for method, url in _endpoints(world):
        response = _send(ops, method, url, BAD_TEXT[case].encode())
        body = assert_problem(response, 400)
        response.content.decode("utf-8")  # the answer itself is valid UTF-8
        assert "\x00" not in json.dumps(body, ensure_ascii=False)
    unchanged()


def test_a_bundle_with_unstorable_text_is_a_400_and_creates_no_job(world: World, ops: APIClient) -> None:
    url = f"/api/v1/shops/{world.own.shop.code}/bundles"
    unchanged = _nothing_written(world)
    data = problem_bundle(world.own.shop.code)
    text = json.dumps(data, ensure_ascii=False)
    variants = [
        text.replace('"title": "最佳', '"title": "\\ud800最佳', 1),  # a lone surrogate in a value
        text.replace('"listings": [{', '"listings": [{"\\udc80x": 1, ', 1),  # in an unknown field's name
        text.replace('"listings": [{', '"listings": [{"a\\u0000": 1, ', 1),  # a NUL in an unknown field's name
        text.replace('"specs": {', '"specs": {"\\u0000": "x", ', 1),  # NUL in a specs key
        text.replace('"code": "', '"code": [' * 1000 + "]" * 1000 + ', "x": "', 1),  # 1,000 deep
    ]
    for raw in variants:
        assert raw != text
        response = ops.post(url, raw.encode("utf-8", "surrogatepass"), content_type="application/json")
        assert_problem(response, 400)
        response.content.decode("utf-8")
    unchanged()
