"""One lock per shop for the writes that must not interleave: an import of a shop's catalogue, and the start and
the finish of a scan of it (issue 15, items 15 and 16).

On PostgreSQL it is a transaction-level advisory lock keyed by the shop's code (so it also serialises two imports
of a shop that does not exist yet, which a row lock could not): taken inside ``transaction.atomic`` and released
when that transaction ends. ``wait=False`` refuses at once when another transaction holds it (a web request must
not wait for an import). Elsewhere (SQLite, which lets one writer in at a time anyway) it is a no-op.
"""

from __future__ import annotations

import hashlib

from django.db import connection

from readiness.services.errors import Conflict

# The first key of every advisory lock this application takes (two-key form): "d11r".
NAMESPACE = 0x64313172


class ShopBusy(Conflict):
    """Another transaction holds the shop's lock (an import, or a scan being started or finished)."""


def _key(shop_code: str) -> int:
    return int.from_bytes(hashlib.blake2b(shop_code.encode(), digest_size=4).digest(), "big", signed=True)


def shop_lock(shop_code: str, *, wait: bool = True) -> None:
    """Take the shop's lock for the rest of the current transaction (must be inside ``transaction.atomic``)."""
    if connection.vendor != "postgresql":
        return
    assert connection.in_atomic_block, "shop_lock is released at the end of a transaction: take it inside one"
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [NAMESPACE, _key(shop_code)])
            return
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [NAMESPACE, _key(shop_code)])
        if not cursor.fetchone()[0]:
            raise ShopBusy(f"shop {shop_code!r} is being imported; try again when the import has finished")
