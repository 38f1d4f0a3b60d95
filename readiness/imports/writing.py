"""Importing a validated readiness bundle: one transaction, set-based, idempotent.

Existing rows of the shop are read once per table, compared with the bundle in memory, and only what differs
is written (``bulk_create`` / ``bulk_update`` / one ``UPDATE`` or ``DELETE`` per table). Importing the same
bundle twice therefore writes nothing the second time. Listings and SKUs that disappear from a bundle are
archived, never deleted, so their findings, waivers and history survive; a listing that comes back is
restored.

The number of queries does not depend on the number of listings on PostgreSQL (one statement per table and
operation). SQLite caps a statement at 999 parameters in Django 5.2, so Django splits large bulk writes there.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from readiness.bulkwrite import insert_rows
from readiness.imports import bundle as b
from readiness.models import (
    LISTING_PLAN_FIELDS,
    CourierPlan,
    Gift,
    ImageSource,
    InboundShipment,
    Listing,
    ListingImage,
    PriceHistory,
    Promotion,
    Rebate,
    ServicePlan,
    Shop,
    Sku,
)
from readiness.services.images import image_blob_store
from readiness.services.locks import shop_lock


@dataclasses.dataclass(slots=True)
class Counts:
    created: int = 0
    updated: int = 0
    archived: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.archived} archived, {self.unchanged} unchanged"


@dataclasses.dataclass(slots=True)
class ImportSummary:
    shop: Shop
    promotion: Promotion
    listings: Counts
    skus: Counts
    warnings: list[b.BundleIssue]

    def line(self) -> str:
        return (
            f"imported {self.shop.code}/{self.promotion.code}: listings {self.listings}; SKUs {self.skus}; "
            f"{len(self.warnings)} warning(s)"
        )


SKU_FIELDS = [
    "name",
    "price",
    "list_price",
    "list_price_basis",
    "stock",
    "forecast_units",
    "safety_stock",
    "position",
]
COURIER_FIELDS = ["name", "planned_share", "daily_capacity", "regions", "supports_intercept"]
PROMOTION_FIELDS = [
    "name",
    "presale_start",
    "final_payment_start",
    "sale_start",
    "sale_end",
    "expected_orders",
    "destinations",
]
SERVICE_FIELDS = [
    "auto_refund_unshipped",
    "auto_accept_returns",
    "cs_agents",
    "dispute_refund_rate",
    "refund_self_completion_rate",
    "roles",
    "auto_refund_shipped",
    "fast_refund_plan",
]


def _changed(obj: Any, values: dict[str, Any]) -> bool:
    """Set ``values`` on ``obj``; return whether anything differed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _listing_values(data: b.ListingData) -> dict[str, Any]:
    presale = data.presale or b.PresaleData()
    return {
        "category": data.category,
        "title": data.title,
        "subtitle": data.subtitle,
        "description": data.description,
        "specs": dict(data.specs),
        "presale_enabled": presale.enabled,
        "presale_ship_by": presale.ship_by,
        "presale_label": presale.label,
    }


def _sku_values(data: b.SkuData, position: int) -> dict[str, Any]:
    return {
        "name": data.name,
        "price": data.price,
        "list_price": data.list_price,
        "list_price_basis": data.list_price_basis or "",
        "stock": data.stock,
        "forecast_units": data.forecast_units,
        "safety_stock": data.safety_stock,
        "position": position,
    }


def _promotion_values(data: b.PromotionData) -> dict[str, Any]:
    return {
        "name": data.name or data.code,
        "presale_start": data.presale_start,
        "final_payment_start": data.final_payment_start,
        "sale_start": data.sale_start,
        "sale_end": data.sale_end,
        "expected_orders": data.expected_orders,
        "destinations": dict(data.destinations),
    }


def _courier_values(data: b.CourierData) -> dict[str, Any]:
    from decimal import Decimal

    return {
        "name": data.name or data.code,
        "planned_share": Decimal(str(data.planned_share)).quantize(Decimal("0.0001")),
        "daily_capacity": data.daily_capacity,
        "regions": list(data.regions),
        "supports_intercept": data.supports_intercept,
    }


# After a large first import the planner's statistics say the tables are empty, and the scan that follows
# would join with nested loops over seconds; refresh them (ANALYZE samples, it costs well under a second).
ANALYZE_AFTER_ROWS = 1000


