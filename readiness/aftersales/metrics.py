"""The platform's after-sale metrics as plain data (domain.md "After-sale metrics"). Pure: no Django.

The counts and sums are computed in SQL (``readiness.aftersales.selectors``); this module divides them, so that
"nothing to divide by → None" is decided in one place, and carries them to the check, the report and the page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI_DAY = ZoneInfo("Asia/Shanghai")  # the calendar the platforms count days in
# Names in Chinese are also the catalogue's msgids: the web pages show them translated (gettext at display, so that
# this module stays free of Django and the plans keep the Chinese role names as keys).
ROLES = ("后台处理", "查件", "疑难件", "投诉接待")
# Request types of the forecast: the kind, and for 仅退款 the shipping state when it was asked.
REQUEST_TYPES = ("refund_only_unshipped", "refund_only_shipped", "return_refund", "exchange", "reship")
REQUEST_TYPE_LABELS = {
    "refund_only_unshipped": "仅退款（未发货）",
    "refund_only_shipped": "仅退款（已发货）",
    "return_refund": "退货退款",
    "exchange": "换货",
    "reship": "补寄",
}
STAGES = ("agree", "buyer_ship", "in_transit", "inspect_and_refund")
STAGE_LABELS = {
    "agree": "退款同意",
    "buyer_ship": "商品邮寄",
    "in_transit": "退货在途",
    "inspect_and_refund": "商家验货及退款",
}
METRICS = (
    "dispute_refund_rate",
    "self_completion_rate",
    "refund_only_completion_hours",
    "return_refund_completion_hours",
    "quality_refund_rate",
)
METRIC_LABELS = {
    "dispute_refund_rate": "纠纷退款率",
    "self_completion_rate": "退款自主完结率",
    "refund_only_completion_hours": "仅退款自主完结时长",
    "return_refund_completion_hours": "退货退款自主完结时长",
    "quality_refund_rate": "商品体验退款率",
}


def request_type(kind: str, shipped: bool) -> str:
    """The forecast's request type of a record (仅退款 split by shipping state)."""
    if kind == "refund_only":
        return "refund_only_shipped" if shipped else "refund_only_unshipped"
    return kind


def ratio(numerator: float | int, denominator: float | int) -> float | None:
    """numerator / denominator, or None when there is nothing to divide by."""
    return numerator / denominator if denominator else None


def hours(total: dt.timedelta | None) -> float | None:
    return None if total is None else total.total_seconds() / 3600


@dataclasses.dataclass(frozen=True, slots=True)
class Window:
    """The calendar days (Asia/Shanghai) the metrics cover, both ends included."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @classmethod
    def ending(cls, end: dt.date, days: int) -> Window:
        return cls(start=end - dt.timedelta(days=max(days, 1) - 1), end=end)


@dataclasses.dataclass(frozen=True, slots=True)
class Counts:
    """What SQL counted over one window (or one week of the trend)."""

    paid_orders: int = 0
    closed: int = 0
    disputes: int = 0  # closed, 退款成功, platform intervened and ruled the seller responsible
    self_closed: int = 0  # closed without platform intervention
    refund_only_hours: float | None = None  # mean over 仅退款 closed without intervention
    refund_only_closed: int = 0
    return_refund_hours: float | None = None
    return_refund_closed: int = 0
    stages: Mapping[str, float | None] = dataclasses.field(default_factory=dict)
    quality_orders: int = 0  # orders whose first request (in the window) gave a reason about the goods

    def metrics(self) -> dict[str, float | None]:
        return {
            "dispute_refund_rate": ratio(self.disputes, self.paid_orders),
            "self_completion_rate": ratio(self.self_closed, self.closed),
            "refund_only_completion_hours": self.refund_only_hours,
            "return_refund_completion_hours": self.return_refund_hours,
            "quality_refund_rate": ratio(self.quality_orders, self.paid_orders),
        }


@dataclasses.dataclass(frozen=True, slots=True)
class ListingQuality:
    """One listing's quality refunds in the window, its paid orders (None when not given per listing), the
    reasons of its requests (most frequent first) and what its quality refunds cost."""

    listing_id: str
    quality_orders: int
    paid_orders: int | None
    reasons: Sequence[tuple[str, int]] = ()
    quality_amount: Decimal = Decimal(0)

    @property
    def rate(self) -> float | None:
        return ratio(self.quality_orders, self.paid_orders) if self.paid_orders is not None else None

    def top_reasons(self, n: int = 3) -> list[str]:
        return [reason for reason, _count in self.reasons[:n]]


@dataclasses.dataclass(frozen=True, slots=True)
class WeekPoint:
    """The metrics of one week of the trend: the 7 days from ``start`` (weeks end on the window's last day)."""

    start: dt.date
    metrics: Mapping[str, float | None]


@dataclasses.dataclass(frozen=True, slots=True)
class PageFinding:
    """A wording or spec finding on a listing's page, for linking a 描述不符 problem listing to its cause."""

    rule: str
    category: str
    field: str
    text: str
    message: str
    related_text: str = ""
    related_field: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class AfterSalesFacts:
    """What the shop's records say, for the ``after_sales`` check and the report. ``has_records`` is False when
    the shop has imported none: then the bundle's typed-in ``service`` rates are used as before."""

    as_of: dt.date
    window: Window
    has_records: bool
    counts: Counts
    listings: Sequence[ListingQuality] = ()
    trend: Sequence[WeekPoint] = ()
    # Requests asked in the window per request type (for the forecast's rates), and their paid orders.
    requests_by_type: Mapping[str, int] = dataclasses.field(default_factory=dict)
    open_requests: int = 0
    page_findings: Mapping[str, Sequence[PageFinding]] = dataclasses.field(default_factory=dict)

    @property
    def metrics(self) -> dict[str, float | None]:
        return self.counts.metrics()

    @property
    def requests_in_window(self) -> int:
        return sum(self.requests_by_type.values())

    def own_rates(self, min_requests: int) -> dict[str, float] | None:
        """Requests per paid order by type from the shop's own records, or None when too few to trust."""
        if not self.has_records or self.counts.paid_orders <= 0 or self.requests_in_window < min_requests:
            return None
        return {t: self.requests_by_type.get(t, 0) / self.counts.paid_orders for t in REQUEST_TYPES}

    def to_dict(self) -> dict[str, Any]:
        return {
            "metrics": self.metrics,
            "return_refund_stages_hours": {stage: self.counts.stages.get(stage) for stage in STAGES},
        }
