"""Check messages in the page's language (issue 17): a check builds each message from a Chinese gettext template and
its params (``checks.results.msg``); the Finding keeps them (``message_args``) beside the Chinese text, which the
report and the API keep serving (interfaces.md §3); the web pages render them in the active language, shop data
marked ``translate="no"``. A row stored before templates were kept shows its stored text."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation

from readiness.checks.results import Text, TextList, msg
from readiness.models import Finding
from readiness.web import formatting

from .conftest import ShopSetup

HAN = re.compile(r"[\u3400-\u9fff]")
DATA = re.compile(r'<span class="data" translate="no"( lang="zh")?>.*?</span>')


def _ours(markup: str) -> str:
    """The text of a rendered message outside the marked shop data."""
    return formatting.plain_text(DATA.sub("", markup))


def test_a_message_is_chinese_text_that_keeps_its_template_and_params() -> None:
    text = msg(
        "%(courier)s 高峰日计划 %(planned)s 个包裹，超过其日揽收能力 %(capacity)s。",
        courier="中通快递",
        planned=8640,
        capacity=5200,
    )
    assert text == "中通快递 高峰日计划 8640 个包裹，超过其日揽收能力 5200。"  # the report's text, unchanged
    assert isinstance(text, str) and Text.from_spec(text.spec()) == text
    assert text.spec()["p"] == {"courier": "中通快递", "planned": "8640", "capacity": "5200"}


def test_a_message_renders_in_chinese_and_in_english_with_its_data_marked() -> None:
    couriers = TextList(["中通快递", "圆通速递"])
    text = msg("收货地区 %(region)s（订单占比 %(share)s）只有 %(count)s 家快递覆盖（%(couriers)s），至少需要 %(minimum)s 家。",
               region="西北", share="8%", count=2, couriers=couriers, minimum=3)  # fmt: skip
    with translation.override("zh-hans"):
        zh = formatting.text_html(text)
    with translation.override("en"):
        en = formatting.text_html(text)
    assert formatting.plain_text(zh) == str(text)
    assert formatting.plain_text(en) == (
        "The destination region 西北 (share of orders 8%) is covered by only 2 courier(s) (中通快递, 圆通速递); "
        "at least 3 are needed."
    )
    assert not HAN.search(_ours(en)), en  # the Chinese left is the shop's data, marked
    assert '<span class="data" translate="no" lang="zh">西北</span>' in en


def test_a_nested_fragment_of_ours_is_translated_too() -> None:
    late = msg("（另有 %(late_units)s 件在途库存在开售后才到货，不计入）", late_units=900)
    text = msg("无销量预测：%(what)s，库存未评估（现有库存 %(stock)s 件）。", what=msg("商品没有销量预测"), stock=5)
    with translation.override("en"):
        assert (
            _ours(formatting.text_html(text))
            == "No forecast: the listing has no sales forecast, so the stock is not judged ( units on hand)."
        )
        assert "900" in formatting.plain_text(formatting.text_html(late))
        assert not HAN.search(_ours(formatting.text_html(late)))


def _row(**fields: Any) -> dict[str, Any]:
    return {"message": "", "remediation": "", "message_args": None, "category": "", "text": ""} | fields


def test_an_old_row_without_params_shows_its_stored_text() -> None:
    row = _row(message="SKU A-1 库存覆盖率 0.50：可售 5 件。", remediation="补货 <至少> 5 件。")
    with translation.override("en"):
        assert formatting.finding_text(row, "message") == "SKU A-1 库存覆盖率 0.50：可售 5 件。"
        assert formatting.finding_text(row, "remediation") == "补货 &lt;至少&gt; 5 件。"  # escaped, as it is


def test_a_row_with_params_renders_in_the_active_language() -> None:
    text = msg("本次活动没有快递计划。")
    row = _row(message=str(text), message_args={"message": text.spec()})
    with translation.override("en"):
        assert formatting.finding_text(row, "message") == "This promotion has no courier plan."
    with translation.override("zh-hans"):
        assert formatting.finding_text(row, "message") == "本次活动没有快递计划。"


def test_a_scanner_message_reads_by_its_category_with_the_shop_words_marked() -> None:
    row = _row(message="“zuijia”是最高级用语，属于广告法禁止的绝对化用语", category="extreme_wording", text="zuijia")
    with translation.override("zh-hans"):
        zh = formatting.finding_text(row, "message")
    with translation.override("en"):
        en = formatting.finding_text(row, "message")
    assert zh.startswith('“<span class="data" translate="no">zuijia</span>”是最高级用语')
    assert formatting.plain_text(en) == "“zuijia” is an absolute term banned by the Advertising Law."


@pytest.mark.django_db
def test_stored_findings_keep_chinese_text_and_render_it_back(setup: ShopSetup) -> None:
    rows = list(Finding.objects.filter(run=setup.run).values())
    with_args = [row for row in rows if row["message_args"]]
    assert with_args, "the checks' findings keep their templates"
    for row in with_args:
        assert HAN.search(row["message"])  # the report's and the API's text stays Chinese
        with translation.override("zh-hans"):
            assert formatting.plain_text(formatting.finding_text(row, "message")) == row["message"]
            assert formatting.plain_text(formatting.finding_text(row, "remediation")) == row["remediation"]
        with translation.override("en"):
            assert not HAN.search(_ours(formatting.finding_text(row, "message"))), row["message"]
            assert not HAN.search(_ours(formatting.finding_text(row, "remediation"))), row["remediation"]


@pytest.mark.django_db
def test_the_english_issues_page_shows_check_messages_in_english(setup: ShopSetup) -> None:
    message = msg("本次活动没有快递计划。")
    remediation = msg(
        "为 %(region)s 增加覆盖该地区的快递，至少 %(minimum)s 家，避免单一快递停发时无法送达。",
        region="西北",
        minimum=2,
    )
    finding = Finding.objects.create(
        run=setup.run, check_name="couriers", rule="couriers.none_planned", severity="error", owner="logistics",
        message=message, remediation=remediation, fingerprint="f" * 64,
        message_args={"message": message.spec(), "remediation": remediation.spec()},
    )  # fmt: skip
    setup.client.cookies["django_language"] = "en"
    body = formatting.plain_text(setup.client.get(setup.url("issues/")).content.decode())
    assert "This promotion has no courier plan." in body and "本次活动没有快递计划" not in body
    assert "Add couriers covering 西北, at least 2," in body  # the region is the shop's data
    Finding.objects.filter(pk=finding.pk).update(message_args=None)  # a row written before: its stored text
    body = formatting.plain_text(setup.client.get(setup.url("issues/")).content.decode())
    assert "本次活动没有快递计划。" in body
