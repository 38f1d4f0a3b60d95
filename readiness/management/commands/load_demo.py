"""python manage.py load_demo — the demo shop and a demo login, for `make run`. Safe to run again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from readiness.imports.bundle import parse_bundle
from readiness.imports.writing import bundle_import
from readiness.models import Role, ShopMembership
from readiness.services.imports import import_summary_stored

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


class Command(BaseCommand):
    help = "Import the demo shop and create a demo login (operations manager of the demo shop, admin staff)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default="d11-demo-2026")
        parser.add_argument("--bundle", default=str(DEMO_DIR / "demo-shop.json"))
        parser.add_argument(
            "--no-after-sales",
            dest="after_sales",
            action="store_false",
            help="skip the generated after-sale records (60 days up to yesterday)",
        )

    @transaction.atomic
    def handle(self, *args: Any, username: str, password: str, bundle: str, **options: Any) -> None:
        parsed = parse_bundle(Path(bundle).read_bytes())
        summary = bundle_import(parsed=parsed)
        user_model = get_user_model()
        user, _ = user_model.objects.get_or_create(username=username, defaults={"is_staff": True, "is_superuser": True})
        user.set_password(password)
        user.save(update_fields=["password"])
        ShopMembership.objects.update_or_create(
            user=user, shop=summary.shop, defaults={"role": Role.OPERATIONS_MANAGER}
        )
        self.stdout.write(import_summary_stored(summary))
        if options["after_sales"]:
            self.stdout.write(_demo_after_sales(summary.shop, parsed.bundle).line())
        self.stdout.write(f"Demo login: username {username!r}, password {password!r}")


def _demo_after_sales(shop: Any, bundle: Any) -> Any:
    """Generated after-sale records and paid orders for the 60 days up to yesterday (readiness/aftersales/demo.py)."""
    import datetime as dt

    from readiness.aftersales.demo import demo_records
    from readiness.aftersales.reporting import today
    from readiness.aftersales.services import after_sales_import

    weights = {item.id: sum(s.forecast_units for s in item.skus) for item in bundle.listings}
    prices = {item.id: item.skus[0].price for item in bundle.listings if item.skus}
    parsed = demo_records(weights, prices, end=today() - dt.timedelta(days=1))
    return after_sales_import(shop=shop, parsed=parsed)
