"""A realistic generated month of after-sale records for the demo shop (docs/demo.md), so the 售后 page is filled.

Deterministic for a given end date (seeded): about 60 days of paid orders per listing and ~3,000 requests with
plausible reasons, types, times, platform interventions and a few still open. Two listings are planted problems:
L139 (its page says 2斤 where the spec table says 500g: many 描述不符 refunds, linked to the spec finding) and L106
(a hand-made clay teapot that arrives broken: 质量问题/商品破损). Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from decimal import Decimal

from readiness.aftersales.metrics import SHANGHAI_DAY
from readiness.aftersales.records import OrderRow, Parsed, RecordRow

DAYS = 60
# Requests per paid order by type (kind, shipped).
# fmt: off
RATES = {
    ("refund_only", False): 0.030,
    ("refund_only", True): 0.012,
    ("return_refund", True): 0.035,
    ("exchange", True): 0.003,
    ("reship", True): 0.004,
}
REASONS = {
    ("refund_only", False): [("不想要了", 55), ("拍错/多拍", 25), ("未按约定时间发货", 8), ("其他", 12)],
    ("refund_only", True): [("未收到货", 35), ("少件/漏发", 20), ("商品破损", 15), ("质量问题", 10), ("其他", 20)],
    ("return_refund", True): [
        ("七天无理由退换货", 60),
        ("质量问题", 10),
        ("描述不符", 6),
        ("发错货", 6),
        ("商品破损", 8),
        ("不想要了", 10),
    ],
    ("exchange", True): [("发错货", 40), ("尺寸/规格不合适", 40), ("质量问题", 20)],
    ("reship", True): [("少件/漏发", 70), ("赠品未收到", 30)],
}
# fmt: on
# Planted problem listings: (extra quality requests per paid order, their reasons).
PROBLEMS = {
    "L139": (0.06, [("描述不符", 80), ("质量问题", 20)]),
    "L106": (0.05, [("质量问题", 70), ("商品破损", 30)]),
}
KIND_HOURS = {
    "refund_only": (1.0, 30.0),
    "return_refund": (60.0, 150.0),
    "exchange": (72.0, 160.0),
    "reship": (24.0, 80.0),
}


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([r for r, _w in weighted], weights=[w for _r, w in weighted])[0]


def demo_records(listings: Mapping[str, int], prices: Mapping[str, Decimal], *, end: dt.date, seed: int = 11) -> Parsed:
    """Records and paid orders for the ``DAYS`` days ending ``end``. ``listings`` maps listing id → a weight
    (its forecast units), ``prices`` listing id → a typical price."""
    rng = random.Random(f"{seed}-{end.isoformat()}")
    ids = sorted(listings)
    weights = [max(listings[i], 1) for i in ids]
    total_weight = sum(weights)
    parsed = Parsed()
    serial = 0
    cutoff = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI_DAY)
    for offset in range(DAYS):
        day = end - dt.timedelta(days=DAYS - 1 - offset)
        # ~600 orders a day, busier at weekends, a slow rise over the two months
        shop_orders = int(rng.gauss(560 + 2 * offset + (120 if day.weekday() >= 5 else 0), 40))
        per_listing = {
            i: max(0, round(shop_orders * w / total_weight * rng.uniform(0.7, 1.3)))
            for i, w in zip(ids, weights, strict=True)
        }
        parsed.orders.append(OrderRow(date=day, orders=sum(per_listing.values()), listing_id=""))
        for listing_id, orders in per_listing.items():
            parsed.orders.append(OrderRow(date=day, orders=orders, listing_id=listing_id))
            requests = []
            for (kind, shipped), rate in RATES.items():
                for _ in range(_poisson(rng, orders * rate)):
                    requests.append((kind, shipped, _pick(rng, REASONS[(kind, shipped)])))
            if listing_id in PROBLEMS:
                extra, reasons = PROBLEMS[listing_id]
                for _ in range(_poisson(rng, orders * extra)):
                    requests.append(("return_refund", True, _pick(rng, reasons)))
            for kind, shipped, reason in requests:
                serial += 1
                record = _record(rng, serial, listing_id, kind, shipped, reason, day, prices.get(listing_id), cutoff)
                if record is not None:
                    parsed.records.append(record)
    return parsed


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: the means here are small (a listing's requests of one type on one day)
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _record(
    rng: random.Random,
    serial: int,
    listing_id: str,
    kind: str,
    shipped: bool,
    reason: str,
    day: dt.date,
    price: Decimal | None,
    cutoff: dt.datetime,
) -> RecordRow | None:
    requested = dt.datetime.combine(day, dt.time(), tzinfo=SHANGHAI_DAY) + dt.timedelta(
        seconds=rng.randrange(8 * 3600, 24 * 3600)
    )
    low, high = KIND_HOURS[kind]
    total = dt.timedelta(hours=rng.uniform(low, high) * (0.3 if not shipped else 1.0))
    intervened = rng.random() < (0.06 if reason in ("质量问题", "描述不符", "商品破损") else 0.015)
    if intervened:
        total *= 1.8
    handled = requested + dt.timedelta(hours=rng.uniform(0.2, 0.15 * total.total_seconds() / 3600 + 0.5))
    closed: dt.datetime | None = requested + total
    buyer_shipped = received = None
    if kind == "return_refund":
        buyer_shipped = handled + (total - (handled - requested)) * rng.uniform(0.2, 0.35)
        received = buyer_shipped + (requested + total - buyer_shipped) * rng.uniform(0.5, 0.75)
        if received > cutoff:
            received = None
        if buyer_shipped > cutoff:
            buyer_shipped = None
    if handled > cutoff:
        handled = None  # type: ignore[assignment]
    status = "success" if rng.random() < 0.93 else "closed"
    if closed is not None and closed > cutoff:
        closed, status = None, "open"
    liability = ""
    if intervened and closed is not None:
        liability = "seller" if rng.random() < 0.45 else "buyer"
    amount = (price or Decimal("88.00")) * Decimal(str(rng.choice((1, 1, 1, 2))))
    if kind in ("exchange", "reship"):
        amount = Decimal("0.00")
    return RecordRow(
        refund_id=f"RF{day:%Y%m%d}{serial:06d}",
        order_id=f"OD{day:%Y%m%d}{serial:06d}",
        listing_id=listing_id,
        sku_code=f"{listing_id}-1",
        kind=kind,
        shipped=shipped,
        reason=reason,
        amount=amount.quantize(Decimal("0.01")),
        requested_at=requested,
        seller_handled_at=handled,
        buyer_shipped_at=buyer_shipped,
        seller_received_at=received,
        closed_at=closed,
        status=status,
        intervened=intervened,
        liability=liability if closed is not None else "",
    )
