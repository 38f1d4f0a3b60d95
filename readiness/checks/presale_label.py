"""Presale labelling: a presale listing must say 预售, promise an explicit ship date the platform allows, and
have the stock by then.

Data rules (presale listings only):
- 预售 in the title or the presale label (``presale.label_pattern``; 非预售 does not count);
- an explicit ship promise on the page: a date or "付尾款后N天内发货" (``presale.ship_date_patterns``), and a
  date stated next to 发货 must be the ship_by date;
- ship_by within ``presale.max_delay_days`` of the first phase of ``presale.max_delay_from`` the promotion
  has (final payment by default; the platform limit is configurable and unverified: 15–45 days);
- stock on hand plus inbound arriving ``presale.handling_days`` before ship_by covers the SKU's forecast.

Vague promises (尽快发货, 陆续发货) and 现货 on a presale listing come from the scanner (category
``presale_label``; negations such as 非现货 are the scanner's business) and keep their highlight.

Exposure: the late-shipment compensation (30% of the price, capped at ¥500) × the orders that would ship late.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from readiness.checks.exposure import late_compensation, money_text
from readiness.checks.phases import iso, local_date, page_deadline
from readiness.checks.results import LISTING_EDITOR, OPERATIONS, CheckContext, CheckResult, Issue, msg
from readiness.checks.text_findings import text_issues
from readiness.imports.bundle import ListingData, PresaleData, PromotionData, SkuData
from readiness.rulepacks import RulePack

NAME = "presale_label"
_DAY_MARK = re.compile(r"[日号]")
PHASE_NAMES = {"presale_start": msg("预售开始"), "final_payment_start": msg("尾款开始"), "sale_start": msg("正式开售")}


def delay_reference(promotion: PromotionData, rules: RulePack) -> tuple[str, dt.date] | None:
    """(phase name, date) the maximum delay is counted from: the first configured phase the promotion has."""
    for phase in rules.texts("presale.max_delay_from"):
        when = getattr(promotion, phase, None)
        if isinstance(when, dt.datetime):
            return phase, local_date(when)
    return None


def units_by(sku: SkuData, ship_by: dt.date, handling_days: int) -> tuple[int, list[dict[str, Any]]]:
    """(units available to ship by ``ship_by``, inbound arriving too late for it)."""
    margin = dt.timedelta(days=handling_days)
    on_time = sum(i.units for i in sku.inbound if local_date(i.arrives) + margin <= ship_by)
    late = [
        {"units": i.units, "arrives": iso(i.arrives)}
        for i in sorted(sku.inbound, key=lambda i: i.arrives)
        if local_date(i.arrives) + margin > ship_by
    ]
    return sku.stock + on_time, late


def stated_dates(text: str, pattern: str, ship_by: dt.date) -> list[tuple[int, int, str, dt.date | None]]:
    """Dates stated next to 发货 in ``text``: (start, end, matched date text, date or None if impossible).
    Without a year, the year that puts the date nearest ship_by is assumed."""
    out = []
    for match in re.finditer(pattern, text):
        year_text, month_text, day_text = match.group(1), match.group(2), match.group(3)
        month, day = int(month_text), int(day_text)
        years = [int(year_text)] if year_text else [ship_by.year - 1, ship_by.year, ship_by.year + 1]
        candidates = []
        for year in years:
            try:
                candidates.append(dt.date(year, month, day))
            except ValueError:
                continue
        when = min(candidates, key=lambda d: abs((d - ship_by).days)) if candidates else None
        # The highlight covers the date itself (up to 日/号), not the words after it.
        mark = _DAY_MARK.search(text, match.end(3), match.end())
        end = mark.end() if mark else match.end(3)
        out.append((match.start(), end, text[match.start() : end], when))
    return out


_SCANNER_SHIP_TIME = "presale.ship_time_missing"


def check(ctx: CheckContext) -> CheckResult:
    """Data rules for every presale listing, plus the scanner's presale_label findings."""
    issues: list[Issue] = []
    examined: list[str] = []
    for listing in ctx.listings:
        presale = listing.presale
        if presale is None or not presale.enabled:
            continue
        examined.append(listing.id)
        issues.extend(_listing_issues(ctx, listing, presale))
    # The scanner's presale.ship_time_missing (payment schedule, no ship time) is for text without presale data; on a
    # listing marked presale the data rule presale.ship_date_not_stated above judges the same page.
    marked = set(examined)
    issues.extend(
        issue
        for issue in text_issues(ctx, NAME, owner=LISTING_EDITOR, deadline=page_deadline(ctx.promotion))
        if not (issue.rule == _SCANNER_SHIP_TIME and issue.listing_id in marked)
    )
    return CheckResult(check=NAME, issues=tuple(issues), examined=len(examined), listing_ids=tuple(examined))


