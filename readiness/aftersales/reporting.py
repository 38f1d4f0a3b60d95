"""The after-sales report (interfaces.md §4): a read, assembled from the metrics (SQL), the problem-listing test
and the wave forecast (pure), and the ``after_sales`` check's issues. Also its readable table.

Field names of interfaces.md are fixed (shop, as_of, window_days, paid_orders, metrics.*,
return_refund_stages_hours.*, listings[].listing_id/paid_orders/quality_refund_rate/top_reasons,
forecast.requests_total/days[].date/requests/agents_needed, issues); everything else is an addition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from readiness import selectors
from readiness.aftersales.forecast import shortfalls
from readiness.aftersales.metrics import METRIC_LABELS, METRICS, ROLES, STAGE_LABELS, STAGES
from readiness.aftersales.problems import problem_listings
from readiness.aftersales.selectors import after_sales_facts
from readiness.checks import CheckContext
from readiness.checks import after_sales as after_sales_check
from readiness.checks.phases import SHANGHAI
from readiness.models import Promotion
from readiness.report import WaiverInfo, _columns, issue_dict
from readiness.rulepacks import RulePack, load_rule_pack

# Metric → (rule-pack key, "max" or "min"): the thresholds the check judges them by.
THRESHOLDS = {
    "dispute_refund_rate": ("after_sales.dispute_refund_rate_max", "max"),
    "self_completion_rate": ("after_sales.self_completion_rate_min", "min"),
    "refund_only_completion_hours": ("after_sales.refund_only_hours_max", "max"),
    "return_refund_completion_hours": ("after_sales.return_refund_hours_max", "max"),
    "quality_refund_rate": ("after_sales.quality_refund_rate_max", "max"),
}


def today() -> dt.date:
    return dt.datetime.now(tz=SHANGHAI).date()


def shop_rules(promotion: Promotion) -> RulePack:
    return load_rule_pack(promotion.shop.platform, selectors.shop_overrides(shop=promotion.shop))


def thresholds(rules: RulePack) -> dict[str, dict[str, Any]]:
    return {
        metric: {"value": rules.number(key), "bound": kind, "key": key} for metric, (key, kind) in THRESHOLDS.items()
    }


def metric_status(metric: str, value: float | None, rules: RulePack) -> str:
    """``ok``, ``bad`` or ``unknown`` against the metric's threshold."""
    if value is None:
        return "unknown"
    key, kind = THRESHOLDS[metric]
    limit = rules.number(key)
    bad = value > limit if kind == "max" else value < limit
    return "bad" if bad else "ok"


def after_sales_report(*, promotion: Promotion, as_of: dt.date | None = None) -> dict[str, Any]:
    """The report of a shop's after-sales for one promotion, as of a date (default today, Asia/Shanghai)."""
    as_of = as_of or today()
    rules = shop_rules(promotion)
    run = selectors.latest_run(promotion=promotion)
    facts = after_sales_facts(shop_id=promotion.shop_id, as_of=as_of, rules=rules, run_id=run.pk if run else None)
    data = selectors.readiness_input(promotion=promotion, detail=False)
    ctx = CheckContext.from_bundle(data, rules=rules, after_sales=facts)
    result = after_sales_check.check(ctx)
    forecast = after_sales_check.wave_forecast(ctx)
    problems = problem_listings(facts, rules) if facts.has_records else []
    problem_ids = {p.listing_id for p in problems}
    service = data.service
    roles = dict(service.roles) if service else {}
    cs_agents = service.cs_agents if service else 0
    waivers = selectors.active_waivers(shop=promotion.shop)
    now = dt.datetime.now(tz=SHANGHAI)
    metrics = facts.metrics if facts.has_records else _typed_in(service)
    listings = sorted(
        (item for item in facts.listings if item.paid_orders is not None or item.quality_orders),
        key=lambda item: (-(item.rate or 0), -item.quality_orders, item.listing_id),
    )
    short = shortfalls(forecast, roles=roles, cs_agents=cs_agents) if service else []
    return {
        "shop": promotion.shop.code,
        "promotion": promotion.code,
        "as_of": as_of.isoformat(),
        "window_days": facts.window.days,
        "window": {"start": facts.window.start.isoformat(), "end": facts.window.end.isoformat()},
        "source": "records" if facts.has_records else "service",
        "paid_orders": facts.counts.paid_orders if facts.has_records else None,
        "metrics": metrics,
        "thresholds": thresholds(rules),
        "return_refund_stages_hours": {stage: facts.counts.stages.get(stage) for stage in STAGES},
        "counts": {
            "closed": facts.counts.closed,
            "disputes": facts.counts.disputes,
            "self_closed": facts.counts.self_closed,
            "quality_orders": facts.counts.quality_orders,
            "open_requests": facts.open_requests,
            "requests_in_window": facts.requests_in_window,
        },
        "trend": [{"week_start": p.start.isoformat(), "metrics": dict(p.metrics)} for p in facts.trend],
        "listings": [
            {
                "listing_id": item.listing_id,
                "paid_orders": item.paid_orders,
                "quality_refund_rate": item.rate,
                "top_reasons": item.top_reasons(),
                "quality_orders": item.quality_orders,
                "problem": item.listing_id in problem_ids,
            }
            for item in listings
        ],
        "problem_listings": [p.to_dict() for p in problems],
        "forecast": forecast.to_dict()
        | {
            "start": forecast.days[0].date.isoformat() if forecast.days else None,
            "planned": {"roles": roles, "cs_agents": cs_agents},
            "shortfalls": [
                {"date": s.date.isoformat(), "role": s.role, "needed": s.needed, "planned": s.planned} for s in short
            ],
        },
        "issues": [
            issue_dict(
                issue,
                _waiver(waivers.get(issue.fingerprint)),
                now,
            )
            for issue in result.issues
        ],
        "notes": list(result.notes),
    }


