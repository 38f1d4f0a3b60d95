"""After-sales benchmark: import and report of N after-sale records (CSV) in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_after .venv/bin/python bench/after_sales_bench.py
    … --sizes 3000 30000 300000

Each size runs in its own process (peak memory per size) against a fresh benchmark shop: it prints seconds, the
number of queries and peak memory for reading the CSV (decoding and validating every row), the first import, a
re-import of the same file (which must change nothing) and the report (metrics, trend, per-listing quality,
problem listings, forecast, check). The number of queries must not grow with N. The database's tables are
migrated; only the benchmark shop's rows are touched.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
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
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/wt_after"
SHOP = "bench-after-sales"
END = dt.date(2026, 11, 1)
HEADERS = ["退款编号", "订单编号", "商品ID", "商家编码", "售后类型", "发货状态", "退款原因", "退款金额", "申请时间",
           "商家处理时间", "买家退货时间", "商家收货时间", "完结时间", "退款状态", "平台介入", "判责"]  # fmt: skip
REASONS = [
    "不想要了",
    "七天无理由退换货",
    "质量问题",
    "描述不符",
    "少件/漏发",
    "商品破损",
    "未收到货",
    "发错货",
    "其他",
]
WEIGHTS = [20, 30, 8, 4, 8, 6, 10, 4, 10]


def synthetic_files(n: int, seed: int = 18) -> tuple[bytes, bytes]:
    """N records over 120 days and their listings' daily paid orders (~10 orders per request), as CSV."""
    rng = random.Random(seed)
    listings = max(50, n // 150)
    days = 120
    fmt = "%Y-%m-%d %H:%M:%S"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    base = dt.datetime.combine(END - dt.timedelta(days=days - 1), dt.time())
    for i in range(n):
        kind = rng.choices(["仅退款", "退货退款", "换货", "补寄"], weights=[50, 42, 4, 4])[0]
        shipped = "已发货" if kind != "仅退款" or rng.random() < 0.4 else "未发货"
        requested = base + dt.timedelta(seconds=rng.randrange(days * 86400))
        hours = rng.uniform(1, 30) if kind == "仅退款" else rng.uniform(40, 160)
        closed = requested + dt.timedelta(hours=hours)
        is_open = closed.date() > END
        intervened = rng.random() < 0.03
        handled = requested + dt.timedelta(hours=hours * 0.1)
        back = handled + dt.timedelta(hours=hours * 0.3) if kind == "退货退款" else None
        received = back + dt.timedelta(hours=hours * 0.4) if back else None
        writer.writerow(
            [
                f"RF{i:09d}",
                f"OD{i // 2 if i % 7 == 0 else i:09d}",  # some orders carry two requests
                f"B{rng.randrange(listings):05d}",
                "",
                kind,
                shipped,
                rng.choices(REASONS, weights=WEIGHTS)[0],
                f"{rng.randint(10, 500)}.00",
                requested.strftime(fmt),
                handled.strftime(fmt),
                back.strftime(fmt) if back else "",
                received.strftime(fmt) if received else "",
                "" if is_open else closed.strftime(fmt),
                "处理中" if is_open else rng.choice(["退款成功"] * 9 + ["退款关闭"]),
                "是" if intervened else "否",
                (rng.choice(["卖家", "买家"]) if intervened and not is_open else ""),
            ]
        )
    orders = io.StringIO()
    writer = csv.writer(orders)
    writer.writerow(["日期", "商品ID", "支付订单数"])
    per_listing_day = max(1, n * 10 // (listings * days))
    for d in range(days):
        day = END - dt.timedelta(days=d)
        for listing in range(listings):
            writer.writerow(
                [day.isoformat(), f"B{listing:05d}", rng.randint(per_listing_day // 2, per_listing_day * 3 // 2)]
            )
    return out.getvalue().encode("utf-8"), orders.getvalue().encode("utf-8")


def _measure(fn: Any) -> tuple[Any, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
    return result, seconds, len(queries.captured_queries)


def child(n: int) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readiness.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command

    from readiness.aftersales.files import file_tables
    from readiness.aftersales.models import AfterSaleRecord, PaidOrders
    from readiness.aftersales.records import parse_tables
    from readiness.aftersales.reporting import after_sales_report
    from readiness.aftersales.services import after_sales_import
    from readiness.models import Promotion, Shop

    call_command("migrate", verbosity=0)
    records_csv, orders_csv = synthetic_files(n)
    shop, _ = Shop.objects.get_or_create(code=SHOP, defaults={"name": "售后基准店", "platform": "tmall"})
    AfterSaleRecord.objects.filter(shop=shop).delete()
    PaidOrders.objects.filter(shop=shop).delete()
    promotion, _ = Promotion.objects.get_or_create(
        shop=shop,
        code="d11-2026",
        defaults={
            "name": "2026 双11",
            "sale_start": dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC),
            "sale_end": dt.datetime(2026, 11, 11, 15, 59, 59, tzinfo=dt.UTC),
            "expected_orders": 200000,
        },
    )

    def read() -> Any:
        tables = [*file_tables(records_csv, "records.csv")[0], *file_tables(orders_csv, "orders.csv")[0]]
        return parse_tables(tables)

    parsed, parse_s, _ = _measure(read)
    first, first_s, first_q = _measure(lambda: after_sales_import(shop=shop, parsed=parsed))
    again, again_s, again_q = _measure(lambda: after_sales_import(shop=shop, parsed=parsed))
    report, report_s, report_q = _measure(lambda: after_sales_report(promotion=promotion, as_of=END))
    assert first.created == n and again.unchanged == n, (first, again)
    return {
        "records": n,
        "csv_mb": round(len(records_csv) / 1e6, 1),
        "read_s": round(parse_s, 2),
        "import_s": round(first_s, 2),
        "import_queries": first_q,
        "reimport_s": round(again_s, 2),
        "reimport_queries": again_q,
        "report_s": round(report_s, 2),
        "report_queries": report_q,
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "paid_orders": report["paid_orders"],
        "problem_listings": len(report["problem_listings"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000, 30000, 300000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_DB)
    print(
        "| records | CSV | read + validate | first import | queries | re-import (no change) | queries | report | queries | peak memory |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(n)], env=env, check=True, capture_output=True, text=True
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(
            f"| {r['records']:,} | {r['csv_mb']} MB | {r['read_s']} s | {r['import_s']} s | {r['import_queries']} | "
            f"{r['reimport_s']} s | {r['reimport_queries']} | {r['report_s']} s | {r['report_queries']} | {r['peak_mb']} MB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
