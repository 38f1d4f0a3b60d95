"""Rebates: review cash-back is prohibited; prize promotions must go through the platform.

- ``review_cashback`` is an error whatever its wording or activity id (《网络反不正当竞争暂行规定》第九条(五)).
- Any other kind whose text pairs a review word with a reward word (晒图评价送3元红包) is review cash-back in
  disguise: also an error.
- ``free_order`` and ``ranking_cashback`` are prize promotions: without an official activity id they run
  outside the platform's tools (error); their prize, conditions and draw time must be disclosed in the
  rebate text or the description (warning when something is missing).
Coupons and full reductions need nothing. Patterns and prize kinds are rule-pack data.
"""

from __future__ import annotations

import re
from typing import Any

from readiness.checks.exposure import fine_range
from readiness.checks.phases import page_deadline
from readiness.checks.results import OPERATIONS, CheckContext, CheckResult, Issue, TextList, msg
from readiness.imports.bundle import ListingData, RebateData

NAME = "rebates"
DISCLOSURE_NAMES = {"prize": msg("奖品/返利内容"), "condition": msg("参与条件"), "time": msg("开奖/兑现时间")}
# Every rebate kind by its Chinese name (the models' RebateKind labels): a message never shows the code.
KIND_NAMES = {
    "free_order": msg("免单"),
    "ranking_cashback": msg("排名返现"),
    "review_cashback": msg("好评返现"),
    "coupon": msg("优惠券"),
    "full_reduction": msg("满减"),
    "other": msg("其他"),
}


def looks_like_review_reward(text: str, review_pattern: str, reward_pattern: str) -> bool:
    """True when a rebate text offers something in return for a review (both words present)."""
    return bool(re.search(review_pattern, text)) and bool(re.search(reward_pattern, text))


def check(ctx: CheckContext) -> CheckResult:
    """Every rebate of every listing."""
    issues: list[Issue] = []
    examined = 0
    for listing in ctx.listings:
        for index, rebate in enumerate(listing.rebates):
            examined += 1
            issues.extend(_rebate_issues(ctx, listing, index, rebate))
    return CheckResult(
        check=NAME,
        issues=tuple(issues),
        examined=examined,
        listing_ids=tuple(listing.id for listing in ctx.listings if listing.rebates),
    )


def _rebate_issues(ctx: CheckContext, listing: ListingData, index: int, rebate: RebateData) -> list[Issue]:
    rules = ctx.rules
    common: dict[str, Any] = {
        "check": NAME,
        "owner": OPERATIONS,
        "deadline": page_deadline(ctx.promotion),
        "listing_id": listing.id,
        "field": f"rebates[{index}]",
        "text": rebate.text,
    }
    evidence: dict[str, Any] = {
        "kind": rebate.kind,
        "text": rebate.text,
        "official_activity_id": rebate.official_activity_id,
    }
    disguised = rebate.kind != "review_cashback" and looks_like_review_reward(
        rebate.text, rules.text("rebates.review_pattern"), rules.text("rebates.reward_pattern")
    )
    if rebate.kind == "review_cashback" or disguised:
        basis = rules.legal("review_inducement")
        fine_min, fine_max = fine_range(rules, "review_inducement")
        what = (
            msg("以好评换取返现")
            if not disguised
            else msg("以评价换取利益（登记类型为%(kind)s）", kind=KIND_NAMES.get(rebate.kind, rebate.kind))
        )
        return [
            Issue(
                rule="rebates.review_cashback" if not disguised else "rebates.review_cashback_disguised",
                severity="error",
                message=msg(
                    "活动“%(text)s”%(what)s，属于禁止的利益诱导评价。",
                    text=rebate.text or KIND_NAMES["review_cashback"],
                    what=what,
                ),
                remediation=msg(
                    "立即下线该活动，删除页面和客服话术中的相关内容；已承诺的返现通过客服妥善处理，不再以评价为条件。"
                ),
                evidence=evidence | {"penalty": basis.penalty if basis else ""},
                exposure_min=fine_min,
                exposure_max=fine_max,
                citation=basis.citation if basis else "",
                category="review_inducement",
                **common,
            )
        ]
    if rebate.kind not in rules.texts("rebates.prize_kinds"):
        return []
    issues = []
    basis = rules.legal("prize_promotion")
    fine_min, fine_max = fine_range(rules, "prize_promotion")
    kind_name = KIND_NAMES.get(rebate.kind, rebate.kind)
    if not rebate.official_activity_id:
        issues.append(
            Issue(
                rule="rebates.prize_without_official_activity",
                severity="error",
                message=msg(
                    "%(kind_name)s活动“%(text)s”没有平台官方活动ID，属于未通过平台工具开展的有奖销售。",
                    kind_name=kind_name,
                    text=rebate.text,
                ),
                remediation=msg("改用平台官方营销工具（如官方免单/抽奖活动）开展，并登记官方活动ID；否则下线该活动。"),
                evidence=evidence,
                exposure_min=fine_min,
                exposure_max=fine_max,
                citation=basis.citation if basis else "",
                category="prize_promotion",
                **common,
            )
        )
    text = f"{rebate.text}\n{listing.description}"
    missing = [
        name
        for name, key in (("prize", "prize_pattern"), ("condition", "condition_pattern"), ("time", "time_pattern"))
        if not re.search(rules.text(f"rebates.{key}"), text)
    ]
    if missing:
        names = TextList(DISCLOSURE_NAMES[m] for m in missing)
        issues.append(
            Issue(
                rule="rebates.prize_rules_undisclosed",
                severity="warning",
                message=msg(
                    "%(kind_name)s活动“%(text)s”未公示：%(names)s。", kind_name=kind_name, text=rebate.text, names=names
                ),
                remediation=msg("在活动页写明奖品内容、参与条件（名次如何计算）、开奖和兑现时间及公布方式。"),
                evidence=evidence | {"missing": missing},
                exposure_min=fine_min,
                exposure_max=fine_max,
                citation=basis.citation if basis else "",
                category="prize_promotion",
                **common,
            )
        )
    return issues
