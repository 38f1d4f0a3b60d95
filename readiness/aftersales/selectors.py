"""Reads: the after-sale metrics of a shop in SQL aggregates (domain.md "After-sale metrics").

Every figure is a ``COUNT``/``SUM``/``AVG`` in the database over the shop's rows; Python only divides. The number
of queries is fixed (a handful per report) whatever the number of records: see ``bench/after_sales_bench.py``.

Definitions (one home: these functions; the tests in tests/readiness/aftersales pin them to hand-computed cases):

- the window is ``window_days`` calendar days (Asia/Shanghai) ending ``window_lag_days`` before the date asked
  for, that date included;
- paid orders = Σ 支付订单数 over the window's dates (per day, the shop's own row, else the sum of its listings');
- a request is closed in the window when its 完结时间 falls in it (退款成功 or 退款关闭);
- 纠纷退款率 = closed in the window, 退款成功, 平台介入 = 是 and 判责 = 卖家 ÷ paid orders;
- 退款自主完结率 = closed in the window without platform intervention ÷ closed in the window;
- 仅退款 / 退货退款 自主完结时长 = mean(完结时间 − 申请时间) over requests of that kind closed in the window without
  intervention, in hours; the 退货退款 stages are means over those that have both times of the stage;
- 商品体验退款率 = orders whose first request (earliest 申请时间 of the 订单编号, over all the shop's records) was
  made in the window with a reason about the goods ÷ paid orders.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from readiness.aftersales.metrics import (
    SHANGHAI_DAY,
    AfterSalesFacts,
    Counts,
    ListingQuality,
    PageFinding,
    WeekPoint,
    Window,
    hours,
    request_type,
)
from readiness.aftersales.models import AfterSaleRecord, PaidOrders, RequestKind
from readiness.rulepacks import RulePack

PAGE_CHECKS = ("listing_text", "spec_consistency")


def window_for(*, as_of: dt.date, rules: RulePack) -> Window:
    """The metrics' window for a report dated ``as_of``."""
    end = as_of - dt.timedelta(days=rules.integer("after_sales.window_lag_days"))
    return Window.ending(end, rules.integer("after_sales.window_days"))


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=SHANGHAI_DAY)


def _between(field: str, window: Window) -> Q:
    return Q(**{f"{field}__gte": _start(window.start), f"{field}__lt": _start(window.end + dt.timedelta(days=1))})


