"""Reads: what the checks see is what was imported, in a constant number of queries."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from readiness import models
from readiness.imports.bundle import parse_bundle
from readiness.imports.writing import bundle_import
from readiness.selectors import readiness_input
from tests.factories import bundle_dict

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "readiness" / "demo" / "demo-shop.json"


def _normalised(listing: Any) -> dict[str, Any]:
    data = dataclasses.asdict(listing)
    if data["presale"] is not None and not data["presale"]["enabled"]:
        data["presale"] = None
    return data


def test_readiness_input_round_trips_the_demo_bundle() -> None:
    parsed = parse_bundle(DEMO.read_bytes())
    summary = bundle_import(parsed=parsed)
    got = readiness_input(promotion=summary.promotion)
    want = parsed.bundle
    assert got.shop == want.shop
    assert got.promotion == want.promotion
    assert got.service == want.service
    assert sorted(got.couriers, key=lambda c: c.code) == sorted(want.couriers, key=lambda c: c.code)
    assert [_normalised(item) for item in got.listings] == sorted(
        (_normalised(item) for item in want.listings), key=lambda d: d["id"]
    )


def test_readiness_input_leaves_out_archived_listings() -> None:
    data = bundle_dict(listings=3)
    summary = bundle_import(parsed=parse_bundle(json.dumps(data)))
    data["listings"].pop(0)
    bundle_import(parsed=parse_bundle(json.dumps(data)))
    got = readiness_input(promotion=summary.promotion)
    assert [item.id for item in got.listings] == ["L101", "L102"]


def test_readiness_input_query_count_is_constant() -> None:
    counts = []
    for n in (2, 30):
        models.Shop.objects.all().delete()
        summary = bundle_import(parsed=parse_bundle(json.dumps(bundle_dict(listings=n))))
        with CaptureQueriesContext(connection) as ctx:
            got = readiness_input(promotion=summary.promotion)
        assert len(got.listings) == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_readiness_input_for_a_chunk() -> None:
    summary = bundle_import(parsed=parse_bundle(json.dumps(bundle_dict(listings=4))))
    pks = list(models.Listing.objects.filter(listing_id__in=["L101", "L103"]).values_list("pk", flat=True))
    got = readiness_input(promotion=summary.promotion, listing_pks=pks)
    assert [item.id for item in got.listings] == ["L101", "L103"]
    assert all(len(item.skus) == 2 for item in got.listings)
