"""load_demo: the demo is always a week before its sale, and a second run never reverts what was done in the app."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from readiness.checks import DATA_CHECKS, CheckContext, run_checks
from readiness.imports.bundle import parse_bundle
from readiness.management.commands.load_demo import demo_bundle, shift_dates
from readiness.models import Listing, Promotion
from readiness.rulepacks import load_rule_pack

DEMO = Path(__file__).resolve().parents[2] / "readiness" / "demo"
SH = dt.timezone(dt.timedelta(hours=8))


def _load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", "--no-after-sales", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_sale_starts_a_week_from_today_with_the_phase_spacing_kept() -> None:
    _load()
    promotion = Promotion.objects.get(shop__code="mingcha-tmall", code="d11-2026")
    original = json.loads((DEMO / "demo-shop.json").read_bytes())["promotion"]
    today = timezone.localdate()
    assert timezone.localtime(promotion.sale_start).date() == today + dt.timedelta(days=7)
    for key in ("presale_start", "final_payment_start", "sale_end"):
        gap = dt.datetime.fromisoformat(original["sale_start"]) - dt.datetime.fromisoformat(original[key])
        assert promotion.sale_start - getattr(promotion, key) == gap, key
    assert promotion.sale_start > timezone.now()


@pytest.mark.django_db
def test_a_second_load_keeps_the_edits_and_reset_reloads() -> None:
    _load()
    listing = Listing.objects.get(shop__code="mingcha-tmall", listing_id="L101")
    original_title = listing.title
    Listing.objects.filter(pk=listing.pk).update(title="改过的标题")
    out = _load()
    assert "already loaded" in out
    assert Listing.objects.get(pk=listing.pk).title == "改过的标题"
    _load("--reset")
    assert Listing.objects.get(pk=listing.pk).title == original_title


@pytest.mark.django_db
def test_a_second_load_keeps_the_demo_password() -> None:
    from django.contrib.auth import get_user_model

    _load()
    user = get_user_model().objects.get(username="demo")
    user.set_password("changed-by-the-user")
    user.save()
    _load()
    user.refresh_from_db()
    assert user.check_password("changed-by-the-user")


def test_dates_in_texts_move_with_the_data() -> None:
    data = {
        "promotion": {"code": "d11-2026", "sale_start": "2026-11-10T20:00:00+08:00"},
        "presale": {"ship_by": "2026-11-04", "label": "预售 11月4日前发货，1月5日前可退"},
        "title": "2026新茶 11月4日前发货",
        "code": "SKU-2026-1",
    }
    moved = shift_dates(data, dt.timedelta(days=30), dt.date(2026, 11, 10))
    assert moved["promotion"] == {"code": "d11-2026", "sale_start": "2026-12-10T20:00:00+08:00"}
    assert moved["presale"] == {"ship_by": "2026-12-04", "label": "预售 12月4日前发货，2月4日前可退"}
    assert moved["title"] == "2026新茶 12月4日前发货"
    assert moved["code"] == "SKU-2026-1"  # a code, never moved
    later = shift_dates(data, dt.timedelta(days=120), dt.date(2026, 11, 10))
    assert later["title"] == "2027新茶 3月4日前发货"  # the sale moved into 2027: so did the season's year
    assert later["promotion"]["code"] == "d11-2026"


@pytest.mark.parametrize("today", [dt.date(2026, 12, 3), dt.date(2027, 3, 2), dt.date(2027, 8, 20)])
@pytest.mark.parametrize("name", ["demo-shop.json", "clean-shop.json"])
def test_moved_demo_plants_the_same_problems(name: str, today: dt.date) -> None:
    """The data checks find the same problems in the moved bundle, a week before its sale, as in the original
    one a week before its sale (docs/demo.md lists them)."""
    raw = (DEMO / name).read_bytes()
    original = parse_bundle(raw).bundle
    moved = parse_bundle(demo_bundle(raw, today)).bundle
    rules = load_rule_pack(original.shop.platform)

    def found(bundle: object, now: dt.datetime) -> list[tuple[str, str | None, str | None, str]]:
        ctx = CheckContext.from_bundle(bundle, rules=rules, now=now)
        return sorted((i.rule, i.listing_id, i.sku, i.severity) for r in run_checks(ctx, DATA_CHECKS) for i in r.issues)

    week = dt.timedelta(days=7)
    before = found(original, original.promotion.sale_start - week)
    after = found(moved, moved.promotion.sale_start - week)
    assert moved.promotion.sale_start.date() == today + week
    assert after == before
