"""The readiness report over HTTP: which run it is of, its ETag, and the rendered JSON, cached (and so are pages
of findings, which depend on the same state).

The report of a 20k-listing shop is megabytes of JSON and takes seconds to build, and pollers ask for it again
and again. It only changes when its run changes (a listing re-scanned after an edit, a waiver given or lifted:
both re-score the run, which replaces its check-result rows) or when the set of waivers in force changes (a
waiver expiring changes the report without any write). So the ETag is a digest of: the run's id and finish time,
the newest of its check-result rows, and the count and newest id of the shop's waivers in force (ids only grow,
so a waiver added changes the newest id, and one lifted or expired changes the count) — read in one query.

The rendered bytes (and their gzip) are cached under the ETag, so a changed report is a new cache key and nothing
has to be invalidated. The cache is Django's default one: per process unless CACHES points at a shared one.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from rest_framework.renderers import JSONRenderer

from readiness import selectors
from readiness.api.errors import ScanInProgress
from readiness.models import CheckResult, Promotion, RunStatus, ScanRun, Waiver
from readiness.services import scans

# Part of every ETag: bump it when the report's shape changes, so that no client keeps an old one.
REPORT_VERSION = "1"
CACHE_SECONDS = 6 * 3600
# Pages of findings are many and cheap to rebuild; kept briefly, which also bounds how long a change the ETag
# cannot see (an edit in the admin) stays hidden.
PAGE_CACHE_SECONDS = 300


@dataclass(frozen=True, slots=True)
class RunState:
    """What a run's report depends on (see the module docstring)."""

    run_id: int
    finished_at: object  # only compared and hashed (a datetime, or text on SQLite)
    results_version: int
    waivers_in_force: int
    newest_waiver: int

    @property
    def etag(self) -> str:
        """A strong ETag (quoted) for the report in this state."""
        state = [REPORT_VERSION, self.run_id, str(self.finished_at), self.results_version, self.waivers_in_force,
                 self.newest_waiver]  # fmt: skip
        return f'"r{self.run_id}-{hashlib.blake2b(json.dumps(state).encode(), digest_size=12).hexdigest()}"'


def latest_run_state(*, promotion_id: int, now: dt.datetime | None = None) -> RunState | None:
    """The state of the newest complete run of a promotion (the run of ``selectors.latest_run``), or None.

    One query, in SQL: pollers call this on every request, and the ORM's compilation of the same query with its
    three subqueries costs several times its execution."""
    active = "w.shop_id = r.shop_id AND w.lifted_at IS NULL AND (w.expires_at IS NULL OR w.expires_at > %s)"
    sql = f"""
        SELECT r.id, r.finished_at,
               COALESCE((SELECT MAX(c.id) FROM {CheckResult._meta.db_table} c WHERE c.run_id = r.id), 0),
               (SELECT COUNT(*) FROM {Waiver._meta.db_table} w WHERE {active}),
               COALESCE((SELECT MAX(w.id) FROM {Waiver._meta.db_table} w WHERE {active}), 0)
        FROM {ScanRun._meta.db_table} r
        WHERE r.promotion_id = %s AND r.status = %s
        ORDER BY r.finished_at DESC, r.id DESC
        LIMIT 1
    """  # table names come from the models; every value is a parameter
    when = connection.ops.adapt_datetimefield_value(now or timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [when, when, promotion_id, RunStatus.COMPLETE.value])
        row = cursor.fetchone()
    return RunState(*row) if row is not None else None


def current_run(*, promotion: Promotion) -> RunState | ScanRun:
    """The run whose report is served: the newest complete one. If the promotion was never scanned, a scan is
    started on the workers (never run in this request) and returned, for a 202 with where to poll; while a first
    scan is still running: 409. (Without a broker Celery runs eagerly, and the started scan is already complete.)"""
    state = latest_run_state(promotion_id=promotion.pk)
    if state is not None:
        return state
    if selectors.scan_in_progress(promotion=promotion) is not None:
        raise ScanInProgress()
    run = scans.scan_run_start(promotion=promotion, wait=False)
    state = latest_run_state(promotion_id=promotion.pk)
    return state if state is not None else run


def response_for(request: HttpRequest, state: RunState) -> HttpResponse:
    """304 if ``If-None-Match`` names the report's ETag (weak comparison, as RFC 9110 asks), else the report,
    gzipped (cached that way too) when the client accepts it: 3 MB of JSON for a 20k-listing shop is ~10× less."""
    etag = state.etag
    if _names(request.headers.get("If-None-Match", ""), etag):
        response: HttpResponse = HttpResponseNotModified()
    elif _accepts_gzip(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(rendered_report(state, gzipped=True), content_type="application/json")
        response["Content-Encoding"] = "gzip"
        etag = f"W/{etag}"  # another representation: the same ETag, weak (as Django's GZipMiddleware does)
    else:
        response = HttpResponse(rendered_report(state), content_type="application/json")
    response["ETag"], response["Cache-Control"] = etag, "private, no-cache"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def _accepts_gzip(accept_encoding: str) -> bool:
    for item in accept_encoding.lower().split(","):
        coding, _, params = item.partition(";")
        if coding.strip() in ("gzip", "*"):
            q = params.strip().removeprefix("q=")
            return not q or _number(q) > 0
    return False


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def _names(if_none_match: str, etag: str) -> bool:
    tags = parse_etags(if_none_match) if if_none_match else []
    return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)


def cached_page(request: HttpRequest, state: RunState | None, build: Callable[[], Any]) -> HttpResponse:
    """A JSON answer that depends only on the run's state and the URL (a page of findings): 304 or the bytes
    rendered the first time, under an ETag of both. ``build`` makes the data when it is not cached (and raises,
    for a bad query, like any view). Without a complete run there is nothing to key on: built every time."""
    if state is None:
        return HttpResponse(JSONRenderer().render(build()), content_type="application/json")
    url = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.blake2b(url.encode(), digest_size=8, key=state.etag.encode()[:64]).hexdigest()
    etag = f'{state.etag[:-1]}-{digest}"'
    if _names(request.headers.get("If-None-Match", ""), etag):
        response: HttpResponse = HttpResponseNotModified()
    else:
        key = f"readiness:page:{etag.strip(chr(34))}"
        body = cache.get(key)
        if body is None:
            body = JSONRenderer().render(build())
            cache.set(key, body, PAGE_CACHE_SECONDS)
        response = HttpResponse(body, content_type="application/json")
    response["ETag"], response["Cache-Control"] = etag, "private, no-cache"
    return response


def rendered_report(state: RunState, *, gzipped: bool = False) -> bytes:
    """The report of the run as UTF-8 JSON (``selectors.readiness_report``), built once per ETag (and gzipped
    once per ETag)."""
    key = f"readiness:report:{state.etag.strip(chr(34))}{':gz' if gzipped else ''}"
    body = cache.get(key)
    if body is None:
        if gzipped:
            body = gzip.compress(rendered_report(state), compresslevel=6, mtime=0)
        else:
            run = ScanRun.objects.select_related("shop", "promotion").get(pk=state.run_id)
            report = selectors.readiness_report(run=run)
            body = json.dumps(report, ensure_ascii=False, separators=(",", ":")).encode()
        cache.set(key, body, CACHE_SECONDS)
    return body
