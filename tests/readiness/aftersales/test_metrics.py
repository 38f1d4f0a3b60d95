"""The five metrics of domain.md "After-sale metrics" against hand-computed tiny cases (tests/…/cases.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from readiness.aftersales import selectors
from readiness.aftersales.services import after_sales_import_json
from readiness.rulepacks import load_rule_pack
from tests.factories import ShopFactory
from tests.readiness.aftersales.cases import AS_OF, EXPECTED, EXPECTED_STAGES, PAID_ORDERS, RECORDS, record

pytestmark = pytest.mark.django_db


def _facts(shop: Any, as_of: str = AS_OF, **overrides: Any) -> Any:
    rules = load_rule_pack("tmall", {f"after_sales.{k}": v for k, v in overrides.items()})
    return selectors.after_sales_facts(shop_id=shop.pk, as_of=dt.date.fromisoformat(as_of), rules=rules)


@pytest.fixture
def shop() -> Any:
    shop = ShopFactory()
    after_sales_import_json(shop=shop, data={"records": RECORDS, "paid_orders": PAID_ORDERS})
    return shop


def test_the_five_metrics_by_hand(shop: Any) -> None:
    facts = _facts(shop)
    assert facts.window.start == dt.date(2026, 10, 3) and facts.window.end == dt.date(2026, 11, 1)
    assert facts.counts.paid_orders == 1200
    assert facts.counts.closed == 6
    assert facts.metrics == pytest.approx(EXPECTED)
    assert dict(facts.counts.stages) == pytest.approx(EXPECTED_STAGES)


def test_open_requests_count_only_for_quality(shop: Any) -> None:
    facts = _facts(shop)
    assert facts.open_requests == 3  # R6, R8, R9b
    # R6 (open) is in the quality count; nothing open is in the closed metrics
    assert facts.counts.quality_orders == 5


def test_per_listing_quality(shop: Any) -> None:
    by_id = {item.listing_id: item for item in _facts(shop).listings}
    assert by_id["L1"].quality_orders == 3 and by_id["L1"].paid_orders == 100
    assert by_id["L1"].rate == pytest.approx(0.03)
    assert by_id["L2"].quality_orders == 2 and by_id["L2"].rate == pytest.approx(0.02)
    assert by_id["L3"].quality_orders == 0 and by_id["L3"].paid_orders is None and by_id["L3"].rate is None
    assert by_id["L1"].top_reasons() == ["质量问题", "描述不符"]


def test_zero_orders_give_null_rates() -> None:
    shop = ShopFactory()
    after_sales_import_json(shop=shop, data={"records": RECORDS})
    metrics = _facts(shop).metrics
    assert metrics["dispute_refund_rate"] is None
    assert metrics["quality_refund_rate"] is None
    assert metrics["self_completion_rate"] == pytest.approx(4 / 6)


def test_no_closed_requests_give_null_completion() -> None:
    shop = ShopFactory()
    after_sales_import_json(
        shop=shop,
        data={
            "records": [record("X1", "O1", "L1", "仅退款", "未发货", "不想要了", "2026-10-05 10:00:00")],
            "paid_orders": [{"日期": "2026-10-05", "支付订单数": 10}],
        },
    )
    metrics = _facts(shop).metrics
    assert metrics["self_completion_rate"] is None
    assert metrics["refund_only_completion_hours"] is None
    assert metrics["dispute_refund_rate"] == 0
    assert metrics["quality_refund_rate"] == 0


def test_lag_moves_the_window(shop: Any) -> None:
    # Lag 7: 2026-09-26 .. 2026-10-25. R9a (closed 09-26) is now in, R11 still out; O9's first request (09-25) is still outside.
    facts = _facts(shop, window_lag_days=7)
    assert facts.window.start == dt.date(2026, 9, 26) and facts.window.end == dt.date(2026, 10, 25)
    assert facts.counts.paid_orders == 2200  # 09-30's 1000 is now inside
    assert facts.counts.closed == 7
    assert facts.counts.self_closed == 5


def test_window_length_is_configurable(shop: Any) -> None:
    facts = _facts(shop, window_days=7)  # 10-26 .. 11-01: nothing closed, no orders
    assert facts.counts.closed == 0 and facts.counts.paid_orders == 0
    assert facts.metrics["dispute_refund_rate"] is None


def test_weekly_trend(shop: Any) -> None:
    trend = _facts(shop).trend
    assert len(trend) == 8
    assert trend[-1].start == dt.date(2026, 10, 26)
    # week 10-05 .. 10-11: R1 closed (self), R2 closed (intervened), R4 is 10-15 (next week); 500 orders (10-10)
    week = next(p for p in trend if p.start == dt.date(2026, 10, 5))
    assert week.metrics["self_completion_rate"] == pytest.approx(1 / 2)
    assert week.metrics["dispute_refund_rate"] == pytest.approx(1 / 500)


def test_reimport_is_idempotent(shop: Any) -> None:
    summary = after_sales_import_json(shop=shop, data={"records": RECORDS, "paid_orders": PAID_ORDERS})
    assert (summary.records, summary.created, summary.changed, summary.unchanged) == (len(RECORDS), 0, 0, len(RECORDS))
    changed = [dict(RECORDS[0], 退款金额="99.00")]
    summary = after_sales_import_json(shop=shop, data={"records": changed})
    assert (summary.created, summary.changed) == (0, 1)
    assert _facts(shop).metrics == pytest.approx(EXPECTED)


def test_query_count_is_fixed(shop: Any, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(12):
        _facts(shop)


def test_query_count_does_not_grow_with_records() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (len(RECORDS), 400):
        shop = ShopFactory()
        rows = [dict(RECORDS[i % len(RECORDS)], 退款编号=f"X{i}", 订单编号=f"XO{i % 150}") for i in range(n)]
        after_sales_import_json(shop=shop, data={"records": rows, "paid_orders": PAID_ORDERS})
        with CaptureQueriesContext(connection) as queries:
            _facts(shop)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