def _listing_issues(ctx: CheckContext, listing: ListingData, presale: PresaleData) -> list[Issue]:
    rules = ctx.rules
    deadline = page_deadline(ctx.promotion)
    issues: list[Issue] = []
    label_pattern = rules.text("presale.label_pattern")
    if not re.search(label_pattern, listing.title) and not re.search(label_pattern, presale.label):
        issues.append(
            Issue(
                check=NAME,
                rule="presale.not_labelled",
                severity="error",
                message=msg("预售商品的标题和预售标签中都没有标明“预售”。"),
                remediation=msg("在标题或预售标签中加上“预售”字样（如“【预售】…”），让买家下单前知道需要等待发货。"),
                owner=LISTING_EDITOR,
                evidence={"title": listing.title, "label": presale.label},
                deadline=deadline,
                listing_id=listing.id,
                field="presale.label",
                category="presale_label",
            )
        )
    fields = {"title": listing.title, "presale.label": presale.label, "description": listing.description}
    if not any(re.search(p, value) for p in rules.texts("presale.ship_date_patterns") for value in fields.values()):
        issues.append(
            Issue(
                check=NAME,
                rule="presale.ship_date_not_stated",
                severity="error",
                message=msg("预售商品页面没有写明明确的发货时间（具体日期或“付尾款后N天内发货”）。"),
                remediation=msg("在预售标签和详情中写明发货时间，例如“11月4日前发货”或“付尾款后3天内发货”。"),
                owner=LISTING_EDITOR,
                evidence={"label": presale.label, "ship_by": iso(presale.ship_by)},
                deadline=deadline,
                listing_id=listing.id,
                field="presale.label",
                category="presale_label",
            )
        )
    if presale.ship_by is None:
        issues.append(
            Issue(
                check=NAME,
                rule="presale.ship_by_missing",
                severity="error",
                message=msg("预售商品没有设置最晚发货日期。"),
                remediation=msg("在商品的预售设置中填写最晚发货日期，并与页面上的承诺保持一致。"),
                owner=OPERATIONS,
                evidence={},
                deadline=deadline,
                listing_id=listing.id,
                field="presale.ship_by",
            )
        )
        return issues
    ship_by = presale.ship_by
    for field_name, value in fields.items():
        for start, end, text, when in stated_dates(value, rules.text("presale.stated_date_pattern"), ship_by):
            if when == ship_by:
                continue
            issues.append(
                Issue(
                    check=NAME,
                    rule="presale.ship_date_differs",
                    severity="warning",
                    message=msg(
                        "页面承诺的发货日期“%(text)s”与预售设置的最晚发货日 %(ship_by)s 不一致。",
                        text=text,
                        ship_by=ship_by.isoformat(),
                    ),
                    remediation=msg("统一页面承诺与预售设置中的发货日期；以能做到的较晚日期为准，避免延迟发货赔付。"),
                    owner=LISTING_EDITOR,
                    evidence={"stated": text, "stated_date": iso(when), "ship_by": ship_by.isoformat()},
                    deadline=deadline,
                    listing_id=listing.id,
                    field=field_name,
                    start=start,
                    end=end,
                    text=text,
                    category="presale_label",
                )
            )
    issues.extend(_delay_issues(ctx, listing, ship_by))
    issues.extend(_arrival_issues(ctx, listing, ship_by))
    return issues


