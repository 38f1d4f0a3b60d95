"""Price: reference price against the 7-day lowest price (unless a basis is stated); raises before the sale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from readiness.checks import price
from tests.readiness.checks.builders import context, flat_history, history, listing, only, rules_of, sku

RAISE_59_79 = history(
    ("2026-11-03", "59.00"),
    ("2026-11-04", "59.00"),
    ("2026-11-05", "59.00"),
    ("2026-11-06", "79.00"),
    ("2026-11-07", "79.00"),
    ("2026-11-08", "79.00"),
    ("2026-11-09", "79.00"),
)


@pytest.mark.parametrize(
    ("sale", "list_price", "basis", "points", "expected"),
    [
        pytest.param("149.00", "298.00", None, flat_history("168.00"), ["price.reference_above_recent_low"], id="P33"),
        pytest.param("149.00", "168.00", None, flat_history("168.00"), [], id="equal to the 7-day lowest"),
        pytest.param(
            "149.00", "168.01", None, flat_history("168.00"), ["price.reference_above_recent_low"], id="1 fen"
        ),
        pytest.param("168.00", "268.00", "厂商建议零售价", flat_history("198.00"), [], id="demo L106: basis stated"),
        pytest.param(
            "149.00", "298.00", "  ", flat_history("168.00"), ["price.reference_above_recent_low"], id="blank"
        ),
        pytest.param("149.00", None, None, flat_history("168.00"), [], id="no reference price"),
        pytest.param("300.00", "298.00", None, flat_history("168.00"), [], id="reference below sale price: no claim"),
        pytest.param("149.00", "298.00", None, [], ["price.reference_unverifiable"], id="no history"),
        pytest.param(
            "149.00",
            "298.00",
            None,
            flat_history("298.00", first="2026-10-20", days=14),
            ["price.reference_unverifiable"],
            id="history ends before the 7-day window",
        ),
        pytest.param(
            "149.00",
            "200.00",
            None,
            history(("2026-11-02", "100.00"), *[(f"2026-11-0{d}", "200.00") for d in range(3, 10)]),
            ["price.raised_before_sale"],
            id="a low price 8 days before is no reference, but the raise from it counts",
        ),
        pytest.param(
            "149.00",
            "200.00",
            None,
            history(*[(f"2026-11-0{d}", "200.00") for d in range(3, 10)], ("2026-11-10", "100.00")),
            [],
            id="the sale day itself does not count",
        ),
        pytest.param(
            "69.00",
            "99.00",
            None,
            RAISE_59_79,
            ["price.reference_above_recent_low", "price.raised_before_sale"],
            id="demo P35+P36",
        ),
    ],
)
def test_price_table(sale: str, list_price: str | None, basis: str | None, points: list, expected: list[str]) -> None:
    item = sku("L1-1", price=sale, list_price=list_price, list_price_basis=basis, price_history=points)
    assert rules_of(price.check(context([listing("L1", skus=[item])]))) == expected


@pytest.mark.parametrize(
    ("before", "after", "sale", "expected"),
    [
        pytest.param("138.00", "168.00", "128.00", ["price.raised_before_sale"], id="demo P38: +21.7%"),
        pytest.param("100.00", "105.00", "99.00", [], id="+5% is within tolerance"),
        pytest.param("100.00", "105.01", "99.00", ["price.raised_before_sale"], id="just above +5%"),
        pytest.param("100.00", "130.00", "130.00", [], id="raised but no discount from the raised level"),
        pytest.param("168.00", "138.00", "128.00", [], id="a cut is not a raise"),
    ],
)
def test_raise_table(before: str, after: str, sale: str, expected: list[str]) -> None:
    points = history(
        *[(f"2026-11-0{d}", before) for d in range(3, 7)], *[(f"2026-11-0{d}", after) for d in range(7, 10)]
    )
    item = sku("L1-1", price=sale, list_price=None, price_history=points)
    assert rules_of(price.check(context([listing("L1", skus=[item])]))) == expected


def test_reference_issue_evidence() -> None:
    item = sku("L130-1", price="149.00", list_price="298.00", price_history=flat_history("168.00"))
    issue = only(price.check(context([listing("L130", skus=[item])])), "price.reference_above_recent_low")
    assert issue.severity == "error"
    assert issue.owner == "operations"
    assert issue.evidence["lowest_recent"] == "168.00"
    assert issue.evidence["window"] == ["2026-11-03", "2026-11-09"]
    assert "第十六条" in issue.citation
    assert issue.exposure_min == Decimal("50000") and issue.exposure_max == Decimal("500000")


def test_raise_issue_evidence() -> None:
    item = sku("L131-1", price="69.00", list_price=None, price_history=RAISE_59_79)
    issue = only(price.check(context([listing("L131", skus=[item])])), "price.raised_before_sale")
    assert issue.evidence["from_price"] == "59.00"
    assert issue.evidence["to_price"] == "79.00"
    assert issue.evidence["to_date"] == "2026-11-06"
    assert issue.evidence["raise"] == 0.339


def test_lookback_is_configurable() -> None:
    points = history(("2026-10-25", "100.00"), *[(f"2026-11-0{d}", "200.00") for d in range(3, 10)])
    item = sku("L1-1", price="149.00", list_price="200.00", price_history=points)
    quiet = {"price.raise_lookback_days": 7}
    assert rules_of(price.check(context([listing("L1", skus=[item])], overrides=quiet))) == []
    ctx = context([listing("L1", skus=[item])], overrides=quiet | {"price.reference_lookback_days": 30})
    assert rules_of(price.check(ctx)) == ["price.reference_above_recent_low"]


def test_window_helper() -> None:
    points = flat_history("1.00", first="2026-11-01", days=12)
    window = price.window(points, dt.date(2026, 11, 10), 7)
    assert [p.date.isoformat() for p in window] == [f"2026-11-0{d}" for d in range(3, 10)]
