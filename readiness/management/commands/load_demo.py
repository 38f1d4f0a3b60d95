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

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


class Command(BaseCommand):
    help = "Import the demo shop and create a demo login (operations manager of the demo shop, admin staff)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default="d11-demo-2026")
        parser.add_argument("--bundle", default=str(DEMO_DIR / "demo-shop.json"))

    @transaction.atomic
    def handle(self, *args: Any, username: str, password: str, bundle: str, **options: Any) -> None:
        summary = bundle_import(parsed=parse_bundle(Path(bundle).read_bytes()))
        user_model = get_user_model()
        user, _ = user_model.objects.get_or_create(username=username, defaults={"is_staff": True, "is_superuser": True})
        user.set_password(password)
        user.save(update_fields=["password"])
        ShopMembership.objects.update_or_create(
            user=user, shop=summary.shop, defaults={"role": Role.OPERATIONS_MANAGER}
        )
        self.stdout.write(summary.line())
        self.stdout.write(f"Demo login: username {username!r}, password {password!r}")
