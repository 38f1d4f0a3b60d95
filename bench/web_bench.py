"""Web pages benchmark: the dashboard, the listing queue, the issue list and a listing's page for a synthetic
shop of N listings (5 SKUs each, bench/import_bench.synthetic_bundle) on PostgreSQL.

    .venv/bin/python bench/web_bench.py --sizes 2000,20000

For each size it imports and scans the shop once (kept for the next run; ``--fresh`` rebuilds it), then requests
every page ``--repeat`` times through Django's test client and prints the server time (median and worst, after
one warm-up request) and the number of SQL queries. Target: each page under 200 ms with a number of queries that
does not depend on N. The database named in DATABASE_URL (default below) is created if missing; only the
benchmark shops (web-bench-<N>) in it are touched.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/readiness_webbench"
sys.path.insert(0, str(ROOT))


def setup_shop(n: int, fresh: bool) -> str:
    """Import and scan the benchmark shop of size n unless it is already there; returns its code."""
    from django.db import connection

    from bench.import_bench import synthetic_bundle
    from readiness.imports.bundle import parse_bundle
    from readiness.imports.writing import bundle_import
    from readiness.models import Listing, Promotion, RunStatus, ScanRun, Shop
    from readiness.services import scans

    code = f"web-bench-{n}"
    shop = Shop.objects.filter(code=code).first()
    if shop is not None and (fresh or Listing.objects.filter(shop=shop).count() != n):
        shop.delete()
        shop = None
    if shop is None:
        data = synthetic_bundle(n)
        data["shop"]["code"] = code
        # Some planted page text, so that listing pages have highlights to draw.
        for i, listing in enumerate(data["listings"]):
            if i % 7 == 0:
                listing["title"] = "顶级" + listing["title"] + " 全网最低价"
            if i % 11 == 0:
                listing["description"] += " 最佳口感，回购率第一，zuijia 之选。"
        start = time.perf_counter()
        bundle_import(parsed=parse_bundle(json.dumps(data, ensure_ascii=False)))
        print(f"  setup: imported {n} listings in {time.perf_counter() - start:.1f} s", flush=True)
    promotion = Promotion.objects.get(shop__code=code)
    if not ScanRun.objects.filter(promotion=promotion, status=RunStatus.COMPLETE).exists():
        start = time.perf_counter()
        run = scans.scan_run_sync(promotion=promotion)
        print(
            f"  setup: scanned in {time.perf_counter() - start:.1f} s: score {run.score}, "
            f"{run.findings.count()} findings",
            flush=True,
        )
        # Fresh statistics, as autovacuum would gather them after a bulk load: the planner needs them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return code


def measure(n: int, repeat: int, fresh: bool) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readiness.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from readiness.models import Finding, Promotion, Role, ShopMembership
    from readiness.web import queries

    call_command("migrate", verbosity=0)
    code = setup_shop(n, fresh)
    promotion = Promotion.objects.select_related("shop").get(shop__code=code)
    user, _ = get_user_model().objects.get_or_create(username="web-bench")
    ShopMembership.objects.get_or_create(user=user, shop=promotion.shop, defaults={"role": Role.OPERATIONS_MANAGER})
    run = queries.latest_run(promotion)
    assert run is not None
    worst = queries.queue(run).first()
    busiest = Finding.objects.filter(run=run, listing_id=worst["listing_id"]).values("listing__listing_id").first()
    listing_id = busiest["listing__listing_id"] if busiest else ""
    base = f"/shops/{code}/promotions/{promotion.code}/"
    pages = [
        ("dashboard", base),
        ("listing queue", base + "listings/"),
        ("listing queue p.20", base + "listings/?page=20"),
        ("issue list", base + "issues/"),
        (f"listing {listing_id}", base + f"listings/{listing_id}/"),
    ]
    client = Client()
    client.force_login(user)
    findings = Finding.objects.filter(run=run).count()
    print(f"N={n} listings, {n * 5} SKUs, {findings} findings in the latest run")
    print(f"  {'page':<24} {'median':>9} {'worst':>9} {'queries':>8}")
    for label, url in pages:
        response = client.get(url)  # warm-up (template loading, rule pack cache)
        assert response.status_code == 200, (url, response.status_code)
        times = []
        counts = set()
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
            counts.add(len(ctx.captured_queries))
        count = "/".join(str(c) for c in sorted(counts))
        print(f"  {label:<24} {statistics.median(times):7.1f}ms {max(times):7.1f}ms {count:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="20000", help="comma-separated listing counts (default 20000)")
    parser.add_argument("--repeat", type=int, default=7, help="timed requests per page")
    parser.add_argument("--fresh", action="store_true", help="rebuild the benchmark shops")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        measure(args.one, args.repeat, args.fresh)
        return
    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    from bench.import_bench import _ensure_database

    _ensure_database(os.environ["DATABASE_URL"])
    print(f"database: {os.environ['DATABASE_URL']}")
    for n in (int(s) for s in args.sizes.split(",")):
        command = [sys.executable, __file__, "--one", str(n), "--repeat", str(args.repeat)]
        subprocess.run(command + (["--fresh"] if args.fresh else []), check=True, env=os.environ)


if __name__ == "__main__":
    main()