def _delay_issues(ctx: CheckContext, listing: ListingData, ship_by: dt.date) -> list[Issue]:
    rules = ctx.rules
    reference = delay_reference(ctx.promotion, rules)
    if reference is None:
        return []
    phase, start = reference
    delay = (ship_by - start).days
    limit = rules.integer("presale.max_delay_days")
    if delay <= limit:
        return []
    orders = sum(sku.forecast_units for sku in listing.skus)
    exposure = sum((late_compensation(sku.price, rules) * sku.forecast_units for sku in listing.skus), Decimal(0))
    evidence: dict[str, Any] = {
        "ship_by": ship_by.isoformat(),
        "counted_from": phase,
        "counted_from_date": start.isoformat(),
        "delay_days": delay,
        "max_delay_days": limit,
        "limit_verified": rules.flag("presale.max_delay_verified"),
        "affected_orders": orders,
        "compensation_per_order": {sku.code: money_text(late_compensation(sku.price, rules)) for sku in listing.skus},
        "compensation_basis": rules.text("compensation.late_shipment_citation"),
    }
    return [
        Issue(
            check=NAME,
            rule="presale.ship_date_beyond_limit",
            severity="error",
            message=(
                msg(
                    "预售最晚发货日 %(ship_by)s 距%(phase)s（%(start)s）%(delay)s 天，超过平台允许的最长 %(limit)s 天。",
                    ship_by=ship_by.isoformat(),
                    phase=PHASE_NAMES.get(phase, phase),
                    start=start.isoformat(),
                    delay=delay,
                    limit=limit,
                )
            ),
            remediation=(
                msg(
                    "把发货日期提前到 %(latest)s 之前，或改为活动后单独上架，不参加本次预售。",
                    latest=(start + dt.timedelta(days=limit)).isoformat(),
                )
            ),
            owner=OPERATIONS,
            evidence=evidence,
            deadline=page_deadline(ctx.promotion),
            exposure_min=exposure if orders else None,
            exposure_max=exposure if orders else None,
            listing_id=listing.id,
            field="presale.ship_by",
            category="presale_label",
        )
    ]


def _arrival_issues(ctx: CheckContext, listing: ListingData, ship_by: dt.date) -> list[Issue]:
    rules = ctx.rules
    handling = rules.integer("presale.handling_days")
    issues = []
    for sku in listing.skus:
        available, late = units_by(sku, ship_by, handling)
        if sku.forecast_units == 0 or available >= sku.forecast_units:
            continue
        short = sku.forecast_units - available
        per_order = late_compensation(sku.price, rules)
        last_arrival = max((i.arrives for i in sku.inbound), default=None)
        when = (
            msg("，最后一批在途库存 %(arrives)s 才到货", arrives=local_date(last_arrival).isoformat())
            if last_arrival
            else ""
        )
        issues.append(
            Issue(
                check=NAME,
                rule="presale.ship_before_stock",
                severity="error",
                message=(
                    msg(
                        "SKU %(code)s 承诺 %(ship_by)s 前发货，但届时只有 %(available)s 件可发（预测 %(forecast_units)s 件）%(when)s，%(short)s 单将延迟发货。",
                        code=sku.code,
                        ship_by=ship_by.isoformat(),
                        available=available,
                        forecast_units=sku.forecast_units,
                        when=when,
                        short=short,
                    )
                ),
                remediation=(
                    msg(
                        "把承诺发货日推迟到库存到货之后（仍需在平台最长预售期内），或催促供应商提前到货；到货后至少预留 %(handling)s 天入库打包时间。",
                        handling=handling,
                    )
                ),
                owner=OPERATIONS,
                evidence={
                    "ship_by": ship_by.isoformat(),
                    "available_by_ship_by": available,
                    "on_hand": sku.stock,
                    "forecast_units": sku.forecast_units,
                    "inbound_too_late": late,
                    "handling_days": handling,
                    "late_orders": short,
                    "compensation_per_order": money_text(per_order),
                    "compensation_basis": rules.text("compensation.late_shipment_citation"),
                },
                deadline=page_deadline(ctx.promotion),
                exposure_min=per_order * short,
                exposure_max=per_order * short,
                listing_id=listing.id,
                sku=sku.code,
                field="presale.ship_by",
            )
        )
    return issues
