"""python manage.py scan --shop CODE --promotion CODE — scan a shop against a promotion, with progress."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from readiness import selectors
from readiness.models import Promotion, RunStatus, ScanChunk, ScanRun
from readiness.services import scans


def find_promotion(shop: str, promotion: str) -> Promotion:
    try:
        return Promotion.objects.select_related("shop").get(shop__code=shop, code=promotion)
    except Promotion.DoesNotExist:
        raise CommandError(f"no promotion {promotion!r} in shop {shop!r}", returncode=2) from None


class Command(BaseCommand):
    help = "Scan every listing of a shop and run every readiness check for one promotion."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--shop", required=True)
        parser.add_argument("--promotion", required=True)
        parser.add_argument("--chunk-size", type=int, default=None)
        parser.add_argument("--timeout", type=float, default=3600, help="seconds to wait for workers")

    def handle(
        self, *args: Any, shop: str, promotion: str, chunk_size: int | None, timeout: float, **opts: Any
    ) -> None:
        promo = find_promotion(shop, promotion)
        started = time.monotonic()
        if settings.CELERY_TASK_ALWAYS_EAGER:
            run = scans.scan_run_sync(promotion=promo, chunk_size=chunk_size, progress=self._progress)
        else:
            run = scans.scan_run_start(promotion=promo, chunk_size=chunk_size)
            run = self._wait(run, timeout)
        self.stderr.write("")
        elapsed = time.monotonic() - started
        counts = selectors.run_counts(run=run)
        self.stdout.write(
            f"scan #{run.pk} of {promo.shop.code}/{promo.code}: {run.listings_total} listings in {elapsed:.1f} s; "
            f"score {run.score} ({run.grade}); {counts['error']} errors, {counts['warning']} warnings, "
            f"{counts['info']} infos"
        )

    def _wait(self, run: ScanRun, timeout: float) -> ScanRun:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run.refresh_from_db()
            done = ScanChunk.objects.filter(run=run, done_at__isnull=False).count()
            self._progress(done, run.chunks_total)
            if run.status == RunStatus.COMPLETE:
                return run
            if run.status == RunStatus.FAILED:
                raise CommandError(f"scan #{run.pk} failed: {run.error}")
            time.sleep(0.5)
        raise CommandError(f"scan #{run.pk} did not finish within {timeout:.0f} s (are workers running?)")

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} chunks")
        sys.stderr.flush()
