"""Bundle validation: each bad input names its JSON path and says what was expected."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation

from readiness.checks import CheckContext, run_checks
from readiness.imports.bundle import MAX_ERRORS, BundleError, parse_bundle
from readiness.rulepacks import load_rule_pack
from tests.factories import bundle_dict


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A mutation that sets a dotted path (``listings.2.skus.0.stock``) in a bundle dict."""

    def apply(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return apply


def _delete(path: str) -> Callable[[dict[str, Any]], None]:
    def apply(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        del node[last]

    return apply


def _duplicate_sku(data: dict[str, Any]) -> None:
    data["listings"][1]["skus"][1]["code"] = data["listings"][1]["skus"][0]["code"]


def _duplicate_listing(data: dict[str, Any]) -> None:
    data["listings"][2]["id"] = data["listings"][0]["id"]


# Integrity: the data cannot be stored or means nothing. Refused, every error named by its JSON path (for programs)
# and, in Chinese, by what a person knows it by. docs/checks.md, "Refused or reported", lists every rule.
BAD = [
    # (mutation, expected path, words the message must contain)
    (_set("listings.2.skus.0.stock", "many"), "listings[2].skus[0].stock", '的 SKU L102-0：库存应为整数，收到 "many"'),
    (_set("listings.2.skus.0.stock", -5), "listings[2].skus[0].stock", "库存不能小于 0，收到 -5"),
    (_set("listings.2.skus.0.stock", 1.5), "listings[2].skus[0].stock", "库存应为整数"),
    (_set("listings.2.skus.0.stock", True), "listings[2].skus[0].stock", "库存应为整数，收到 true"),
    (_set("listings.0.skus.1.price", 59.9), "listings[0].skus[1].price", '价格应为金额文字，如 "59.90"'),
    (_set("listings.0.skus.1.price", "abc"), "listings[0].skus[1].price", '收到 "abc"'),
    (_set("listings.0.skus.1.price", "-1.00"), "listings[0].skus[1].price", "价格不能小于 0"),
    (_set("listings.0.skus.1.price", "9.999"), "listings[0].skus[1].price", "价格最多 2 位小数"),
    (_set("listings.0.skus.1.list_price", "Infinity"), "listings[0].skus[1].list_price", "划线价应为有限的金额"),
    (_delete("listings.1.skus.0.code"), "listings[1].skus[0].code", "的第 1 个 SKU：缺少编码"),
    (_delete("listings.1.id"), "listings[1].id", "第 2 个商品：缺少商品ID"),
    (_set("listings.1.id", ""), "listings[1].id", "商品ID不能为空"),
    (_set("listings.1.title", "x" * 501), "listings[1].title", "商品标题最多 500 个字符，收到 501 个"),
    (
        _set("listings.1.title", "含\x00空字符"),
        "listings[1].title",
        "商品 L101「含\x00空字符」：商品标题不能包含空字符",
    ),
    (_set("listings.1.specs", ["净含量", "500g"]), "listings[1].specs", "规格参数应为对象，收到 数组"),
    (_set("listings.1.specs", {"净含量": 500}), "listings[1].specs.净含量", "规格参数「净含量」应为文字，收到 500"),
    (
        _set("listings.0.presale", {"enabled": "yes", "ship_by": "2026-11-15"}),
        "listings[0].presale.enabled",
        '是否预售应为 true 或 false，收到 "yes"',
    ),
    (
        _set("listings.0.presale", {"enabled": True, "ship_by": "11月15日"}),
        "listings[0].presale.ship_by",
        "预售发货日期应为 ISO 8601 日期",
    ),
    (
        _set("listings.0.skus.0.inbound", [{"units": 5, "arrives": "soon"}]),
        "listings[0].skus[0].inbound[0].arrives",
        "第 1 批到货：到货时间应为 ISO 8601 日期时间",
    ),
    (
        _set(
            "listings.0.skus.0.price_history",
            [{"date": "2026-11-01", "lowest_price": "1"}, {"date": "2026-11-01", "lowest_price": "2"}],
        ),
        "listings[0].skus[0].price_history[1].date",
        "2026-11-01 已有一条价格记录",
    ),
    (_set("listings.0.gifts.0.per_order", 0), "listings[0].gifts[0].per_order", "赠品「定制木勺」：每单数量不能小于 1"),
    (_set("listings.0.rebates.0.kind", "cashback"), "listings[0].rebates[0].kind", "review_cashback / free_order"),
    (_duplicate_sku, "listings[1].skus[1].code", "SKU 编码 L101-0 在该商品中重复"),
    (_duplicate_listing, "listings[2].id", "商品ID L100 重复（第 1 个商品也用了它）"),
    (_set("promotion.sale_end", "2026-11-09T00:00:00+08:00"), "promotion.sale_end", "活动结束时间必须晚于正式开售时间"),
    (
        _set("promotion.presale_start", "2026-11-20T00:00:00+08:00"),
        "promotion.final_payment_start",
        "尾款开始时间不能早于预售开始时间（2026-11-20 00:00）",
    ),
    (_set("promotion.sale_start", 1762776000), "promotion.sale_start", "正式开售时间应为 ISO 8601 日期时间"),
    (_delete("promotion.sale_start"), "promotion.sale_start", "缺少正式开售时间"),
    (_set("promotion.expected_orders", "20000"), "promotion.expected_orders", '预计订单数应为整数，收到 "20000"'),
    (_set("promotion.destinations", {"华东": 1.5}), "promotion.destinations.华东", "收货地区「华东」的占比不能大于 1"),
    (_set("shop.platform", "amazon"), "shop.platform", "店铺：平台应为 tmall / taobao"),
    (_set("shop.code", "有 空格"), "shop.code", "只能包含字母、数字"),
    (_delete("shop"), "shop", "缺少店铺"),
    (_set("couriers.1.code", "zto"), "couriers[1].code", "快递编码 zto 重复"),
    (
        _set("couriers.0.daily_capacity", None),
        "couriers[0].daily_capacity",
        "快递「中通快递」：日揽收能力应为整数，收到 null",
    ),
    (_set("service", {"cs_agents": -1}), "service.cs_agents", "客服人数不能小于 0"),
    (_set("service", {"dispute_refund_rate": 3}), "service.dispute_refund_rate", "纠纷退款率不能大于 1"),
    (_set("listings", {"L1": {}}), "listings", "商品列表应为数组，收到 对象"),
    (_set("format", "readiness-bundle/2"), "format", "格式应为 readiness-bundle/1"),
    (_delete("format"), "format", "readiness-bundle/1"),
]


def _no_forecast(data: dict[str, Any]) -> None:
    for sku in data["listings"][0]["skus"]:
        sku["forecast_units"] = 0
        sku.pop("safety_stock", None)


# Readiness: a plan with gaps. Imported; a check reports the gap (rule id), with owner and deadline.
GAPS = [
    (_set("listings.0.presale", {"enabled": True}), "presale_label", "presale.ship_by_missing"),
    (_set("promotion.destinations", {"华东": 0.5, "华南": 0.2}), "couriers", "couriers.destinations_not_one"),
    (_set("couriers.0.planned_share", 0.9), "couriers", "couriers.shares_not_one"),
    (_no_forecast, "stock", "stock.no_forecast"),
]


@pytest.mark.parametrize(("mutate", "path", "words"), BAD, ids=[row[1] + ":" + row[2] for row in BAD])
def test_bad_bundle_names_path_and_expectation(mutate: Callable[[dict[str, Any]], None], path: str, words: str) -> None:
    data = bundle_dict()
    mutate(data)
    with pytest.raises(BundleError) as caught:
        parse_bundle(json.dumps(data, ensure_ascii=False))
    paths = {issue.path: issue.message for issue in caught.value.errors}
    assert path in paths, caught.value.lines()
    assert words in paths[path]


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"\xff\xfe{}", "文件不是 UTF-8 编码的文字（第 0 个字节有误）"),
        (b'{"format": "readiness-bundle/1",', "不是有效的 JSON：第 1 行第 33 列"),
        (b"", "不是有效的 JSON"),
        (b'{"format": "readiness-bundle/1", "x": NaN}', "不是有效的 JSON：不能使用 NaN"),
        (b"[]", "导入包应为 JSON 对象，收到 数组"),
    ],
)
def test_unreadable_input(raw: bytes, words: str) -> None:
    with pytest.raises(BundleError) as caught:
        parse_bundle(raw)
    assert words in caught.value.lines()[0]


