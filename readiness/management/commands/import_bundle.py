"""python manage.py import_bundle PATH|-  — import a readiness bundle (interfaces.md §2), all or nothing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from readiness.imports.bundle import BundleError, parse_bundle
from readiness.imports.writing import bundle_import
from readiness.services.imports import import_summary_stored


class Command(BaseCommand):
    help = "Import a readiness bundle (JSON) from PATH, or from standard input with '-'."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="bundle file, or - for standard input")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        raw = self._read(path)
        try:
            parsed = parse_bundle(raw)
            # images[].path pictures are read from the bundle file's folder (standard input: the working folder)
            summary = bundle_import(parsed=parsed, image_root=Path.cwd() if path == "-" else Path(path).parent)
        except BundleError as exc:
            for line in exc.lines():
                self.stderr.write(f"error: {line}")
            self.stderr.write(f"{exc.summary()}; nothing was imported")
            sys.exit(2)
        for warning in summary.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(import_summary_stored(summary))

    def _read(self, path: str) -> bytes:
        limit = settings.BUNDLE_MAX_BYTES
        if path == "-":
            raw = sys.stdin.buffer.read(limit + 1)
        else:
            file = Path(path)
            if not file.is_file():
                raise CommandError(f"{path}: no such file", returncode=2)
            with file.open("rb") as handle:
                raw = handle.read(limit + 1)
        if len(raw) > limit:
            raise CommandError(f"{path}: bundle is larger than BUNDLE_MAX_BYTES ({limit} bytes)", returncode=2)
        return raw
