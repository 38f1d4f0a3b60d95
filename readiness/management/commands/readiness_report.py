"""python manage.py readiness_report --shop CODE --promotion CODE [--format json|table] (interfaces.md §3)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from readiness import selectors
from readiness.management.commands.scan import find_promotion
from readiness.report import TableWords, render_table
from readiness.services import scans
from readiness.web import formatting


class Command(BaseCommand):
    help = "Print the readiness report of the latest scan (running one if there is none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--shop", required=True)
        parser.add_argument("--promotion", required=True)
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args: Any, shop: str, promotion: str, format: str, **options: Any) -> None:
        promo = find_promotion(shop, promotion)
        run = selectors.latest_run(promotion=promo) or scans.scan_run_sync(promotion=promo)
        report = selectors.readiness_report(run=run)
        if format == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            # Names, not codes, and local time (settings.TIME_ZONE, Asia/Shanghai): the table is read by people.
            words = TableWords(
                check=formatting.check_label,
                severity=formatting.severity_label,
                owner=formatting.owner_label,
                zone=timezone.get_default_timezone(),
            )
            self.stdout.write(render_table(report, words=words))
