"""Scanning one listing: which fields are read, what the rules learn from the listing, all scanners merged."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from scanners.context import ListingContext
from scanners.findings import Finding
from scanners.normalize import normalize_term
from scanners.options import ScanOptions
from scanners.wording import scan_fields

# Spec names whose values are the product's own names: a term inside them is a name, not a claim, and the
# same name is allowed wherever it appears in the listing ("极米" the brand, "TOP-1" the model).
NAME_SPECS = frozenset(
    normalize_term(n)
    for n in (
        "品牌",
        "品牌名称",
        "品牌名",
        "商标",
        "注册商标",
        "型号",
        "产品型号",
        "规格型号",
        "货号",
        "款号",
        "系列",
        "产品系列",
        "brand",
        "model",
        "series",
        "trademark",
    )
)


def _text(value: Any) -> str | None:
    if type(value) is str:
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    return None


def listing_fields(listing: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The ``(field, value)`` pairs of a listing that the wording scanner reads, in output order."""
    fields: list[tuple[str, str]] = []
    get = listing.get
    for name in ("title", "subtitle", "description"):
        v = get(name)
        if v and type(v) is str:
            fields.append((name, v))
    specs = get("specs")
    if specs and (type(specs) is dict or isinstance(specs, Mapping)):
        for k, v in specs.items():
            s = v if type(v) is str else _text(v)
            if s:
                fields.append(("specs." + str(k), s))
    skus = get("skus")
    if skus and type(skus) is list:
        for i, sku in enumerate(skus):
            if type(sku) is dict or isinstance(sku, Mapping):
                s = sku.get("name")
                if s and type(s) is str:
                    fields.append((f"skus[{i}].name", s))
    presale = get("presale")
    if presale and (type(presale) is dict or isinstance(presale, Mapping)):
        s = presale.get("label")
        if s and type(s) is str:
            fields.append(("presale.label", s))
    gifts = get("gifts")
    if gifts and type(gifts) is list:
        for i, gift in enumerate(gifts):
            if type(gift) is dict or isinstance(gift, Mapping):
                s = gift.get("name")
                if s and type(s) is str:
                    fields.append((f"gifts[{i}].name", s))
    return fields


@functools.lru_cache(maxsize=4096)
def _is_name_spec(name: str) -> bool:
    return normalize_term(name) in NAME_SPECS


def listing_names(listing: Mapping[str, Any]) -> list[str]:
    """The listing's own brand, model and series names (from its spec table)."""
    specs = listing.get("specs")
    if not isinstance(specs, Mapping):
        return []
    out: list[str] = []
    for k, v in specs.items():
        s = _text(v)
        if s and isinstance(k, str) and _is_name_spec(k):
            # "极米 XGIMI" or "TOP-1/TOP-2": every part is a name.
            out.extend(p for p in re.split(r"[/、,，;；|]", s) if normalize_term(p))
    return out


def scan_listing_wording(listing: Mapping[str, Any], options: ScanOptions | None = None) -> list[Finding]:
    """The wording findings of one listing (every category except ``spec_mismatch``)."""
    fields = listing_fields(listing)
    if not fields:
        return []
    presale = listing.get("presale")
    presale_on = (type(presale) is dict or isinstance(presale, Mapping)) and presale.get("enabled") is True
    skus = listing.get("skus")
    basis = False
    if isinstance(skus, list):
        for s in skus:
            if (type(s) is dict or isinstance(s, Mapping)) and s.get("list_price_basis"):
                basis = True
                break
    category = listing.get("category")
    ctx = ListingContext(
        category=category if isinstance(category, str) and category else None,
        presale=presale_on,
        platform=options.platform if options else None,
        list_price_basis=basis,
    )
    lid = listing.get("id")
    return scan_fields(
        fields,
        ctx,
        options=options,
        allow=lambda: listing_names(listing),  # only looked at when a candidate needs it
        listing_id=str(lid) if lid is not None else None,
    )


def scan_listing(listing: Mapping[str, Any], options: ScanOptions | None = None) -> list[Finding]:
    """All findings of one listing (the ``listings[]`` object of the bundle): wording and spec consistency.

    Sorted by field then start (:meth:`Finding.sort_key`); each carries the listing's id.
    """
    from scanners.specs import scan_specs

    findings = scan_listing_wording(listing, options)
    lid = listing.get("id")
    listing_id = str(lid) if lid is not None else None
    for f in scan_specs(listing):
        findings.append(f if f.listing_id == listing_id else replace(f, listing_id=listing_id))
    findings.sort(key=Finding.sort_key)
    return findings
