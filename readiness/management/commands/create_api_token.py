"""python manage.py create_api_token --user NAME --shop CODE [--role api_client|operations_manager|listing_editor]

Creates the user if needed, grants the role on the shop and prints the user's API token on the last line
(``Authorization: Token <token>``).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from readiness.api.tokens import api_token_issue
from readiness.models import Role, Shop


class Command(BaseCommand):
    help = "Create (or show) an API token for a user and grant them a role on a shop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="username (created if missing)")
        parser.add_argument("--shop", required=True, help="shop code")
        parser.add_argument("--role", choices=Role.values, default=Role.API_CLIENT)

    def handle(self, *args: Any, user: str, shop: str, role: str, **options: Any) -> None:
        shop_obj = Shop.objects.filter(code=shop).first()
        if shop_obj is None:
            raise CommandError(f"no shop {shop!r} (import its bundle first)", returncode=2)
        issued = api_token_issue(username=user, shop=shop_obj, role=role)
        if issued.user_created:
            self.stderr.write(f"created user {user}")
        if issued.role_changed_from:
            self.stderr.write(f"{user}'s role on {shop} changed from {issued.role_changed_from} to {role}")
        self.stderr.write(f"{user} is {role} of {shop}; send the token as: Authorization: Token <token>")
        self.stdout.write(issued.key)