def test_all_errors_reported_at_once() -> None:
    data = bundle_dict(listings=3)
    data["listings"][0]["skus"][0]["stock"] = "x"
    data["listings"][1]["skus"][1]["price"] = 1.5
    data["listings"][2]["title"] = 7
    with pytest.raises(BundleError) as caught:
        parse_bundle(json.dumps(data))
    assert {i.path for i in caught.value.errors} == {
        "listings[0].skus[0].stock",
        "listings[1].skus[1].price",
        "listings[2].title",
    }


def test_errors_are_capped() -> None:
    data = bundle_dict(listings=60)
    for listing in data["listings"]:
        for sku in listing["skus"]:
            sku["stock"] = "many"
    with pytest.raises(BundleError) as caught:
        parse_bundle(json.dumps(data))
    assert len(caught.value.errors) == MAX_ERRORS
    assert caught.value.total == 120
    assert caught.value.summary() == "导入包有 120 处错误（列出前 100 处）"


def test_unknown_fields_are_warnings() -> None:
    data = bundle_dict()
    data["listings"][1]["skus"][0]["colour"] = "红"
    data["shop"]["owner"] = "x"
    parsed = parse_bundle(json.dumps(data))
    assert [str(w) for w in parsed.warnings] == [
        "未知字段「owner」，已忽略（shop.owner）",
        "未知字段「colour」，已忽略（listings[1].skus[0].colour）",
    ]


