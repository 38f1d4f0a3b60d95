"""``readiness_report --format table`` is read by people: check, severity and owner names instead of codes,
times in Asia/Shanghai instead of raw UTC ISO, large money in 万 (issue 17)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from readiness.models import Check, OwnerRole, Severity

ROOT = Path(__file__).resolve().parents[2]
CODES = {*Check.values, *Severity.values, *OwnerRole.values, "waived"}


@pytest.mark.django_db
def test_table_speaks_chinese_and_local_time() -> None:
    call_command("import_bundle", str(ROOT / "readiness" / "demo" / "demo-shop.json"), stdout=io.StringIO())
    out = io.StringIO()
    call_command("readiness_report", shop="mingcha-tmall", promotion="d11-2026", format="table", stdout=out)
    text = out.getvalue()
    header, *rest = text.splitlines()
    # computed_at in local minutes, not "2026-…T…+00:00"
    assert re.search(r"计算时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$", header), header
    assert not re.search(r"\d{2}:\d{2}:\d{2}(\.\d+)?(\+00:00|Z)", text)
    words = {cell for line in rest for cell in re.split(r"\s{2,}", line.strip())[:6]}
    assert not words & CODES, words & CODES
    issues = [line for line in rest if line.startswith(("错误", "警告", "提示"))]
    assert issues, text
    assert any(str(Check.LISTING_TEXT.label) in line for line in issues)
    # deadlines are local times (the demo's are 20:00 or midnight in Shanghai, never a UTC hour like 12:00)
    deadlines = re.findall(r"\d{4}-\d{2}-\d{2} (\d{2}):\d{2}", "\n".join(issues))
    assert deadlines and all(hour in ("00", "20", "23") for hour in deadlines), deadlines
    assert "万" in text
