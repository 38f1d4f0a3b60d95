"""Scan runs: chunks, idempotent chunk writes, finishing once, re-scoring, reports, query counts."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from readiness import selectors
from readiness.imports.bundle import parse_bundle
from readiness.imports.writing import bundle_import
from readiness.models import Finding, RunStatus, ScanRun, ShopRuleOverride, Waiver
from readiness.services import scans
from tests.factories import UserFactory, bundle_dict

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "readiness" / "demo"


def _import(data: dict[str, Any]) -> Any:
    return bundle_import(parsed=parse_bundle(json.dumps(data, ensure_ascii=False))).promotion


def test_eager_run_completes_with_every_check(start_scan: Any) -> None:
    promotion = _import(bundle_dict(listings=5))
    run = start_scan(promotion, chunk_size=2)
    assert (run.status, run.chunks_total, run.listings_total) == (RunStatus.COMPLETE, 3, 5)
    assert run.chunks.filter(done_at__isnull=True).count() == 0
    assert sorted(run.check_results.values_list("check_name", flat=True)) == sorted(
        ["stock", "gift_stock", "couriers", "presale_label", "gifts", "rebates", "listing_text",
         "spec_consistency", "price", "after_sales"]
    )  # fmt: skip
    assert 0 <= run.score <= 100 and run.grade in "ABCDF"


def test_chunked_and_whole_runs_give_the_same_report(start_scan: Any) -> None:
    """Listing checks run per chunk and the run's results are rebuilt from the chunks' findings: one listing per
    chunk gives the report of one chunk for all (stock, gifts, wording, couriers and after-sales findings)."""
    from tests.readiness.api.world import problem_bundle

    data = problem_bundle("chunked", listings=5)
    data["listings"][3]["gifts"] = [{"name": "茶杯", "stock": 1, "described_on_page": False}]
    promotion = _import(data)
    reports = []
    for chunk_size in (1, 1000):
        run = start_scan(promotion, chunk_size=chunk_size)
        assert run.chunks_total == (5 if chunk_size == 1 else 1)
        reports.append(
            {k: v for k, v in selectors.readiness_report(run=run).items() if k not in ("run", "computed_at")}
        )
    assert reports[0] == reports[1]
    assert {c["check"] for c in reports[0]["checks"] if c["status"] != "pass"} >= {"stock", "gifts", "listing_text"}


def test_chunk_that_runs_twice_leaves_the_same_rows() -> None:
    promotion = _import(bundle_dict(listings=4))
    run = scans.scan_run_create(promotion=promotion, chunk_size=2)
    scans.scan_run_chunk(run_id=run.pk, index=0)
    first = sorted(Finding.objects.filter(run=run).values_list("fingerprint", "message"))
    scans.scan_run_chunk(run_id=run.pk, index=0)
    assert sorted(Finding.objects.filter(run=run).values_list("fingerprint", "message")) == first
    assert run.chunks.get(index=0).attempts == 2


def test_run_is_not_finished_while_a_chunk_is_missing() -> None:
    promotion = _import(bundle_dict(listings=4))
    run = scans.scan_run_create(promotion=promotion, chunk_size=2)
    scans.scan_run_chunk(run_id=run.pk, index=0)
    with pytest.raises(scans.RunIncomplete, match="1 of 2 chunk"):
        scans.scan_run_finish(run_id=run.pk)
    run.refresh_from_db()
    assert run.status != RunStatus.COMPLETE and run.score is None
    scans.scan_run_chunk(run_id=run.pk, index=1)
    assert scans.scan_run_finish(run_id=run.pk).status == RunStatus.COMPLETE


def test_earlier_runs_are_kept(start_scan: Any) -> None:
    promotion = _import(bundle_dict(listings=2))
    first = start_scan(promotion)
    second = start_scan(promotion)
    assert ScanRun.objects.filter(promotion=promotion).count() == 2
    assert selectors.latest_run(promotion=promotion) == second
    assert first.findings.count() == second.findings.count()


def test_waiver_keeps_issue_in_report_but_not_in_score(start_scan: Any) -> None:
    data = bundle_dict(listings=2)
    data["listings"][0]["skus"][0]["stock"] = 10  # coverage far below 0.9: a stock error
    promotion = _import(data)
    run = start_scan(promotion)
    finding = run.findings.get(check_name="stock", severity="error")
    before = run.score
    Waiver.objects.create(
        shop=promotion.shop,
        listing=finding.listing,
        fingerprint=finding.fingerprint,
        rule=finding.rule,
        reason="补货已在路上，仓库确认 11/8 到",
        created_by=UserFactory(),
    )
    run = scans.run_rescore(run=run)
    assert run.score > before
    report = selectors.readiness_report(run=run)
    stock = next(c for c in report["checks"] if c["check"] == "stock")
    waived = [i for i in stock["issues"] if i["status"] == "waived"]
    assert len(waived) == 1 and waived[0]["waiver"]["reason"] == "补货已在路上，仓库确认 11/8 到"


def test_shop_override_changes_the_verdict_and_is_reported(start_scan: Any) -> None:
    data = bundle_dict(listings=1)
    data["listings"][0]["skus"][0]["stock"] = 1050  # (1050 + 500) / 1100 = 1.41: passes by default
    promotion = _import(data)
    ShopRuleOverride.objects.create(shop=promotion.shop, key="stock.warn_below", value=1.5)
    ShopRuleOverride.objects.create(shop=promotion.shop, key="stock.overstock_above", value=3.0)
    run = start_scan(promotion)
    report = selectors.readiness_report(run=run)
    assert report["rule_pack"]["overrides"] == {"stock.overstock_above": 3.0, "stock.warn_below": 1.5}
    assert any(i["severity"] == "warning" for c in report["checks"] if c["check"] == "stock" for i in c["issues"])


def test_scan_query_count_does_not_grow_with_listings(start_scan: Any, django_assert_max_num_queries: Any) -> None:
    counts = []
    for n in (2, 25):
        data = bundle_dict(listings=n)
        data["shop"]["code"] = f"size-{n}"
        promotion = _import(data)
        with CaptureQueriesContext(connection) as ctx:
            start_scan(promotion)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_report_query_count_does_not_grow_with_listings(start_scan: Any) -> None:
    counts = []
    for n in (2, 25):
        data = bundle_dict(listings=n)
        data["shop"]["code"] = f"report-{n}"
        run = start_scan(_import(data))
        with CaptureQueriesContext(connection) as ctx:
            selectors.readiness_report(run=selectors.latest_run(promotion=run.promotion))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_report_command_json_matches_interfaces() -> None:
    promotion = _import(bundle_dict(listings=2))
    out = io.StringIO()
    call_command("readiness_report", shop=promotion.shop.code, promotion=promotion.code, format="json", stdout=out)
    report = json.loads(out.getvalue())
    assert {"shop", "promotion", "score", "grade", "computed_at", "checks", "listings"} <= report.keys()
    assert report["shop"] == "acme-tmall" and report["promotion"] == "d11-2026"
    for check in report["checks"]:
        assert {"check", "status", "score", "weight", "issues"} <= check.keys()
        assert check["status"] in {"pass", "warn", "fail", "waived"}
        for issue in check["issues"]:
            assert {"listing_id", "sku", "severity", "message", "remediation", "evidence"} <= issue.keys()
    assert {item["listing_id"] for item in report["listings"]} == {"L100", "L101"}
    # The report used the latest scan, and ran one because there was none.
    assert ScanRun.objects.filter(promotion=promotion, status=RunStatus.COMPLETE).count() == 1


def test_scan_command_prints_summary() -> None:
    promotion = _import(bundle_dict(listings=3))
    out, err = io.StringIO(), io.StringIO()
    call_command("scan", shop=promotion.shop.code, promotion=promotion.code, stdout=out, stderr=err)
    assert "3 listings" in out.getvalue() and "score" in out.getvalue()


def test_unknown_promotion_is_a_clear_error() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no promotion 'nope' in shop 'acme-tmall'"):
        call_command("scan", shop="acme-tmall", promotion="nope")


def test_factory_bundle_is_clean(start_scan: Any) -> None:
    """The tests plant one problem at a time into this bundle, so it must have none of its own."""
    run = start_scan(_import(bundle_dict(listings=3)))
    assert list(run.findings.exclude(severity="info").values_list("rule", "message")) == []
    assert run.score == 100 and run.grade == "A"


def test_crash_hook_fires_in_one_worker_process_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """READINESS_CRASH_ONCE (the worker-loss test's fault injection): of the processes that see the file, only
    the one that removes it dies; the others go on (they used to race on the removal and fail the chunk)."""

    class Died(Exception):
        pass

    def fake_exit(code: int) -> None:
        raise Died(code)

    crash = tmp_path / "crash-once"
    monkeypatch.setenv("READINESS_CRASH_ONCE", str(crash))
    monkeypatch.setattr(scans.os, "_exit", fake_exit)
    scans._maybe_crash_for_test(1, 0)  # no file: nothing happens
    crash.write_text("crash the next chunk")
    with pytest.raises(Died):
        scans._maybe_crash_for_test(1, 0)
    assert not crash.exists()
    scans._maybe_crash_for_test(1, 1)  # another process that saw the file before it went: goes on