def _duration(later: str, earlier: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


def has_records(*, shop_id: int) -> bool:
    return AfterSaleRecord.objects.filter(shop_id=shop_id).exists()


def _records(shop_id: int) -> QuerySet[AfterSaleRecord]:
    return AfterSaleRecord.objects.filter(shop_id=shop_id)


def _first_requests(shop_id: int) -> QuerySet[AfterSaleRecord]:
    """Each order's first request (earliest 申请时间; ties broken by 退款编号), as a filter on the records."""
    earlier = (
        _records(shop_id)
        .filter(order_id=OuterRef("order_id"))
        .filter(
            Q(requested_at__lt=OuterRef("requested_at"))
            | Q(requested_at=OuterRef("requested_at"), refund_id__lt=OuterRef("refund_id"))
        )
    )
    return _records(shop_id).exclude(Exists(earlier))


def _closed_aggregates() -> dict[str, Any]:
    self_closed = Q(intervened=False)
    refund_only = self_closed & Q(kind=RequestKind.REFUND_ONLY)
    return_refund = self_closed & Q(kind=RequestKind.RETURN_REFUND)
    return {
        "closed": Count("pk"),
        "disputes": Count("pk", filter=Q(status="success", intervened=True, liability="seller")),
        "self_closed": Count("pk", filter=self_closed),
        "refund_only_closed": Count("pk", filter=refund_only),
        "refund_only_time": Avg(_duration("closed_at", "requested_at"), filter=refund_only),
        "return_refund_closed": Count("pk", filter=return_refund),
        "return_refund_time": Avg(_duration("closed_at", "requested_at"), filter=return_refund),
        "agree": Avg(_duration("seller_handled_at", "requested_at"), filter=return_refund),
        "buyer_ship": Avg(_duration("buyer_shipped_at", "seller_handled_at"), filter=return_refund),
        "in_transit": Avg(_duration("seller_received_at", "buyer_shipped_at"), filter=return_refund),
        "inspect_and_refund": Avg(_duration("closed_at", "seller_received_at"), filter=return_refund),
    }


def _counts(row: dict[str, Any], paid_orders: int, quality_orders: int) -> Counts:
    return Counts(
        paid_orders=paid_orders,
        closed=row.get("closed") or 0,
        disputes=row.get("disputes") or 0,
        self_closed=row.get("self_closed") or 0,
        refund_only_hours=hours(_timedelta(row.get("refund_only_time"))),
        refund_only_closed=row.get("refund_only_closed") or 0,
        return_refund_hours=hours(_timedelta(row.get("return_refund_time"))),
        return_refund_closed=row.get("return_refund_closed") or 0,
        stages={
            stage: hours(_timedelta(row.get(stage)))
            for stage in ("agree", "buyer_ship", "in_transit", "inspect_and_refund")
        },
        quality_orders=quality_orders,
    )


def _timedelta(value: Any) -> dt.timedelta | None:
    # PostgreSQL returns an interval; SQLite (Django's duration as microseconds) may return a number.
    if value is None or isinstance(value, dt.timedelta):
        return value
    return dt.timedelta(microseconds=float(value))


def _week_bucket(field: str, window: Window, weeks: int) -> Case:
    """0 for the 7 days ending at the window's end, 1 for the 7 before, …; NULL outside the trend."""
    whens = []
    for k in range(weeks):
        end = window.end - dt.timedelta(days=7 * k)
        week = Window.ending(end, 7)
        whens.append(When(_between(field, week), then=Value(k)))
    return Case(*whens, default=None, output_field=IntegerField())


def _orders_by_day(shop_id: int, first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """Paid orders per day: the shop's row, else the sum of its listings' rows (one grouped query)."""
    rows = (
        PaidOrders.objects.filter(shop_id=shop_id, date__gte=first, date__lte=last)
        .values("date")
        .annotate(
            shop_rows=Count("pk", filter=Q(listing_id="")),
            shop_orders=Sum("orders", filter=Q(listing_id="")),
            listed_orders=Sum("orders", filter=~Q(listing_id="")),
        )
    )
    return {row["date"]: (row["shop_orders"] or 0) if row["shop_rows"] else (row["listed_orders"] or 0) for row in rows}


def after_sales_facts(
    *,
    shop_id: int,
    as_of: dt.date,
    rules: RulePack,
    run_id: int | None = None,
    with_listings: bool = True,
) -> AfterSalesFacts:
    """Everything the check and the report need from the shop's records, in a fixed number of queries."""
    window = window_for(as_of=as_of, rules=rules)
    quality = list(rules.texts("after_sales.quality_reasons"))
    weeks = max(rules.integer("after_sales.trend_weeks"), 0)
    if not has_records(shop_id=shop_id):
        return AfterSalesFacts(as_of=as_of, window=window, has_records=False, counts=Counts())
    trend_first = window.end - dt.timedelta(days=7 * max(weeks, 1) - 1)
    orders_by_day = _orders_by_day(shop_id, min(trend_first, window.start), window.end)
    paid = sum(n for day, n in orders_by_day.items() if window.start <= day <= window.end)

    records = _records(shop_id)
    row = records.filter(_between("closed_at", window)).aggregate(**_closed_aggregates())
    firsts = _first_requests(shop_id).filter(reason__in=quality)
    quality_orders = firsts.filter(_between("requested_at", window)).count()
    counts = _counts(row, paid, quality_orders)

    requested = records.filter(_between("requested_at", window))
    by_type: dict[str, int] = defaultdict(int)
    for kind, shipped, n in requested.values_list("kind", "shipped").annotate(n=Count("pk")).order_by():
        by_type[request_type(kind, shipped)] += n
    open_requests = records.filter(closed_at__isnull=True).count()

    trend = _trend(shop_id, window, weeks, quality, orders_by_day) if weeks else []
    listings = _listing_quality(shop_id, window, quality) if with_listings else []
    findings = _page_findings(shop_id, run_id, window, rules) if with_listings and run_id else {}
    return AfterSalesFacts(
        as_of=as_of,
        window=window,
        has_records=True,
        counts=counts,
        listings=listings,
        trend=trend,
        requests_by_type=dict(by_type),
        open_requests=open_requests,
        page_findings=findings,
    )


def _trend(
    shop_id: int, window: Window, weeks: int, quality: list[str], orders_by_day: dict[dt.date, int]
) -> list[WeekPoint]:
    closed_rows = {
        r["bucket"]: r
        for r in _records(shop_id)
        .annotate(bucket=_week_bucket("closed_at", window, weeks))
        .filter(bucket__isnull=False)
        .values("bucket")
        .annotate(**_closed_aggregates())
        .order_by()
    }
    quality_rows = dict(
        _first_requests(shop_id)
        .filter(reason__in=quality)
        .annotate(bucket=_week_bucket("requested_at", window, weeks))
        .filter(bucket__isnull=False)
        .values("bucket")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("bucket", "n")
    )
    points = []
    for k in reversed(range(weeks)):
        week = Window.ending(window.end - dt.timedelta(days=7 * k), 7)
        paid = sum(n for day, n in orders_by_day.items() if week.start <= day <= week.end)
        counts = _counts(closed_rows.get(k, {}), paid, quality_rows.get(k, 0))
        points.append(WeekPoint(start=week.start, metrics=counts.metrics()))
    return points


def _listing_quality(shop_id: int, window: Window, quality: list[str]) -> list[ListingQuality]:
    """Per listing: quality first requests in the window, paid orders (when given per listing), reasons."""
    firsts = (
        _first_requests(shop_id)
        .filter(reason__in=quality)
        .filter(_between("requested_at", window))
        .values("listing_id")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by()
    )
    quality_by_listing = {r["listing_id"]: (r["n"], r["amount"] or Decimal(0)) for r in firsts}
    orders = dict(
        PaidOrders.objects.filter(shop_id=shop_id, date__gte=window.start, date__lte=window.end)
        .exclude(listing_id="")
        .values("listing_id")
        .annotate(n=Sum("orders"))
        .order_by()
        .values_list("listing_id", "n")
    )
    reasons: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for listing_id, reason, n in (
        _records(shop_id)
        .filter(_between("requested_at", window))
        .values_list("listing_id", "reason")
        .annotate(n=Count("pk"))
        .order_by("listing_id", "-n", "reason")
    ):
        reasons[listing_id].append((reason, n))
    ids = sorted(set(quality_by_listing) | set(orders) | set(reasons))
    return [
        ListingQuality(
            listing_id=listing_id,
            quality_orders=quality_by_listing.get(listing_id, (0, Decimal(0)))[0],
            paid_orders=orders.get(listing_id),
            reasons=tuple(reasons.get(listing_id, ())),
            quality_amount=quality_by_listing.get(listing_id, (0, Decimal(0)))[1],
        )
        for listing_id in ids
    ]


def _page_findings(shop_id: int, run_id: int, window: Window, rules: RulePack) -> dict[str, list[PageFinding]]:
    """Wording and spec findings of the run on listings that had 描述不符 requests in the window."""
    from readiness.models import Finding

    described = (
        _records(shop_id)
        .filter(_between("requested_at", window), reason__in=list(rules.texts("after_sales.description_reasons")))
        .values("listing_id")
    )
    out: dict[str, list[PageFinding]] = defaultdict(list)
    for listing_id, rule, category, field, text, message, related in (
        Finding.objects.filter(run_id=run_id, check_name__in=PAGE_CHECKS, listing__listing_id__in=described)
        .order_by("listing__listing_id", "severity", "field", "start")
        .values_list("listing__listing_id", "rule", "category", "field", "text", "message", "related")
    ):
        related = related if isinstance(related, dict) else {}
        out[listing_id].append(
            PageFinding(
                rule=rule,
                category=category,
                field=field,
                text=text,
                message=message,
                related_text=str(related.get("text", "")),
                related_field=str(related.get("field", "")),
            )
        )
    return dict(out)


def record_count(*, shop_id: int) -> int:
    return _records(shop_id).count()


def listings_by_id(*, shop_id: int, listing_ids: Iterable[str]) -> dict[str, tuple[str, int]]:
    """Listing id → (title, forecast units of its active SKUs) for the listings named (one query)."""
    from readiness.models import Listing

    ids: Sequence[str] = list(listing_ids)
    if not ids:
        return {}
    rows = (
        Listing.objects.filter(shop_id=shop_id, listing_id__in=ids)
        .annotate(forecast=Sum("skus__forecast_units", filter=Q(skus__archived_at__isnull=True)))
        .values_list("listing_id", "title", "forecast")
    )
    return {listing_id: (title, forecast or 0) for listing_id, title, forecast in rows}
