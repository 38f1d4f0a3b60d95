"""What one API request may cost is bounded (issue 15, item 11): text per scan request, findings per field in the
answer, scan requests per minute, and no scan ever runs inside a web request."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.test import override_settings
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from readiness.models import RunStatus, ScanRun
from tests.factories import PromotionFactory
from tests.readiness.api.problem import assert_problem
from tests.readiness.api.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops(world: World, client_for: Any) -> APIClient:
    return client_for(world.tokens["operations_manager"])


def test_text_full_of_hits_answers_a_bounded_list(ops: APIClient) -> None:
    """100,000 characters of 最佳 (the longest description allowed): 50,000 findings, of which the answer lists
    the first API_SCAN_MAX_FINDINGS_PER_FIELD and counts the rest."""
    with override_settings(API_SCAN_MAX_FINDINGS_PER_FIELD=20):
        response = ops.post(
            "/api/v1/scan", [{"id": "A", "description": "最佳" * 50_000, "title": "最佳"}], format="json"
        )
    assert response.status_code == 200
    body = response.json()
    fields = [f["field"] for f in body["findings"]]
    assert fields.count("description") == 20 and fields.count("title") == 1
    assert body["omitted"] == sum(body["counts"].values()) - len(body["findings"]) > 40_000
    assert len(response.content) < 100_000


def test_text_per_request_is_limited(ops: APIClient) -> None:
    listings = [{"id": f"L{i}", "description": "龙井" * 30_000} for i in range(20)]  # 1.2 M characters
    with override_settings(API_SCAN_MAX_CHARS=1_000_000):
        body = assert_problem(ops.post("/api/v1/scan", listings, format="json"), 400)
    message = body["errors"][0]["message"]  # Chinese by default (Accept-Language picks English)
    assert "1000000" in message and "1200310" in message and "字符" in message


def test_scan_has_its_own_rate(world: World, client_for: Any) -> None:
    from django.conf import settings

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "scan": "3/minute", "user": "100/minute"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        ops = client_for(world.tokens["operations_manager"])
        statuses = [ops.post("/api/v1/scan", [{"id": "A", "title": "x"}], format="json").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert ops.get("/api/v1/shops").status_code == 200  # the rest of the API is not held up


def test_readiness_of_a_never_scanned_promotion_starts_a_scan_and_answers_202(
    world: World, ops: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    """As with a real broker: the scan is handed to the workers (here: not run at all), the request returns at once."""
    promotion = PromotionFactory(shop=world.own.shop, code="618-2027")
    url = f"/api/v1/shops/{world.own.shop.code}/promotions/618-2027/readiness"
    with mock.patch("readiness.tasks.dispatch_scan_run") as dispatch, django_capture_on_commit_callbacks(execute=True):
        response = ops.get(url)
    assert response.status_code == 202, response.content
    assert response["Location"] == url and int(response["Retry-After"]) > 0
    run = ScanRun.objects.get(promotion=promotion)
    assert response.json()["run"] == run.pk
    assert run.status == RunStatus.PENDING and not run.findings.exists()  # nothing was scanned in the request
    dispatch.assert_called_once()
    # asked again while it runs: 409, and no second scan
    assert_problem(ops.get(url), 409)
    assert ScanRun.objects.filter(promotion=promotion).count() == 1
