"""A plan with gaps, uploaded through the web import, is imported and judged, not refused (issue 17): a presale
listing without a ship date and courier shares that do not add up to 1 show up on the issues page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from readiness.imports.bundle import EXAMPLE
from readiness.models import Finding, ImportJob, JobStatus, Listing, Promotion
from tests.browser.site import SHOP, log_in, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO = EXAMPLE.parent / "demo-shop.json"


def _plan_with_gaps(tmp_path: Path) -> Path:
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    presale = next(item for item in data["listings"] if (item.get("presale") or {}).get("enabled"))
    presale["presale"].pop("ship_by", None)  # a presale without a ship date
    data["couriers"][0]["planned_share"] = 0.5  # 中通快递: the shares now add up to 0.78
    path = tmp_path / "计划-有缺口.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_plan_with_gaps_is_imported_and_its_gaps_reported(
    page: Any, live_server: Any, demo: Promotion, shot: Any, tmp_path: Path
) -> None:
    bundle = _plan_with_gaps(tmp_path)
    presale_id = next(
        item["id"]
        for item in json.loads(bundle.read_text(encoding="utf-8"))["listings"]
        if (item.get("presale") or {}).get("enabled") and "ship_by" not in item["presale"]
    )

    log_in(page, live_server)

    page.goto(url(live_server, "imports/"))
    page.get_by_label("文件", exact=True).set_input_files(str(bundle))
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_url(re.compile(r".*/imports/\d+/$"))  # accepted: no error list, straight to the job
    page.locator("[data-progress-done]").wait_for()
    assert page.locator("[data-progress-status]").inner_text() == "已完成"
    job = ImportJob.objects.get()
    assert job.status == JobStatus.COMPLETE and not job.errors
    assert Listing.objects.get(shop__code=SHOP, listing_id=presale_id).presale_ship_by is None
    shot(page, "plan-gaps-01-imported")

    # the presale check reports the missing date, for operations, with a deadline
    page.goto(url(live_server, "issues/?rule=presale.ship_by_missing"))
    issue = page.locator("article.issue", has_text="预售商品没有设置最晚发货日期")
    assert issue.count() == 1
    assert presale_id in issue.locator(".issue-head").inner_text()
    assert "运营" in issue.locator(".issue-meta").inner_text()
    assert issue.locator(".issue-meta time").count() == 1
    shot(page, "plan-gaps-02-presale")

    # the courier check reports the shares, naming the courier (中通快递), never its code (zto)
    page.goto(url(live_server, "issues/?rule=couriers.shares_not_one"))
    issue = page.locator("article.issue", has_text="各快递计划占比合计 78%")
    assert issue.count() == 1
    message = issue.locator(".issue-message").inner_text()
    assert "中通快递 50%" in message and "zto" not in message
    assert "错误" in issue.locator(".badge").first.inner_text()
    shot(page, "plan-gaps-03-couriers")
    assert Finding.objects.filter(rule__in=["presale.ship_by_missing", "couriers.shares_not_one"]).count() >= 2
