"""API benchmark: the readiness report and a findings page of a big shop, served by gunicorn on PostgreSQL.

    .venv/bin/python bench/api_bench.py                      # 20k listings, 10 clients
    .venv/bin/python bench/api_bench.py --listings 500 --requests 200 --duration 10     # a quick small run

It imports a synthetic shop (bench/import_bench.synthetic_bundle: N listings × 5 SKUs) into the database of
DATABASE_URL (default postgres://postgres@127.0.0.1:5432/readiness_api_bench, created if missing; the bench shop is
replaced — do not point it at data you care about) unless it is already there with a finished scan, scans it,
issues a token per client (operations managers), and prints the number of queries of each endpoint (in-process). Then it
starts gunicorn on 127.0.0.1 (a free port) and drives it with CONCURRENCY client threads (http.client, one
connection per request), each scenario until REQUESTS requests or DURATION seconds, whichever comes first, after a
warm-up that fills every worker's caches (the rendered report, and pages of findings; the "uncached" scenarios
make every URL unique, so each of their requests is built from the database). It prints p50/p95/p99 latency (until the last byte of the body is
read; a gzipped body is not decompressed) and requests per second.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/readiness_api_bench"
SHOP, PROMOTION = "bench-shop", "d11-2026"


@dataclass
class Scenario:
    name: str
    path: str
    headers: dict[str, str]
    expect: int = 200


# ---- data -----------------------------------------------------------------------------------------------------


def prepare(n: int, reuse: bool, clients: int) -> tuple[list[str], dict[str, Any]]:
    """Import and scan the bench shop (unless reusable); return a token per client and facts about the data."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readiness.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.import_bench import synthetic_bundle
    from readiness import selectors
    from readiness.api.tokens import api_token_issue
    from readiness.imports.bundle import parse_bundle
    from readiness.imports.writing import bundle_import
    from readiness.models import Listing, Promotion, Role, Shop
    from readiness.services import scans

    call_command("migrate", verbosity=0)
    promotion = Promotion.objects.filter(shop__code=SHOP, code=PROMOTION).select_related("shop").first()
    run = selectors.latest_run(promotion=promotion) if promotion else None
    listings = Listing.objects.active().filter(shop__code=SHOP).count()
    if not (reuse and run is not None and listings == n):
        Shop.objects.filter(code=SHOP).delete()
        started = time.perf_counter()
        summary = bundle_import(parsed=parse_bundle(json.dumps(synthetic_bundle(n), ensure_ascii=False)))
        imported = time.perf_counter()
        run = scans.scan_run_sync(promotion=summary.promotion)
        print(f"imported {n} listings in {imported - started:.1f} s, scanned in {time.perf_counter() - imported:.1f} s")
        promotion = summary.promotion
        if connection.vendor == "postgresql":
            # Fresh planner statistics, as autovacuum would give a shop that was imported a while ago: right after
            # a bulk load the planner still believes the tables are empty.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    else:
        print(f"reusing {SHOP}: {listings} listings, run {run.pk}")
    tokens = [
        api_token_issue(username=f"bench-client-{i}", shop=promotion.shop, role=Role.OPERATIONS_MANAGER).key
        for i in range(clients)
    ]
    facts = {"run": run.pk, "findings": run.findings.count(), "score": run.score, "grade": run.grade}
    return tokens, facts


