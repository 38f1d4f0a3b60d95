"""The API as a client team meets it: a Python client generated from the served schema with openapi-python-client
runs the main flows, and every response of the run is validated strictly against the same schema.

The client is generated at test time (into a temporary folder, or API_CLIENT_DIR), never committed. In the normal
suite it talks to the WSGI app in-process, against the test database (``world``). Against a live server (CI starts
gunicorn on PostgreSQL with a real Celery worker behind it) set

    API_BASE_URL=http://127.0.0.1:8765    the server (its /api/schema/ is what the client is generated from)
    API_TOKEN=<token>                     an operations manager's token of a shop with a scanned promotion

The live run writes: it waives and lifts a finding, edits a listing's title and pushes the shop's own demo bundle
back (which restores the title and re-scans); point it at a disposable database.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from werkzeug.datastructures import Headers

from tests.readiness.api.strict import PlainRequest, PlainResponse, StrictSchema

BASE_URL = os.environ.get("API_BASE_URL", "").rstrip("/")
DEMO_BUNDLE = Path(__file__).resolve().parents[3] / "readiness" / "demo" / "demo-shop.json"
RANK = {"error": 0, "warning": 1, "info": 2}
PAGE_SIZE = 25 if BASE_URL else 2  # several pages either way (the demo shop has many findings, the test shop few)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        importlib.util.find_spec("openapi_python_client") is None,
        reason="openapi-python-client is not installed: it is a dev dependency (pip install -e '.[dev]')",
    ),
]


@dataclass
class Run:
    """The generated package, a client of it, and every response the run saw (each already validated)."""

    api: Any
    models: Any
    client: Any
    shop: str
    bundle: dict[str, Any]
    validated: list[tuple[str, str, int]] = field(default_factory=list)

    def call(self, module: str, **kwargs: Any) -> Any:
        group, name = module.split(".")
        operation = importlib.import_module(f"{self.api.__name__}.{group}.{name}")
        return operation.sync_detailed(client=self.client, **kwargs)


def _generate(schema: dict[str, Any], folder: Path) -> str:
    """openapi-python-client → a package in ``folder``; returns its import name."""
    package = f"readiness_api_client_{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "schema.json").write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    bin_dir = str(Path(sys.executable).parent)  # the generator formats its output with ruff from the same venv
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(folder / "schema.json"),
               "--output-path", str(folder / package), "--meta", "none", "--overwrite"]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    # Warnings mean parts of the schema the generator could not turn into code: none are acceptable.
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    return package


def _validator(strict: StrictSchema, seen: list[tuple[str, str, int]]) -> Any:
    def validate(response: httpx.Response) -> None:
        response.read()
        request = response.request
        plain = PlainRequest(request.method, str(request.url), dict(request.headers), request.content)
        strict.check(plain, PlainResponse(response.status_code, Headers(dict(response.headers)), response.content))
        seen.append((request.method, request.url.path, response.status_code))

    return validate


@pytest.fixture
def run(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Run]:
    if BASE_URL:
        transport: httpx.BaseTransport = httpx.HTTPTransport()
        token = os.environ["API_TOKEN"]
        base = BASE_URL
        bundle = json.loads(DEMO_BUNDLE.read_text(encoding="utf-8"))
    else:
        world = request.getfixturevalue("world")
        bundle = json.loads(request.getfixturevalue("bundle_for")(world.own.shop.code))
        token = world.tokens["operations_manager"]
        base = "http://testserver"
        transport = httpx.WSGITransport(app=get_wsgi_application())
    seen: list[tuple[str, str, int]] = []
    folder = Path(os.environ["API_CLIENT_DIR"]) if os.environ.get("API_CLIENT_DIR") else tmp_path / "client"
    # In process, even the schema request must not close the test's database connection (PostgreSQL).
    with _in_process(not BASE_URL):
        with httpx.Client(transport=transport, base_url=base, timeout=120) as plain:
            schema = plain.get("/api/schema/?format=json").json()
        package = _generate(schema, folder)
        sys.path.insert(0, str(folder))
        try:
            api = importlib.import_module(f"{package}.api")
            models = importlib.import_module(f"{package}.models")
            client_module = importlib.import_module(f"{package}.client")
            hooks = {"response": [_validator(StrictSchema(schema), seen)]}
            client = client_module.AuthenticatedClient(
                base_url=base, token=token, prefix="Token", raise_on_unexpected_status=True,
                httpx_args={"transport": transport, "event_hooks": hooks}, timeout=httpx.Timeout(120),
            )  # fmt: skip
            yield Run(api=api, models=models, client=client, shop=bundle["shop"]["code"], bundle=bundle, validated=seen)
        finally:
            sys.path.remove(str(folder))
            for name in [m for m in sys.modules if m == package or m.startswith(f"{package}.")]:
                del sys.modules[name]


@contextlib.contextmanager
def _in_process(active: bool) -> Iterator[None]:
    # The WSGI app closes "old" database connections around each request, which inside the test's transaction is
    # every connection; Django's test client disconnects the same handlers for the same reason.
    if not active:
        yield
        return
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def _ok(response: Any, status: int, model: Any) -> Any:
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert isinstance(response.parsed, model), type(response.parsed)
    return response.parsed


def test_main_flows_through_a_generated_client(run: Run, request: pytest.FixtureRequest) -> None:
    m = run.models

    # Shops and promotions.
    shops = _ok(run.call("shops.shops_list"), 200, m.PaginatedShopOutputList)
    shop = next(s for s in shops.results if s.code == run.shop)
    promotion_code = run.bundle["promotion"]["code"]
    promotions = _ok(run.call("shops.promotions_list", shop=shop.code), 200, m.PaginatedPromotionOutputList)
    assert promotion_code in {p.code for p in promotions.results}

    # Readiness: a promotion never scanned is scanned first (202 from the request that starts the scan, 409 while
    # it runs), then the report, then its ETag: 304.
    deadline = time.monotonic() + 300
    report = run.call("readiness.readiness_retrieve", shop=shop.code, promotion=promotion_code)
    while report.status_code in (202, 409) and time.monotonic() < deadline:
        if report.status_code == 202:
            assert report.parsed.status in (m.RunStatusEnum.PENDING, m.RunStatusEnum.RUNNING), report.content
        else:
            assert isinstance(report.parsed, m.Problem)
        time.sleep(1)
        report = run.call("readiness.readiness_retrieve", shop=shop.code, promotion=promotion_code)
    assert _ok(report, 200, m.ReadinessReport).shop == shop.code
    etag = report.headers["ETag"]
    again = run.call("readiness.readiness_retrieve", shop=shop.code, promotion=promotion_code, if_none_match=etag)
    assert again.status_code == 304 and again.content == b""
    promotions = _ok(run.call("shops.promotions_list", shop=shop.code), 200, m.PaginatedPromotionOutputList)
    promotion = next(p for p in promotions.results if p.code == promotion_code)
    assert isinstance(promotion.latest_run, m.LatestRun) and promotion.latest_run.id == report.parsed.run

    # Findings, paged, ordered by several fields (worst first, then listing descending, then id), and filtered.
    ordering = [m.FindingsListOrderingItem.SEVERITY, m.FindingsListOrderingItem.LISTING_DESC,
                m.FindingsListOrderingItem.ID]  # fmt: skip
    rows: list[Any] = []
    page = 1
    while True:
        found = run.call("findings.findings_list", shop=shop.code, promotion=promotion.code, ordering=ordering,
                         page=page, page_size=PAGE_SIZE)  # fmt: skip
        body = _ok(found, 200, m.PaginatedFindingOutputList)
        rows += body.results
        if not body.next_:
            break
        page += 1
    assert len(rows) == body.count >= 3 and page > 1
    assert len({f.id for f in rows}) == len(rows)
    keys = [(RANK[f.severity], f.listing_id or "", f.id) for f in rows]
    expected = sorted(sorted(sorted(keys, key=lambda k: k[2]), key=lambda k: k[1], reverse=True), key=lambda k: k[0])
    assert keys == expected
    errors = run.call("findings.findings_list", shop=shop.code, promotion=promotion.code, page_size=500,
                      severity=[m.FindingsListSeverityItem.ERROR], status=m.FindingsListStatus.OPEN)  # fmt: skip
    open_errors = _ok(errors, 200, m.PaginatedFindingOutputList).results
    assert open_errors and all(f.severity == "error" and f.status == "open" for f in open_errors)

    # Waive an open finding until a time in the future, find it in the audit trail, lift it.
    finding = open_errors[0]
    until = timezone.now() + timedelta(days=30)
    body = m.WaiverInputRequest(reason="客户端测试：已与平台确认", expires_at=until)
    waiver = _ok(run.call("waivers.waivers_create", id=finding.id, body=body), 201, m.WaiverOutput)
    assert waiver.active and waiver.expires_at == until.replace(microsecond=until.microsecond)
    active = _ok(run.call("waivers.waivers_list", shop=shop.code, active=True), 200, m.PaginatedWaiverOutputList)
    assert waiver.id in {w.id for w in active.results}
    lifted = _ok(run.call("waivers.waivers_destroy", id=finding.id), 200, m.WaiverOutput)
    assert (lifted.id, lifted.active) == (waiver.id, False) and lifted.lifted_at is not None

    # PATCH a listing's title: it is re-scanned and returned with its findings.
    listing_id = next(f.listing_id for f in [finding, *rows] if f.listing_id)
    title = "优选 明前龙井 客户端测试"
    patch = m.PatchedListingUpdateInputRequest(title=title)
    listing = run.call("listings.listings_partial_update", shop=shop.code, listing=listing_id, body=patch)
    assert _ok(listing, 200, m.ListingOutput).title == title

    # Push the shop's bundle back (restoring the title) and poll its job until it is complete.
    with _on_commit(request):
        pushed = run.call("bundles.bundles_create", shop=shop.code, body=m.BundleRequest.from_dict(run.bundle))
    job = _ok(pushed, 202, m.JobOutput)
    assert pushed.headers["Location"] == job.url
    deadline = time.monotonic() + 300
    while job.status not in ("complete", "failed") and time.monotonic() < deadline:
        time.sleep(0.5 if BASE_URL else 0)
        job = _ok(run.call("bundles.jobs_retrieve", id=job.id), 200, m.JobOutput)
    assert job.status == "complete", job.to_dict()
    assert isinstance(job.links, m.PromotionLinks) and job.progress.done == job.progress.total
    restored = _ok(run.call("listings.listings_retrieve", shop=shop.code, listing=listing_id), 200, m.ListingOutput)
    assert restored.title != title

    # The stateless scan.
    scan = m.ScanInputRequest.from_dict(
        {"listings": [{"id": "L1", "title": "最佳 明前龙井 250g"}], "platform": "tmall"}
    )
    scanned = _ok(run.call("scan.scan_create", body=scan), 200, m.ScanOutput)
    assert scanned.counts.error >= 1 and scanned.findings[0].listing_id == "L1"

    # An error is problem details, parsed as such.
    missing = run.call("listings.listings_retrieve", shop=shop.code, listing="no-such-listing")
    assert _ok(missing, 404, m.Problem).type_ == "urn:readiness:problem:not-found"

    statuses = {status for _method, _path, status in run.validated}
    assert {200, 201, 202, 304, 404} <= statuses and len(run.validated) >= 15, run.validated
    print(f"generated client: {len(run.validated)} responses, each valid against the schema")


@contextlib.contextmanager
def _on_commit(request: pytest.FixtureRequest) -> Iterator[None]:
    """In-process, Celery is eager and the import job is dispatched when the request's transaction commits, which
    inside a test it never does: run the on-commit callbacks (live, the worker picks the job up)."""
    if BASE_URL:
        yield
        return
    capture = request.getfixturevalue("django_capture_on_commit_callbacks")
    with capture(execute=True):
        yield
