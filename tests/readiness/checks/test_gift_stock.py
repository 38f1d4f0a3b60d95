"""Gift stock ≥ 1.1 × gifts needed; first-N offers need min(N, forecast)."""

from __future__ import annotations

import pytest

from readiness.checks import gift_stock
from tests.readiness.checks.builders import SALE_START, context, gift, listing, only, rules_of, sku


@pytest.mark.parametrize(
    ("forecasts", "per_order", "first_n", "stock", "expected"),
    [
        pytest.param([1000], 1, None, 1100, [], id="exactly 1.1 x needed passes"),
        pytest.param([1000], 1, None, 1099, ["gift_stock.insufficient"], id="one short of 1.1 x fails"),
        pytest.param([1000], 1, None, 1000, ["gift_stock.insufficient"], id="exactly needed is not enough"),
        pytest.param([1000], 2, None, 2200, [], id="two per order: 2200 for 2000"),
        pytest.param([1000], 2, None, 2199, ["gift_stock.insufficient"], id="two per order: one short"),
        pytest.param([800, 400], 2, None, 2500, ["gift_stock.insufficient"], id="demo P16: 2500 < 2640"),
        pytest.param([1500], 1, None, 1200, ["gift_stock.insufficient"], id="demo P15: 1200 < 1650"),
        pytest.param([1800], 1, 5000, 2100, ["gift_stock.first_n_above_stock"], id="demo P17: first_n above forecast"),
        pytest.param([1800], 1, 5000, 1979, ["gift_stock.insufficient"], id="first_n above forecast, short of 1980"),
        pytest.param([1800], 1, 500, 550, [], id="first_n below forecast needs N"),
        pytest.param([1800], 1, 500, 549, ["gift_stock.insufficient"], id="first_n below forecast, short"),
        pytest.param([1800], 1, 2000, 2000, [], id="first_n covered by stock: no note"),
        pytest.param([0], 1, None, 0, [], id="nothing forecast, nothing needed"),
    ],
)
def test_gift_stock_table(
    forecasts: list[int], per_order: int, first_n: int | None, stock: int, expected: list[str]
) -> None:
    skus = [sku(f"L1-{i}", forecast_units=f) for i, f in enumerate(forecasts, 1)]
    item = gift(stock=stock, per_order=per_order, first_n=first_n)
    result = gift_stock.check(context([listing("L1", skus=skus, gifts=[item])]))
    assert rules_of(result) == expected


def test_first_n_above_forecast_is_only_info() -> None:
    skus = [sku("L119-1", forecast_units=1800)]
    item = gift("玻璃随手杯", stock=2100, sku_code="G-GLS-03", first_n=5000)
    issue = only(
        gift_stock.check(context([listing("L119", skus=skus, gifts=[item])])), "gift_stock.first_n_above_stock"
    )
    assert issue.severity == "info"
    assert issue.evidence["needed"] == 1800  # min(5000, 1800), not 5000
    assert issue.evidence["required"] == 1980


def test_insufficient_issue_fields() -> None:
    skus = [sku("L118-1", forecast_units=800), sku("L118-2", forecast_units=400)]
    item = gift("白瓷品茗杯", stock=2500, sku_code="G-CUP-02", per_order=2)
    issue = only(gift_stock.check(context([listing("L118", skus=skus, gifts=[item])])), "gift_stock.insufficient")
    assert issue.severity == "error"
    assert (issue.listing_id, issue.sku, issue.field, issue.text) == ("L118", "G-CUP-02", "gifts[0]", "白瓷品茗杯")
    assert issue.owner == "warehouse"
    assert issue.deadline is not None and issue.deadline < SALE_START
    assert issue.evidence["needed"] == 2400
    assert issue.evidence["required"] == 2640
    assert issue.evidence["ratio"] == 1.042


def test_factor_is_configurable() -> None:
    skus = [sku("L1-1", forecast_units=1000)]
    ctx = context([listing("L1", skus=skus, gifts=[gift(stock=1000)])], overrides={"gift_stock.factor": 1.0})
    assert rules_of(gift_stock.check(ctx)) == []


def test_listings_without_gifts_are_not_examined() -> None:
    result = gift_stock.check(context([listing("L1"), listing("L2", gifts=[gift(stock=5000)])]))
    assert result.listing_ids == ("L2",)
    assert result.examined == 1
