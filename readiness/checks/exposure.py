"""Money at risk, estimated where the domain gives a basis.

- Compensation owed to buyers: a broken ship promise (late presale shipment, a stock-out) costs
  ``min(rate × price, cap)`` per order (past Tmall rule: 30%, capped at ¥500), times the affected orders.
  One unit is taken as one order: the bundle has no units-per-order figure, and counting units overstates
  nothing more than the cap already bounds per order.
- Legal breaches: the fine range of the penalty article, shown as a range (min, max), never as one number.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from readiness.imports.bundle import SkuData
from readiness.rulepacks import RulePack

CENT = Decimal("0.01")


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def late_compensation(price: Decimal, rules: RulePack) -> Decimal:
    """Compensation per late order (``min(rate × price, cap)``)."""
    rate = rules.money("compensation.late_shipment_rate")
    cap = rules.money("compensation.late_shipment_cap")
    return cents(min(price * rate, cap))


def stockout_compensation(price: Decimal, rules: RulePack) -> Decimal:
    """Compensation per order that cannot ship for lack of stock."""
    rate = rules.money("compensation.stockout_rate")
    cap = rules.money("compensation.stockout_cap")
    return cents(min(price * rate, cap))


def average_price(skus: Iterable[SkuData]) -> Decimal | None:
    """The forecast-weighted average price of SKUs (the typical order value), or None without a forecast."""
    total = Decimal(0)
    units = 0
    for sku in skus:
        total += sku.price * sku.forecast_units
        units += sku.forecast_units
    return cents(total / units) if units else None


def fine_range(rules: RulePack, kind: str) -> tuple[Decimal | None, Decimal | None]:
    """(min, max) fine of a kind of breach from the rule pack's ``legal.<kind>``; (None, None) without one."""
    basis = rules.legal(kind)
    if basis is None or basis.fine_max is None:
        return None, None
    return basis.fine_min, basis.fine_max


def money_text(amount: Decimal | None) -> str | None:
    """Money for evidence and reports: a decimal string with cents ("52800.00")."""
    return str(cents(amount)) if amount is not None else None
