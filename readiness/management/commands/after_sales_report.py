"""python manage.py after_sales_report --shop CODE --promotion CODE [--as-of YYYY-MM-DD] [--format json|table]
(interfaces.md §4)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from readiness.aftersales.reporting import after_sales_report, render_table
from readiness.management.commands.scan import find_promotion


class Command(BaseCommand):
    help = "Print the after-sales report: metrics from the shop's records, problem listings, the wave and its staff."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--shop", required=True)
        parser.add_argument("--promotion", required=True)
        parser.add_argument("--as-of", dest="as_of", help="the report's date (YYYY-MM-DD); default today")
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args: Any, shop: str, promotion: str, as_of: str | None, format: str, **options: Any) -> None:
        promo = find_promotion(shop, promotion)
        day = None
        if as_of:
            try:
                day = dt.date.fromisoformat(as_of)
            except ValueError:
                raise CommandError(f"--as-of: expected a date YYYY-MM-DD, got {as_of!r}", returncode=2) from None
        report = after_sales_report(promotion=promo, as_of=day)
        if format == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_table(report))
