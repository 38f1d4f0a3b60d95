"""``POST /api/v1/scan``: the scanner CLI over HTTP, with no database.

Listings come in as the bundle's ``listings[]`` objects (validated by ``ScanInputSerializer``), go through
``readiness.scanning`` (the one module that imports the scanners, so a listing posted here is scanned exactly as
an imported one) and come out as the CLI's finding objects (interfaces.md §1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from readiness import scanning
from readiness.imports import bundle


def scan_listings(*, listings: Sequence[Mapping[str, Any]], platform: str | None) -> list[dict[str, Any]]:
    """Every finding of every listing, listings in input order, each sorted by field and start (as the CLI)."""
    options = scanning.scanner_options(platform=platform)
    findings: list[dict[str, Any]] = []
    for data in listings:
        listing = _listing_data(data)
        # One listing at a time: two listings with the same id are two listings here, as in the CLI.
        findings.extend(f.to_dict() for f in scanning.scan([listing], options)[listing.id])
    return findings


def first_per_field(findings: Sequence[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The findings with at most ``limit`` per field of a listing (the first ones, in the given order): text full
    of hits must not make an answer of megabytes."""
    seen: dict[tuple[str, str], int] = {}
    kept = []
    for finding in findings:
        key = (finding["listing_id"], finding["field"])
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= limit:
            kept.append(finding)
    return kept


def _listing_data(data: Mapping[str, Any]) -> bundle.ListingData:
    # Only what the scanners read (scanning.listing_payload): stock and prices do not matter to them.
    presale = data.get("presale")
    return bundle.ListingData(
        id=str(data["id"]),
        category=data.get("category") or "",
        title=data.get("title") or "",
        subtitle=data.get("subtitle") or "",
        description=data.get("description") or "",
        specs=dict(data.get("specs") or {}),
        presale=bundle.PresaleData(
            enabled=bool(presale.get("enabled")), ship_by=presale.get("ship_by"), label=presale.get("label") or ""
        )
        if presale
        else None,
        gifts=[
            bundle.GiftData(name=g["name"], stock=0, described_on_page=bool(g.get("described_on_page")))
            for g in data.get("gifts") or []
        ],
        rebates=[bundle.RebateData(kind=r["kind"], text=r.get("text") or "") for r in data.get("rebates") or []],
        skus=[
            bundle.SkuData(code=s.get("code") or "", price=Decimal(0), stock=0, name=s.get("name") or "")
            for s in data.get("skus") or []
        ],
    )
