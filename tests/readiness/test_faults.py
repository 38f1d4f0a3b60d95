"""Faults: nothing lost, nothing stuck, nothing false (issue 15, items 14, 15, 16).

- A database connection dropped mid-chunk or mid-import (psycopg's ``AdminShutdown`` from the COPY path, which
  Django does not wrap as its ``OperationalError``) is retried; a task that finally fails says so, with the reason,
  on its run or job, which never stays ``running`` or ``importing``.
- Imports of one shop run one at a time (the second waits for the first and then finds its rows), and a scan
  that saw the catalogue change under it is not recorded as complete.
- The bundle's limits are the columns' (a value that validates also fits).
"""

from __future__ import annotations

import json
import threading
import typing
from typing import Any
from unittest import mock

import annotated_types
import psycopg
import pytest
from django.db import connection, models, transaction

from readiness import selectors
from readiness.imports import bundle as b
from readiness.imports import writing
from readiness.imports.bundle import BundleError, parse_bundle
from readiness.imports.writing import bundle_import
from readiness.models import (
    CourierPlan,
    Gift,
    ImportJob,
    JobStatus,
    Listing,
    Promotion,
    Rebate,
    RunStatus,
    Shop,
    Sku,
)
from readiness.services import imports, locks, scans
from tests.factories import UserFactory, bundle_dict

POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the shop lock is PostgreSQL's advisory lock (SQLite has one writer)"
)


