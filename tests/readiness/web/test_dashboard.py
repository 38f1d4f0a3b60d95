"""The operations dashboard, the issue list, the exports and the re-scan button."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from readiness.models import Finding, Listing, RunStatus, ScanRun
from readiness.web import queries
from tests.readiness.web.conftest import ShopSetup, import_and_scan, planted_bundle

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return response.content.decode()


def test_dashboard_is_a_to_do_score_progress_deadlines_and_owners(setup: ShopSetup) -> None:
    response = setup.client.get(setup.url())
    assert response.status_code == 200
    body = text(response)
    score = re.search(r'data-testid="score">(\d+)<', body)
    grade = re.search(r'data-testid="grade">([A-F])<', body)
    assert score and int(score[1]) == setup.run.score
    assert grade and grade[1] == setup.run.grade
    assert re.search(r'data-testid="grade-label">(优秀|良好|及格|待提升|高风险)<', body)
    # progress: nothing done yet, every distinct error and warning found
    found = setup.run.findings.exclude(severity="info").values("fingerprint").distinct().count()
    assert 'data-testid="progress-done">0<' in body and f'data-testid="progress-found">{found}<' in body
    # the next deadlines (this bundle's sale is over: what is overdue, linked to the list)
    assert "接下来的节点" in body and "已逾期：3 个错误，0 个警告" in body
    # each owner's top items, each finding once, with a link to where it is fixed
    items = re.findall(r'data-finding="(\d+)"', body)
    assert items and len(items) == len(set(items))
    assert "去处理" in body and "/listings/L100/#finding-" in body
    assert "详情页编辑" in body
    # the details are on their own page, linked
    assert setup.url("overview/") in body and setup.url("issues/") in body
    assert '<tr data-check="' not in body and "<svg" not in body
    # exposure in 万 (fines of the extreme-wording article: ¥20万–100万 each)
    assert re.search(r'data-testid="exposure">¥[\d.]+万–[\d.]+万<', body)


def test_details_page_shows_checks_phases_trend_and_issues_by_owner(setup: ShopSetup) -> None:
    body = text(setup.client.get(setup.url("overview/")))
    # every check with its status; the failing ones say so
    assert body.count('<tr data-check="') == 10
    assert re.search(r'data-check="listing_text">.*?status-fail', body, re.S)
    assert re.search(r'data-check="spec_consistency">.*?status-fail', body, re.S)
    assert re.search(r'data-check="stock">.*?status-pass', body, re.S)
    for label in ("预售开始", "尾款开始", "正式开售"):
        assert label in body
    # the quoted words are the listing's own (shop data, marked translate="no")
    assert "详情页编辑" in body and "“顶级”" in re.sub(r"<[^>]+>", "", body)
    assert "整改：" in body
    # the trend chart is an SVG with a title and a data table
    assert '<svg viewBox="0 0 640 200" role="img"' in body and "<polyline" in body


def test_progress_and_score_rise_after_a_fix_and_a_waiver(setup: ShopSetup, start_scan: Any) -> None:
    from readiness.services import listings as listing_services
    from readiness.services import waivers as waiver_services

    before = queries.progress(setup.promotion, setup.run)
    score_before = setup.run.score
    listing = Listing.objects.get(shop=setup.shop, listing_id="L100")
    listing_services.listing_update_text(
        listing=listing, changes={"title": listing.title.replace("顶级", "")}, user=setup.user
    )
    run = start_scan(setup.promotion)
    fixed = queries.progress(setup.promotion, run)
    assert fixed.found == before.found and fixed.fixed == before.fixed + 1 and fixed.done == before.done + 1
    assert run.score > score_before
    finding = run.findings.exclude(severity="info").order_by("pk").first()
    assert finding is not None
    score_fixed = run.score
    waiver_services.waiver_create(finding=finding, reason="已核实", user=setup.user)
    run.refresh_from_db()
    waived = queries.progress(setup.promotion, run)
    assert waived.waived == fixed.waived + 1 and waived.done == fixed.done + 1
    assert run.score > score_fixed


def test_dashboard_without_a_scan_offers_one(setup: ShopSetup) -> None:
    ScanRun.objects.all().delete()
    body = text(setup.client.get(setup.url()))
    assert "还没有扫描结果" in body and "重新扫描" in body


def test_rescan_starts_a_run_and_the_trend_grows(setup: ShopSetup, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = setup.client.post(setup.url("scan"))
    assert response.status_code == 302 and response["Location"] == setup.url()
    assert ScanRun.objects.filter(promotion=setup.promotion, status=RunStatus.COMPLETE).count() == 2
    body = text(setup.client.get(setup.url()))
    # in a test the scan runs when the request's transaction commits, after the message was chosen
    assert "扫描已开始" in body or "扫描完成" in body
    body = text(setup.client.get(setup.url("overview/")))  # the trend is on the details page
    points = re.search(r'<polyline points="([^"]+)"', body)
    assert points and len(points[1].split()) == 2


def test_pending_scan_shows_progress(setup: ShopSetup) -> None:
    run = ScanRun.objects.create(shop=setup.shop, promotion=setup.promotion, status=RunStatus.RUNNING, chunks_total=4)
    body = text(setup.client.get(setup.url()))
    assert f"runs/{run.pk}/progress" in body and "扫描进行中" in body
    data = setup.client.get(setup.url(f"runs/{run.pk}/progress")).json()
    assert data == {"status": "running", "done": 0, "total": 5, "finished": False, "score": None, "grade": ""}


def test_dashboard_query_count_does_not_grow_with_the_shop(start_scan: Any, setup: ShopSetup) -> None:
    with CaptureQueriesContext(connection) as small:
        assert setup.client.get(setup.url()).status_code == 200
    big = planted_bundle(listings=12, shop_code="big-tmall")
    for listing in big["listings"]:
        listing["title"] = "顶级" + listing["title"] + " 全网最低价"
    promotion, _run = import_and_scan(big, start_scan)
    promotion.shop.memberships.create(user=setup.user, role="operations_manager")
    with CaptureQueriesContext(connection) as large:
        response = setup.client.get(f"/shops/big-tmall/promotions/{promotion.code}/")
    assert len(large.captured_queries) == len(small.captured_queries)
    # thirteen 顶级 findings (L100 has two): shown once, as a kind, with a link to the other twelve
    body = response.content.decode()
    assert "另 12 个同类" in body and "rule=extreme.top_grade" in body
    # the details page too
    with CaptureQueriesContext(connection) as small:
        assert setup.client.get(setup.url("overview/")).status_code == 200
    with CaptureQueriesContext(connection) as large:
        response = setup.client.get(f"/shops/big-tmall/promotions/{promotion.code}/overview/")
    assert len(large.captured_queries) == len(small.captured_queries)
    assert "另有 12 个同类问题" in response.content.decode()


def _open_findings(setup: ShopSetup) -> int:
    return setup.run.findings.exclude(severity="info").count()


def test_export_csv_lists_open_issues_for_excel(setup: ShopSetup) -> None:
    response = setup.client.get(setup.url("issues.csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")  # Excel needs the BOM to read UTF-8
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert rows[0][:5] == ["负责人", "级别", "检查项", "规则", "商品ID"]
    assert len(rows) - 1 == _open_findings(setup)
    column = {name: i for i, name in enumerate(rows[0])}
    by_text = {row[column["原文"]]: row for row in rows[1:]}
    assert by_text["顶级"][0] == "详情页编辑" and by_text["顶级"][column["商品ID"]] == "L100"


def test_export_xlsx_has_the_same_rows(setup: ShopSetup) -> None:
    response = setup.client.get(setup.url("issues.xlsx"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "负责人"
    assert len(rows) - 1 == _open_findings(setup)
    upper = rows[0].index("风险金额上限（元）")
    exposures = [row[upper] for row in rows[1:] if row[upper] is not None]
    assert exposures and all(isinstance(v, int | float) for v in exposures)  # numbers a manager can sum


def test_export_neutralises_formulas(setup: ShopSetup) -> None:
    Finding.objects.filter(run=setup.run, text="顶级").update(message='=HYPERLINK("http://x")')
    content = b"".join(setup.client.get(setup.url("issues.csv")).streaming_content).decode("utf-8")
    assert "'=HYPERLINK" in content


def test_issue_list_filters(setup: ShopSetup) -> None:
    body = text(setup.client.get(setup.url("issues/"), {"check": "spec_consistency"}))
    assert "2斤" in body and "“顶级”" not in body
    assert body.count('class="issue sev-') == setup.run.findings.filter(check_name="spec_consistency").count()
    body = text(setup.client.get(setup.url("issues/"), {"owner": "warehouse"}))
    assert "没有符合条件的问题" in body
    # unknown filter values are ignored, not errors
    assert setup.client.get(setup.url("issues/"), {"check": "<script>", "phase": "x"}).status_code == 200


def test_phase_buckets_follow_deadlines(setup: ShopSetup) -> None:
    board = queries.dashboard(setup.promotion, setup.run)
    by_key = {phase.key: phase for phase in board.phases}
    # text problems are due when the pages go public, at presale start
    assert by_key["presale_start"].tally.errors == _open_findings(setup)
    assert by_key["sale_start"].tally.open == 0
    assert [i["text"] for i in by_key["presale_start"].issues][:1] in (["顶级"], ["全网最低价"], ["2斤"])


def test_home_lists_shops_with_links(setup: ShopSetup) -> None:
    body = text(setup.client.get("/"))
    assert setup.url() in body
    assert Listing.objects.filter(shop=setup.shop).count() == 3