def query_counts(token: str, paths: list[str]) -> dict[str, tuple[int, int, int]]:
    """Queries of each path: cold (report cache empty), warm; and the response size."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    counts = {}
    for path in paths:
        cache.clear()
        sizes = []
        runs = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            assert response.status_code == 200, (path, response.status_code, response.content[:300])
            runs.append(len(queries.captured_queries))
            sizes.append(len(response.content))
        counts[path] = (runs[0], runs[1], sizes[-1])
    return counts


# ---- load -----------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    # Each client has its own token, as separate API clients would; the throttle is raised so that it counts
    # requests (its cost is measured) without refusing them.
    env = dict(os.environ, DEBUG="false", SECRET_KEY="api-bench-only", ALLOWED_HOSTS="127.0.0.1", LOG_LEVEL="ERROR",
               API_THROTTLE_RATE="1000000/minute")  # fmt: skip
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    args = [gunicorn, "readiness.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--threads", str(threads), "--log-level", "warning", "--timeout", "120"]  # fmt: skip
    process = subprocess.Popen(args, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def request(port: int, scenario: Scenario, token: str, n: int = 0) -> tuple[float, int, int]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        path = scenario.path.format(n=n)  # {n}: the request's number, to make every URL a cache miss
        conn.request("GET", path, headers=scenario.headers | {"Authorization": f"Token {token}"})
        response = conn.getresponse()
        body = response.read()
        return time.perf_counter() - started, response.status, len(body)
    finally:
        conn.close()


def load(port: int, scenario: Scenario, *, tokens: list[str], requests: int, duration: float) -> dict[str, Any]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    issued = 0
    stop_at = time.monotonic() + duration

    def worker(token: str) -> None:
        nonlocal issued
        while True:
            with lock:
                if issued >= requests or time.monotonic() >= stop_at:
                    return
                issued += 1
                n = issued
            seconds, status, _ = request(port, scenario, token, n)
            with lock:
                latencies.append(seconds)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=worker, args=(token,)) for token in tokens]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    return {"n": len(latencies), "p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "rps": len(latencies) / wall,
            "statuses": statuses}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", type=int, default=20000)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--requests", type=int, default=2000, help="per scenario, at most")
    parser.add_argument("--duration", type=float, default=30, help="seconds per scenario, at most")
    parser.add_argument(
        "--workers", type=int, default=3, help="gunicorn workers (3 suits 2 cores shared with the clients)"
    )
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--no-reuse", action="store_true", help="import and scan again even if the shop is there")
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    from bench.import_bench import _ensure_database

    _ensure_database(os.environ["DATABASE_URL"])
    print(f"database: {os.environ['DATABASE_URL']}")
    tokens, facts = prepare(args.listings, reuse=not args.no_reuse, clients=args.concurrency)
    print(f"shop {SHOP}: {args.listings} listings, run {facts['run']}: {facts['findings']} findings, "
          f"score {facts['score']} {facts['grade']}")  # fmt: skip

    base = f"/api/v1/shops/{SHOP}/promotions/{PROMOTION}"
    findings = f"{base}/findings?page_size=50"
    filtered = f"{base}/findings?severity=error&status=open&ordering=severity&page_size=50"
    print("\nqueries per request (cold cache / warm) and response size:")
    for path, (cold, warm, size) in query_counts(tokens[0], [f"{base}/readiness", findings, filtered]).items():
        print(f"  {path:<100} {cold:3d} / {warm:3d}   {size / 1e6:8.2f} MB")

    port = free_port()
    server = start_gunicorn(port, args.workers, args.threads)
    try:
        etag = _etag(port, f"{base}/readiness", {"Authorization": f"Token {tokens[0]}"})
        scenarios = [
            Scenario("readiness (200, full report)", f"{base}/readiness", {}),
            Scenario("readiness (200, gzip)", f"{base}/readiness", {"Accept-Encoding": "gzip"}),
            Scenario("readiness (304, If-None-Match)", f"{base}/readiness", {"If-None-Match": etag}, 304),
            Scenario("findings page (50)", findings, {}),
            Scenario("findings page, filtered+ordered", filtered, {}),
            # An unknown parameter is ignored by the API but is part of the cache key: every request is built.
            Scenario("findings page (50), uncached", findings + "&bench={n}", {}),
            Scenario("findings filtered+ordered, uncached", filtered + "&bench={n}", {}),
        ]
        for scenario in scenarios:  # every worker builds (or caches) what it serves before timing starts
            for _ in range(args.workers * 3):
                request(port, scenario, tokens[0])
        print(f"\ngunicorn: {args.workers} workers × {args.threads} threads; {args.concurrency} clients, "
              f"≤{args.requests} requests or ≤{args.duration:.0f} s per scenario; {os.cpu_count()} CPUs, "
              f"load average before: {os.getloadavg()[0]:.2f} (anything else running skews the figures)")  # fmt: skip
        print(f"  {'scenario':<38} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8}  statuses")
        for scenario in scenarios:
            r = load(port, scenario, tokens=tokens, requests=args.requests, duration=args.duration)
            assert set(r["statuses"]) == {scenario.expect}, r["statuses"]
            print(f"  {scenario.name:<38} {r['n']:>6} {r['p50'] * 1e3:>8.1f} {r['p95'] * 1e3:>8.1f} "
                  f"{r['p99'] * 1e3:>8.1f} {r['rps']:>8.1f}  {r['statuses']}")  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)


def _etag(port: int, path: str, headers: dict[str, str]) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        assert response.status == 200, response.status
        return response.getheader("ETag") or ""
    finally:
        conn.close()


if __name__ == "__main__":
    main()
