"""The readiness report (interfaces.md §3): pure assembly of check results, score and waivers into the JSON
dict the API and ``readiness_report --format json`` return, and a text table for ``--format table``.

Field names of interfaces.md are fixed (shop, promotion, score, grade, computed_at, checks[].check/status/
score/weight/issues, issues[].listing_id/sku/severity/message/remediation/evidence, listings[].listing_id/
score/status); everything else here is an addition. Money is a decimal string ("52800.00"), times ISO 8601.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from readiness.checks.exposure import money_text
from readiness.checks.results import SEVERITY_RANK, CheckResult, Issue
from readiness.rulepacks import RulePack
from readiness.scoring import Score


@dataclass(frozen=True, slots=True)
class WaiverInfo:
    """Who waived an issue, why, when, and until when (None: until lifted)."""

    by: str
    reason: str
    at: dt.datetime | None = None
    expires: dt.datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"by": self.by, "reason": self.reason, "at": _iso(self.at), "expires": _iso(self.expires)}


def build_report(
    results: Sequence[CheckResult],
    score: Score,
    *,
    shop: str,
    promotion: str,
    rules: RulePack,
    waivers: Mapping[str, WaiverInfo | Mapping[str, Any]] | None = None,
    computed_at: dt.datetime,
) -> dict[str, Any]:
    """The report dict for one shop and promotion.

    ``waivers`` maps issue fingerprints to who/why/when (a :class:`WaiverInfo` or a dict with by, reason, at,
    expires); it should be the same set that was given to :func:`readiness.scoring.score`.
    """
    waivers = waivers or {}
    by_check = {item.check: item for item in score.checks}
    checks = []
    owners: Counter[str] = Counter()
    for result in results:
        issues = sorted(result.issues, key=lambda i: (i.fingerprint in waivers, *i.sort_key()))
        rendered = [_issue_dict(issue, waivers.get(issue.fingerprint), computed_at) for issue in issues]
        for issue, data in zip(issues, rendered, strict=True):
            if data["status"] == "open" and issue.severity != "info":
                owners[issue.owner] += 1
        check_score = by_check.get(result.check)
        checks.append(
            {
                "check": result.check,
                "status": check_score.status if check_score else "pass",
                "score": check_score.score if check_score else 100,
                "weight": check_score.weight if check_score else 0,
                "examined": result.examined,
                "counts": _counts(check_score.tally) if check_score else None,
                "notes": list(result.notes),
                "issues": rendered,
            }
        )
    return {
        "shop": shop,
        "promotion": promotion,
        "score": score.score,
        "grade": score.grade,
        "computed_at": _iso(computed_at),
        "rule_pack": {"name": rules.name, "version": rules.version, "overrides": dict(rules.overrides)},
        "summary": _counts(score.tally) | {"open_by_owner": dict(sorted(owners.items()))},
        "checks": checks,
        "listings": [
            {
                "listing_id": item.listing_id,
                "score": item.score,
                "status": item.status,
                "errors": item.tally.errors,
                "warnings": item.tally.warnings,
            }
            for item in score.listings
        ],
    }


def issue_dict(
    issue: Issue, waiver: WaiverInfo | Mapping[str, Any] | None = None, now: dt.datetime | None = None
) -> dict[str, Any]:
    """One issue as report JSON (also for the API's issue lists)."""
    return _issue_dict(issue, waiver, now)


def _issue_dict(issue: Issue, waiver: WaiverInfo | Mapping[str, Any] | None, now: dt.datetime | None) -> dict[str, Any]:
    exposure = None
    if issue.exposure_min is not None or issue.exposure_max is not None:
        exposure = {"min": money_text(issue.exposure_min), "max": money_text(issue.exposure_max)}
    data: dict[str, Any] = {
        "check": issue.check,
        "rule": issue.rule,
        "fingerprint": issue.fingerprint,
        "listing_id": issue.listing_id,
        "sku": issue.sku,
        "severity": issue.severity,
        "message": issue.message,
        "remediation": issue.remediation,
        "evidence": _jsonable(issue.evidence),
        "owner": issue.owner,
        "deadline": _iso(issue.deadline),
        "overdue": bool(now is not None and issue.deadline is not None and issue.deadline < now),
        "exposure": exposure,
        "status": "waived" if waiver is not None else "open",
        "waiver": _waiver_dict(waiver),
        "category": issue.category or None,
        "citation": issue.citation or None,
    }
    if issue.field is not None:
        data["field"] = issue.field
    for name in ("start", "end", "text", "suggestion"):
        value = getattr(issue, name)
        if value is not None:
            data[name] = value
    if issue.related is not None:
        data["related"] = _jsonable(issue.related)
    return data


def _waiver_dict(waiver: WaiverInfo | Mapping[str, Any] | None) -> dict[str, Any] | None:
    if waiver is None:
        return None
    if isinstance(waiver, WaiverInfo):
        return waiver.to_dict()
    return {
        "by": waiver.get("by"),
        "reason": waiver.get("reason"),
        "at": _jsonable(waiver.get("at")),
        "expires": _jsonable(waiver.get("expires")),
    }


def _counts(tally: Any) -> dict[str, int]:
    return {"errors": tally.errors, "warnings": tally.warnings, "infos": tally.infos, "waived": tally.waived}


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _jsonable(value: Any) -> Any:
    """Evidence as JSON: Decimal → decimal string, dates → ISO text, tuples → lists."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


# ---- text table ----------------------------------------------------------------------------------------------

_STATUS_MARK = {"pass": "通过", "warn": "警告", "fail": "未通过", "waived": "已豁免"}


def _same(code: str) -> str:
    return code


@dataclass(frozen=True, slots=True)
class TableWords:
    """How codes read in the table: the names of checks, severities and owners (the models' labels, given by the
    caller: this module stays free of Django) and the time zone times are shown in."""

    check: Callable[[str], str] = _same
    severity: Callable[[str], str] = _same
    owner: Callable[[str], str] = _same
    zone: dt.tzinfo = dt.UTC


def _local(text: str | None, zone: dt.tzinfo) -> str:
    """An ISO 8601 time of the report as local minutes ("2026-11-07 20:00"); "-" when there is none."""
    if not text:
        return "-"
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if when.tzinfo is None:
        return when.strftime("%Y-%m-%d %H:%M")
    return when.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def render_table(report: Mapping[str, Any], *, limit: int | None = None, words: TableWords | None = None) -> str:
    """A readable summary of a report dict: score and grade, one line per check, then the issues worst
    first (open errors before warnings before infos; within a severity the largest exposure, then the
    earliest deadline), waived issues last with who waived them and why. ``limit`` caps the issue lines.
    ``words`` names the codes and gives the time zone (default: the codes as they are, UTC)."""
    words = words or TableWords()
    lines = []
    pack = report.get("rule_pack") or {}
    overrides = pack.get("overrides") or {}
    override_text = ", ".join(f"{k}={v}" for k, v in sorted(overrides.items())) or "无"
    lines.append(
        f"{report['shop']} / {report['promotion']}  得分 {report['score']}  等级 {report['grade']}  "
        f"规则包 {pack.get('name', '?')} {pack.get('version', '')}（店铺覆盖：{override_text}）  "
        f"计算时间 {_local(report.get('computed_at'), words.zone)}"
    )
    lines.append("")
    rows = [["检查项", "状态", "得分", "权重", "错误", "警告", "豁免"]]
    for item in report["checks"]:
        counts = item.get("counts") or _count_issues(item["issues"])
        rows.append(
            [
                words.check(item["check"]),
                _STATUS_MARK.get(item["status"], item["status"]),
                str(item["score"]),
                str(item["weight"]),
                str(counts["errors"]),
                str(counts["warnings"]),
                str(counts["waived"]),
            ]
        )
    lines.extend(_columns(rows, right={2, 3, 4, 5, 6}))

    issues = [issue for item in report["checks"] for issue in item["issues"]]
    issues.sort(key=_worst_first)
    if limit is not None:
        shown, hidden = issues[:limit], max(0, len(issues) - limit)
    else:
        shown, hidden = issues, 0
    lines.append("")
    if not shown:
        lines.append("没有发现问题。")
        return "\n".join(lines) + "\n"
    rows = [["级别", "检查项", "商品", "SKU", "负责人", "截止", "风险金额", "问题"]]
    for issue in shown:
        exposure = issue.get("exposure")
        money = "-"
        if exposure:
            low, high = exposure.get("min"), exposure.get("max")
            money = f"¥{_short_money(high)}" if low == high else f"¥{_short_money(low)}–{_short_money(high)}"
        message = issue["message"]
        if issue.get("status") == "waived" and issue.get("waiver"):
            waiver = issue["waiver"]
            message = f"[已豁免：{waiver.get('by')}，{waiver.get('reason')}] {message}"
        rows.append(
            [
                words.severity(issue["severity"]) if issue.get("status") != "waived" else _STATUS_MARK["waived"],
                words.check(issue["check"]),
                issue.get("listing_id") or "店铺",
                issue.get("sku") or "-",
                words.owner(issue["owner"]) if issue.get("owner") else "-",
                _local(issue.get("deadline"), words.zone),
                money,
                message,
            ]
        )
    lines.extend(_columns(rows, right={6}))
    if hidden:
        lines.append(f"……另有 {hidden} 个问题未显示")
    return "\n".join(lines) + "\n"


def _worst_first(issue: Mapping[str, Any]) -> tuple[Any, ...]:
    exposure = issue.get("exposure") or {}
    high = Decimal(exposure["max"]) if exposure.get("max") else Decimal(0)
    return (
        issue.get("status") == "waived",
        SEVERITY_RANK.get(issue["severity"], 9),
        -high,
        issue.get("deadline") or "9999",
        issue["check"],
        issue.get("listing_id") or "",
        issue.get("sku") or "",
    )


def _count_issues(issues: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    counts = {"errors": 0, "warnings": 0, "infos": 0, "waived": 0}
    for issue in issues:
        if issue.get("status") == "waived" and issue["severity"] != "info":
            counts["waived"] += 1
        else:
            counts[{"error": "errors", "warning": "warnings"}.get(issue["severity"], "infos")] += 1
    return counts


def _short_money(text: str | None) -> str:
    if text is None:
        return "?"
    amount = Decimal(text)
    if amount >= 10000:
        return f"{(amount / 10000).quantize(Decimal('0.01')).normalize():f}万"
    return f"{amount.quantize(Decimal('0.01')).normalize():f}"


def _width(text: str) -> int:
    """Display width: CJK and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _columns(rows: list[list[str]], *, right: set[int]) -> list[str]:
    """Align all columns but the last (a free-text message is never padded)."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    out = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row[:-1]):
            pad = " " * (widths[i] - _width(cell))
            cells.append(pad + cell if i in right else cell + pad)
        cells.append(row[-1])
        out.append("  ".join(cells).rstrip())
    return out
