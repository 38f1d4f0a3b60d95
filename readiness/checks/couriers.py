"""Courier mix: concentration, region coverage, peak-day capacity, interception.

- Concentration over planned shares s_i: top share > ``couriers.top_share_max`` (0.7) or
  HHI = Σ(100·s_i)² > ``couriers.hhi_max`` (5000) is a warning (a single point of failure).
- Every destination region with orders (share > 0) needs ``couriers.min_per_region`` (2) couriers: one is a
  warning, none an error (those orders cannot ship).
- Peak-day parcels = ceil(expected_orders × ``peak_day_share`` × ``parcels_per_order``); committed daily
  capacity (Σ daily_capacity) must be ≥ ``capacity_factor`` (1.2) × peak-day parcels, else an error. When
  the total is enough, a courier whose planned parcels (share × peak) exceed its own capacity is a warning.
- Couriers that cannot intercept parcels are noted (info; warning above ``no_intercept_warn_share``).
- Planned shares that do not add up to 1 (parcels without a courier, or promised twice) and destination shares
  that do not add up to 1 are reported here (a bundle with them imports: docs/checks.md, "Refused or reported").
Messages name couriers by their name (中通快递), never by their code; the evidence keeps the codes.
Exposure of a capacity shortfall: parcels beyond capacity on the peak day × late-shipment compensation at
the forecast-weighted average price, as a range from 0 (the backlog may clear within the ship window).
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

from readiness.checks.exposure import average_price, late_compensation, money_text
from readiness.checks.phases import courier_deadline
from readiness.checks.results import (
    CUSTOMER_SERVICE,
    LOGISTICS,
    OPERATIONS,
    CheckContext,
    CheckResult,
    Issue,
    TextList,
    msg,
)

NAME = "couriers"


def hhi(shares: list[float]) -> float:
    """Herfindahl–Hirschman index of shares given as fractions: Σ(100·s)², 0–10000."""
    # Shares arrive as binary floats; their shortest decimal text (repr) is what the shop typed, so exact
    # fractions of it keep the boundaries exact (0.7 → 70² = 4900, not 4899.999…).
    return float(sum((100 * Fraction(repr(s))) ** 2 for s in shares))


def peak_day_parcels(expected_orders: int, peak_day_share: float, parcels_per_order: float) -> int:
    """Parcels on the busiest shipping day, derived from the promotion's expected orders."""
    return math.ceil(expected_orders * Fraction(str(peak_day_share)) * Fraction(str(parcels_per_order)))


# Shares may miss 1 by rounding (three couriers at 0.33): within this they add up.
SHARE_TOLERANCE = Fraction(1, 100)


def _off_one(total: Fraction) -> bool:
    return total < 1 - SHARE_TOLERANCE or total > 1 + SHARE_TOLERANCE


def courier_name(courier: Any) -> str:
    """What people call a courier: its name (中通快递), its code only when the plan gives no name."""
    return str(courier.name or courier.code)


def check(ctx: CheckContext) -> CheckResult:
    """The shop's courier plan for the promotion."""
    rules = ctx.rules
    deadline = courier_deadline(ctx.promotion, rules)
    couriers = list(ctx.couriers)
    common: dict[str, Any] = {"check": NAME, "owner": LOGISTICS, "deadline": deadline}
    destinations = _destination_shares(ctx, deadline)
    if not couriers:
        issue = Issue(
            rule="couriers.none_planned",
            severity="error",
            message=msg("本次活动没有快递计划。"),
            remediation=msg("确定合作快递、各自的计划占比、日揽收能力和覆盖地区。"),
            evidence={"expected_orders": ctx.promotion.expected_orders},
            **common,
        )
        return CheckResult(check=NAME, issues=(issue, *destinations), examined=0, notes=("no couriers planned",))

    issues: list[Issue] = list(destinations)
    issues.extend(_share_sum(couriers, common))
    issues.extend(_concentration(ctx, couriers, common))
    issues.extend(_regions(ctx, couriers, common))
    issues.extend(_capacity(ctx, couriers, common))
    issues.extend(_interception(ctx, couriers))
    return CheckResult(check=NAME, issues=tuple(issues), examined=len(couriers))


