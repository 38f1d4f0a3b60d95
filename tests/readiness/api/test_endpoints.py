"""Endpoint behaviour: what each operation returns, validates and changes."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from readiness import selectors
from readiness.models import Finding, ImportJob, ListingRevision, Promotion, RunStatus, ScanRun, Waiver
from readiness.services import scans
from scanners.__main__ import run_scan
from scanners.options import ScanOptions
from tests.factories import PromotionFactory
from tests.readiness.api.problem import assert_problem
from tests.readiness.api.world import World

pytestmark = pytest.mark.django_db

OPS = "operations_manager"


@pytest.fixture
def ops(world: World, client_for: Callable[[str | None], APIClient]) -> APIClient:
    return client_for(world.tokens[OPS])


def _promo_url(world: World, tail: str) -> str:
    return f"/api/v1/shops/{world.own.shop.code}/promotions/{world.own.promotion.code}/{tail}"


# ---- shops, promotions, runs -----------------------------------------------------------------------------------


def test_promotions_carry_the_latest_score_and_links(world: World, ops: APIClient) -> None:
    body = ops.get(f"/api/v1/shops/{world.own.shop.code}/promotions").json()
    run = selectors.latest_run(promotion=world.own.promotion)
    [promotion] = body["results"]
    assert promotion["latest_run"] == {
        "id": run.pk,
        "score": run.score,
        "grade": run.grade,
        "finished_at": timezone.localtime(run.finished_at).isoformat(),
    }
    assert promotion["links"]["readiness"] == f"http://testserver{_promo_url(world, 'readiness')}"


def test_runs_are_the_scan_history_newest_first(world: World, ops: APIClient) -> None:
    first = selectors.latest_run(promotion=world.own.promotion)
    second = scans.scan_run_sync(promotion=world.own.promotion)
    body = ops.get(_promo_url(world, "runs")).json()
    assert [run["id"] for run in body["results"]] == [second.pk, first.pk]
    latest = body["results"][0]
    assert (latest["score"], latest["grade"], latest["status"]) == (second.score, second.grade, "complete")
    totals = {s: second.findings.filter(severity=s).count() for s in ("error", "warning", "info")}
    assert latest["findings"] == totals


# ---- bundles and jobs ----------------------------------------------------------------------------------------------


def test_invalid_bundle_lists_every_path_in_error(world: World, ops: APIClient, bundle_for: Any) -> None:
    data = json.loads(bundle_for(world.own.shop.code))
    data["listings"][1]["skus"][0]["stock"] = "many"
    data["promotion"]["sale_start"] = "someday"
    response = ops.post(f"/api/v1/shops/{world.own.shop.code}/bundles", data, format="json")
    body = assert_problem(response, 400)
    assert body["type"] == "urn:readiness:problem:invalid-bundle"
    paths = {error["path"] for error in body["errors"]}
    assert {"listings[1].skus[0].stock", "promotion.sale_start"} <= paths
    assert not ImportJob.objects.filter(shop=world.own.shop).exclude(pk=world.own.job.pk).exists()


def test_bundle_for_another_shop_code_is_refused(world: World, ops: APIClient, bundle_for: Any) -> None:
    response = ops.post(
        f"/api/v1/shops/{world.own.shop.code}/bundles", bundle_for("someone-else"), content_type="application/json"
    )
    assert [e["path"] for e in assert_problem(response, 400)["errors"]] == ["shop.code"]


@override_settings(BUNDLE_MAX_BYTES=1000)
def test_bundle_over_the_size_limit_is_413(world: World, ops: APIClient, bundle_for: Any) -> None:
    raw = bundle_for(world.own.shop.code)
    assert len(raw) > 1000
    body = assert_problem(
        ops.post(f"/api/v1/shops/{world.own.shop.code}/bundles", raw, content_type="application/json"), 413
    )
    assert "1000 字节" in body["detail"]


def test_bundle_needs_json(world: World, ops: APIClient, bundle_for: Any) -> None:
    url = f"/api/v1/shops/{world.own.shop.code}/bundles"
    assert_problem(ops.post(url, bundle_for(world.own.shop.code), content_type="text/csv"), 415)
    assert [e["path"] for e in assert_problem(ops.post(url, b"", content_type="application/json"), 400)["errors"]] == [
        ""
    ]


def test_bundle_is_accepted_and_queued(world: World, ops: APIClient, bundle_for: Any) -> None:
    url = f"/api/v1/shops/{world.own.shop.code}/bundles"
    response = ops.post(url, bundle_for(world.own.shop.code), content_type="application/json")
    assert response.status_code == 202
    job = response.json()
    assert response["Location"] == job["url"] == f"http://testserver/api/v1/jobs/{job['id']}"
    assert (job["status"], job["shop"], job["links"]) == ("queued", world.own.shop.code, None)
    assert ImportJob.objects.get(pk=job["id"]).created_by.username == "api-operations_manager"


# ---- readiness ---------------------------------------------------------------------------------------------------


def test_readiness_is_the_report_of_the_command(world: World, ops: APIClient) -> None:
    response = ops.get(_promo_url(world, "readiness"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    out = io.StringIO()
    call_command("readiness_report", shop=world.own.shop.code, promotion=world.own.promotion.code, stdout=out)
    assert response.json() == json.loads(out.getvalue())
    assert set(response.json()) >= {"shop", "promotion", "score", "grade", "computed_at", "checks", "listings"}


def test_readiness_etag_gives_304_until_something_changes(world: World, ops: APIClient) -> None:
    url = _promo_url(world, "readiness")
    first = ops.get(url)
    etag = first["ETag"]
    again = ops.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    assert ops.get(url, HTTP_IF_NONE_MATCH=f'W/{etag}, "other"').status_code == 304

    # A waiver changes the report: new ETag, new body.
    ops.post(f"/api/v1/findings/{world.own.finding.pk}/waiver", {"reason": "补货在途"}, format="json")
    waived = ops.get(url, HTTP_IF_NONE_MATCH=etag)
    assert waived.status_code == 200 and waived["ETag"] != etag
    assert waived.json()["summary"]["waived"] == first.json()["summary"]["waived"] + 1

    # So does re-scanning a listing after an edit.
    etag = waived["ETag"]
    ops.patch(f"/api/v1/shops/{world.own.shop.code}/listings/L102", {"title": "最佳 好茶"}, format="json")
    edited = ops.get(url, HTTP_IF_NONE_MATCH=etag)
    assert edited.status_code == 200 and edited["ETag"] != etag

    # And a waiver running out, which writes nothing.
    etag = edited["ETag"]
    Waiver.objects.filter(shop=world.own.shop).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = ops.get(url, HTTP_IF_NONE_MATCH=etag)
    assert expired.status_code == 200 and expired.json()["summary"]["waived"] == 0


def test_readiness_is_gzipped_for_clients_that_accept_it(world: World, ops: APIClient) -> None:
    url = _promo_url(world, "readiness")
    plain = ops.get(url)
    zipped = ops.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content and len(zipped.content) < len(plain.content)
    assert zipped["ETag"] == f"W/{plain['ETag']}"
    assert ops.get(url, HTTP_IF_NONE_MATCH=zipped["ETag"], HTTP_ACCEPT_ENCODING="gzip").status_code == 304
    for refused in ("gzip;q=0", "identity", "br, deflate"):
        assert "Content-Encoding" not in ops.get(url, HTTP_ACCEPT_ENCODING=refused), refused


def test_readiness_starts_a_scan_when_there_is_none(
    world: World, ops: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    """The scan is handed to Celery when the request's transaction commits (202); once it has run, the same URL
    answers with its report."""
    promotion = PromotionFactory(shop=world.own.shop, code="618-2027")
    url = f"/api/v1/shops/{world.own.shop.code}/promotions/618-2027/readiness"
    with django_capture_on_commit_callbacks(execute=True):
        assert ops.get(url).status_code == 202
    response = ops.get(url)
    assert response.status_code == 200
    run = ScanRun.objects.get(promotion=promotion)
    assert (response.json()["run"], run.status) == (run.pk, RunStatus.COMPLETE)


def test_readiness_while_the_first_scan_runs_is_409(world: World, ops: APIClient) -> None:
    promotion = PromotionFactory(shop=world.own.shop, code="618-2027")
    scans.scan_run_create(promotion=promotion)  # pending, as when a worker has not picked it up yet
    body = assert_problem(ops.get(f"/api/v1/shops/{world.own.shop.code}/promotions/618-2027/readiness"), 409)
    assert body["type"] == "urn:readiness:problem:scan-in-progress"


def test_unknown_promotion_is_404(world: World, ops: APIClient) -> None:
    assert_problem(ops.get(f"/api/v1/shops/{world.own.shop.code}/promotions/nope/readiness"), 404)


# ---- findings ----------------------------------------------------------------------------------------------------


def _findings(ops: APIClient, world: World, query: str = "") -> dict[str, Any]:
    response = ops.get(_promo_url(world, f"findings{query}"))
    assert response.status_code == 200, response.content
    return response.json()


def test_findings_are_those_of_the_latest_run(world: World, ops: APIClient) -> None:
    run = selectors.latest_run(promotion=world.own.promotion)
    body = _findings(ops, world)
    assert body["count"] == run.findings.count() > 0
    assert {f["run"] for f in body["results"]} == {run.pk}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?severity=error", lambda f: f.severity == "error"),
        ("?severity=warning&severity=info", lambda f: f.severity in ("warning", "info")),
        ("?check=stock", lambda f: f.check_name == "stock"),
        ("?category=extreme_wording", lambda f: f.category == "extreme_wording"),
        ("?listing=L101", lambda f: f.listing is not None and f.listing.listing_id == "L101"),
        ("?rule=extreme.superlative", lambda f: f.rule == "extreme.superlative"),
        (
            "?check=listing_text&listing=L101",
            lambda f: f.check_name == "listing_text" and f.listing.listing_id == "L101",
        ),
    ],
)
def test_findings_filters(world: World, ops: APIClient, query: str, expected: Callable[[Finding], bool]) -> None:
    run = selectors.latest_run(promotion=world.own.promotion)
    want = sorted(f.pk for f in run.findings.select_related("listing") if expected(f))
    assert want, "the filter must match something for the test to mean anything"
    assert [f["id"] for f in _findings(ops, world, query + "&page_size=500")["results"]] == want


def test_findings_status_filter(world: World, ops: APIClient) -> None:
    waived = _findings(ops, world, "?status=waived")["results"]
    assert [(f["id"], f["status"]) for f in waived] == [(world.own.waived.pk, "waived")]
    assert waived[0]["waiver"]["by"] == "acme-tmall-boss" and waived[0]["waiver"]["reason"] == "已确认"
    open_ = _findings(ops, world, "?status=open&page_size=500")["results"]
    assert world.own.waived.pk not in {f["id"] for f in open_} and {f["status"] for f in open_} == {"open"}


def test_findings_ordering_and_pages(world: World, ops: APIClient) -> None:
    by_severity = _findings(ops, world, "?ordering=severity&page_size=500")["results"]
    ranks = [{"error": 0, "warning": 1, "info": 2}[f["severity"]] for f in by_severity]
    assert ranks == sorted(ranks)
    everything = [f["id"] for f in by_severity]
    first, second = (
        _findings(ops, world, "?ordering=severity&page_size=2"),
        _findings(ops, world, "?ordering=severity&page_size=2&page=2"),
    )
    assert [f["id"] for f in first["results"] + second["results"]] == everything[:4]
    assert first["count"] == len(everything) and "page=2" in first["next"] and first["previous"] is None


def test_findings_pages_are_cached_per_scan_state(world: World, ops: APIClient) -> None:
    url = _promo_url(world, "findings?status=open&page_size=500")
    first = ops.get(url)
    assert ops.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    other_page = ops.get(_promo_url(world, "findings?status=waived"))
    assert other_page["ETag"] != first["ETag"]

    ops.post(f"/api/v1/findings/{world.own.finding.pk}/waiver", {"reason": "补货在途"}, format="json")
    after_waiver = ops.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after_waiver.status_code == 200
    assert world.own.finding.pk not in [f["id"] for f in after_waiver.json()["results"]]

    ops.patch(f"/api/v1/shops/{world.own.shop.code}/listings/L102", {"title": "最佳 好茶"}, format="json")
    after_edit = ops.get(url, HTTP_IF_NONE_MATCH=after_waiver["ETag"])
    assert after_edit.status_code == 200
    assert any(f["listing_id"] == "L102" and f["field"] == "title" for f in after_edit.json()["results"])


@pytest.mark.parametrize("query", ["?severity=fatal", "?status=maybe", "?ordering=nonsense", "?page=99"])
def test_findings_bad_query_is_a_problem(world: World, ops: APIClient, query: str) -> None:
    response = ops.get(_promo_url(world, f"findings{query}"))
    assert response.status_code in (400, 404)
    assert_problem(response, response.status_code)


def test_findings_page_queries_do_not_grow_with_the_page(
    world: World, ops: APIClient, django_assert_max_num_queries: Any
) -> None:
    _findings(ops, world)  # warm up (content types, …)
    with django_assert_max_num_queries(8):
        assert len(_findings(ops, world, "?page_size=500")["results"]) == 3


# ---- listings ---------------------------------------------------------------------------------------------------


def test_listing_with_its_findings(world: World, ops: APIClient) -> None:
    body = ops.get(f"/api/v1/shops/{world.own.shop.code}/listings/L101").json()
    assert body["listing_id"] == "L101" and body["title"] == "最佳 明前龙井 250g"
    assert [s["code"] for s in body["skus"]] == ["L101-0", "L101-1"]
    assert any(f["rule"] == "extreme.superlative" and f["status"] == "waived" for f in body["findings"])


def test_patch_rescans_and_returns_new_findings(world: World, ops: APIClient) -> None:
    url = f"/api/v1/shops/{world.own.shop.code}/listings/L102"
    before = ops.get(url).json()
    assert not any(f["category"] == "extreme_wording" for f in before["findings"])
    body = ops.patch(url, {"title": "全网最低价 明前龙井", "specs": {"净含量": "250g"}}, format="json").json()
    assert body["title"] == "全网最低价 明前龙井" and body["specs"] == {"净含量": "250g"}
    assert any(f["field"] == "title" and f["category"] for f in body["findings"])
    revision = ListingRevision.objects.get(listing__shop=world.own.shop, listing__listing_id="L102")
    assert (revision.source, revision.changed_by.username) == ("api", "api-operations_manager")
    fixed = ops.patch(url, {"title": "明前龙井"}, format="json").json()
    assert not any(f["field"] == "title" for f in fixed["findings"])


@pytest.mark.parametrize(
    ("body", "paths"),
    [
        ({"title": 5}, ["title"]),
        ({"specs": {"净含量": 250}}, ["specs.净含量"]),
        ({"specs": ["250g"]}, ["specs"]),
        ({"price": "1.00", "title": "x"}, ["price"]),
        ({"title": "x" * 501}, ["title"]),
    ],
)
def test_patch_validation_names_the_path(world: World, ops: APIClient, body: Any, paths: list[str]) -> None:
    response = ops.patch(f"/api/v1/shops/{world.own.shop.code}/listings/L102", body, format="json")
    assert [e["path"] for e in assert_problem(response, 400)["errors"]] == paths


def test_unknown_listing_is_404(world: World, ops: APIClient) -> None:
    assert_problem(ops.get(f"/api/v1/shops/{world.own.shop.code}/listings/NOPE"), 404)
    assert_problem(ops.patch(f"/api/v1/shops/{world.own.shop.code}/listings/NOPE", {"title": "x"}, format="json"), 404)


# ---- waivers ------------------------------------------------------------------------------------------------------


def test_waive_and_lift_with_the_audit_trail(world: World, ops: APIClient) -> None:
    url = f"/api/v1/findings/{world.own.finding.pk}/waiver"
    expires = (timezone.now() + timedelta(days=3)).isoformat()
    created = ops.post(url, {"reason": "补货在途", "expires_at": expires}, format="json")
    assert created.status_code == 201
    waiver = created.json()
    assert (waiver["reason"], waiver["created_by"], waiver["active"], waiver["lifted_at"]) == (
        "补货在途", "api-operations_manager", True, None,
    )  # fmt: skip
    assert_problem(ops.post(url, {"reason": "again"}, format="json"), 409)
    lifted = ops.delete(url)
    assert lifted.status_code == 200
    assert (lifted.json()["lifted_by"], lifted.json()["active"]) == ("api-operations_manager", False)
    assert_problem(ops.delete(url), 404)

    trail = ops.get(f"/api/v1/shops/{world.own.shop.code}/waivers").json()["results"]
    record = next(w for w in trail if w["id"] == waiver["id"])
    assert record["created_by"] == record["lifted_by"] == "api-operations_manager"
    assert record["created_at"] and record["lifted_at"] and record["listing_id"] == "L100"
    active = ops.get(f"/api/v1/shops/{world.own.shop.code}/waivers?active=true").json()["results"]
    assert [w["id"] for w in active] == [Waiver.objects.get(shop=world.own.shop, lifted_at=None).pk]


@pytest.mark.parametrize(
    ("body", "path"),
    [({}, "reason"), ({"reason": "   "}, "reason"), ({"reason": "x", "expires_at": "2001-01-01T00:00:00Z"}, "expires_at"),
     ({"reason": "x", "expires_at": "soon"}, "expires_at"), ({"reason": 7}, "reason")],
)  # fmt: skip
def test_waiver_validation(world: World, ops: APIClient, body: dict[str, Any], path: str) -> None:
    response = ops.post(f"/api/v1/findings/{world.own.finding.pk}/waiver", body, format="json")
    assert path in [e["path"] for e in assert_problem(response, 400)["errors"]]


def test_unknown_finding_is_404(ops: APIClient) -> None:
    assert_problem(ops.post("/api/v1/findings/999999/waiver", {"reason": "x"}, format="json"), 404)


# ---- stateless scan -------------------------------------------------------------------------------------------------

LISTINGS = [
    {
        "id": "A1",
        "title": "最佳 明前龙井 250g",
        "specs": {"净含量": "500g"},
        "skus": [{"code": "A1-1", "name": "250g"}],
    },
    {"id": "A2", "title": "正山小种 治疗失眠", "description": "国家级 好茶"},
    {"id": 7, "title": "普洱"},
]


def test_scan_returns_what_the_cli_prints(ops: APIClient) -> None:
    body = ops.post("/api/v1/scan", {"listings": LISTINGS, "platform": "tmall"}, format="json").json()
    out = io.StringIO()
    stream = io.StringIO("".join(json.dumps(listing, ensure_ascii=False) + "\n" for listing in LISTINGS))
    run_scan(stream, out, io.StringIO(), fmt="jsonl", options=ScanOptions(platform="tmall"), color=False)
    cli = [json.loads(line) for line in out.getvalue().splitlines()]
    assert body["findings"] == cli and len(cli) >= 2
    assert body["listings"] == 3
    assert body["counts"]["error"] == sum(f["severity"] == "error" for f in cli)


def test_scan_takes_a_bare_array(ops: APIClient) -> None:
    as_object = ops.post("/api/v1/scan", {"listings": LISTINGS}, format="json").json()
    assert ops.post("/api/v1/scan", LISTINGS, format="json").json() == as_object


@pytest.mark.parametrize(
    ("body", "paths"),
    [
        ([{"id": "A"}, {"title": "x"}], ["[1].id"]),
        ({"listings": [{"id": "A", "title": 3}]}, ["listings[0].title"]),
        ({"listings": [{"id": "A", "skus": [{"name": 1}]}]}, ["listings[0].skus[0].name"]),
        ({"listings": [], "platform": "ebay"}, ["platform"]),
        ({"listings": [{"id": True}]}, ["listings[0].id"]),
        ("just text", [""]),
    ],
)
def test_scan_validation_names_the_path(ops: APIClient, body: Any, paths: list[str]) -> None:
    response = ops.post("/api/v1/scan", body, format="json")
    assert [e["path"] for e in assert_problem(response, 400)["errors"]] == paths


@override_settings(API_SCAN_MAX_LISTINGS=2)
def test_scan_limits_the_number_of_listings(ops: APIClient) -> None:
    body = assert_problem(ops.post("/api/v1/scan", LISTINGS, format="json"), 400)
    assert "每次最多 2 个商品" in body["errors"][0]["message"]
    english = assert_problem(ops.post("/api/v1/scan", LISTINGS, format="json", HTTP_ACCEPT_LANGUAGE="en"), 400)
    assert "at most 2 listings" in english["errors"][0]["message"]
    assert ops.post("/api/v1/scan", LISTINGS[:2], format="json").status_code == 200


@override_settings(API_JSON_MAX_BYTES=200)
def test_scan_body_size_is_limited(ops: APIClient) -> None:
    assert_problem(ops.post("/api/v1/scan", LISTINGS * 3, format="json"), 413)


def test_findings_without_any_run_are_empty(world: World, ops: APIClient) -> None:
    Promotion.objects.create(
        shop=world.own.shop,
        code="new",
        name="新",
        sale_start=timezone.now(),
        sale_end=timezone.now() + timedelta(days=1),
    )
    body = ops.get(f"/api/v1/shops/{world.own.shop.code}/promotions/new/findings").json()
    assert (body["count"], body["results"]) == (0, [])