def _raw(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def _dropped_once(real: Any) -> Any:
    """A stand-in for ``real`` whose first call fails as a server shutdown would (psycopg's own error)."""
    calls = {"n": 0}

    def flaky(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise psycopg.errors.AdminShutdown("terminating connection due to administrator command")
        return real(*args, **kwargs)

    return flaky


# ---- item 14: transient database errors ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_mid_chunk_is_retried_and_the_run_completes() -> None:
    promotion = bundle_import(parsed=parse_bundle(_raw(bundle_dict(listings=6)))).promotion
    reference = scans.scan_run_sync(promotion=promotion)
    with mock.patch("readiness.services.scans.insert_rows", side_effect=_dropped_once(scans.insert_rows)):
        run = scans.scan_run_start(promotion=promotion, chunk_size=3)
    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETE, run.error
    assert max(run.chunks.values_list("attempts", flat=True)) == 2
    assert sorted(run.findings.values_list("fingerprint", flat=True)) == sorted(
        reference.findings.values_list("fingerprint", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_mid_import_is_retried_and_the_job_completes() -> None:
    user = UserFactory()
    with mock.patch("readiness.services.imports.bundle_import", side_effect=_dropped_once(imports.bundle_import)):
        job = imports.import_job_create(raw=_raw(bundle_dict(listings=3)), user=user)
    job.refresh_from_db()
    assert job.status == JobStatus.COMPLETE, job.errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "error",
    [psycopg.errors.AdminShutdown("terminating connection"), RuntimeError("disk full")],
    ids=["database keeps failing", "a bug"],
)
def test_an_import_that_finally_fails_says_why_and_is_not_left_importing(error: Exception) -> None:
    from rest_framework.test import APIClient

    user = UserFactory()
    with mock.patch("readiness.services.imports.bundle_import", side_effect=error), pytest.raises(type(error)):
        imports.import_job_create(raw=_raw(bundle_dict(listings=3)), user=user)
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert str(error) in job.errors[0]["message"]
    client = APIClient()
    client.force_authenticate(user)
    body = client.get(f"/api/v1/jobs/{job.pk}").json()
    assert body["status"] == "failed" and str(error) in body["errors"][0]["message"]


# ---- item 15: limits equal the columns', one import of a shop at a time -------------------------------------------

# bundle field -> the column it is written to
COLUMNS: list[tuple[type, str, type[models.Model], str]] = [
    (b.ShopData, "code", Shop, "code"),
    (b.ShopData, "name", Shop, "name"),
    (b.PromotionData, "code", Promotion, "code"),
    (b.PromotionData, "name", Promotion, "name"),
    (b.CourierData, "code", CourierPlan, "code"),
    (b.CourierData, "name", CourierPlan, "name"),
    (b.ListingData, "id", Listing, "listing_id"),
    (b.ListingData, "category", Listing, "category"),
    (b.ListingData, "title", Listing, "title"),
    (b.ListingData, "subtitle", Listing, "subtitle"),
    (b.PresaleData, "label", Listing, "presale_label"),
    (b.SkuData, "code", Sku, "code"),
    (b.SkuData, "name", Sku, "name"),
    (b.SkuData, "list_price_basis", Sku, "list_price_basis"),
    (b.GiftData, "name", Gift, "name"),
    (b.GiftData, "sku_code", Gift, "sku_code"),
    (b.RebateData, "text", Rebate, "text"),
    (b.RebateData, "official_activity_id", Rebate, "official_activity_id"),
]


def _max_length(annotation: Any) -> int | None:
    """The max_length pydantic enforces on a (possibly Optional, Annotated) string annotation."""
    for arg in typing.get_args(annotation):
        if isinstance(arg, annotated_types.MaxLen):
            return arg.max_length
        metadata = getattr(arg, "metadata", None)
        if metadata:
            for item in metadata:
                if isinstance(item, annotated_types.MaxLen):
                    return item.max_length
        found = _max_length(arg)
        if found is not None:
            return found
    return None


@pytest.mark.parametrize("cls,field,model,column", COLUMNS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_every_bundle_text_limit_is_its_columns(cls: type, field: str, model: type[models.Model], column: str) -> None:
    hints = typing.get_type_hints(cls, vars(b), include_extras=True)
    assert _max_length(hints[field]) == model._meta.get_field(column).max_length, f"{cls.__name__}.{field}"


def test_a_courier_code_or_name_too_long_for_its_column_is_refused_at_validation() -> None:
    data = bundle_dict(listings=1)
    data["couriers"] = [{"code": "z" * 33, "name": "中" * 101, "planned_share": 1.0, "daily_capacity": 100}]
    with pytest.raises(BundleError) as caught:
        parse_bundle(_raw(data))
    assert {i.path for i in caught.value.errors} == {"couriers[0].code", "couriers[0].name"}


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_a_new_shop_at_once_both_succeed_one_after_the_other() -> None:
    """The first import pauses after creating the shop, inside its transaction; the second starts then. Without
    the lock the second inserts the same shop and fails (UniqueViolation) once the first commits."""
    data = bundle_dict(listings=3)
    data["shop"]["code"] = "twice-at-once"
    paused, resume = threading.Event(), threading.Event()
    real = writing._import_couriers
    first_thread = threading.get_ident()

    def pause_first(*args: Any, **kwargs: Any) -> Any:
        if threading.get_ident() == first_thread:
            paused.set()
            assert resume.wait(30)
        return real(*args, **kwargs)

    errors: list[BaseException] = []

    def second() -> None:
        try:
            bundle_import(parsed=parse_bundle(_raw(data)))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    with mock.patch("readiness.imports.writing._import_couriers", side_effect=pause_first):
        worker = threading.Thread(target=lambda: (paused.wait(30), second()))
        worker.start()

        def release() -> None:
            paused.wait(30)
            threading.Event().wait(1)  # the second import is now waiting for the shop's lock
            resume.set()

        releaser = threading.Thread(target=release)
        releaser.start()
        bundle_import(parsed=parse_bundle(_raw(data)))
        worker.join(60)
        releaser.join(60)
    assert errors == []
    assert Shop.objects.filter(code="twice-at-once").count() == 1
    assert Listing.objects.filter(shop__code="twice-at-once").count() == 3
    # the second found the first one's rows: the same bundle again, nothing written, the catalogue unchanged
    assert Shop.objects.get(code="twice-at-once").catalogue_version == 1


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_a_scan_asked_for_during_an_import_is_refused_not_interleaved() -> None:
    promotion = bundle_import(parsed=parse_bundle(_raw(bundle_dict(listings=3)))).promotion
    holding, done = threading.Event(), threading.Event()

    def import_in_progress() -> None:
        with transaction.atomic():
            locks.shop_lock(promotion.shop.code)
            holding.set()
            done.wait(30)
        connection.close()

    holder = threading.Thread(target=import_in_progress)
    holder.start()
    try:
        assert holding.wait(30)
        with pytest.raises(locks.ShopBusy):
            scans.scan_run_start(promotion=promotion, wait=False)
    finally:
        done.set()
        holder.join(30)
    assert not promotion.scan_runs.exists()


# ---- item 16: a scan that saw an import is not recorded as complete ------------------------------------------------


@pytest.mark.django_db
def test_a_scan_during_which_the_catalogue_was_imported_is_not_complete() -> None:
    data = bundle_dict(listings=4)
    promotion = bundle_import(parsed=parse_bundle(_raw(data))).promotion
    before = scans.scan_run_sync(promotion=promotion)

    run = scans.scan_run_create(promotion=promotion, chunk_size=2)
    scans.scan_run_chunk(run_id=run.pk, index=0)
    data["listings"][3]["title"] = "最佳 全网第一 明前龙井"  # the import replaces what chunk 1 will read
    bundle_import(parsed=parse_bundle(_raw(data)))
    scans.scan_run_chunk(run_id=run.pk, index=1)
    run = scans.scan_run_finish(run_id=run.pk)

    assert run.status == RunStatus.FAILED
    assert run.error == scans.CATALOGUE_CHANGED
    assert selectors.latest_run(promotion=promotion) == before  # not in the report, not in the trend


@pytest.mark.django_db
def test_a_scan_without_an_import_meanwhile_completes() -> None:
    promotion = bundle_import(parsed=parse_bundle(_raw(bundle_dict(listings=4)))).promotion
    run = scans.scan_run_sync(promotion=promotion)
    assert run.status == RunStatus.COMPLETE
    assert run.catalogue_version == Shop.objects.get(pk=promotion.shop_id).catalogue_version == 1
