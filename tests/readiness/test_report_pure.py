"""The readiness report (interfaces.md §3) assembled from plain results: no database."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from readiness.checks import CHECKS, CheckResult, Issue
from readiness.report import WaiverInfo, build_report, issue_dict, render_table
from readiness.rulepacks import load_rule_pack
from readiness.scoring import score

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 10, 25, 9, 0, tzinfo=SH)

STOCK_ERROR = Issue(
    check="stock",
    rule="stock.coverage_low",
    severity="error",
    message="SKU L100-1 库存覆盖率 0.83",
    remediation="补货至少 260 件",
    owner="warehouse",
    evidence={"coverage": 0.83, "compensation_per_order": "17.97"},
    deadline=dt.datetime(2026, 11, 7, 20, tzinfo=SH),
    exposure_min=Decimal("1000.00"),
    exposure_max=Decimal("4672.20"),
    listing_id="L100",
    sku="L100-1",
)
TEXT_ERROR = Issue(
    check="listing_text",
    rule="extreme.superlative",
    severity="error",
    message="绝对化用语「最佳」",
    remediation="删除或替换",
    owner="listing_editor",
    evidence={"span": [4, 6]},
    deadline=dt.datetime(2026, 10, 20, 20, tzinfo=SH),
    exposure_min=Decimal("200000"),
    exposure_max=Decimal("1000000"),
    listing_id="L100",
    field="title",
    start=4,
    end=6,
    text="最佳",
    citation="广告法 第九条(三)",
    suggestion="优选",
    category="extreme_wording",
)
SPEC_WARNING = Issue(
    check="spec_consistency",
    rule="spec.mass_vs_volume",
    severity="warning",
    message="质量与体积无法比较",
    remediation="核对",
    owner="listing_editor",
    listing_id="L200",
    field="title",
    start=13,
    end=17,
    text="500g",
    related={"field": "specs.净含量", "text": "500ml×15瓶"},
)
COURIER_INFO = Issue(
    check="couriers",
    rule="couriers.no_intercept",
    severity="info",
    message="EMS 不支持拦截",
    remediation="预设极速退款",
    owner="customer_service",
    field="couriers[ems]",
)


def _results(*issues: Issue) -> list[CheckResult]:
    return [
        CheckResult(
            check=name,
            issues=tuple(i for i in issues if i.check == name),
            examined=1,
            listing_ids=("L100", "L200") if name == "stock" else (),
        )
        for name in CHECKS
    ]


def _report(waivers: dict[str, WaiverInfo] | None = None, overrides: dict[str, object] | None = None) -> dict:
    rules = load_rule_pack("tmall", overrides)
    results = _results(STOCK_ERROR, TEXT_ERROR, SPEC_WARNING, COURIER_INFO)
    result = score(results, set(waivers or {}), rules)
    return build_report(
        results, result, shop="acme-tmall", promotion="d11-2026", rules=rules, waivers=waivers, computed_at=NOW
    )


def test_top_level_fields_of_interfaces_md() -> None:
    report = _report()
    assert {"shop", "promotion", "score", "grade", "computed_at", "checks", "listings", "rule_pack"} <= set(report)
    assert (report["shop"], report["promotion"]) == ("acme-tmall", "d11-2026")
    assert isinstance(report["score"], int) and 0 <= report["score"] <= 100
    assert report["grade"] in {"A", "B", "C", "D", "F"}
    assert report["computed_at"] == "2026-10-25T09:00:00+08:00"
    assert [c["check"] for c in report["checks"]] == list(CHECKS)
    json.dumps(report, ensure_ascii=False)  # JSON-ready all the way down


def test_check_entries() -> None:
    checks = {c["check"]: c for c in _report()["checks"]}
    stock = checks["stock"]
    assert {"check", "status", "score", "weight", "issues"} <= set(stock)
    # Issue 17's score: one stock error of ¥4,672 at risk carries 20 × (1 + log10(1.467)) = 23.3 points, so the
    # check scores 100 × (1 − ½ · 23.3/123.3 − ½ · 1/6) = 82 (the earlier formula's 75 was a flat 25% per error).
    assert (stock["status"], stock["score"], stock["weight"]) == ("fail", 82, 20)
    assert checks["spec_consistency"]["status"] == "warn"
    assert checks["couriers"]["status"] == "pass"  # an info does not fail anything
    assert checks["price"]["issues"] == []


def test_issue_entries_carry_interface_fields_and_extras() -> None:
    issue = {c["check"]: c for c in _report()["checks"]}["stock"]["issues"][0]
    assert issue["listing_id"] == "L100"
    assert issue["sku"] == "L100-1"
    assert issue["severity"] == "error"
    assert issue["message"] == "SKU L100-1 库存覆盖率 0.83"
    assert issue["remediation"] == "补货至少 260 件"
    assert issue["evidence"] == {"coverage": 0.83, "compensation_per_order": "17.97"}
    assert issue["owner"] == "warehouse"
    assert issue["deadline"] == "2026-11-07T20:00:00+08:00"
    assert issue["overdue"] is False
    assert issue["exposure"] == {"min": "1000.00", "max": "4672.20"}
    assert (issue["status"], issue["waiver"]) == ("open", None)
    assert issue["rule"] == "stock.coverage_low"
    assert issue["fingerprint"] == STOCK_ERROR.fingerprint
    assert "start" not in issue and "field" not in issue


def test_text_issue_keeps_its_highlight() -> None:
    checks = {c["check"]: c for c in _report()["checks"]}
    text = checks["listing_text"]["issues"][0]
    assert (text["field"], text["start"], text["end"], text["text"]) == ("title", 4, 6, "最佳")
    assert (text["citation"], text["suggestion"], text["category"]) == ("广告法 第九条(三)", "优选", "extreme_wording")
    assert text["exposure"] == {"min": "200000.00", "max": "1000000.00"}
    assert text["overdue"] is True  # due at presale start (10-20), computed on 10-25
    spec = checks["spec_consistency"]["issues"][0]
    assert spec["related"] == {"field": "specs.净含量", "text": "500ml×15瓶"}
    assert spec["exposure"] is None


def test_overdue_against_computed_at() -> None:
    late = issue_dict(TEXT_ERROR, now=dt.datetime(2026, 10, 21, tzinfo=SH))
    assert late["overdue"] is True


def test_waived_issue_stays_with_who_why_when() -> None:
    waiver = WaiverInfo(
        by="wang.li", reason="库存已在途，11月3日到货", at=dt.datetime(2026, 10, 24, 15, 30, tzinfo=SH), expires=None
    )
    report = _report({STOCK_ERROR.fingerprint: waiver})
    stock = {c["check"]: c for c in report["checks"]}["stock"]
    assert stock["status"] == "waived"
    assert stock["score"] == 100
    issue = stock["issues"][0]
    assert issue["status"] == "waived"
    assert issue["waiver"] == {
        "by": "wang.li",
        "reason": "库存已在途，11月3日到货",
        "at": "2026-10-24T15:30:00+08:00",
        "expires": None,
    }
    assert report["summary"]["waived"] == 1
    assert report["score"] > _report()["score"]


def test_waiver_as_a_plain_mapping() -> None:
    at = dt.datetime(2026, 10, 24, tzinfo=SH)
    report = _report({TEXT_ERROR.fingerprint: {"by": "li", "reason": "品牌名", "at": at, "expires": None}})  # type: ignore[dict-item]
    issue = {c["check"]: c for c in report["checks"]}["listing_text"]["issues"][0]
    assert issue["waiver"] == {"by": "li", "reason": "品牌名", "at": "2026-10-24T00:00:00+08:00", "expires": None}


def test_rule_pack_and_overrides_are_reported() -> None:
    report = _report(overrides={"stock.fail_below": 0.85})
    assert report["rule_pack"]["name"] == "tmall"
    assert report["rule_pack"]["overrides"] == {"stock.fail_below": 0.85}
    assert report["rule_pack"]["version"]


def test_listings() -> None:
    listings = _report()["listings"]
    assert [(item["listing_id"], item["status"]) for item in listings] == [("L100", "fail"), ("L200", "warn")]
    assert all({"listing_id", "score", "status"} <= set(item) for item in listings)


def test_summary_counts_open_issues_by_owner() -> None:
    summary = _report()["summary"]
    assert (summary["errors"], summary["warnings"], summary["infos"]) == (2, 1, 1)
    assert summary["open_by_owner"] == {"listing_editor": 2, "warehouse": 1}


def test_issues_within_a_check_are_sorted_errors_first() -> None:
    extra = Issue(
        check="stock",
        rule="stock.overstock",
        severity="warning",
        message="积压",
        remediation="-",
        owner="operations",
        listing_id="L050",
        sku="L050-1",
    )
    rules = load_rule_pack("tmall")
    results = _results(extra, STOCK_ERROR)
    report = build_report(results, score(results, set(), rules), shop="s", promotion="p", rules=rules, computed_at=NOW)
    stock = report["checks"][0]
    assert [i["rule"] for i in stock["issues"]] == ["stock.coverage_low", "stock.overstock"]


def test_render_table_worst_first() -> None:
    text = render_table(_report())
    lines = text.splitlines()
    assert lines[0].startswith("acme-tmall / d11-2026  得分")
    assert "规则包 tmall" in lines[0]
    body = [line for line in lines if line.startswith(("error", "warning", "info", "waived"))]
    # Errors first, the largest exposure first among them; the info last.
    assert [line.split()[1] for line in body] == ["listing_text", "stock", "spec_consistency", "couriers"]
    assert "¥20万–100万" in body[0]
    assert "¥1000–4672.2" in body[1]
    assert "店铺" in body[3]


def test_render_table_shows_waivers_last() -> None:
    waiver = WaiverInfo(by="wang.li", reason="已确认", at=NOW)
    lines = render_table(_report({TEXT_ERROR.fingerprint: waiver})).splitlines()
    body = [line for line in lines if line.startswith(("error", "warning", "info", "已豁免"))]
    assert body[-1].startswith("已豁免")
    assert "[已豁免：wang.li，已确认]" in body[-1]


def test_render_table_limit_and_empty() -> None:
    text = render_table(_report(), limit=1)
    assert "另有 3 个问题未显示" in text
    rules = load_rule_pack("tmall")
    empty = _results()
    clean = build_report(empty, score(empty, set(), rules), shop="s", promotion="p", rules=rules, computed_at=NOW)
    assert "没有发现问题" in render_table(clean)
    assert "得分 100  等级 A" in render_table(clean)


@pytest.mark.parametrize("overrides", [{}, {"stock.fail_below": 0.85}])
def test_render_table_names_overrides(overrides: dict[str, object]) -> None:
    text = render_table(_report(overrides=overrides))
    assert ("stock.fail_below=0.85" in text) is bool(overrides)


def test_render_table_with_words_names_codes_and_uses_local_time() -> None:
    from readiness.report import TableWords

    names = {"error": "错误", "warning": "警告", "info": "提示", "stock": "库存", "listing_text": "页面文案"}
    words = TableWords(check=lambda c: names.get(c, c), severity=lambda c: names.get(c, c), zone=SH)
    lines = render_table(_report(), words=words).splitlines()
    assert lines[0].endswith("计算时间 2026-10-25 09:00")
    body = [line for line in lines if line.startswith(("错误", "警告", "提示"))]
    assert [line.split()[1] for line in body[:2]] == ["页面文案", "库存"]
    assert "2026-11-07 20:00" in body[1]  # the stock deadline, 20:00 in Shanghai
    assert not [line for line in lines if line.startswith(("error", "warning", "info"))]