def _waiver(waiver: Any) -> WaiverInfo | None:
    if waiver is None:
        return None
    return WaiverInfo(
        by=waiver.created_by.get_username(), reason=waiver.reason, at=waiver.created_at, expires=waiver.expires_at
    )


def _typed_in(service: Any) -> dict[str, float | None]:
    values: dict[str, float | None] = dict.fromkeys(METRICS)
    if service is not None:
        values["dispute_refund_rate"] = service.dispute_refund_rate
        values["self_completion_rate"] = service.refund_self_completion_rate
    return values


# ---- table ---------------------------------------------------------------------------------------------------


def format_metric(metric: str, value: float | None, *, hours: str = "小时") -> str:
    """A metric's value as people read it: a rate in %, a time in hours (``hours``: the unit's label, which the
    web pages give in their language)."""
    if value is None:
        return "—"
    if metric.endswith("_hours"):
        return f"{value:.1f} {hours}"
    digits = 2 if metric in ("dispute_refund_rate", "quality_refund_rate") else 1
    return f"{value:.{digits}%}"


def render_table(report: Mapping[str, Any]) -> str:
    """The report as text for people: metrics against thresholds, stages, problem listings, the wave, issues."""
    lines = [
        f"{report['shop']} / {report['promotion']}  售后报告  截至 {report['as_of']}  "
        f"统计区间 {report['window']['start']} 至 {report['window']['end']}（{report['window_days']} 天）  "
        f"支付订单 {report['paid_orders'] if report['paid_orders'] is not None else '—'}  "
        f"数据来源：{'售后记录' if report['source'] == 'records' else '售后计划中填写的指标'}",
        "",
    ]
    rows = [["指标", "数值", "阈值", "状态"]]
    status_text = {"ok": "达标", "bad": "未达标", "unknown": "无数据"}
    for metric in METRICS:
        value = report["metrics"].get(metric)
        limit = report["thresholds"][metric]
        bound = ("≤ " if limit["bound"] == "max" else "≥ ") + format_metric(metric, limit["value"])
        kind_ok = value is None or (value <= limit["value"] if limit["bound"] == "max" else value >= limit["value"])
        state = "unknown" if value is None else ("ok" if kind_ok else "bad")
        rows.append([METRIC_LABELS[metric], format_metric(metric, value), bound, status_text[state]])
    lines += _columns(rows, right={1})
    stages = report["return_refund_stages_hours"]
    if any(v is not None for v in stages.values()):
        lines.append("")
        lines.append(
            "退货退款各环节：" + "，".join(f"{STAGE_LABELS[s]} {format_metric('x_hours', stages[s])}" for s in STAGES)
        )
    lines.append("")
    if report["problem_listings"]:
        rows = [["商品", "支付订单", "体验退款率", "店铺", "q 值", "主要原因"]]
        for p in report["problem_listings"]:
            rows.append(
                [
                    p["listing_id"],
                    str(p["paid_orders"]),
                    f"{p['quality_refund_rate']:.1%}",
                    f"{p['shop_rate']:.1%}",
                    f"{p['q_value']:.3g}",
                    "、".join(p["top_reasons"]),
                ]
            )
        lines.append("问题商品（商品体验退款率显著高于店铺）：")
        lines += _columns(rows, right={1, 2, 3, 4})
    else:
        lines.append("问题商品：无")
    lines.append("")
    forecast = report["forecast"]
    lines.append(
        f"售后高峰预测：共 {forecast['requests_total']} 单（退款率来源："
        f"{'店铺售后记录' if forecast['rates_source'] == 'records' else '规则包默认值'}）"
    )
    planned = forecast["planned"]["roles"]
    rows = [["日期", "申请数", *ROLES, "合计", "计划"]]
    for day in forecast["days"]:
        need = day["agents_needed"]
        plan = "/".join(str(planned.get(r, 0)) for r in ROLES) if planned else str(forecast["planned"]["cs_agents"])
        rows.append([day["date"], str(day["requests"]), *(str(need[r]) for r in ROLES), str(sum(need.values())), plan])
    lines += _columns(rows, right={1, 2, 3, 4, 5, 6})
    lines.append("")
    if report["issues"]:
        rows = [["级别", "负责人", "截止", "商品", "问题"]]
        for issue in report["issues"]:
            rows.append(
                [
                    issue["severity"] if issue["status"] == "open" else "waived",
                    issue["owner"],
                    (issue["deadline"] or "-")[:10],
                    issue["listing_id"] or "店铺",
                    issue["message"],
                ]
            )
        lines += _columns(rows, right=set())
    else:
        lines.append("售后检查没有发现问题。")
    return "\n".join(lines) + "\n"
