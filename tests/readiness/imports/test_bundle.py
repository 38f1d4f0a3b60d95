"""Bundle validation: each bad input names its JSON path and says what was expected."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from readiness.imports.bundle import MAX_ERRORS, BundleError, parse_bundle
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


BAD = [
    # (mutation, expected path, words the message must contain)
    (_set("listings.2.skus.0.stock", "many"), "listings[2].skus[0].stock", "expected an integer"),
    (_set("listings.2.skus.0.stock", -5), "listings[2].skus[0].stock", "at least 0"),
    (_set("listings.2.skus.0.stock", 1.5), "listings[2].skus[0].stock", "integer"),
    (_set("listings.2.skus.0.stock", True), "listings[2].skus[0].stock", "integer"),
    (_set("listings.0.skus.1.price", 59.9), "listings[0].skus[1].price", "decimal string"),
    (_set("listings.0.skus.1.price", "abc"), "listings[0].skus[1].price", "decimal string"),
    (_set("listings.0.skus.1.price", "-1.00"), "listings[0].skus[1].price", "at least 0"),
    (_set("listings.0.skus.1.price", "9.999"), "listings[0].skus[1].price", "2 decimal places"),
    (_set("listings.0.skus.1.list_price", "Infinity"), "listings[0].skus[1].list_price", "finite"),
    (_delete("listings.1.skus.0.code"), "listings[1].skus[0].code", "required"),
    (_delete("listings.1.id"), "listings[1].id", "required"),
    (_set("listings.1.id", ""), "listings[1].id", "must not be empty"),
    (_set("listings.1.title", "x" * 501), "listings[1].title", "at most 500 characters"),
    (_set("listings.1.title", "含\x00空字符"), "listings[1].title", "NUL"),
    (_set("listings.1.specs", ["净含量", "500g"]), "listings[1].specs", "expected an object"),
    (_set("listings.1.specs", {"净含量": 500}), "listings[1].specs.净含量", "expected a string"),
    (
        _set("listings.0.presale", {"enabled": "yes", "ship_by": "2026-11-15"}),
        "listings[0].presale.enabled",
        "true or false",
    ),
    (
        _set("listings.0.presale", {"enabled": True, "ship_by": "11月15日"}),
        "listings[0].presale.ship_by",
        "ISO 8601 date",
    ),
    (_set("listings.0.presale", {"enabled": True}), "listings[0].presale.ship_by", "required when presale"),
    (
        _set("listings.0.skus.0.inbound", [{"units": 5, "arrives": "soon"}]),
        "listings[0].skus[0].inbound[0].arrives",
        "ISO 8601",
    ),
    (
        _set(
            "listings.0.skus.0.price_history",
            [{"date": "2026-11-01", "lowest_price": "1"}, {"date": "2026-11-01", "lowest_price": "2"}],
        ),
        "listings[0].skus[0].price_history[1].date",
        "duplicate date",
    ),
    (_set("listings.0.gifts.0.per_order", 0), "listings[0].gifts[0].per_order", "at least 1"),
    (_set("listings.0.rebates.0.kind", "cashback"), "listings[0].rebates[0].kind", "review_cashback"),
    (_duplicate_sku, "listings[1].skus[1].code", "duplicate SKU code"),
    (_duplicate_listing, "listings[2].id", "duplicate listing id"),
    (_set("promotion.sale_end", "2026-11-09T00:00:00+08:00"), "promotion.sale_end", "after sale_start"),
    (
        _set("promotion.presale_start", "2026-11-20T00:00:00+08:00"),
        "promotion.final_payment_start",
        "not be before presale_start",
    ),
    (_set("promotion.sale_start", 1762776000), "promotion.sale_start", "ISO 8601"),
    (_delete("promotion.sale_start"), "promotion.sale_start", "required"),
    (_set("promotion.expected_orders", "20000"), "promotion.expected_orders", "expected an integer"),
    (_set("promotion.destinations", {"华东": 0.5, "华南": 0.2}), "promotion.destinations", "add up to 1.0"),
    (_set("promotion.destinations", {"华东": 1.5}), "promotion.destinations.华东", "at most 1"),
    (_set("shop.platform", "amazon"), "shop.platform", "tmall"),
    (_set("shop.code", "有 空格"), "shop.code", "letters, digits"),
    (_delete("shop"), "shop", "required"),
    (_set("couriers.0.planned_share", 0.9), "couriers", "add up to 1.0"),
    (_set("couriers.1.code", "zto"), "couriers[1].code", "duplicate courier code"),
    (_set("couriers.0.daily_capacity", None), "couriers[0].daily_capacity", "expected an integer"),
    (_set("service", {"cs_agents": -1}), "service.cs_agents", "at least 0"),
    (_set("service", {"dispute_refund_rate": 3}), "service.dispute_refund_rate", "at most 1"),
    (_set("listings", {"L1": {}}), "listings", "expected an array"),
    (_set("format", "readiness-bundle/2"), "format", "readiness-bundle/1"),
    (_delete("format"), "format", "readiness-bundle/1"),
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
        (b"\xff\xfe{}", "not UTF-8"),
        (b'{"format": "readiness-bundle/1",', "not valid JSON"),
        (b"", "not valid JSON"),
        (b'{"format": "readiness-bundle/1", "x": NaN}', "NaN is not valid JSON"),
        (b"[]", "JSON object at the top level"),
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
    assert "showing the first 100" in caught.value.summary()


def test_unknown_fields_are_warnings() -> None:
    data = bundle_dict()
    data["listings"][1]["skus"][0]["colour"] = "红"
    data["shop"]["owner"] = "x"
    parsed = parse_bundle(json.dumps(data))
    assert [str(w) for w in parsed.warnings] == [
        "shop.owner: unknown field, ignored",
        "listings[1].skus[0].colour: unknown field, ignored",
    ]


def test_dates_without_zone_are_shanghai() -> None:
    data = bundle_dict()
    data["promotion"]["sale_start"] = "2026-11-10T20:00:00"
    data["listings"][0]["skus"][0]["inbound"] = [{"units": 1, "arrives": "2026-11-05"}]
    parsed = parse_bundle(json.dumps(data)).bundle
    assert parsed.promotion.sale_start.isoformat() == "2026-11-10T20:00:00+08:00"
    assert parsed.listings[0].skus[0].inbound[0].arrives.isoformat() == "2026-11-05T00:00:00+08:00"
