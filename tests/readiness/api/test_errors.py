"""One error shape for every error under /api/, and never a stack trace."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pytest
from django.test import override_settings
from rest_framework.settings import api_settings

from tests.readiness.api.problem import assert_problem
from tests.readiness.api.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops(world: World, client_for: Any) -> Any:
    return client_for(world.tokens["operations_manager"])


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v2/shops", "/api/", "/api/v1/shops/"])
def test_unknown_paths_are_problem_404(method: str, path: str, client_for: Any) -> None:
    body = assert_problem(getattr(client_for(None), method)(path), 404)
    assert body["instance"] == path


@pytest.mark.parametrize("path", ["/api/v1/findings/1%0A2/waiver", "/api/v1/sh%0D%0Aops", "/api/%0A"])
def test_a_path_with_a_line_break_is_still_a_problem_404(path: str, client_for: Any) -> None:
    # Found by schemathesis: the catch-all's `.` did not match a newline, so Django answered its HTML 404.
    assert_problem(client_for(None).delete(path), 404)


@pytest.mark.parametrize("ordering", ["", "-severity,", ",id"])
def test_an_empty_ordering_field_is_a_400_also_under_if_none_match(world: World, ops: Any, ordering: str) -> None:
    # Found by schemathesis: `ordering=` was read as no ordering, and under If-None-Match: * answered 304.
    url = f"/api/v1/shops/{world.own.shop.code}/promotions/{world.own.promotion.code}/findings"
    assert_problem(ops.get(url, {"ordering": ordering}, HTTP_IF_NONE_MATCH="*"), 400)


@pytest.mark.parametrize("query", [{"status": ""}, {"severity": ""}, {"check": ""}])
def test_an_empty_filter_value_is_a_400(world: World, ops: Any, query: dict[str, str]) -> None:
    url = f"/api/v1/shops/{world.own.shop.code}/promotions/{world.own.promotion.code}/findings"
    assert_problem(ops.get(url, query, HTTP_IF_NONE_MATCH='"Q"'), 400)


def test_401_names_the_scheme(client_for: Any) -> None:
    response = client_for("wrong").get("/api/v1/shops")
    assert assert_problem(response, 401)["type"] == "urn:readiness:problem:authentication-failed"
    assert response["WWW-Authenticate"] == "Token"


def test_405_lists_the_allowed_methods(ops: Any) -> None:
    response = ops.put("/api/v1/shops")
    assert assert_problem(response, 405)["type"] == "urn:readiness:problem:method-not-allowed"
    assert "GET" in response["Allow"]


def test_malformed_json_is_a_400_parse_error(world: World, ops: Any) -> None:
    response = ops.patch(
        f"/api/v1/shops/{world.own.shop.code}/listings/L100", b'{"title": "x",}', content_type="application/json"
    )
    assert assert_problem(response, 400)["type"] == "urn:readiness:problem:parse-error"


def test_415_for_a_form(world: World, ops: Any) -> None:
    response = ops.post(f"/api/v1/findings/{world.own.finding.pk}/waiver", {"reason": "x"})  # multipart
    assert assert_problem(response, 415)["type"] == "urn:readiness:problem:unsupported-media-type"


def test_429_per_token_with_retry_after(world: World, client_for: Any) -> None:
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "user": "3/minute"}
    with override_settings(REST_FRAMEWORK={**_rest_framework(), "DEFAULT_THROTTLE_RATES": rates}):
        ops = client_for(world.tokens["operations_manager"])
        assert [ops.get("/api/v1/shops").status_code for _ in range(3)] == [200, 200, 200]
        response = ops.get("/api/v1/shops")
        assert assert_problem(response, 429)["type"] == "urn:readiness:problem:throttled"
        assert int(response["Retry-After"]) > 0
        # Another token has its own budget.
        assert client_for(world.tokens["api_client"]).get("/api/v1/shops").status_code == 200


def _rest_framework() -> dict[str, Any]:
    from django.conf import settings

    return dict(settings.REST_FRAMEWORK)


@pytest.mark.parametrize("debug", [False, True])
def test_500_is_a_problem_without_a_traceback(world: World, ops: Any, debug: bool, caplog: Any) -> None:
    with (
        override_settings(DEBUG=debug),
        mock.patch("readiness.api.queries.shops_with_role", side_effect=RuntimeError("secret internals")),
    ):
        response = ops.get("/api/v1/shops")
    body = assert_problem(response, 500)
    assert "secret internals" not in json.dumps(body) and "RuntimeError" not in response.content.decode()
    assert "secret internals" in caplog.text  # logged for the operators, with its traceback


def test_validation_errors_list_paths_and_messages(world: World, ops: Any) -> None:
    response = ops.post("/api/v1/scan", {"listings": [{"id": "A", "title": 1, "specs": {"a": 2}}]}, format="json")
    body = assert_problem(response, 400)
    assert body["type"] == "urn:readiness:problem:validation-error"
    assert sorted(e["path"] for e in body["errors"]) == ["listings[0].specs.a", "listings[0].title"]
    assert all(e["message"] for e in body["errors"])


def test_schema_and_docs_are_served(client_for: Any) -> None:
    schema = client_for(None).get("/api/schema/?format=json")
    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.")
    docs = client_for(None).get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
