"""No web request runs or doubles a scan (issue 15, item 11): the dashboard's button starts one on the workers and
refuses a second while one runs; the API's first report answers 202 (tests/readiness/api/test_request_cost.py)."""

from __future__ import annotations

from unittest import mock

import pytest

from readiness.services import scans
from tests.readiness.web.conftest import ShopSetup

pytestmark = pytest.mark.django_db


def test_the_rescan_button_while_a_scan_runs_starts_no_second_one(setup: ShopSetup) -> None:
    scans.scan_run_create(promotion=setup.promotion)  # pending: a worker has not picked it up yet
    runs = setup.promotion.scan_runs.count()
    with mock.patch("readiness.tasks.dispatch_scan_run") as dispatch:
        response = setup.client.post(setup.url("scan"), follow=True)
    assert response.status_code == 200
    assert "上一次扫描还在进行中" in response.content.decode()
    assert setup.promotion.scan_runs.count() == runs
    dispatch.assert_not_called()


def test_the_rescan_button_hands_the_scan_to_the_workers(setup: ShopSetup, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with mock.patch("readiness.tasks.dispatch_scan_run") as dispatch, django_capture_on_commit_callbacks(execute=True):
        setup.client.post(setup.url("scan"))
    dispatch.assert_called_once()
    run = setup.promotion.scan_runs.order_by("-pk").first()
    assert run is not None and run.status == "pending" and not run.findings.exists()
