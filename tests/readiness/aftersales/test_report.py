"""after_sales_report (json and table) and the generated demo records, end to end with a scan."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from readiness.aftersales.demo import demo_records
from readiness.aftersales.reporting import after_sales_report
from readiness.aftersales.services import after_sales_import_json
from readiness.models import Finding, Promotion
from tests.factories import PromotionFactory, ShopFactory
from tests.readiness.aftersales.cases import AS_OF, EXPECTED, PAID_ORDERS, RECORDS

pytestmark = pytest.mark.django_db


def test_report_command_json_and_table(capsys: Any) -> None:
    promotion = PromotionFactory(shop=ShopFactory(code="acme"), code="d11")
    after_sales_import_json(shop=promotion.shop, data={"records": RECORDS, "paid_orders": PAID_ORDERS})
    call_command("after_sales_report", "--shop", "acme", "--promotion", "d11", "--as-of", AS_OF)
    report = json.loads(capsys.readouterr().out)
    assert report["shop"] == "acme" and report["as_of"] == AS_OF and report["window_days"] == 30
    assert report["paid_orders"] == 1200
    assert report["metrics"] == pytest.approx(EXPECTED)
    call_command("after_sales_report", "--shop", "acme", "--promotion", "d11", "--as-of", AS_OF, "--format", "table")
    table = capsys.readouterr().out
    assert "纠纷退款率" in table and "0.08%" in table and "96.0 小时" in table
    assert "售后高峰预测" in table


def test_without_records_the_typed_in_rates_are_reported() -> None:
    promotion = PromotionFactory()
    report = after_sales_report(promotion=promotion, as_of=dt.date(2026, 11, 1))
    assert report["source"] == "service" and report["paid_orders"] is None
    assert report["metrics"]["quality_refund_rate"] is None
    assert report["forecast"]["rates_source"] == "defaults"
    assert report["listings"] == [] and report["problem_listings"] == []


def test_demo_records_are_deterministic_and_plausible() -> None:
    weights = {f"L{i}": 1000 for i in range(101, 141)}
    prices = dict.fromkeys(weights, Decimal("88.00"))
    first = demo_records(weights, prices, end=dt.date(2026, 10, 31))
    again = demo_records(weights, prices, end=dt.date(2026, 10, 31))
    assert first.records == again.records
    assert 2000 < len(first.records) < 6000
    assert {r.kind for r in first.records} == {"refund_only", "return_refund", "exchange", "reship"}
    assert any(r.closed_at is None for r in first.records)  # the last days still have open requests
    assert all(r.closed_at is None or r.closed_at >= r.requested_at for r in first.records)


def test_demo_shop_shows_its_planted_problem_listing() -> None:
    call_command("load_demo", stdout=io.StringIO())
    call_command("scan", "--shop", "mingcha-tmall", "--promotion", "d11-2026", stdout=io.StringIO())
    promotion = Promotion.objects.get(shop__code="mingcha-tmall", code="d11-2026")
    report = after_sales_report(promotion=promotion)
    assert report["source"] == "records" and report["paid_orders"] > 10000
    problems = {p["listing_id"]: p for p in report["problem_listings"]}
    assert "L139" in problems
    assert problems["L139"]["page_findings"], "the spec mismatch of L139 (2斤 against 500g) is linked"
    issue = next(
        i for i in report["issues"] if i["rule"] == "after_sales.problem_listing" and i["listing_id"] == "L139"
    )
    assert "2斤" in issue["message"] and issue["owner"] == "listing_editor"
    # the scan stored it on the listing (the dashboard and the listing page link it)
    assert Finding.objects.filter(rule="after_sales.problem_listing", listing__listing_id="L139").exists()
