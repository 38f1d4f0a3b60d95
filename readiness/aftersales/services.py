"""Writes: after-sale records and paid orders of a shop, upserted set-based in one transaction.

Records are upserted by (shop, 退款编号): a re-import updates what changed and leaves the rest, so importing the
same file twice changes nothing. Paid orders are upserted by (shop, 日期, 商品ID).

On PostgreSQL records and paid orders go through ``COPY`` into a temporary table and one ``INSERT … SELECT … ON
CONFLICT DO UPDATE … WHERE (…) IS DISTINCT FROM (…)``: four statements per table whatever the number of rows, no
model instance per row, and the count of changed rows comes back from the database. Elsewhere (SQLite) ``bulk_create`` with
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
    existing, written = _copy_upsert(
        AfterSaleRecord,
        ["shop", *RECORD_FIELDS],
        ["shop", "refund_id"],
        (_record_tuple(shop.pk, row) for row in rows),
        len(rows),
        touch="imported_at",
    )
    created = len(rows) - existing
    return created, written - created


def _copy_upsert(
    model: Any,
    fields: list[str],
    key: list[str],
    rows: Iterable[tuple[Any, ...]],
    count: int,
    *,
    touch: str | None = None,
) -> tuple[int, int]:
    """Upsert rows by ``key`` in four statements whatever their number: COPY into a temporary table, count the
    keys that exist, one INSERT … ON CONFLICT DO UPDATE that writes only rows that differ, drop the table.
    Returns (rows whose key existed, rows written)."""
    meta = model._meta
    table = sql.Identifier(meta.db_table)
    column = {f: meta.get_field(f).column for f in fields}
    ident = [sql.Identifier(column[f]) for f in fields]
    data = [sql.Identifier(column[f]) for f in fields if f not in key]
    keys = [sql.Identifier(column[f]) for f in key]
    tmp = sql.Identifier(f"import_{meta.db_table}")
    stamp = sql.Identifier(meta.get_field(touch).column) if touch else None
    with connection.cursor() as cursor:
        raw = cursor.connection

        def run(statement: sql.Composable) -> None:
            cursor.execute(statement.as_string(raw))

        run(
            sql.SQL("CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA").format(
                tmp, sql.SQL(", ").join(ident), table
            )
        )
        logged = (
            cursor.debug_sql(f"COPY {meta.db_table} import ({count} rows)") if hasattr(cursor, "debug_sql") else None
        )
        copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(tmp, sql.SQL(", ").join(ident))
        with logged or contextlib.nullcontext(), cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(row)
        join = sql.SQL(" AND ").join(sql.SQL("r.{k} = t.{k}").format(k=k) for k in keys)
        run(sql.SQL("SELECT count(*) FROM {} t JOIN {} r ON {}").format(tmp, table, join))
        existing = cursor.fetchone()[0]
        updates = [sql.SQL("{c} = EXCLUDED.{c}").format(c=c) for c in data]
        insert_cols, select_cols = list(ident), list(ident)
        if stamp is not None:
            updates.append(sql.SQL("{} = now()").format(stamp))
            insert_cols.append(stamp)
            select_cols.append(sql.SQL("now()"))
        run(
            sql.SQL(
                "INSERT INTO {table} ({cols}) SELECT {values} FROM {tmp} ON CONFLICT ({keys}) DO UPDATE SET {updates} "
                "WHERE ({old}) IS DISTINCT FROM ({new})"
            ).format(
                table=table,
                cols=sql.SQL(", ").join(insert_cols),
                values=sql.SQL(", ").join(select_cols),
                tmp=tmp,
                keys=sql.SQL(", ").join(keys),
                updates=sql.SQL(", ").join(updates),
                old=sql.SQL(", ").join(sql.SQL("{}.{}").format(table, c) for c in data),
                new=sql.SQL(", ").join(sql.SQL("EXCLUDED.{}").format(c) for c in data),
            )
        )
        written = cursor.rowcount
        run(sql.SQL("DROP TABLE {}").format(tmp))
    return existing, written


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
    if connection.vendor == "postgresql":
        _copy_upsert(
            PaidOrders,
            ["shop", "date", "listing_id", "orders"],
            ["shop", "date", "listing_id"],
            ((shop.pk, row.date, row.listing_id, row.orders) for row in parsed.orders),
            len(parsed.orders),
        )
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
