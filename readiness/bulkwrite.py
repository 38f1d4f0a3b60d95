"""Set-based inserts: one statement per table, whatever the number of rows."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from django.db import connection
from psycopg import sql


def insert_rows(model: type[Any], fields: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert plain rows in one statement per table.

    On PostgreSQL this is ``COPY … FROM STDIN`` (psycopg 3): one round trip whatever the size, and no model
    instance per row, which is what makes 100k SKUs with their price history import in seconds. Elsewhere it is
    ``bulk_create``.
    """
    if not rows:
        return
    meta = model._meta
    if connection.vendor != "postgresql":
        attnames = [meta.get_field(name).attname for name in fields]
        model.objects.bulk_create(model(**dict(zip(attnames, row, strict=True))) for row in rows)
        return
    columns = [meta.get_field(name).column for name in fields]
    json_columns = {i for i, name in enumerate(fields) if meta.get_field(name).get_internal_type() == "JSONField"}
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with connection.cursor() as cursor:
        # Go through Django's debug wrapper when it is active, so query counts in tests include the COPY.
        logged = cursor.debug_sql(f"COPY {meta.db_table} ({len(rows)} rows)") if hasattr(cursor, "debug_sql") else None
        with logged or contextlib.nullcontext(), cursor.cursor.copy(statement) as copy:
            for row in rows:
                if json_columns:
                    row = tuple(
                        json.dumps(v, ensure_ascii=False) if i in json_columns else v for i, v in enumerate(row)
                    )
                copy.write_row(row)