def test_dates_without_zone_are_shanghai() -> None:
    data = bundle_dict()
    data["promotion"]["sale_start"] = "2026-11-10T20:00:00"
    data["listings"][0]["skus"][0]["inbound"] = [{"units": 1, "arrives": "2026-11-05"}]
    parsed = parse_bundle(json.dumps(data)).bundle
    assert parsed.promotion.sale_start.isoformat() == "2026-11-10T20:00:00+08:00"
    assert parsed.listings[0].skus[0].inbound[0].arrives.isoformat() == "2026-11-05T00:00:00+08:00"


@pytest.mark.parametrize(("mutate", "check", "rule"), GAPS, ids=[row[2] for row in GAPS])
def test_plan_gaps_import_and_a_check_reports_them(
    mutate: Callable[[dict[str, Any]], None], check: str, rule: str
) -> None:
    """What the validator used to refuse (a presale without a date, shares not adding up, no forecast) imports;
    the check's rule reports it with severity, owner and deadline."""
    data = bundle_dict()
    mutate(data)
    parsed = parse_bundle(json.dumps(data, ensure_ascii=False))
    ctx = CheckContext.from_bundle(parsed.bundle, rules=load_rule_pack(parsed.bundle.shop.platform))
    [result] = run_checks(ctx, [check])
    found = [issue for issue in result.issues if issue.rule == rule]
    assert found, [issue.rule for issue in result.issues]
    for issue in found:
        assert issue.severity in ("error", "warning", "info")
        assert issue.owner in ("operations", "logistics")
        assert issue.deadline is not None
        assert issue.message


def test_a_clean_bundle_has_none_of_the_gap_rules() -> None:
    parsed = parse_bundle(json.dumps(bundle_dict(), ensure_ascii=False))
    ctx = CheckContext.from_bundle(parsed.bundle, rules=load_rule_pack(parsed.bundle.shop.platform))
    rules = {
        issue.rule for result in run_checks(ctx, ["presale_label", "couriers", "stock"]) for issue in result.issues
    }
    assert not rules & {rule for _mutate, _check, rule in GAPS}


def test_four_mistakes_four_errors() -> None:
    """Types and rules across fields run together: a bundle with four mistakes reports four errors."""
    data = bundle_dict(listings=3)
    data["listings"][2]["skus"][0]["stock"] = "many"  # type
    data["listings"][0]["skus"][1]["price"] = 59.9  # type
    data["promotion"]["sale_end"] = "2026-11-09T00:00:00+08:00"  # across fields: before sale_start
    data["listings"][1]["id"] = data["listings"][0]["id"]  # across fields: duplicate id
    with pytest.raises(BundleError) as caught:
        parse_bundle(json.dumps(data, ensure_ascii=False))
    assert caught.value.total == 4
    assert sorted(issue.path for issue in caught.value.errors) == [
        "listings[0].skus[1].price",
        "listings[1].id",
        "listings[2].skus[0].stock",
        "promotion.sale_end",
    ]
    assert caught.value.summary() == "导入包有 4 处错误"


def test_a_rule_across_fields_is_not_repeated_where_the_type_is_wrong() -> None:
    data = bundle_dict()
    data["listings"][0]["images"] = [{"url": 5}]
    with pytest.raises(BundleError) as caught:
        parse_bundle(json.dumps(data))
    assert [issue.path for issue in caught.value.errors] == ["listings[0].images[0].url"]


