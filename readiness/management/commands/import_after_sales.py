"""python manage.py import_after_sales PATH [PATH…] --shop CODE — after-sale records and paid orders (§4).

CSV (UTF-8 or GBK) or XLSX; each file's (each sheet's) kind is told by its headers. All or nothing: exit 2 with
every bad row on stderr, nothing imported.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from readiness.aftersales.records import RecordsError
from readiness.aftersales.services import after_sales_import_files
from readiness.models import Shop


class Command(BaseCommand):
    help = "Import after-sale records and daily paid orders (CSV in UTF-8 or GBK, or XLSX) into a shop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="CSV or XLSX files")
        parser.add_argument("--shop", required=True, help="the shop's code")

    def handle(self, *args: Any, paths: list[str], shop: str, **options: Any) -> None:
        shop_obj = Shop.objects.filter(code=shop).first()
        if shop_obj is None:
            raise CommandError(f"no shop {shop!r}", returncode=2)
        files = [(Path(p).name, self._read(p)) for p in paths]
        try:
            summary = after_sales_import_files(shop=shop_obj, files=files)
        except RecordsError as exc:
            for line in exc.lines():
                self.stderr.write(f"error: {line}")
            self.stderr.write(exc.summary())
            sys.exit(2)
        for warning in summary.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(summary.line())

    def _read(self, path: str) -> bytes:
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        limit = settings.BUNDLE_MAX_BYTES
        with file.open("rb") as handle:
            raw = handle.read(limit + 1)
        if len(raw) > limit:
            raise CommandError(f"{path}: larger than BUNDLE_MAX_BYTES ({limit} bytes)", returncode=2)
        return raw
