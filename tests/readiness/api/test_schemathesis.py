"""Schemathesis over the whole OpenAPI schema, authenticated: no 5xx, every response valid against the schema.

Two runs: every operation with generated data, valid and invalid ("positive" and "negative": invalid data must be
refused with a 4xx), and a stateful run that follows the schema's links from one call to the next (a pushed bundle's
202 to its job, a finding to its waiver, a listing to its edit); it must reach a 202 bundle and a 200 job.

In the normal suite the requests go to the WSGI app in-process, against the test database (``world``: a scanned
shop the token is operations manager of). Path parameters are pinned to that shop's real codes and ids, so the
generated requests reach real data instead of stopping at 404; the 404s of other shops are the permission table's.

Against a live server (e.g. gunicorn on PostgreSQL in CI), set

    SCHEMATHESIS_BASE_URL=http://127.0.0.1:8000   the server (its /api/schema/ is loaded)
    SCHEMATHESIS_TOKEN=<token>                     an operations manager's token (manage.py create_api_token)

and the test discovers a shop, promotion, listing and finding through the API. It writes (imports bundles, edits
listing text, waives findings): point it at a disposable database. Give the server a high API_THROTTLE_RATE, or
some answers will be 429s (valid, documented, but less useful). SCHEMATHESIS_MAX_EXAMPLES sets the number of
generated cases per operation (default 25).

The number of requests sent is printed at the end of the run ("schemathesis: N requests …").
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import requests
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.readiness.api.world import World

pytestmark = pytest.mark.django_db

BASE_URL = os.environ.get("SCHEMATHESIS_BASE_URL", "").rstrip("/")
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
    negative_data_rejection,
]
# Requests sent, per operation and status code: printed by pytest_terminal_summary in conftest.py.
REQUESTS: Counter[tuple[str, int]] = Counter()


# The shop, promotion, listing, job and finding the requests are about: filled in by the ``targets`` fixture.
TARGETS: dict[str, Any] = {}
CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "database": "none"},
        "phases": {"stateful": {"max-steps": 12}},
    }
)

if BASE_URL:
    schema = schemathesis.openapi.from_url(f"{BASE_URL}/api/schema/?format=json", config=CONFIG)
else:
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), config=CONFIG)


def _live_targets(token: str) -> dict[str, Any]:
    """Real codes and ids on the live server, found through the API itself."""
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"

    def get(path: str) -> Any:
        response = session.get(f"{BASE_URL}/api/v1{path}", timeout=60)
        response.raise_for_status()
        return response.json()

    shop = get("/shops")["results"][0]
    promotion = shop["promotions"][0]["code"]
    findings = get(f"/shops/{shop['code']}/promotions/{promotion}/findings?page_size=1")["results"]
    listing = next((f["listing_id"] for f in findings if f["listing_id"]), "L1")
    finding = findings[0]["id"] if findings else 1
    return {"shop": shop["code"], "promotion": promotion, "listing": listing, "finding": finding,
            "waived": finding, "job": 1}  # fmt: skip


@pytest.fixture
def api_token(world: World) -> Iterator[str]:
    # (``world`` is built in live mode too, in the test database, unused: requested lazily instead, it would be
    # set up inside the test's transaction and rolled back under the first operation's feet.)
    if BASE_URL:
        token = os.environ["SCHEMATHESIS_TOKEN"]
        TARGETS.update(_live_targets(token))
        yield token
        return
    own = world.own
    TARGETS.update(shop=own.shop.code, promotion=own.promotion.code, listing="L102", finding=own.finding.pk,
                   waived=own.waived.pk, job=own.job.pk)  # fmt: skip
    # Hundreds of requests from one token in seconds: lift the throttle (its own test is in test_errors.py).
    rest = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "100000/minute"}}
    # The WSGI app closes "old" database connections around each request, and inside the test's transaction
    # that is every connection (PostgreSQL then fails the next query): Django's test client disconnects the
    # same handlers for the same reason.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        with override_settings(REST_FRAMEWORK=rest):
            yield world.tokens["operations_manager"]
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def _positive(case: Any, location: ParameterLocation) -> bool:
    component = case.meta.components.get(location) if case.meta is not None else None
    return component is None or not component.mode.is_negative


def _pin(case: Any, *, path_names: tuple[str, ...] | None = None) -> None:
    """Real codes and ids instead of random ones, which would only ever reach a 404 (unless the path is the invalid
    part of a negative case); a bundle names the shop of its URL, or it is refused before anything else is checked."""
    if _positive(case, ParameterLocation.PATH):
        for name, value in (case.path_parameters or {}).items():
            if path_names is None or name in path_names:
                case.path_parameters[name] = TARGETS.get(_target(case, name), value)
    body = case.body if _positive(case, ParameterLocation.BODY) else None
    if case.operation.path.endswith("/bundles") and isinstance(body, dict) and isinstance(body.get("shop"), dict):
        body["shop"]["code"] = TARGETS["shop"]


def _target(case: Any, name: str) -> str:
    if name != "id":
        return name
    if case.operation.path.startswith("/api/v1/jobs"):
        return "job"
    return "waived" if case.operation.method.upper() == "DELETE" else "finding"


@schema.parametrize()
# derandomize: CI fuzzes the same cases on every run, so a red run is a regression, not a new draw of the dice.
@hypothesis.settings(suppress_health_check=list(hypothesis.HealthCheck), deadline=None, derandomize=True)
def test_api_conforms_to_its_schema(case: Any, api_token: str) -> None:
    _pin(case)
    headers = {"Authorization": f"Token {api_token}"}
    if not BASE_URL:
        # The WSGI transport does not decode gzip as an HTTP client does (live, requests does, and checks it).
        headers["Accept-Encoding"] = "identity"
    response = case.call(headers=headers)
    REQUESTS[(case.operation.label, response.status_code)] += 1
    # The token is an operations manager's: a 401 or 403 would mean the run is not testing what it claims to.
    assert response.status_code not in (401, 403), response.text[:300]
    case.validate_response(response, checks=CHECKS, headers=headers)


# Requests of the stateful run, per operation and status (the run must reach a 202 bundle and a 200 job).
STATEFUL: Counter[tuple[str, int]] = Counter()


def test_stateful_links_reach_bundles_and_jobs(api_token: str) -> None:
    headers = {"Authorization": f"Token {api_token}"}
    if not BASE_URL:
        headers["Accept-Encoding"] = "identity"

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def before_call(self, case: Any) -> None:
            # The shop and promotion are the token's; ids and listings come from the links (a job's id from the
            # 202 that created it, a finding's from a page of findings), or are random and answer 404.
            _pin(case, path_names=("shop", "promotion"))

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": headers}

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            STATEFUL[(case.operation.label, response.status_code)] += 1
            REQUESTS[(case.operation.label, response.status_code)] += 1
            assert response.status_code not in (401, 403), response.text[:300]
            case.validate_response(response, checks=CHECKS, headers=headers)

    STATEFUL.clear()
    for attempt in range(3):
        try:
            Workflow.run(
                settings=hypothesis.settings(
                    max_examples=MAX_EXAMPLES * 2,
                    stateful_step_count=12,
                    deadline=None,
                    suppress_health_check=list(hypothesis.HealthCheck),
                    database=None,
                )
            )
            break
        except hypothesis.errors.FlakyStrategyDefinition as exc:
            # The server keeps its state from one scenario to the next (a waiver made in one is there in the next,
            # a pushed bundle re-scans the shop and renumbers its findings), so the same choices can meet another
            # status, a link's bundle stays empty and Hypothesis stops exploring. That is no failed check (those
            # raise their own errors, and every response so far was validated): run another exploration, and the
            # assertions below still require the run to have reached bundles and jobs.
            print(f"stateful exploration {attempt + 1} stopped early ({exc.__class__.__name__}): {dict(STATEFUL)}")
    assert STATEFUL[("POST /api/v1/shops/{shop}/bundles", 202)] > 0, STATEFUL
    assert STATEFUL[("GET /api/v1/jobs/{id}", 200)] > 0, STATEFUL
