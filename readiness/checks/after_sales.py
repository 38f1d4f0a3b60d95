"""After-sale readiness (seeds 001, 002): the auto-refund and staffing plan, and the shop's current rates.

Before the sale: auto-approve refunds for unshipped orders, auto-accept 7-day no-reason returns (before the
after-sale wave that starts when the sale ends), and staff the queues (expected orders per agent at most
``after_sales.max_orders_per_agent``). Current rates: dispute refund rate (seller-fault refunds / paid
orders, 30 days) at most ``dispute_refund_rate_max``; self-completion rate (refunds the seller closed without
the platform / closed refunds) at least ``self_completion_rate_min``. A missing rate is not judged.
"""

from __future__ import annotations

import math
from typing import Any

from readiness.checks.phases import after_sale_deadline, sale_deadline
from readiness.checks.results import CUSTOMER_SERVICE, CheckContext, CheckResult, Issue

NAME = "after_sales"


def check(ctx: CheckContext) -> CheckResult:
    """The promotion's service plan."""
    rules = ctx.rules
    promotion = ctx.promotion
    service = ctx.service
    common: dict[str, Any] = {"check": NAME, "owner": CUSTOMER_SERVICE}
    if service is None:
        issue = Issue(
            rule="after_sales.no_plan",
            severity="warning",
            message="没有售后准备计划（自动退款、退货设置、客服排班）。",
            remediation="开售前开启未发货自动退款和7天无理由退货自动同意，并按预计订单量安排客服。",
            evidence={},
            deadline=sale_deadline(promotion),
            **common,
        )
        return CheckResult(check=NAME, issues=(issue,), examined=0, notes=("no service plan",))
    issues = []
    if not service.auto_refund_unshipped:
        issues.append(
            Issue(
                rule="after_sales.auto_refund_off",
                severity="warning",
                message="未开启“未发货订单自动退款”：大促期间退款申请积压会拉高纠纷率和退款时长。",
                remediation="在售后设置中开启未发货订单的自动同意退款（可设金额上限）。",
                evidence={"auto_refund_unshipped": False},
                deadline=sale_deadline(promotion),
                field="service.auto_refund_unshipped",
                **common,
            )
        )
    if not service.auto_accept_returns:
        issues.append(
            Issue(
                rule="after_sales.auto_accept_returns_off",
                severity="warning",
                message="未开启“7天无理由退货自动同意”：大促后的退货高峰需要人工逐单处理。",
                remediation="在售后高峰（活动结束）前开启7天无理由退货的自动同意。",
                evidence={"auto_accept_returns": False},
                deadline=after_sale_deadline(promotion),
                field="service.auto_accept_returns",
                **common,
            )
        )
    orders = promotion.expected_orders
    per_agent_max = rules.integer("after_sales.max_orders_per_agent")
    if orders > 0:
        needed = math.ceil(orders / per_agent_max) if per_agent_max else 0
        staffing = {
            "expected_orders": orders,
            "cs_agents": service.cs_agents,
            "max_orders_per_agent": per_agent_max,
            "agents_needed": needed,
        }
        if service.cs_agents == 0:
            issues.append(
                Issue(
                    rule="after_sales.no_agents",
                    severity="error",
                    message=f"预计 {orders} 单，但没有安排售后客服。",
                    remediation=f"开售前安排至少 {needed} 名客服处理售后。",
                    evidence=staffing,
                    deadline=sale_deadline(promotion),
                    field="service.cs_agents",
                    **common,
                )
            )
        elif per_agent_max and orders / service.cs_agents > per_agent_max:
            per_agent = math.ceil(orders / service.cs_agents)
            issues.append(
                Issue(
                    rule="after_sales.understaffed",
                    severity="warning",
                    message=(
                        f"售后客服不足：预计 {orders} 单，{service.cs_agents} 名客服，每人约 {per_agent} 单，"
                        f"超过每人 {per_agent_max} 单。"
                    ),
                    remediation=f"开售前把客服增加到至少 {needed} 名（含临时或外包客服），并准备快捷回复。",
                    evidence=staffing | {"orders_per_agent": per_agent},
                    deadline=sale_deadline(promotion),
                    field="service.cs_agents",
                    **common,
                )
            )
    rate_max = rules.number("after_sales.dispute_refund_rate_max")
    if service.dispute_refund_rate is not None and service.dispute_refund_rate > rate_max:
        issues.append(
            Issue(
                rule="after_sales.dispute_rate_high",
                severity="warning",
                message=f"纠纷退款率 {service.dispute_refund_rate:.2%} 高于 {rate_max:.2%}（近30天）。",
                remediation="复盘近30天的纠纷退款原因，开售前处理完积压的售后单，减少需要平台介入的退款。",
                evidence={"dispute_refund_rate": service.dispute_refund_rate, "max": rate_max},
                deadline=sale_deadline(promotion),
                field="service.dispute_refund_rate",
                **common,
            )
        )
    rate_min = rules.number("after_sales.self_completion_rate_min")
    if service.refund_self_completion_rate is not None and service.refund_self_completion_rate < rate_min:
        issues.append(
            Issue(
                rule="after_sales.self_completion_low",
                severity="warning",
                message=f"退款自主完结率 {service.refund_self_completion_rate:.1%} 低于 {rate_min:.0%}。",
                remediation="缩短退款处理时间，主动与买家协商，避免买家申请平台介入。",
                evidence={"refund_self_completion_rate": service.refund_self_completion_rate, "min": rate_min},
                deadline=sale_deadline(promotion),
                field="service.refund_self_completion_rate",
                **common,
            )
        )
    return CheckResult(check=NAME, issues=tuple(issues), examined=1)