def _concentration(ctx: CheckContext, couriers: list[Any], common: dict[str, Any]) -> list[Issue]:
    rules = ctx.rules
    shares = {c.code: c.planned_share for c in couriers}
    top = max(couriers, key=lambda c: c.planned_share)
    top_max = Fraction(str(rules.number("couriers.top_share_max")))
    index = hhi(list(shares.values()))
    hhi_max = rules.number("couriers.hhi_max")
    evidence = {"shares": shares, "top_share": top.planned_share, "hhi": index}
    issues = []
    if Fraction(str(top.planned_share)) > top_max:
        issues.append(
            Issue(
                rule="couriers.top_share",
                severity="warning",
                message=(
                    msg(
                        "%(top)s 计划承担 %(planned_share)s 的包裹，超过 %(top_max)s：单一快递爆仓或停运时大部分订单无法发出。",
                        top=courier_name(top),
                        planned_share=format(top.planned_share, ".0%"),
                        top_max=format(float(top_max), ".0%"),
                    )
                ),
                remediation=msg(
                    "把部分包裹分配给其他快递，使最大占比不超过 %(top_max)s。", top_max=format(float(top_max), ".0%")
                ),
                evidence=evidence | {"top_share_max": float(top_max), "courier": top.code},
                field=f"couriers[{top.code}]",
                **common,
            )
        )
    if index > hhi_max:
        issues.append(
            Issue(
                rule="couriers.hhi",
                severity="warning",
                message=msg(
                    "快递集中度 HHI = %(index)s，超过 %(hhi_max)s：包裹过于集中在少数快递。",
                    index=format(index, "g"),
                    hhi_max=format(hhi_max, "g"),
                ),
                remediation=msg("增加合作快递或平衡各家占比，降低集中度。"),
                evidence=evidence | {"hhi_max": hhi_max},
                field="couriers",
                **common,
            )
        )
    return issues


def _regions(ctx: CheckContext, couriers: list[Any], common: dict[str, Any]) -> list[Issue]:
    minimum = ctx.rules.integer("couriers.min_per_region")
    destinations = {region: share for region, share in ctx.promotion.destinations.items() if share > 0}
    serving = {region: [c.code for c in couriers if region in c.regions] for region in destinations}
    names = {c.code: courier_name(c) for c in couriers}
    covered = sum(share for region, share in destinations.items() if serving[region])
    redundant = sum(share for region, share in destinations.items() if len(serving[region]) >= minimum)
    summary = {"covered_share": round(covered, 4), "redundant_share": round(redundant, 4)}
    issues = []
    for region, share in sorted(destinations.items(), key=lambda item: -item[1]):
        codes = serving[region]
        if len(codes) >= minimum:
            continue
        uncovered = not codes
        issues.append(
            Issue(
                rule="couriers.region_uncovered" if uncovered else "couriers.region_few_couriers",
                severity="error" if uncovered else "warning",
                message=(
                    msg(
                        "收货地区 %(region)s（订单占比 %(share)s）没有任何快递覆盖。",
                        region=region,
                        share=f"{share:.0%}",
                    )
                    if uncovered
                    else msg(
                        "收货地区 %(region)s（订单占比 %(share)s）只有 %(count)s 家快递覆盖（%(couriers)s），至少需要 %(minimum)s 家。",
                        region=region,
                        share=f"{share:.0%}",
                        count=len(codes),
                        couriers=TextList(names[code] for code in codes),
                        minimum=minimum,
                    )
                ),
                remediation=msg(
                    "为 %(region)s 增加覆盖该地区的快递，至少 %(minimum)s 家，避免单一快递停发时无法送达。",
                    region=region,
                    minimum=minimum,
                ),
                evidence={"region": region, "share": share, "couriers": codes, "min_per_region": minimum} | summary,
                field=f"destinations.{region}",
                **common,
            )
        )
    return issues


def _capacity(ctx: CheckContext, couriers: list[Any], common: dict[str, Any]) -> list[Issue]:
    rules = ctx.rules
    orders = ctx.promotion.expected_orders
    if orders <= 0:
        return []
    peak = peak_day_parcels(orders, rules.number("couriers.peak_day_share"), rules.number("couriers.parcels_per_order"))
    factor = Fraction(str(rules.number("couriers.capacity_factor")))
    committed = sum(c.daily_capacity for c in couriers)
    required = math.ceil(factor * peak)
    per_courier = {
        c.code: {
            "planned": math.ceil(Fraction(str(c.planned_share)) * peak),
            "capacity": c.daily_capacity,
        }
        for c in couriers
    }
    overloaded = {code: v for code, v in per_courier.items() if v["planned"] > v["capacity"]}
    evidence: dict[str, Any] = {
        "expected_orders": orders,
        "peak_day_share": rules.number("couriers.peak_day_share"),
        "parcels_per_order": rules.number("couriers.parcels_per_order"),
        "peak_day_parcels": peak,
        "capacity_factor": float(factor),
        "required_capacity": required,
        "committed_capacity": committed,
        "ratio": round(committed / peak, 3) if peak else None,
        "per_courier": per_courier,
    }
    if committed < factor * peak:
        backlog = max(0, peak - committed)
        price = average_price(sku for listing in ctx.listings for sku in listing.skus)
        exposure = late_compensation(price, rules) * backlog if price is not None and backlog else None
        if exposure is not None:
            evidence |= {"peak_day_backlog": backlog, "average_price": money_text(price)}
        names = {c.code: courier_name(c) for c in couriers}
        over = TextList(
            (
                msg(
                    "%(courier)s 计划 %(planned)s/天，能力 %(capacity)s/天",
                    courier=names[code],
                    planned=v["planned"],
                    capacity=v["capacity"],
                )
                for code, v in overloaded.items()
            ),
            separator="；",
        )
        summary = msg(
            "快递承诺日揽收能力合计 %(committed)s，低于高峰日包裹量 %(peak)s 的 %(factor)s 倍（%(required)s）。",
            committed=committed,
            peak=peak,
            factor=f"{float(factor):g}",
            required=required,
        )
        return [
            Issue(
                rule="couriers.capacity_short",
                severity="error",
                message=msg("%(summary)s 超出能力的快递：%(over)s。", summary=summary, over=over) if over else summary,
                remediation=msg(
                    "与快递确认高峰日揽收能力，合计至少 %(required)s 单/天；或增加快递、提前分批发货。",
                    required=required,
                ),
                evidence=evidence,
                exposure_min=Decimal("0.00") if exposure is not None else None,
                exposure_max=exposure,
                field="couriers",
                **common,
            )
        ]
    names = {c.code: courier_name(c) for c in couriers}
    return [
        Issue(
            rule="couriers.courier_over_capacity",
            severity="warning",
            message=msg(
                "%(courier)s 高峰日计划 %(planned)s 个包裹，超过其日揽收能力 %(capacity)s。",
                courier=names[code],
                planned=v["planned"],
                capacity=v["capacity"],
            ),
            remediation=msg("调整%(courier)s的计划占比，或与其确认可提升的揽收能力。", courier=names[code]),
            evidence=evidence | {"courier": code},
            field=f"couriers[{code}]",
            **common,
        )
        for code, v in overloaded.items()
    ]


