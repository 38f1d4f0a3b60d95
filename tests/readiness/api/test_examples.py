"""The schema's examples: every request example is a request the server accepts, as it is, at the example's path
parameters; every response example validates strictly against its response's schema (issue 20, item 5)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import timezone
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30Validator, validate
from rest_framework.test import APIClient

from readiness.api.examples import PATH_EXAMPLES
from tests.readiness.api.strict import StrictSchema
from tests.readiness.api.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return APIClient().get("/api/schema/?format=json").json()


def _request_examples(document: dict[str, Any]) -> Iterator[tuple[str, str, str, str, Any]]:
    for path, operations in document["paths"].items():
        for method, op in operations.items():
            for media_type, content in op.get("requestBody", {}).get("content", {}).items():
                for name, example in content.get("examples", {}).items():
                    yield op["operationId"], method, path, name, (media_type, example["value"])


def test_every_request_example_is_accepted(
    world: World, client_for: Callable[[str | None], APIClient], document: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    assert world.own.shop.code == PATH_EXAMPLES["shop"] and world.own.promotion.code == PATH_EXAMPLES["promotion"]
    strict = StrictSchema(document)
    client = client_for(world.tokens["operations_manager"])
    sent = []
    for operation, method, path, name, (media_type, value) in _request_examples(document):
        for param in [p for op in document["paths"][path].values() for p in op.get("parameters", [])]:
            if param["in"] == "path":
                assert param.get("example") == PATH_EXAMPLES.get(param["name"], param.get("example")), param
        url = path.format(id=world.own.finding.pk, **PATH_EXAMPLES)
        with django_capture_on_commit_callbacks(execute=True):
            response = getattr(client, method)(url, json.dumps(value, ensure_ascii=False), content_type=media_type)
        assert 200 <= response.status_code < 300, (operation, name, response.status_code, response.content[:800])
        strict.check_django(response)
        sent.append(operation)
    assert {"bundles_create", "listings_partial_update", "waivers_create", "scan_create"} <= set(sent)


def test_the_pushed_example_bundle_imports_and_scans(
    world: World, client_for: Callable[[str | None], APIClient], document: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    [bundle] = [v for op, *_rest, (_m, v) in _request_examples(document) if op == "bundles_create"]
    client = client_for(world.tokens["operations_manager"])
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(
            f"/api/v1/shops/{PATH_EXAMPLES['shop']}/bundles", json.dumps(bundle), content_type="application/json"
        )
    job = client.get(accepted["Location"]).json()
    assert (job["status"], job["errors"]) == ("complete", []), job


def test_request_example_dates_are_in_the_future(document: dict[str, Any]) -> None:
    examples = {(op, name): value for op, _m, _p, name, (_t, value) in _request_examples(document)}
    bundle = next(v for (op, _n), v in examples.items() if op == "bundles_create")
    waiver = next(v for (op, _n), v in examples.items() if op == "waivers_create")
    now = timezone.now()
    sale_start = dt.datetime.fromisoformat(bundle["promotion"]["sale_start"])
    assert now < sale_start < dt.datetime.fromisoformat(waiver["expires_at"]) < now + dt.timedelta(days=60)
    assert sum(c["planned_share"] for c in bundle["couriers"]) == pytest.approx(1)


def _response_examples(document: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any], Any]]:
    for operations in document["paths"].values():
        for op in operations.values():
            for status, response in op["responses"].items():
                for content in response.get("content", {}).values():
                    for name, example in content.get("examples", {}).items():
                        yield op["operationId"], status, name, content["schema"], example["value"]


def test_every_response_example_validates_strictly(document: dict[str, Any]) -> None:
    checked = 0
    for operation, status, name, schema, value in _response_examples(document):
        try:
            validate(value, {**schema, "components": document["components"]}, cls=OAS30Validator)
        except ValidationError as error:
            raise AssertionError(
                f"{operation} {status} example {name!r}: {error.message} at {list(error.path)}"
            ) from None
        checked += 1
    assert checked >= 12
