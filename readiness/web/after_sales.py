"""The 售后 page of a shop and promotion: the platform's metrics against their thresholds with their weekly trend,
the problem listings (linked to their editor pages), and the after-sale wave per day and role against the plan.

Thin: access through ``access.scope`` like every page of a shop, the report from
``readiness.aftersales.reporting`` (the same dict as the API and ``after_sales_report``), charts from
``readiness.web.charts``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from readiness.aftersales.metrics import METRIC_LABELS, METRICS, ROLES, STAGE_LABELS, STAGES
from readiness.aftersales.reporting import after_sales_report, format_metric
from readiness.web import access, charts, formatting

STATUS_LABELS = {"ok": gettext_lazy("达标"), "bad": gettext_lazy("未达标"), "unknown": gettext_lazy("无数据")}


def _metric(metric: str, value: float | None) -> str:
    return format_metric(metric, value, hours=_("小时"))


@login_required
@require_GET
def after_sales_page(request: HttpRequest, shop: str, promotion: str) -> HttpResponse:
    scope = access.scope(request, shop, promotion)
    assert scope.promotion is not None
    as_of = _as_of(request.GET.get("as_of", ""))
    report = after_sales_report(promotion=scope.promotion, as_of=as_of)
    context = scope.context() | _context(report)
    return render(request, "readiness/after_sales.html", context)


def _as_of(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _context(report: dict[str, Any]) -> dict[str, Any]:
    weeks = [point["week_start"][5:] for point in report["trend"]]
    metrics = []
    for metric in METRICS:
        value = report["metrics"].get(metric)
        limit = report["thresholds"][metric]
        status = _status(value, limit)
        series = [point["metrics"].get(metric) for point in report["trend"]]
        hours = metric.endswith("_hours")
        metrics.append(
            {
                "key": metric,
                "label": _(METRIC_LABELS[metric]),
                "value": _metric(metric, value),
                "threshold": ("≤ " if limit["bound"] == "max" else "≥ ") + _metric(metric, limit["value"]),
                "status": status,
                "status_label": STATUS_LABELS[status],
                "chart": charts.series_chart(
                    series, weeks, threshold=limit["value"], fmt="{:.0f}h" if hours else "{:.1%}"
                )
                if any(v is not None for v in series)
                else None,
                "weeks": [{"week": week, "value": _metric(metric, v)} for week, v in zip(weeks, series, strict=True)],
            }
        )
    forecast = report["forecast"]
    days = forecast["days"]
    planned_roles = forecast["planned"]["roles"]
    plan = None
    if planned_roles:
        plan = [sum(planned_roles.get(role, 0) for role in ROLES)] * len(days)
    elif forecast["planned"]["cs_agents"] or days:
        plan = [forecast["planned"]["cs_agents"]] * len(days)
    short = {(s["date"], s["role"]) for s in forecast["shortfalls"]}
    wave = charts.stacked_bars(
        [day["date"][5:] for day in days],
        [(_(role), [day["agents_needed"][role] for day in days]) for role in ROLES],
        plan=plan,
    )
    rows = [
        {
            "date": day["date"],
            "requests": day["requests"],
            "roles": [
                {
                    "role": role,
                    "needed": day["agents_needed"][role],
                    "short": (day["date"], role) in short or (day["date"], "全部") in short,
                }
                for role in ROLES
            ],
            "total": sum(day["agents_needed"].values()),
            "short": any(key[0] == day["date"] for key in short),
        }
        for day in days
    ]
    stages = report["return_refund_stages_hours"]
    return {
        "report": report,
        "metrics": metrics,
        "stages": _("、").join(f"{_(STAGE_LABELS[s])} {_metric('x_hours', stages[s])}" for s in STAGES),
        "has_stages": any(v is not None for v in stages.values()),
        "problems": [
            p | {"rate_text": f"{p['quality_refund_rate']:.1%}", "shop_text": f"{p['shop_rate']:.1%}"}
            for p in report["problem_listings"]
        ],
        "listing_rows": report["listings"][:30],
        "wave": wave,
        "wave_rows": rows,
        "roles": [_(role) for role in ROLES],
        "planned_roles": [planned_roles.get(role, 0) for role in ROLES] if planned_roles else None,
        "issues": [
            issue
            | {
                "owner_label": formatting.owner_label(issue["owner"]),
                "severity_label": formatting.severity_label(issue["severity"]),
                "message": formatting.text_html(issue["message"]),
                "remediation": formatting.text_html(issue["remediation"]),
            }
            for issue in report["issues"]
        ],
    }


def _status(value: float | None, limit: dict[str, Any]) -> str:
    if value is None:
        return "unknown"
    bad = value > limit["value"] if limit["bound"] == "max" else value < limit["value"]
    return "bad" if bad else "ok"