def _interception(ctx: CheckContext, couriers: list[Any]) -> list[Issue]:
    warn_share = Fraction(str(ctx.rules.number("couriers.no_intercept_warn_share")))
    issues = []
    for courier in couriers:
        if courier.supports_intercept or courier.planned_share <= 0:
            continue
        severe = Fraction(str(courier.planned_share)) > warn_share
        issues.append(
            Issue(
                check=NAME,
                rule="couriers.no_intercept",
                severity="warning" if severe else "info",
                message=(
                    msg(
                        "%(courier)s（计划占比 %(planned_share)s）不支持拦截包裹：买家发货后退款时无法截回。",
                        courier=courier_name(courier),
                        planned_share=format(courier.planned_share, ".0%"),
                    )
                ),
                remediation=msg("对该快递的包裹预设“发货后仅退款/极速退款”处理方案，并提醒买家签收时验货。"),
                owner=CUSTOMER_SERVICE,
                evidence={"courier": courier.code, "planned_share": courier.planned_share},
                deadline=courier_deadline(ctx.promotion, ctx.rules),
                field=f"couriers[{courier.code}]",
            )
        )
    return issues


def _share_sum(couriers: list[Any], common: dict[str, Any]) -> list[Issue]:
    total = sum((Fraction(repr(c.planned_share)) for c in couriers), Fraction(0))
    if not _off_one(total):
        return []
    shares = TextList(f"{courier_name(c)} {c.planned_share:.0%}" for c in couriers)
    short = total < 1
    return [
        Issue(
            rule="couriers.shares_not_one",
            # Below 1 some parcels have no courier; above 1 the plan promises parcels twice (capacity is overstated).
            severity="error" if short else "warning",
            message=(
                msg(
                    "各快递计划占比合计 %(total)s（%(shares)s），有部分包裹没有安排快递。",
                    total=f"{float(total):.0%}",
                    shares=shares,
                )
                if short
                else msg(
                    "各快递计划占比合计 %(total)s（%(shares)s），超过 100%%，计划的包裹量与实际不符。",
                    total=f"{float(total):.0%}",
                    shares=shares,
                )
            ),
            remediation=msg("调整各快递的计划占比，使合计为 100%%（按与快递确认的揽收量分配）。"),
            evidence={"total": round(float(total), 4), "shares": {c.code: c.planned_share for c in couriers}},
            field="couriers",
            **common,
        )
    ]


def _destination_shares(ctx: CheckContext, deadline: Any) -> list[Issue]:
    destinations = ctx.promotion.destinations
    if not destinations:
        return []
    total = sum((Fraction(repr(share)) for share in destinations.values()), Fraction(0))
    if not _off_one(total):
        return []
    return [
        Issue(
            check=NAME,
            rule="couriers.destinations_not_one",
            severity="warning",
            message=(
                msg(
                    "各收货地区订单占比合计 %(total)s，不是 100%%：地区覆盖的判断以这些占比为准，占比不全或重复时结论不可靠。",
                    total=format(float(total), ".0%"),
                )
            ),
            remediation=msg("按去年同期或近期订单的收货地区分布填写各地区占比，使合计为 100%%。"),
            owner=OPERATIONS,
            evidence={"total": round(float(total), 4), "destinations": dict(destinations)},
            deadline=deadline,
            field="destinations",
        )
    ]
