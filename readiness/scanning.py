"""Where readiness runs the scanners: plain listing data in, scanner findings out.

The scanners' public functions are called from here only; the checks also read the scanners' ``Finding``
dataclass (``checks.text_findings``, and ``checks.results`` for typing), which is plain data.

The scanners take the ``listings[]`` objects of the bundle (interfaces.md §2) as plain dicts, so a listing
from the database goes through the same path as a listing from a file or the API.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import scanners
from readiness.imports import bundle


def listing_payload(listing: bundle.ListingData) -> dict[str, Any]:
    """A listing as the scanners read it (the bundle's ``listings[]`` object, without stock and prices)."""
    presale = listing.presale
    return {
        "id": listing.id,
        "category": listing.category,
        "title": listing.title,
        "subtitle": listing.subtitle,
        "description": listing.description,
        "specs": dict(listing.specs),
        "presale": {
            "enabled": presale.enabled,
            "ship_by": presale.ship_by.isoformat() if presale.ship_by else None,
            "label": presale.label,
        }
        if presale is not None
        else None,
        "gifts": [{"name": g.name, "described_on_page": g.described_on_page} for g in listing.gifts],
        "rebates": [{"kind": r.kind, "text": r.text} for r in listing.rebates],
        "skus": [{"code": sku.code, "name": sku.name} for sku in listing.skus],
    }


def scanner_options(
    *, platform: str | None, allow: Iterable[str] = (), extra_terms: Sequence[Mapping[str, Any]] = ()
) -> scanners.ScanOptions:
    """Scanner options from a shop's platform and its own lexicon entries (``ShopTerm`` rows as dicts)."""
    return scanners.ScanOptions.from_mapping(
        {"platform": platform, "allow": sorted(set(allow)), "extra_terms": [dict(term) for term in extra_terms]}
    )


def scan(
    listings: Iterable[bundle.ListingData],
    options: scanners.ScanOptions,
    pictures: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> dict[str, list[scanners.Finding]]:
    """Every scanner over every listing: listing id → findings. ``pictures`` (``selectors.listing_pictures``)
    adds the findings in each listing's pictures."""
    out: dict[str, list[scanners.Finding]] = {}
    for listing in listings:
        payload = listing_payload(listing)
        findings = scanners.scan_listing(payload, options)
        if pictures and listing.id in pictures:
            findings.extend(scan_pictures(payload, pictures[listing.id], options))
            findings.sort(key=scanners.Finding.sort_key)
        out[listing.id] = findings
    return out


def scan_pictures(
    payload: Mapping[str, Any], pictures: Sequence[Mapping[str, Any]], options: scanners.ScanOptions | None
) -> list[scanners.Finding]:
    """The findings in a listing's pictures: what OCR read, scanned; a picture not read is one finding saying why."""
    from scanners.images import ImageText, scan_image, unreadable_finding

    lid = str(payload.get("id"))
    findings: list[scanners.Finding] = []
    for picture in pictures:
        index, kind = int(picture["index"]), str(picture["kind"])
        if picture.get("text") is not None:
            text = ImageText.from_dict(picture["text"])
            findings.extend(scan_image(payload, index, text, kind=kind, options=options))
        else:
            findings.append(unreadable_finding(lid, index, kind, str(picture.get("reason") or "未知原因")))
    return findings
