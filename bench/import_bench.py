"""Import benchmark: a synthetic shop of N listings (5 SKUs each) imported into PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/readiness_bench .venv/bin/python bench/import_bench.py

Each size runs in its own process so peak memory (max RSS) is per size. For each N it prints seconds, the
number of queries and peak memory for: parsing+validation, the first import, and a re-import of the same
bundle (which must write nothing). The database named in DATABASE_URL is created if missing and its
readiness tables are emptied for the benchmark shop: do not point it at data you care about.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/readiness_bench"


def synthetic_bundle(n: int, seed: int = 11, problem_rate: float = 0.05) -> dict[str, Any]:
    """A shop of ``n`` listings × 5 SKUs that looks like a real one: most listings are in order, and about
    ``problem_rate`` of them carry one planted problem (low stock, a price raised before the sale, extreme
    wording, a spec that contradicts the title), so scans and reports handle realistic volumes of issues."""
    rng = random.Random(seed)
    teas = ["西湖龙井", "正山小种", "普洱熟茶", "安溪铁观音", "福鼎白茶", "茉莉花茶", "大红袍", "碧螺春"]
    listings = []
    for i in range(n):
        lid = f"B{i:06d}"
        problem = rng.choice(["stock", "price", "wording", "spec"]) if rng.random() < problem_rate else None
        skus = []
        for j in range(5):
            grams = (j + 1) * 100
            price = rng.randint(30, 500)
            forecast = rng.randint(100, 3000)
            safety = forecast // 10
            stock = int((forecast + safety) * rng.uniform(1.1, 1.8))
            if problem == "stock" and j == 0:
                stock = (forecast + safety) // 2
            history = [price + 10] * 7
            if problem == "price" and j == 0:
                history = [price - 20] * 3 + [price + 30] * 4
            skus.append(
                {
                    "code": f"{lid}-{j}",
                    "name": f"{grams}g 罐装",
                    "price": f"{price}.00",
                    "list_price": f"{price + 10}.00",
                    "list_price_basis": None,
                    "stock": stock,
                    "inbound": [{"units": forecast // 10, "arrives": "2026-11-05"}],
                    "forecast_units": forecast,
                    "safety_stock": safety,
                    "price_history": [
                        {"date": f"2026-11-{day:02d}", "lowest_price": f"{low}.00"}
                        for day, low in zip(range(3, 10), history, strict=True)
                    ],
                }
            )
        tea = rng.choice(teas)
        grams = (i % 5 + 1) * 100
        title = f"{tea} {grams}g 2026新茶 茶园直发"
        if problem == "wording":
            title = f"{tea} 顶级 {grams}g 2026新茶 全网最低价"
        if problem == "spec":
            title = f"{tea} {grams * 3}g 2026新茶 茶园直发"
        listings.append(
            {
                "id": lid,
                "category": "tea",
                "title": title,
                "subtitle": "产地直发",
                "description": f"{tea}，茶汤清亮，回甘持久。开封后请密封冷藏保存。" * 3,
                "specs": {"净含量": f"{grams}g", "保质期": "18个月", "产地": "浙江杭州"},
                "presale": None,
                "gifts": [],
                "rebates": [{"kind": "coupon", "text": "满199减20", "official_activity_id": None}]
                if i % 3 == 0
                else [],
                "skus": skus,
            }
        )
    from readiness.imports.bundle import example_bundle  # the one example of the format, scaled up here

    data = example_bundle()
    data["shop"] = {"code": "bench-shop", "name": "压测旗舰店", "platform": "tmall"}
    data["promotion"] |= {"expected_orders": n * 10, "destinations": {"华东": 0.5, "华南": 0.3, "华北": 0.2}}
    capacity = {"zto": n * 5, "sf": n * 3}
    for courier in data["couriers"]:
        courier |= {"daily_capacity": capacity[courier["code"]], "regions": ["华东", "华南", "华北"]}
    data["service"] = {"auto_refund_unshipped": True, "auto_accept_returns": True, "cs_agents": 12}
    data["listings"] = listings
    return data


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(n: int) -> None:
    """Child process: one size."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readiness.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from readiness.imports.bundle import parse_bundle
    from readiness.imports.writing import bundle_import
    from readiness.models import Shop

    call_command("migrate", verbosity=0)
    Shop.objects.filter(code="bench-shop").delete()
    raw = json.dumps(synthetic_bundle(n), ensure_ascii=False).encode()

    start = time.perf_counter()
    parsed = parse_bundle(raw)
    parse_s = time.perf_counter() - start
    rows = []
    for label in ("first import", "re-import (no change)"):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            summary = bundle_import(parsed=parsed)
            seconds = time.perf_counter() - start
        rows.append((label, seconds, len(ctx.captured_queries), summary.line()))
    print(f"N={n:>6} listings, {n * 5:>6} SKUs, bundle {len(raw) / 1e6:6.1f} MB")
    print(f"  parse+validate      {parse_s:7.2f} s")
    for label, seconds, queries, line in rows:
        print(f"  {label:<21} {seconds:7.2f} s  {queries:3d} queries   ({line})")
    print(f"  total {parse_s + rows[0][1]:.2f} s for parse + first import; peak memory {peak_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,5000,20000", help="comma-separated listing counts")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(args.one)
        return
    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    _ensure_database(os.environ["DATABASE_URL"])
    print(f"database: {os.environ['DATABASE_URL']}")
    for n in (int(s) for s in args.sizes.split(",")):
        subprocess.run([sys.executable, __file__, "--one", str(n)], check=True, env=os.environ)


def _ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
