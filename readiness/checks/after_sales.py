"""After-sale readiness (seeds 001, 002; issue 18): auto tools, staffing per role and day, the platform's
metrics, problem listings, and parcels that cannot be intercepted.

- **Auto tools**: during the promotion only refunds of unshipped orders and 7-day no-reason returns should be
  approved automatically — either off is a backlog (warning), auto-approving refunds of shipped orders is a risk
  (money back for goods on their way; warning).
- **Staffing**: the wave after the sale is forecast (``readiness.aftersales.forecast``) from the promotion's
  expected orders and the shop's own request rates (the pack's defaults without records), and the agents needed
  per role and day are compared with the plan (``service.roles``, or the head count ``cs_agents``).
- **Rates**: from the shop's records when it has any (they replace the bundle's typed-in ``service`` rates),
  else the typed-in rates; against the pack's thresholds. A missing rate is not judged.
- **Problem listings** (records only): a quality refund rate far above the rest of the shop's (binomial test,
  ``readiness.aftersales.problems``), linked to the page's wording and spec findings when 描述不符 is a reason.
- **Interception**: couriers that cannot intercept parcels during the peak need a fast-refund plan.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import groupby
from typing import Any

from readiness.aftersales.forecast import ALL_ROLES, Forecast, forecast_wave, shortfalls
from readiness.aftersales.metrics import METRIC_LABELS, STAGE_LABELS, AfterSalesFacts
from readiness.aftersales.problems import ProblemListing, finding_summary, problem_listings
from readiness.checks.exposure import cents, money_text
from readiness.checks.phases import after_sale_deadline, local_date, page_deadline, sale_deadline
from readiness.checks.results import (
    CUSTOMER_SERVICE,
    LISTING_EDITOR,
    OPERATIONS,
    CheckContext,
    CheckResult,
    Issue,
    TextList,
    msg,
)

NAME = "after_sales"


def wave_forecast(ctx: CheckContext) -> Forecast:
    """The after-sale wave of the context's promotion (the shop's own rates when its records suffice)."""
    facts = ctx.after_sales
    rates = facts.own_rates(ctx.rules.integer("after_sales.min_requests_for_rates")) if facts else None
    service = ctx.service
    return forecast_wave(
        expected_orders=ctx.promotion.expected_orders,
        start=local_date(ctx.promotion.sale_end) + dt.timedelta(days=1),
        rules=ctx.rules,
        rates=rates,
        auto_refund_unshipped=bool(service and service.auto_refund_unshipped),
        auto_accept_returns=bool(service and service.auto_accept_returns),
    )


def check(ctx: CheckContext) -> CheckResult:
    """The promotion's service plan, against the shop's own after-sale records where it has them."""
    issues: list[Issue] = []
    notes: list[str] = []
    facts = ctx.after_sales
    if ctx.service is None:
        issues.append(
            _issue(
                "after_sales.no_plan",
                "warning",
                msg("没有售后准备计划（自动退款、退货设置、客服排班）。"),
                msg("开售前开启未发货自动退款和7天无理由退货自动同意，并按预计订单量安排客服。"),
                {},
                sale_deadline(ctx.promotion),
            )
        )
    else:
        issues += _auto_tools(ctx)
        issues += _staffing(ctx, wave_forecast(ctx))
    issues += _rates(ctx, facts, notes)
    if facts is not None and facts.has_records:
        issues += [_problem_issue(ctx, problem) for problem in problem_listings(facts, ctx.rules)]
    issues += _interception(ctx)
    if ctx.service is None:
        notes.append("no service plan")
    examined = 1 if ctx.service is not None or (facts is not None and facts.has_records) else 0
    return CheckResult(check=NAME, issues=tuple(issues), examined=examined, notes=tuple(notes))


def _issue(
    rule: str,
    severity: str,
    message: str,
    remediation: str,
    evidence: dict[str, Any],
    deadline: dt.datetime,
    *,
    field: str | None = None,
    owner: str = CUSTOMER_SERVICE,
    listing_id: str | None = None,
    exposure: tuple[Decimal | None, Decimal | None] = (None, None),
) -> Issue:
    return Issue(
        check=NAME,
        rule=rule,
        severity=severity,  # type: ignore[arg-type]
        message=message,
        remediation=remediation,
        owner=owner,
        evidence=evidence,
        deadline=deadline,
        field=field,
        listing_id=listing_id,
        exposure_min=exposure[0],
        exposure_max=exposure[1],
    )


# ---- automatic tools ---------------------------------------------------------------------------------------------


def _auto_tools(ctx: CheckContext) -> list[Issue]:
    service = ctx.service
    assert service is not None
    issues = []
    if not service.auto_refund_unshipped:
        issues.append(
            _issue(
                "after_sales.auto_refund_off",
                "warning",
                msg("未开启“未发货订单自动退款”：大促期间退款申请积压会拉高纠纷率和退款时长。"),
                msg("在售后设置中开启未发货订单的自动同意退款（可设金额上限）。"),
                {"auto_refund_unshipped": False},
                sale_deadline(ctx.promotion),
                field="service.auto_refund_unshipped",
            )
        )
    if not service.auto_accept_returns:
        issues.append(
            _issue(
                "after_sales.auto_accept_returns_off",
                "warning",
                msg("未开启“7天无理由退货自动同意”：大促后的退货高峰需要人工逐单处理。"),
                msg("在售后高峰（活动结束）前开启7天无理由退货的自动同意。"),
                {"auto_accept_returns": False},
                after_sale_deadline(ctx.promotion),
                field="service.auto_accept_returns",
            )
        )
    if service.auto_refund_shipped:
        issues.append(
            _issue(
                "after_sales.auto_refund_shipped_on",
                "warning",
                msg("开启了“已发货订单自动退款”：大促期间包裹无法拦截，自动退款会造成钱货两失。"),
                msg("大促期间只对未发货仅退款和7天无理由退货开启自动同意；已发货的仅退款由后台人工核实物流后处理。"),
                {"auto_refund_shipped": True},
                sale_deadline(ctx.promotion),
                field="service.auto_refund_shipped",
            )
        )
    return issues


# ---- staffing ----------------------------------------------------------------------------------------------------


def _staffing(ctx: CheckContext, forecast: Forecast) -> list[Issue]:
    service = ctx.service
    assert service is not None
    if forecast.peak_total == 0:
        return []
    deadline = after_sale_deadline(ctx.promotion)
    basis = {
        "expected_orders": forecast.expected_orders,
        "requests_total": forecast.requests_total,
        "rates_source": forecast.rates_source,
    }
    roles = dict(service.roles)
    if not roles and service.cs_agents == 0:
        return [
            _issue(
                "after_sales.no_agents",
                "error",
                msg("预计售后申请 %(requests_total)s 单，但没有安排售后客服。", requests_total=forecast.requests_total),
                msg(
                    "活动结束前按岗位安排客服，高峰日至少 %(peak_total)s 人（%(forecast)s）。",
                    peak_total=forecast.peak_total,
                    forecast=_peak_by_role(forecast),
                ),
                basis | {"agents_needed": forecast.peak_total, "cs_agents": 0},
                deadline,
                field="service.cs_agents",
            )
        ]
    issues = []
    short = shortfalls(forecast, roles=roles, cs_agents=service.cs_agents)
    for role, group in groupby(sorted(short, key=lambda s: (s.role, s.date)), key=lambda s: s.role):
        days = list(group)
        worst = max(days, key=lambda s: s.needed - s.planned)
        evidence = basis | {
            "role": role,
            "days": [{"date": s.date.isoformat(), "needed": s.needed, "planned": s.planned} for s in days],
            "agents_needed": worst.needed,
            "planned": worst.planned,
        }
        span = _span(days[0].date, days[-1].date, len(days))
        if role == ALL_ROLES:
            issues.append(
                _issue(
                    "after_sales.understaffed",
                    "warning",
                    msg(
                        "售后客服不足：%(span)s需要的客服多于计划的 %(cs_agents)s 人，高峰日 %(date)s 需要 %(needed)s 人（预计售后申请 %(requests_total)s 单）。",
                        span=span,
                        cs_agents=service.cs_agents,
                        date=format(worst.date, "%m-%d"),
                        needed=worst.needed,
                        requests_total=forecast.requests_total,
                    ),
                    msg(
                        "活动结束前把客服增加到至少 %(needed)s 人（含临时或外包客服），并按岗位分工：%(roles)s。",
                        needed=worst.needed,
                        roles=_peak_by_role(forecast),
                    ),
                    evidence,
                    deadline,
                    field="service.cs_agents",
                )
            )
        else:
            issues.append(
                _issue(
                    "after_sales.role_understaffed",
                    "warning",
                    msg(
                        "“%(role)s”岗位人手不足：%(span)s，最多需要 %(needed)s 人，计划 %(planned)s 人。",
                        role=msg(role),
                        span=span,
                        needed=worst.needed,
                        planned=worst.planned,
                    ),
                    msg(
                        "活动结束前为“%(role)s”岗位增加到至少 %(needed)s 人，或从其他岗位调配。",
                        role=msg(role),
                        needed=worst.needed,
                    ),
                    evidence,
                    deadline,
                    field=f"service.roles.{role}",
                )
            )
    return issues


def _span(first: dt.date, last: dt.date, count: int) -> str:
    if first == last:
        return msg("%(date)s ", date=f"{first:%m-%d}")
    return msg("%(first)s 至 %(last)s 中有 %(count)s 天", first=f"{first:%m-%d}", last=f"{last:%m-%d}", count=count)


def _peak_by_role(forecast: Forecast) -> str:
    return TextList(
        msg("%(role)s %(count)s 人", role=msg(role), count=n)
        for role in forecast.days[0].agents_needed
        if (n := forecast.peak(role))
    )


# ---- rates -------------------------------------------------------------------------------------------------------


def _rates(ctx: CheckContext, facts: AfterSalesFacts | None, notes: list[str]) -> list[Issue]:
    rules = ctx.rules
    deadline = sale_deadline(ctx.promotion)
    if facts is not None and facts.has_records:
        metrics = facts.metrics
        source = {"source": "records", "window": [facts.window.start.isoformat(), facts.window.end.isoformat()]}
        notes.append(f"rates from the shop's records ({facts.window.start} – {facts.window.end})")
        prefix = "records"
    else:
        service = ctx.service
        metrics = {
            "dispute_refund_rate": service.dispute_refund_rate if service else None,
            "self_completion_rate": service.refund_self_completion_rate if service else None,
        }
        source = {"source": "service"}
        prefix = "service"
    issues = []
    dispute, dispute_max = metrics.get("dispute_refund_rate"), rules.number("after_sales.dispute_refund_rate_max")
    if dispute is not None and dispute > dispute_max:
        issues.append(
            _issue(
                "after_sales.dispute_rate_high",
                "warning",
                msg(
                    "纠纷退款率 %(dispute)s 高于 %(dispute_max)s（近%(days)s天）。",
                    dispute=format(dispute, ".2%"),
                    dispute_max=format(dispute_max, ".2%"),
                    days=_days(facts),
                ),
                msg("复盘近30天的纠纷退款原因，开售前处理完积压的售后单，减少需要平台介入的退款。"),
                source | {"dispute_refund_rate": dispute, "max": dispute_max},
                deadline,
                field=f"{prefix}.dispute_refund_rate",
            )
        )
    completion = metrics.get("self_completion_rate")
    completion_min = rules.number("after_sales.self_completion_rate_min")
    if completion is not None and completion < completion_min:
        issues.append(
            _issue(
                "after_sales.self_completion_low",
                "warning",
                msg(
                    "退款自主完结率 %(completion)s 低于 %(completion_min)s。",
                    completion=format(completion, ".1%"),
                    completion_min=format(completion_min, ".0%"),
                ),
                msg("缩短退款处理时间，主动与买家协商，避免买家申请平台介入。"),
                source | {"refund_self_completion_rate": completion, "min": completion_min},
                deadline,
                field=f"{prefix}.refund_self_completion_rate"
                if prefix == "service"
                else "records.self_completion_rate",
            )
        )
    if prefix != "records" or facts is None:
        return issues
    refund_only = metrics["refund_only_completion_hours"]
    refund_only_max = rules.number("after_sales.refund_only_hours_max")
    if refund_only is not None and refund_only > refund_only_max:
        issues.append(
            _issue(
                "after_sales.refund_only_slow",
                "warning",
                msg(
                    "%(metric)s %(refund_only)s 小时，超过 %(refund_only_max)s 小时。",
                    metric=msg(METRIC_LABELS["refund_only_completion_hours"]),
                    refund_only=format(refund_only, ".1f"),
                    refund_only_max=format(refund_only_max, ".0f"),
                ),
                msg(
                    "开启未发货仅退款自动同意，建立未发货退款快速处理小组；差价、运费类仅退款引导买家从后台申请后秒退。"
                ),
                source | {"refund_only_completion_hours": refund_only, "max": refund_only_max},
                deadline,
                field="records.refund_only_completion_hours",
            )
        )
    return_refund = metrics["return_refund_completion_hours"]
    return_max = rules.number("after_sales.return_refund_hours_max")
    if return_refund is not None and return_refund > return_max:
        stages = {k: v for k, v in facts.counts.stages.items() if v is not None}
        controlled = TextList(
            msg("%(stage)s %(hours)s 小时", stage=msg(STAGE_LABELS[k]), hours=f"{v:.1f}")
            for k, v in stages.items()
            if k in ("agree", "inspect_and_refund")
        )
        slow = msg(
            "%(metric)s %(hours)s 小时，超过 %(limit)s 小时",
            metric=msg(METRIC_LABELS["return_refund_completion_hours"]),
            hours=f"{return_refund:.1f}",
            limit=f"{return_max:.0f}",
        )
        issues.append(
            _issue(
                "after_sales.return_refund_slow",
                "warning",
                msg("%(slow)s；商家可控环节：%(stages)s。", slow=slow, stages=controlled)
                if controlled
                else msg("%(slow)s。", slow=slow),
                msg("从商家可控的退款同意、商家验货、商家退款三个环节入手：及时同意退货申请，仓库收货当天验货退款。"),
                source | {"return_refund_completion_hours": return_refund, "max": return_max, "stages_hours": stages},
                deadline,
                field="records.return_refund_completion_hours",
            )
        )
    quality = metrics["quality_refund_rate"]
    quality_max = rules.number("after_sales.quality_refund_rate_max")
    if quality is not None and quality > quality_max:
        issues.append(
            _issue(
                "after_sales.quality_rate_high",
                "warning",
                msg(
                    "%(metric)s %(quality)s 高于 %(quality_max)s。",
                    metric=msg(METRIC_LABELS["quality_refund_rate"]),
                    quality=format(quality, ".2%"),
                    quality_max=format(quality_max, ".2%"),
                ),
                msg(
                    "先处理下方的问题商品（页面描述、质量）；通过退换货保障卡、客服话术提醒买家，避免计入商品体验的退款原因。"
                ),
                source | {"quality_refund_rate": quality, "max": quality_max},
                deadline,
                field="records.quality_refund_rate",
                owner=OPERATIONS,
            )
        )
    return issues


def _days(facts: AfterSalesFacts | None) -> int:
    return facts.window.days if facts is not None and facts.has_records else 30


# ---- problem listings --------------------------------------------------------------------------------------------


def _problem_issue(ctx: CheckContext, problem: ProblemListing) -> Issue:
    reasons = TextList(problem.top_reasons) if problem.top_reasons else "—"
    rate = {
        "rate": f"{problem.rate:.1%}",
        "quality_orders": problem.quality_orders,
        "paid_orders": problem.paid_orders,
        "reasons": reasons,
    }
    message = (
        msg(
            "商品体验退款率 %(rate)s（%(quality_orders)s/%(paid_orders)s 单），是店铺其他商品的 %(times)s 倍，主要原因：%(reasons)s。",
            times=f"{problem.rate / problem.baseline:.1f}",
            **rate,
        )
        if problem.baseline
        else msg("商品体验退款率 %(rate)s（%(quality_orders)s/%(paid_orders)s 单），主要原因：%(reasons)s。", **rate)
    )
    if problem.page_is_suspect and problem.page_findings:
        described = problem.description_share
        message = msg(
            "%(message)s描述不符退款占 %(share)s，%(finding)s。",
            message=message,
            share=f"{described:.0%}",
            finding=finding_summary(problem.page_findings[0]),
        )
        remediation = msg(
            "先修改页面：按下方的文案和参数问题改正标题、规格表与详情，使页面与实物一致；再复盘质量问题。"
        )
        owner = LISTING_EDITOR
        deadline = page_deadline(ctx.promotion)
    elif problem.page_is_suspect:
        message = msg(
            "%(message)s买家反映描述不符，但页面扫描没有发现参数或文案问题：请核对页面图片和实物。", message=message
        )
        remediation = msg("核对页面（含图片）与实物是否一致，必要时修改页面或联系供应商。")
        owner = LISTING_EDITOR
        deadline = page_deadline(ctx.promotion)
    else:
        remediation = msg("开售前抽检该商品的库存质量，联系供应商处理；降低退换货门槛，提供部分退款的协商方案。")
        owner = OPERATIONS
        deadline = sale_deadline(ctx.promotion)
    evidence = problem.to_dict() | {"quality_amount": money_text(problem.quality_amount)}
    return _issue(
        "after_sales.problem_listing",
        "warning",
        message,
        remediation,
        evidence,
        deadline,
        owner=owner,
        listing_id=problem.listing_id,
        field="records.quality_refund_rate",
        exposure=_problem_exposure(ctx, problem),
    )


def _problem_exposure(ctx: CheckContext, problem: ProblemListing) -> tuple[Decimal | None, Decimal | None]:
    """Refunds to expect in the promotion: its forecast units × the rate (the excess over the shop's at least)
    × the average quality refund of the listing. None without a forecast or refunds to average."""
    listing = next((item for item in ctx.listings if item.id == problem.listing_id), None)
    units = sum(sku.forecast_units for sku in listing.skus) if listing is not None else 0
    if not units or not problem.quality_orders or not problem.quality_amount:
        return None, None
    average = problem.quality_amount / problem.quality_orders
    excess = max(problem.rate - problem.shop_rate, 0.0)
    low = cents(Decimal(units) * Decimal(str(excess)) * average)
    high = cents(Decimal(units) * Decimal(str(problem.rate)) * average)
    return low, high


# ---- interception -------------------------------------------------------------------------------------------------


def _interception(ctx: CheckContext) -> list[Issue]:
    blind = [c for c in ctx.couriers if not c.supports_intercept and c.planned_share > 0]
    if not blind or (ctx.service is not None and ctx.service.fast_refund_plan):
        return []
    share = sum(c.planned_share for c in blind)
    names = TextList(c.name or c.code for c in blind)
    return [
        _issue(
            "after_sales.no_fast_refund_plan",
            "warning",
            msg(
                "%(names)s 大促期间无法拦截包裹（计划占比 %(share)s），但没有快速退款方案：买家申请退款后包裹仍会送达，易引发纠纷。",
                names=names,
                share=format(share, ".0%"),
            ),
            msg(
                "开售前制定无法拦截件的快速退款方案（如买家拒收后凭物流记录直接退款），并在客服与售后安排中确认“快速退款方案”。"
            ),
            {"couriers": [c.code for c in blind], "planned_share": round(share, 4)},
            sale_deadline(ctx.promotion),
            field="service.fast_refund_plan",
        )
    ]
