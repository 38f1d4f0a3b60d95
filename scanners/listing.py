"""Scanning one listing: which fields are read, what the rules learn from the listing, all scanners merged."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from scanners.context import ListingContext
from scanners.findings import Finding
from scanners.normalize import fold, normalize_term
from scanners.options import ScanOptions
from scanners.terms import default_lexicon
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

# A national, industry or local standard named anywhere in the listing backs grade words (特级, 一级).
_STANDARD = re.compile(r"gb/?t?\s*\d|gb\d|国标|国家标准|行业标准|地方标准|执行标准|产品标准号|sb/t|ny/t|qb/t")


def _kind_from_text(texts: Iterable[str], category: str | None) -> str:
    lexicon = default_lexicon()
    if category:
        # The longest category word found decides ("茶具" is a tea set, not tea).
        cat = normalize_term(category)
        found, found_len = "", 0
        for kind, words in lexicon.kind_keywords.items():
            for w in words:
                if len(w) > found_len and w in cat:
                    found, found_len = kind, len(w)
        if found:
            return found
    # No usable category: infer from the product nouns of the text itself (面霜 -> cosmetics, 茶 -> food);
    # the noun that comes first wins, since titles name the product early.
    joined = normalize_term(" ".join(t for t in texts if t)[:400])
    best, best_pos = "unknown", len(joined) + 1
    for kind, nouns in lexicon.kind_nouns.items():
        for noun in nouns:
            p = joined.find(noun)
            if 0 <= p < best_pos:
                best, best_pos = kind, p
    if best == "unknown" and category:
        return "other"
    return best


def listing_context(
    *,
    category: str | None,
    texts: Iterable[str],
    presale: bool = False,
    platform: str | None = None,
    list_price_basis: bool = False,
) -> ListingContext:
    """What the rules need to know about a listing (its kind is inferred from the text without category)."""
    texts = tuple(texts)
    return ListingContext(
        kind=_kind_from_text(texts, category),
        presale=presale,
        platform=platform,
        mentions_standard=any(_STANDARD.search(fold(t)) for t in texts if t),
        list_price_basis=list_price_basis,
    )


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    return None


def listing_fields(listing: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The ``(field, value)`` pairs of a listing that the wording scanner reads, in output order."""
    fields: list[tuple[str, str]] = []
    for name in ("title", "subtitle", "description"):
        v = _text(listing.get(name))
        if v:
            fields.append((name, v))
    specs = listing.get("specs")
    if isinstance(specs, Mapping):
        for k, v in specs.items():
            s = _text(v)
            if s:
                fields.append((f"specs.{k}", s))
    skus = listing.get("skus")
    if isinstance(skus, list):
        for i, sku in enumerate(skus):
            if isinstance(sku, Mapping):
                s = _text(sku.get("name"))
                if s:
                    fields.append((f"skus[{i}].name", s))
    presale = listing.get("presale")
    if isinstance(presale, Mapping):
        s = _text(presale.get("label"))
        if s:
            fields.append(("presale.label", s))
    gifts = listing.get("gifts")
    if isinstance(gifts, list):
        for i, gift in enumerate(gifts):
            if isinstance(gift, Mapping):
                s = _text(gift.get("name"))
                if s:
                    fields.append((f"gifts[{i}].name", s))
    return fields


def listing_names(listing: Mapping[str, Any]) -> list[str]:
    """The listing's own brand, model and series names (from its spec table)."""
    specs = listing.get("specs")
    if not isinstance(specs, Mapping):
        return []
    out: list[str] = []
    for k, v in specs.items():
        s = _text(v)
        if s and isinstance(k, str) and normalize_term(k) in NAME_SPECS:
            # "极米 XGIMI" or "TOP-1/TOP-2": every part is a name.
            out.extend(p for p in re.split(r"[/、,，;；|]", s) if normalize_term(p))
    return out


def scan_listing_wording(listing: Mapping[str, Any], options: ScanOptions | None = None) -> list[Finding]:
    """The wording findings of one listing (every category except ``spec_mismatch``)."""
    fields = listing_fields(listing)
    if not fields:
        return []
    presale = listing.get("presale")
    presale_on = isinstance(presale, Mapping) and presale.get("enabled") is True
    skus = listing.get("skus")
    basis = isinstance(skus, list) and any(isinstance(s, Mapping) and bool(s.get("list_price_basis")) for s in skus)
    category = listing.get("category")
    ctx = listing_context(
        category=category if isinstance(category, str) else None,
        texts=[v for name, v in fields if name in ("title", "subtitle", "description") or name.startswith("specs.")],
        presale=presale_on,
        platform=options.platform if options else None,
        list_price_basis=basis,
    )
    lid = listing.get("id")
    return scan_fields(
        fields,
        ctx,
        options=options,
        allow=listing_names(listing),
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
