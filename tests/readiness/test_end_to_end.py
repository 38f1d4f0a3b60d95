"""The demo shop end to end: import, scan with the real scanners, report; every planted problem of
docs/demo.md is reported under its check, and the clean shop scores at least 90 with no failing check."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
DEMO_DOC = (ROOT / "docs" / "demo.md").read_text(encoding="utf-8")
pytestmark = pytest.mark.django_db


def _planted() -> list[tuple[str, str, str | None, str, str]]:
    """(id, listing, category, check, expected) for every row of the planted-problems table."""
    rows = []
    for line in DEMO_DOC.splitlines():
        if re.match(r"\| P\d+ \|", line):
            cells = [c.strip() for c in line.strip("|").split("|")]
            number, listing, _where, check, category, _planted, expected = cells[:7]
            rows.append((number, listing, None if category == "—" else category, check, expected))
    return rows


PLANTED = _planted()


def _report(bundle: str, shop: str) -> dict[str, Any]:
    call_command("import_bundle", str(ROOT / "readiness" / "demo" / bundle), stdout=io.StringIO())
    out = io.StringIO()
    call_command("readiness_report", shop=shop, promotion="d11-2026", format="json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def demo_report(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            report = _report("demo-shop.json", "mingcha-tmall")
            transaction.set_rollback(True)
    return report


def test_table_has_every_kind() -> None:
    assert len(PLANTED) >= 60
    assert {row[3] for row in PLANTED} == {
        "stock", "gift_stock", "couriers", "presale_label", "gifts", "rebates", "listing_text", "spec_consistency",
        "price", "after_sales",
    }  # fmt: skip


@pytest.mark.parametrize(("number", "listing", "category", "check", "expected"), PLANTED, ids=[r[0] for r in PLANTED])
def test_planted_problem_is_reported(
    demo_report: dict[str, Any], number: str, listing: str, category: str | None, check: str, expected: str
) -> None:
    issues = next(c for c in demo_report["checks"] if c["check"] == check)["issues"]
    mine = [i for i in issues if i["listing_id"] == (None if listing == "shop" else listing)]
    if category:
        mine = [i for i in mine if i.get("category") == category]
    if expected.startswith("NOT"):
        assert not [i for i in mine if i["severity"] in ("error", "warning")], mine
        return
    severity = re.match(r"(error|warning|info)", expected)
    assert severity, f"{number}: the doc's expected column names no severity"
    wanted = {"error", "warning"} if expected.startswith("warning or error") else {severity.group(1)}
    found = [i for i in mine if i["severity"] in wanted]
    assert found, f"{number}: nothing of {wanted} for {listing} under {check}; got {[i['message'] for i in mine]}"
    for issue in found:
        assert issue["message"] and issue["remediation"] and issue["owner"]
        assert issue["deadline"] and issue["evidence"] is not None


def test_clean_listings_are_clean(demo_report: dict[str, Any]) -> None:
    clean = {f"L{n}" for n in range(101, 111)}
    noisy = [
        (c["check"], i["listing_id"], i["message"])
        for c in demo_report["checks"]
        for i in c["issues"]
        if i["listing_id"] in clean and i["severity"] in ("error", "warning")
    ]
    assert noisy == []
    scores = {item["listing_id"]: item for item in demo_report["listings"]}
    assert all(scores[lid]["status"] in ("pass", "waived") or scores[lid]["errors"] == 0 for lid in clean)


def test_demo_shop_fails_visibly(demo_report: dict[str, Any]) -> None:
    assert demo_report["score"] < 60 and demo_report["grade"] in "DF"
    statuses = {c["check"]: c["status"] for c in demo_report["checks"]}
    assert statuses["listing_text"] == statuses["spec_consistency"] == statuses["stock"] == "fail"


def test_clean_shop_scores_at_least_90_with_no_failing_check() -> None:
    report = _report("clean-shop.json", "clean-snacks-tmall")
    assert report["score"] >= 90, [
        (c["check"], i["message"]) for c in report["checks"] for i in c["issues"] if i["severity"] != "info"
    ]
    assert all(c["status"] != "fail" for c in report["checks"])