def test_message_names_what_a_person_knows_and_keeps_the_path() -> None:
    data = bundle_dict()
    data["listings"][2]["skus"][0]["stock"] = "many"
    with pytest.raises(BundleError) as caught:
        parse_bundle(json.dumps(data, ensure_ascii=False))
    [issue] = caught.value.errors
    assert issue.message == '商品 L102「明前龙井 250g 第2款」的 SKU L102-0：库存应为整数，收到 "many"'
    assert issue.path == "listings[2].skus[0].stock"
    assert issue.problem == '库存应为整数，收到 "many"'
    assert (
        str(issue)
        == '商品 L102「明前龙井 250g 第2款」的 SKU L102-0：库存应为整数，收到 "many"（listings[2].skus[0].stock）'
    )


def test_long_titles_are_shortened_in_messages() -> None:
    data = bundle_dict()
    data["listings"][0]["title"] = "西湖龙井 明前特级 手工炒制 250g 礼盒装 送礼佳品"
    data["listings"][0]["skus"][0]["stock"] = -1
    with pytest.raises(BundleError) as caught:
        parse_bundle(json.dumps(data, ensure_ascii=False))
    assert caught.value.errors[0].message.startswith("商品 L100「西湖龙井 明前特级 手工炒制 …」的 SKU L100-0：")


def test_messages_follow_the_active_language() -> None:
    """Chinese source strings go through gettext: an English request reads English (locale/en)."""
    data = bundle_dict()
    data["listings"][2]["skus"][0]["stock"] = "many"
    data["promotion"]["sale_end"] = "2026-11-09T00:00:00+08:00"
    with pytest.raises(BundleError) as caught:
        parse_bundle(json.dumps(data, ensure_ascii=False))
    with translation.override("en"):
        messages = [issue.message for issue in caught.value.errors]
        summary = caught.value.summary()
    assert messages == [
        'Listing L102 “明前龙井 250g 第2款”, SKU L102-0: Stock must be an integer, got "many"',
        "Promotion “2026 双11”: Sale end must be after Sale start (2026-11-10 20:00)",
    ]
    assert summary == "Errors in the bundle: 2"
    with translation.override("zh-hans"):
        assert caught.value.errors[0].problem == '库存应为整数，收到 "many"'


def test_an_unparsable_url_is_an_error_not_a_crash() -> None:
    data = bundle_dict()
    data["listings"][0]["images"] = [{"url": "http://["}]
    with pytest.raises(BundleError) as caught:
        parse_bundle(json.dumps(data))
    assert [issue.path for issue in caught.value.errors] == ["listings[0].images[0].url"]


def test_rules_across_fields_survive_any_shape() -> None:
    """The rules across fields read the decoded data as it is: odd shapes are the type check's to report."""
    shapes: list[Any] = [None, 5, "x", [], {}, [None, 3, "s"], {"id": 5}]
    for shape in shapes:
        data = bundle_dict()
        data["couriers"] = shape
        data["listings"][0]["skus"] = shape
        data["listings"][1]["images"] = shape
        data["promotion"]["presale_start"] = shape
        data["listings"][2]["skus"][0]["price_history"] = shape
        try:
            parse_bundle(json.dumps(data))
        except BundleError as exc:
            assert exc.errors and all(issue.message for issue in exc.errors)


def test_english_names_the_received_kind_and_the_subject() -> None:
    data = bundle_dict()
    data["listings"][1]["specs"] = ["净含量"]
    del data["listings"][0]["id"]
    with pytest.raises(BundleError) as caught:
        parse_bundle(json.dumps(data, ensure_ascii=False))
    with translation.override("en"):
        messages = {issue.path: issue.message for issue in caught.value.errors}
    assert messages["listings[0].id"] == "Listing 1: Listing ID is missing"
    assert messages["listings[1].specs"].endswith(": Specs must be an object, got an array")
    assert not any(ch >= "\u4e00" and ch <= "\u9fff" for ch in messages["listings[0].id"])


def test_an_item_of_the_wrong_kind_is_named_by_its_place() -> None:
    data = bundle_dict()
    data["couriers"][0] = 5
    data["listings"][0]["skus"][0] = "x"
    with pytest.raises(BundleError) as caught:
        parse_bundle(json.dumps(data, ensure_ascii=False))
    assert caught.value.lines() == [
        "第 1 个快递：应为对象，收到 5（couriers[0]）",
        '商品 L100「明前龙井 250g 第0款」的第 1 个 SKU：应为对象，收到 "x"（listings[0].skus[0]）',
    ]
    with translation.override("en"):
        assert caught.value.errors[0].message == "Courier 1: must be an object, got 5"
