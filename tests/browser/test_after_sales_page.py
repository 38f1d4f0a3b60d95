"""The 售后 page of the demo shop in a real browser: metrics against thresholds with weekly charts, the planted
problem listing linked to its editor page, the wave chart and table against the plan."""

from __future__ import annotations

from typing import Any

import pytest

from readiness.models import Promotion
from tests.browser.site import log_in, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_after_sales_page(page: Any, live_server: Any, demo: Promotion, shot: Any) -> None:
    log_in(page, live_server, shot)
    page.goto(url(live_server))
    page.get_by_role("navigation", name="页面").get_by_role("link", name="售后").click()
    page.wait_for_url(url(live_server, "after-sales/"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("售后准备")

    # the five metrics, each with a value, a status against its threshold and a weekly chart
    for key in ("dispute_refund_rate", "self_completion_rate", "refund_only_completion_hours",
                "return_refund_completion_hours", "quality_refund_rate"):  # fmt: skip
        card = page.locator(f"[data-metric={key}]")
        assert card.get_by_test_id(f"metric-{key}").inner_text() != "—"
        assert card.locator("svg polyline.trend-line").count() == 1
        assert card.locator("svg line.threshold").count() == 1
    assert "数据来源：店铺售后记录" in page.locator(".page-head").inner_text()

    # the planted problem listing, linked to its editor page, with the spec finding that explains it
    problems = page.get_by_test_id("problem-listings")
    row = problems.locator("tr", has=page.get_by_role("link", name="L139"))
    assert "描述不符" in row.inner_text() and "2斤" in row.inner_text()

    # the wave: stacked bars per role and the plan's line; the table marks the days that fall short
    chart = page.get_by_test_id("wave-chart")
    assert chart.locator("rect.bar").count() > 14
    assert chart.locator("polyline.plan-line").count() == 1
    assert page.get_by_test_id("wave-table").locator("tbody tr").count() == 14
    assert page.get_by_test_id("wave-table").locator("tr.short").count() > 0
    assert "售后客服不足" in page.locator("#as-issues-title + ul").inner_text()
    shot(page, "after-sales")

    problems.get_by_role("link", name="L139").click()
    page.wait_for_url(url(live_server, "listings/L139/"))
