"""Deadlines relative to a promotion's phases ("T-minus"), and the calendar arithmetic the checks share.

Promotions run on Asia/Shanghai time: dates (ship_by, price history) are compared in that zone.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from readiness.imports.bundle import PromotionData
from readiness.rulepacks import RulePack

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local_date(when: dt.datetime) -> dt.date:
    """The calendar date of an aware datetime in Asia/Shanghai."""
    return when.astimezone(SHANGHAI).date()


def page_deadline(promotion: PromotionData) -> dt.datetime:
    """Pages (wording, labels, gifts, rebates, reference prices) are public from presale start: fix them by then."""
    return (promotion.presale_start or promotion.sale_start).astimezone(SHANGHAI)


def stock_deadline(promotion: PromotionData, rules: RulePack) -> dt.datetime:
    """Stock (and gift stock) must have landed a few days before the sale (receiving, QC, shelving)."""
    days = rules.integer("deadlines.stock_days_before_sale")
    return (promotion.sale_start - dt.timedelta(days=days)).astimezone(SHANGHAI)


def courier_deadline(promotion: PromotionData, rules: RulePack) -> dt.datetime:
    """Courier contracts and capacity must be settled a week (configurable) before the sale."""
    days = rules.integer("deadlines.couriers_days_before_sale")
    return (promotion.sale_start - dt.timedelta(days=days)).astimezone(SHANGHAI)


def after_sale_deadline(promotion: PromotionData) -> dt.datetime:
    """Return settings must be on before the after-sale wave, which starts when the sale ends."""
    return promotion.sale_end.astimezone(SHANGHAI)


def sale_deadline(promotion: PromotionData) -> dt.datetime:
    """Settings and staffing that must be in place when the sale opens."""
    return promotion.sale_start.astimezone(SHANGHAI)


def iso(day: dt.date | dt.datetime | None) -> str | None:
    return day.isoformat() if day is not None else None
