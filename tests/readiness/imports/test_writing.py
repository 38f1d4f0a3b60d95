"""Importing bundles: idempotent, archives what disappears, all or nothing, set-based."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from readiness import models
from readiness.imports.bundle import parse_bundle
from readiness.imports.writing import bundle_import
from tests.factories import bundle_dict

pytestmark = pytest.mark.django_db

TABLES = [
    models.Shop,
    models.Promotion,
    models.CourierPlan,
    models.ServicePlan,
    models.Listing,
    models.Sku,
    models.InboundShipment,
    models.PriceHistory,
    models.Gift,
    models.Rebate,
]


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every imported table, so tests can compare whole database states."""
    return {m.__name__: sorted(m.objects.values_list(), key=repr) for m in TABLES}


def do_import(data: dict[str, Any]) -> Any:
    return bundle_import(parsed=parse_bundle(json.dumps(data, ensure_ascii=False)))


def test_import_creates_everything(bundle: dict[str, Any]) -> None:
    summary = do_import(bundle)
    assert (summary.listings.created, summary.skus.created) == (3, 6)
    shop = models.Shop.objects.get(code="acme-tmall")
    promotion = shop.promotions.get(code="d11-2026")
    assert promotion.couriers.count() == 2
    assert promotion.service.cs_agents == 25
    sku = models.Sku.objects.get(code="L100-0")
    assert str(sku.price) == "59.90"
    assert sku.inbound.get().units == 500
    assert [p.date.day for p in sku.price_history.all()] == [3, 4, 5, 6, 7, 8, 9]
    assert models.Gift.objects.filter(listing__shop=shop).count() == 3


def test_a_shop_without_a_name_is_named_by_its_code(bundle: dict[str, Any]) -> None:
    # found by the bundle fuzzing (test_writing_fuzz): an empty name passed the format and failed the model (a 500)
    bundle["shop"]["name"] = ""
    do_import(bundle)
    assert models.Shop.objects.get(code="acme-tmall").name == "acme-tmall"


def test_reimport_changes_nothing(bundle: dict[str, Any]) -> None:
    do_import(bundle)
    before = snapshot()
    summary = do_import(bundle)
    assert snapshot() == before
    assert (summary.listings.unchanged, summary.listings.updated, summary.listings.created) == (3, 0, 0)
    assert (summary.skus.unchanged, summary.skus.updated) == (6, 0)


def test_reimport_updates_only_what_changed(bundle: dict[str, Any]) -> None:
    do_import(bundle)
    bundle["listings"][1]["title"] = "新标题"
    bundle["listings"][2]["skus"][0]["stock"] = 5
    bundle["listings"][2]["gifts"] = []
    summary = do_import(bundle)
    assert (summary.listings.updated, summary.skus.updated) == (1, 1)
    assert models.Listing.objects.get(listing_id="L101").title == "新标题"
    assert models.Sku.objects.get(code="L102-0").stock == 5
    assert not models.Gift.objects.filter(listing__listing_id="L102").exists()
    assert models.Gift.objects.filter(listing__listing_id="L101").count() == 1


def test_listing_missing_from_later_bundle_is_archived_then_restored(bundle: dict[str, Any]) -> None:
    do_import(bundle)
    removed = bundle["listings"].pop(1)
    summary = do_import(bundle)
    assert summary.listings.archived == 1
    listing = models.Listing.objects.get(listing_id="L101")
    assert listing.archived_at is not None
    assert listing.skus.count() == 2  # its SKUs and history are kept
    assert models.Listing.objects.active().count() == 2

    bundle["listings"].append(removed)
    summary = do_import(bundle)
    assert summary.listings.updated == 1
    assert models.Listing.objects.get(listing_id="L101").archived_at is None


def test_sku_missing_from_later_bundle_is_archived(bundle: dict[str, Any]) -> None:
    do_import(bundle)
    bundle["listings"][0]["skus"].pop()
    summary = do_import(bundle)
    assert summary.skus.archived == 1
    assert models.Sku.objects.get(code="L100-1").archived_at is not None


def test_error_in_last_listing_leaves_nothing_written(bundle: dict[str, Any]) -> None:
    do_import(bundle)
    before = snapshot()
    bundle["listings"][0]["title"] = "改过的标题"
    bundle["listings"].append(bundle_dict(listings=4)["listings"][3])
    bundle["listings"][-1]["skus"][0]["stock"] = "lots"
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        _run_stdin(bundle, out, err)
    assert exit_info.value.code == 2
    assert "商品 L103「明前龙井 250g 第3款」的 SKU L103-0：库存应为整数" in err.getvalue()
    assert "（listings[3].skus[0].stock）" in err.getvalue()
    assert "nothing was imported" in err.getvalue()
    assert snapshot() == before


def _run_stdin(data: dict[str, Any], out: io.StringIO, err: io.StringIO) -> None:
    import sys

    raw = json.dumps(data, ensure_ascii=False).encode()
    stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(raw))
    try:
        call_command("import_bundle", "-", stdout=out, stderr=err)
    finally:
        sys.stdin = stdin


def test_database_error_mid_import_rolls_back(bundle: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Atomicity does not rely on validation alone: a failure after rows were written rolls everything back."""
    from readiness.imports import writing

    do_import(bundle)
    before = snapshot()
    bundle["listings"][0]["title"] = "已修改"
    bundle["listings"].append(bundle_dict(listings=5)["listings"][4])

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(writing, "_import_price_history", boom)
    with pytest.raises(RuntimeError):
        do_import(bundle)
    assert snapshot() == before


def test_command_prints_summary(bundle: dict[str, Any], tmp_path: Path) -> None:
    file = tmp_path / "bundle.json"
    bundle["listings"][0]["extra"] = 1
    file.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_bundle", str(file), stdout=out, stderr=err)
    assert out.getvalue().strip() == (
        "已导入 acme-tmall/d11-2026：商品 新建 3、更新 0、归档 0、未变 0；SKU 新建 6、更新 0、归档 0、未变 0；1 条提醒"
    )
    assert "warning: 未知字段「extra」，已忽略（listings[0].extra）" in err.getvalue()


def test_command_rejects_missing_file(tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such file"):
        call_command("import_bundle", str(tmp_path / "nope.json"))


def _count_queries(data: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        do_import(data)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("phase", ["first import", "re-import with every row changed"])
def test_query_count_does_not_grow_with_listings(phase: str, django_assert_max_num_queries: Any) -> None:
    # SQLite caps one statement at 999 parameters in Django 5.2, so Django splits bulk writes there: keep the
    # big bundle under one batch on SQLite; on PostgreSQL (CI) it is ten times bigger.
    big = 100 if connection.vendor == "postgresql" else 10
    counts = []
    for n in (2, big):
        models.Shop.objects.all().delete()
        small_first = bundle_dict(listings=n, skus=1)
        if phase != "first import":
            do_import(small_first)
            for listing in small_first["listings"]:
                listing["title"] += "（新）"
                listing["skus"][0]["stock"] += 1
                listing["skus"][0]["inbound"][0]["units"] += 1
                listing["skus"][0]["price_history"][0]["lowest_price"] = "61.00"
                listing["gifts"][0]["stock"] += 1
                listing["rebates"][0]["text"] += "!"
        counts.append(_count_queries(small_first))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(counts[0]):
        do_import(bundle_dict(listings=big, skus=1))
