"""Writes: after-sale records and paid orders of a shop, upserted set-based in one transaction.

Records are upserted by (shop, 退款编号): a re-import updates what changed and leaves the rest, so importing the
same file twice changes nothing. Paid orders are upserted by (shop, 日期, 商品ID).

On PostgreSQL the records go through ``COPY`` into a temporary table and one ``INSERT … SELECT … ON CONFLICT DO
UPDATE … WHERE (…) IS DISTINCT FROM (…)``: three statements whatever the number of rows, no model instance per
row, and the count of changed rows comes back from the database. Elsewhere (SQLite) ``bulk_create`` with
``update_conflicts`` does the same in batches.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from psycopg import sql

from readiness.aftersales.files import file_tables
from readiness.aftersales.models import AfterSaleRecord, PaidOrders
from readiness.aftersales.records import (
    RECORD_FIELDS,
    Parsed,
    RecordsError,
    RowIssue,
    Table,
    json_tables,
    parse_tables,
)
from readiness.models import Shop

BATCH = 2000


@dataclasses.dataclass(frozen=True, slots=True)
class ImportSummary:
    shop: str
    records: int
    created: int
    changed: int
    order_days: int
    warnings: tuple[str, ...] = ()

    @property
    def unchanged(self) -> int:
        return self.records - self.created - self.changed

    def line(self) -> str:
        return (
            f"{self.shop}: 售后记录 {self.records} 条（新增 {self.created}，更新 {self.changed}，未变 {self.unchanged}），"
            f"支付订单 {self.order_days} 行"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "shop": self.shop,
            "records": self.records,
            "created": self.created,
            "updated": self.changed,
            "unchanged": self.unchanged,
            "paid_order_rows": self.order_days,
            "warnings": list(self.warnings),
        }


def after_sales_import_files(*, shop: Shop, files: Sequence[tuple[str, bytes]]) -> ImportSummary:
    """Import files (name, bytes) of records and/or paid orders: all of them or nothing (RecordsError)."""
    tables: list[Table] = []
    errors: list[RowIssue] = []
    for name, raw in files:
        found, problems = file_tables(raw, name)
        tables += found
        errors += problems
        if not found and not problems:
            errors.append(RowIssue(name, "文件中没有表格"))
    if errors:
        raise RecordsError(errors)
    return after_sales_import(shop=shop, parsed=parse_tables(tables))


def after_sales_import_json(*, shop: Shop, data: Any) -> ImportSummary:
    """Import the JSON rows of the API (``{"records": [...], "paid_orders": [...]}``), all or nothing."""
    tables, errors = json_tables(data)
    if errors:
        raise RecordsError(errors)
    return after_sales_import(shop=shop, parsed=parse_tables(tables))


def after_sales_import(*, shop: Shop, parsed: Parsed) -> ImportSummary:
    """Write parsed rows in one transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            created, changed = _upsert_records_postgres(shop, parsed.records)
        else:
            created, changed = _upsert_records_bulk(shop, parsed.records)
        _upsert_orders(shop, parsed)
    return ImportSummary(
        shop=shop.code,
        records=len(parsed.records),
        created=created,
        changed=changed,
        order_days=len(parsed.orders),
        warnings=tuple(dict.fromkeys(str(w) for w in parsed.warnings)),
    )


_DATA_FIELDS = [f for f in RECORD_FIELDS if f != "refund_id"]


def _record_tuple(shop_id: int, row: Any) -> tuple[Any, ...]:
    return (shop_id, *(getattr(row, f) for f in RECORD_FIELDS))


def _upsert_records_postgres(shop: Shop, rows: Sequence[Any]) -> tuple[int, int]:
    if not rows:
        return 0, 0
    meta = AfterSaleRecord._meta
    table = sql.Identifier(meta.db_table)
    fields = ["shop", *RECORD_FIELDS]
    columns = [meta.get_field(f).column for f in fields]
    data_columns = [meta.get_field(f).column for f in _DATA_FIELDS]
    ident = [sql.Identifier(c) for c in columns]
    tmp = sql.Identifier("aftersale_import")
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA")
            .format(tmp, sql.SQL(", ").join(ident), table)
            .as_string(cursor.connection)
        )
        logged = cursor.debug_sql(f"COPY aftersale_import ({len(rows)} rows)") if hasattr(cursor, "debug_sql") else None
        copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(tmp, sql.SQL(", ").join(ident))
        with logged or contextlib.nullcontext(), cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(_record_tuple(shop.pk, row))
        cursor.execute(
            sql.SQL("SELECT count(*) FROM {} t JOIN {} r ON r.shop_id = t.shop_id AND r.refund_id = t.refund_id")
            .format(tmp, table)
            .as_string(cursor.connection)
        )
        existing = cursor.fetchone()[0]
        updates = sql.SQL(", ").join(
            sql.SQL("{} = EXCLUDED.{}").format(sql.Identifier(c), sql.Identifier(c)) for c in data_columns
        )
        old = sql.SQL(", ").join(sql.SQL("{}.{}").format(table, sql.Identifier(c)) for c in data_columns)
        new = sql.SQL(", ").join(sql.SQL("EXCLUDED.{}").format(sql.Identifier(c)) for c in data_columns)
        cursor.execute(
            sql.SQL(
                "INSERT INTO {table} ({cols}, imported_at) SELECT {cols}, now() FROM {tmp} "
                "ON CONFLICT (shop_id, refund_id) DO UPDATE SET {updates}, imported_at = now() "
                "WHERE ({old}) IS DISTINCT FROM ({new})"
            )
            .format(table=table, cols=sql.SQL(", ").join(ident), tmp=tmp, updates=updates, old=old, new=new)
            .as_string(cursor.connection)
        )
        written = cursor.rowcount
        cursor.execute(sql.SQL("DROP TABLE {}").format(tmp).as_string(cursor.connection))
    created = len(rows) - existing
    return created, written - created


def _upsert_records_bulk(shop: Shop, rows: Sequence[Any]) -> tuple[int, int]:
    if not rows:
        return 0, 0
    incoming = {row.refund_id: row for row in rows}
    existing = {}
    ids = list(incoming)
    for start in range(0, len(ids), 500):
        for values in AfterSaleRecord.objects.filter(shop=shop, refund_id__in=ids[start : start + 500]).values(
            *RECORD_FIELDS
        ):
            existing[values["refund_id"]] = values
    created = sum(1 for key in incoming if key not in existing)
    changed = sum(
        1 for key, values in existing.items() if any(values[f] != getattr(incoming[key], f) for f in _DATA_FIELDS)
    )
    AfterSaleRecord.objects.bulk_create(
        (AfterSaleRecord(shop=shop, **{f: getattr(row, f) for f in RECORD_FIELDS}) for row in rows),
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["shop", "refund_id"],
        update_fields=[*_DATA_FIELDS, "imported_at"],
    )
    return created, changed


def _upsert_orders(shop: Shop, parsed: Parsed) -> None:
    if not parsed.orders:
        return
    PaidOrders.objects.bulk_create(
        _order_objects(shop, parsed.orders),
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["shop", "date", "listing_id"],
        update_fields=["orders"],
    )


def _order_objects(shop: Shop, rows: Iterable[Any]) -> Iterable[PaidOrders]:
    for row in rows:
        yield PaidOrders(shop=shop, date=row.date, listing_id=row.listing_id, orders=row.orders)
