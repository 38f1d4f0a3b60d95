"""The change history of a listing names the waived rule and where an edit came from, never their codes
(issue 17: 豁免了 extreme.first → 豁免了「“第一”类用语」), in Chinese and in English."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.utils import translation

from readiness.models import Finding, Waiver
from readiness.web.presenters import RULE_LABELS, rule_label
from tests.readiness.web.conftest import ShopSetup

pytestmark = pytest.mark.django_db


def _history(body: str) -> str:
    match = re.search(r'<section aria-labelledby="history-title".*?</section>', body, re.S)
    assert match, "the page has its history"
    return match.group()


def test_waiver_history_names_the_rule(setup: ShopSetup) -> None:
    finding = Finding.objects.filter(run=setup.run, text="全网最低价").first()
    assert finding is not None and finding.rule in RULE_LABELS
    response = setup.client.post(setup.url(f"findings/{finding.pk}/waive"), {"reason": "已取得第三方比价报告"})
    assert response.status_code in (200, 302)
    assert Waiver.objects.filter(rule=finding.rule).exists()
    history = _history(setup.client.get(setup.url("listings/L100/")).content.decode())
    assert "豁免了" in history and str(RULE_LABELS[finding.rule]) in history
    assert finding.rule not in history
    setup.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _history(setup.client.get(setup.url("listings/L100/")).content.decode())
    assert finding.rule not in english and not re.search("[\u4e00-\u9fff]", english.split("：")[0])


def test_an_unknown_rule_reads_as_its_check() -> None:
    with translation.override("zh-hans"):
        assert rule_label("extreme.some_future_rule") == "页面文案"
        assert rule_label("stock.something_new") == "库存"
        assert rule_label("nothing.known") == "nothing.known"
    with translation.override("en"):
        assert rule_label("extreme.first") == "“Number one” claim"
