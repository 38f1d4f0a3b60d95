"""The column mapping a shop last used for its spreadsheets (``ImportMapping``), so that the next upload of the
same back-office export needs no adjusting.

The one write here is a thin upsert of a preference, not a domain change; it belongs in ``services`` if
anything but this page ever writes it.
"""

from __future__ import annotations

from readiness.models import ImportMapping, Shop


def remembered_mapping(shop: Shop) -> dict[str, str]:
    row = ImportMapping.objects.filter(shop=shop).values_list("mapping", flat=True).first()
    return dict(row) if isinstance(row, dict) else {}


def remember_mapping(shop: Shop, mapping: dict[str, str]) -> None:
    """Store the shop's mapping, merged over what it had (headers of other exports stay remembered)."""
    merged = remembered_mapping(shop) | mapping
    ImportMapping.objects.update_or_create(shop=shop, defaults={"mapping": merged})
