"""python manage.py load_demo — the demo shop and a demo login, for `make run`.

The demo is always a week before its sale: the bundle's dates (promotion phases, ship-by dates, inbound
shipments, price history, and dates written in its texts such as 预售 11月4日前发货) are moved by whole days so
that the sale starts 7 days from today, keeping every gap between them.

Run again, it leaves a demo shop that is already there as it is (a second `make run` never reverts the edits
made in the app); ``--reset`` loads the bundle again (today's dates; text edits replaced, listings the bundle
lacks archived).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from readiness.imports.bundle import parse_bundle
from readiness.imports.writing import bundle_import
from readiness.models import Promotion, Role, ShopMembership
from readiness.services.imports import import_summary_stored

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DAYS_BEFORE_SALE = 7

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?=$|T)")
_CHINESE_DATE = re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})日")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_TEXT_KEYS = frozenset({"title", "subtitle", "description", "specs", "label"})


def demo_delta(bundle: dict[str, Any], today: dt.date) -> dt.timedelta:
    """How far to move the bundle's dates so that its sale starts ``DAYS_BEFORE_SALE`` days after ``today``."""
    sale_start = dt.datetime.fromisoformat(bundle["promotion"]["sale_start"]).date()
    return today + dt.timedelta(days=DAYS_BEFORE_SALE) - sale_start


def shift_dates(value: Any, delta: dt.timedelta, anchor: dt.date, *, text: bool = False) -> Any:
    """A copy of a bundle's JSON with every ISO date (or date-time) moved by ``delta``, and in the listings'
    texts (title, subtitle, description, specs, presale label) every 「M月D日」 moved too (read in the year
    that puts it nearest ``anchor``, the original sale) and a year such as 「2026新秋茶」 moved with the sale's
    year. Codes (shop, promotion, SKU) are never touched."""
    if isinstance(value, dict):
        return {key: shift_dates(item, delta, anchor, text=text or key in _TEXT_KEYS) for key, item in value.items()}
    if isinstance(value, list):
        return [shift_dates(item, delta, anchor, text=text) for item in value]
    if not isinstance(value, str):
        return value
    iso = _ISO_DATE.match(value)
    if iso:
        moved = dt.date(int(iso[1]), int(iso[2]), int(iso[3])) + delta
        return moved.isoformat() + value[iso.end() :]
    if not text:
        return value
    years = (anchor + delta).year - anchor.year
    value = _CHINESE_DATE.sub(lambda m: _shift_month_day(int(m[1]), int(m[2]), delta, anchor), value)
    return _YEAR.sub(lambda m: str(int(m[1]) + years) if m[1] == str(anchor.year) else m[1], value)


def _shift_month_day(month: int, day: int, delta: dt.timedelta, anchor: dt.date) -> str:
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return f"{month}月{day}日"
    moved = min(candidates, key=lambda d: abs((d - anchor).days)) + delta
    return f"{moved.month}月{moved.day}日"


def demo_bundle(raw: bytes, today: dt.date) -> bytes:
    """The demo bundle with its dates moved so that the sale starts a week after ``today``."""
    data = json.loads(raw)
    anchor = dt.datetime.fromisoformat(data["promotion"]["sale_start"]).date()
    moved = shift_dates(data, demo_delta(data, today), anchor)
    return json.dumps(moved, ensure_ascii=False).encode("utf-8")


class Command(BaseCommand):
    help = (
        "Import the demo shop (its sale 7 days from today) unless it is already there, and create a demo login "
        "(operations manager of the demo shop, admin staff)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default="d11-demo-2026")
        parser.add_argument("--bundle", default=str(DEMO_DIR / "demo-shop.json"))
        parser.add_argument(
            "--reset",
            action="store_true",
            help="load the demo again even if it is there (replaces edits made in the app, new dates from today)",
        )
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help=argparse.SUPPRESS)
        parser.add_argument(
            "--no-after-sales",
            dest="after_sales",
            action="store_false",
            help="skip the generated after-sale records (60 days up to yesterday)",
        )

    @transaction.atomic
    def handle(
        self,
        *args: Any,
        username: str,
        password: str,
        bundle: str,
        reset: bool,
        today: dt.date | None,
        **options: Any,
    ) -> None:
        try:
            raw = Path(bundle).read_bytes()
            codes = json.loads(raw)
            shop_code, promotion_code = codes["shop"]["code"], codes["promotion"]["code"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"cannot read the demo bundle {bundle}: {exc}") from exc
        present = Promotion.objects.filter(shop__code=shop_code, code=promotion_code).exists()
        if present and not reset:
            self.stdout.write(
                f"Demo shop {shop_code} is already loaded: left as it is (--reset loads it again with today's dates)"
            )
            shop = Promotion.objects.select_related("shop").get(shop__code=shop_code, code=promotion_code).shop
            self._login(shop, username, password, created_only=True)
            return
        parsed = parse_bundle(demo_bundle(raw, today or timezone.localdate()))
        summary = bundle_import(parsed=parsed)
        self.stdout.write(import_summary_stored(summary))
        self._login(summary.shop, username, password, created_only=False)
        if options["after_sales"]:
            self.stdout.write(_demo_after_sales(summary.shop, parsed.bundle).line())

    def _login(self, shop: Any, username: str, password: str, *, created_only: bool) -> None:
        """The demo login; an existing one keeps its password unless the demo is (re)loaded."""
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True}
        )
        if created or not created_only:
            user.set_password(password)
            user.save(update_fields=["password"])
            ShopMembership.objects.update_or_create(user=user, shop=shop, defaults={"role": Role.OPERATIONS_MANAGER})
            self.stdout.write(f"Demo login: username {username!r}, password {password!r}")
        else:
            ShopMembership.objects.get_or_create(user=user, shop=shop, defaults={"role": Role.OPERATIONS_MANAGER})
            self.stdout.write(f"Demo login: username {username!r} (password as it was)")


def _demo_after_sales(shop: Any, bundle: Any) -> Any:
    """Generated after-sale records and paid orders for the 60 days up to yesterday (readiness/aftersales/demo.py)."""
    from readiness.aftersales.demo import demo_records
    from readiness.aftersales.reporting import today
    from readiness.aftersales.services import after_sales_import

    weights = {item.id: sum(s.forecast_units for s in item.skus) for item in bundle.listings}
    prices = {item.id: item.skus[0].price for item in bundle.listings if item.skus}
    parsed = demo_records(weights, prices, end=today() - dt.timedelta(days=1))
    return after_sales_import(shop=shop, parsed=parsed)