def _analyze() -> None:
    if connection.vendor != "postgresql":
        return
    tables = [m._meta.db_table for m in (Listing, Sku, InboundShipment, PriceHistory, Gift, Rebate)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def _upsert_one(model: type[Any], lookup: dict[str, Any], values: dict[str, Any], fields: list[str]) -> Any:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
    elif _changed(obj, values):
        obj.full_clean()
        obj.save(update_fields=[*fields, *(["updated_at"] if hasattr(obj, "updated_at") else [])])
    return obj


@transaction.atomic
def bundle_import(*, parsed: b.ParsedBundle, image_root: Path | None = None) -> ImportSummary:
    """Write a validated bundle to the database, all or nothing. See the module docstring.

    Imports of one shop run one at a time (the shop's lock, held until this transaction ends: a second import
    waits, then finds the first one's rows), and each bumps the shop's catalogue version, so a scan that ran
    meanwhile is not recorded as complete (``scans.scan_run_finish``).

    ``image_root`` is the bundle file's folder: ``images[].path`` files are read from it (and must stay inside
    it); without one a bundle with ``path`` pictures is refused (BundleError naming each path).
    """
    data = parsed.bundle
    shop_lock(data.shop.code)
    writes = _WriteWatch()
    with connection.execute_wrapper(writes):
        summary, images_changed = _write_bundle(parsed, data, image_root)
    # COPY goes around the wrapper: new listings, SKUs and pictures are counted instead
    if writes.seen or summary.listings.created or summary.skus.created or images_changed:
        Shop.objects.filter(pk=summary.shop.pk).update(catalogue_version=F("catalogue_version") + 1)
    return summary


class _WriteWatch:
    """Sees whether the import wrote anything (a re-import of the same bundle writes nothing and must not look
    like a change of catalogue to a scan in progress)."""

    def __init__(self) -> None:
        self.seen = False

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if not self.seen and not sql.lstrip()[:6].upper().startswith(("SELECT", "ANALYZ", "SAVEPO", "RELEAS")):
            self.seen = True
        return execute(sql, params, many, context)


def _write_bundle(parsed: b.ParsedBundle, data: b.Bundle, image_root: Path | None) -> tuple[ImportSummary, bool]:
    now = timezone.now()
    shop = _upsert_one(
        Shop,
        {"code": data.shop.code},
        # an empty name is the code, as for a promotion and a courier (the model requires one)
        {"name": data.shop.name or data.shop.code, "platform": data.shop.platform},
        ["name", "platform"],
    )
    promotion = _upsert_one(
        Promotion,
        {"shop": shop, "code": data.promotion.code},
        _promotion_values(data.promotion),
        PROMOTION_FIELDS,
    )
    _import_couriers(promotion, data.couriers)
    if data.service is not None:
        _upsert_one(
            ServicePlan,
            {"promotion": promotion},
            {f: getattr(data.service, f) for f in SERVICE_FIELDS},
            SERVICE_FIELDS,
        )

    listing_counts, listings = _import_listings(shop, data.listings, now)
    sku_counts, skus = _import_skus(shop, listings, data.listings, now)
    _replace_children(
        skus,
        InboundShipment.objects.filter(sku__listing__shop=shop),
        "sku",
        _inbound_rows(data.listings),
        ("units", "arrives"),
    )
    _import_price_history(shop, skus, data.listings)
    _replace_children(
        listings,
        Gift.objects.filter(listing__shop=shop),
        "listing",
        _gift_rows(data.listings),
        ("name", "sku_code", "stock", "per_order", "first_n", "described_on_page"),
    )
    _replace_children(
        listings,
        Rebate.objects.filter(listing__shop=shop),
        "listing",
        _rebate_rows(data.listings),
        ("kind", "text", "official_activity_id"),
    )
    images_changed = _import_images(listings, data.listings, image_root)
    if listing_counts.created + sku_counts.created >= ANALYZE_AFTER_ROWS:
        _analyze()
    summary = ImportSummary(
        shop=shop, promotion=promotion, listings=listing_counts, skus=sku_counts, warnings=parsed.warnings
    )
    return summary, images_changed


def _import_couriers(promotion: Promotion, couriers: list[b.CourierData]) -> None:
    existing = {c.code: c for c in CourierPlan.objects.filter(promotion=promotion)}
    create, update = [], []
    for data in couriers:
        values = _courier_values(data)
        obj = existing.pop(data.code, None)
        if obj is None:
            create.append(CourierPlan(promotion=promotion, code=data.code, **values))
        elif _changed(obj, values):
            update.append(obj)
    CourierPlan.objects.bulk_create(create)
    CourierPlan.objects.bulk_update(update, COURIER_FIELDS)
    # A courier plan is a plan: a courier dropped from it is simply no longer planned.
    if existing:
        CourierPlan.objects.filter(pk__in=[c.pk for c in existing.values()]).delete()


def _import_listings(shop: Shop, listings: list[b.ListingData], now: Any) -> tuple[Counts, dict[str, int]]:
    """Upsert listings by id; returns the counts and listing id → primary key for the bundle's listings."""
    counts = Counts()
    # Compare plain tuples: a big shop has tens of thousands of listings and model instances cost.
    existing = {
        row[1]: row
        for row in Listing.objects.filter(shop=shop).values_list(
            "pk", "listing_id", "archived_at", *LISTING_PLAN_FIELDS
        )
    }
    create, update = [], []
    for data in listings:
        values = _listing_values(data)
        row = existing.get(data.id)
        if row is None:
            create.append((shop.pk, data.id, *values.values(), now, now))
            counts.created += 1
        elif row[2] is not None or tuple(values.values()) != row[3:]:
            update.append(Listing(pk=row[0], **values, archived_at=None, updated_at=now))
            counts.updated += 1
        else:
            counts.unchanged += 1
    insert_rows(Listing, ["shop", "listing_id", *LISTING_PLAN_FIELDS, "created_at", "updated_at"], create)
    Listing.objects.bulk_update(update, [*LISTING_PLAN_FIELDS, "archived_at", "updated_at"])
    wanted = {data.id for data in listings}
    gone = [row[0] for key, row in existing.items() if key not in wanted and row[2] is None]
    if gone:
        counts.archived = Listing.objects.filter(pk__in=gone).update(archived_at=now, updated_at=now)
    pks = {key: row[0] for key, row in existing.items() if key in wanted}
    if create:
        new = {row[1] for row in create}
        pks.update(row for row in Listing.objects.filter(shop=shop).values_list("listing_id", "pk") if row[0] in new)
    return counts, pks


def _import_skus(
    shop: Shop, listings: dict[str, int], data: list[b.ListingData], now: Any
) -> tuple[Counts, dict[tuple[str, str], int]]:
    """Upsert SKUs by (listing, code); returns the counts and (listing id, SKU code) → primary key."""
    counts = Counts()
    by_pk = {pk: key for key, pk in listings.items()}
    # SKUs of listings archived by this import stay as they are: their listing is archived.
    existing = {
        (by_pk[row[1]], row[2]): row
        for row in Sku.objects.filter(listing__shop=shop).values_list(
            "pk", "listing_id", "code", "archived_at", *SKU_FIELDS
        )
        if row[1] in by_pk
    }
    create, update = [], []
    pks: dict[tuple[str, str], int] = {}
    for listing_data in data:
        listing_pk = listings[listing_data.id]
        for position, sku_data in enumerate(listing_data.skus):
            key = (listing_data.id, sku_data.code)
            values = _sku_values(sku_data, position)
            row = existing.pop(key, None)
            if row is None:
                create.append((listing_pk, sku_data.code, *values.values()))
                counts.created += 1
                continue
            pks[key] = row[0]
            if row[3] is not None or tuple(values.values()) != row[4:]:
                update.append(Sku(pk=row[0], **values, archived_at=None))
                counts.updated += 1
            else:
                counts.unchanged += 1
    insert_rows(Sku, ["listing", "code", *SKU_FIELDS], create)
    Sku.objects.bulk_update(update, [*SKU_FIELDS, "archived_at"])
    gone = [row[0] for row in existing.values() if row[3] is None]
    if gone:
        counts.archived = Sku.objects.filter(pk__in=gone).update(archived_at=now)
    if create:
        new = {(listing_pk, code) for listing_pk, code, *_ in create}
        for pk, listing_pk, code in Sku.objects.filter(listing__shop=shop).values_list("pk", "listing_id", "code"):
            if (listing_pk, code) in new:
                pks[(by_pk[listing_pk], code)] = pk
    return counts, pks


def _inbound_rows(listings: list[b.ListingData]) -> dict[tuple[str, str], list[tuple[Any, ...]]]:
    return {
        (listing.id, sku.code): [(item.units, item.arrives) for item in sku.inbound]
        for listing in listings
        for sku in listing.skus
    }


def _gift_rows(listings: list[b.ListingData]) -> dict[str, list[tuple[Any, ...]]]:
    return {
        listing.id: [
            (g.name, g.sku_code or "", g.stock, g.per_order, g.first_n, g.described_on_page) for g in listing.gifts
        ]
        for listing in listings
    }


def _rebate_rows(listings: list[b.ListingData]) -> dict[str, list[tuple[Any, ...]]]:
    return {
        listing.id: [(r.kind, r.text, r.official_activity_id or "") for r in listing.rebates] for listing in listings
    }


def _replace_children(
    parents: dict[Any, int],
    queryset: Any,
    parent_field: str,
    wanted: dict[Any, list[tuple[Any, ...]]],
    fields: tuple[str, ...],
) -> None:
    """Child lists without a natural key: a parent whose list changed gets its rows replaced, in two statements."""
    model = queryset.model
    parent_ids = {pk: key for key, pk in parents.items()}
    have: dict[Any, list[tuple[Any, ...]]] = {key: [] for key in parents}
    column = f"{parent_field}_id"
    for row in queryset.order_by("pk").values_list(column, *fields):
        if row[0] in parent_ids:  # rows of archived parents are left alone
            have[parent_ids[row[0]]].append(tuple(row[1:]))
    stale = [key for key in parents if have[key] != wanted.get(key, [])]
    if not stale:
        return
    # Only parents that had rows need a DELETE (a first import deletes nothing and sends no id list).
    had_rows = [parents[key] for key in stale if have[key]]
    if had_rows:
        model.objects.filter(**{f"{column}__in": had_rows}).delete()
    insert_rows(model, [parent_field, *fields], [(parents[key], *row) for key in stale for row in wanted.get(key, [])])


def _image_rows(listings: list[b.ListingData], image_root: Path | None) -> dict[str, list[tuple[Any, ...]]]:
    """(position, kind, url, path, sha256 of a path file) per listing; path files are stored as blobs."""
    issues: list[b.BundleIssue] = []
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for i, listing in enumerate(listings):
        out = []
        for j, image in enumerate(listing.images):
            digest = ""
            if image.path is not None:
                where = f"listings[{i}].images[{j}].path"
                try:
                    digest = image_blob_store(data=_path_image(image_root, image.path))
                except ValueError as exc:
                    issues.append(b.BundleIssue(where, str(exc)))
            out.append((j, image.kind, image.url or "", image.path or "", digest))
        rows[listing.id] = out
    if issues:
        raise b.BundleError(issues[: b.MAX_ERRORS], total=len(issues))
    return rows


def _path_image(root: Path | None, path: str) -> bytes:
    if root is None:
        raise ValueError(
            "a picture given by path needs the bundle's folder (manage.py import_bundle FILE); "
            "over the API or the web give a url, or upload it on the listing page"
        )
    base = root.resolve()
    file = (base / path).resolve()
    if not file.is_relative_to(base):
        raise ValueError("expected a path inside the bundle's folder")
    try:
        size = file.stat().st_size
        if size > settings.IMAGE_MAX_BYTES:
            raise ValueError(f"the picture is {size} bytes, more than IMAGE_MAX_BYTES ({settings.IMAGE_MAX_BYTES})")
        return file.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None


def _import_images(listings: dict[str, int], data: list[b.ListingData], image_root: Path | None) -> bool:
    """A listing's bundle pictures are replaced when their list changed (uploaded pictures are kept). A URL
    picture keeps what was fetched for it while its URL stays the same. Returns whether any list changed."""
    wanted = _image_rows(data, image_root)
    parent_ids = {pk: key for key, pk in listings.items()}
    have: dict[str, list[tuple[Any, ...]]] = {key: [] for key in listings}
    rows = ListingImage.objects.filter(listing_id__in=list(parent_ids), source=ImageSource.BUNDLE).order_by(
        "listing_id", "position"
    )
    for listing_pk, position, kind, url, path, digest in rows.values_list(
        "listing_id", "position", "kind", "url", "path", "sha256"
    ):
        have[parent_ids[listing_pk]].append((position, kind, url, path, digest if path else ""))
    stale = [key for key in listings if have[key] != wanted.get(key, [])]
    if not stale:
        return False
    ListingImage.objects.filter(
        listing_id__in=[listings[k] for k in stale if have[k]], source=ImageSource.BUNDLE
    ).delete()
    insert_rows(
        ListingImage,
        ["listing", "source", "position", "kind", "url", "path", "sha256", "fetch_error"],
        [(listings[key], ImageSource.BUNDLE, *row, "") for key in stale for row in wanted.get(key, [])],
    )
    return True


def _import_price_history(shop: Shop, skus: dict[tuple[str, str], int], listings: list[b.ListingData]) -> None:
    """Upsert by (SKU, date). Points absent from a later bundle are kept: they are history."""
    sku_keys = {pk: key for key, pk in skus.items()}
    # Tuples, not model instances: a big shop has hundreds of thousands of points.
    existing = {
        (sku_keys[sku_id], date): (pk, price)
        for pk, sku_id, date, price in PriceHistory.objects.filter(sku__listing__shop=shop).values_list(
            "pk", "sku_id", "date", "lowest_price"
        )
        if sku_id in sku_keys
    }
    create, update = [], []
    for listing in listings:
        for sku_data in listing.skus:
            key = (listing.id, sku_data.code)
            for point in sku_data.price_history:
                found = existing.get((key, point.date))
                if found is None:
                    create.append((skus[key], point.date, point.lowest_price))
                elif found[1] != point.lowest_price:
                    update.append(PriceHistory(pk=found[0], lowest_price=point.lowest_price))
    insert_rows(PriceHistory, ["sku", "date", "lowest_price"], create)
    PriceHistory.objects.bulk_update(update, ["lowest_price"])


def iter_lines(summary: ImportSummary) -> Iterable[str]:
    for warning in summary.warnings:
        yield f"warning: {warning}"
    yield summary.line()
