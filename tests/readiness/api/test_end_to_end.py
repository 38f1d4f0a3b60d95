"""The issue's definition of done, end to end: a client with a token pushes a bundle, watches the job finish,
pulls the readiness report and filtered findings, and waives one; the same token on another shop gets 404; no
token gets 401. Celery runs eagerly here (tasks run when the request's transaction commits); the real-worker
variant lives in tests/integration/."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.readiness.api.problem import assert_problem
from tests.readiness.api.world import World, problem_bundle

pytestmark = pytest.mark.django_db


def test_push_watch_pull_waive(world: World, client_for: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(world.tokens["api_client"])
    editor = client_for(world.tokens["listing_editor"])
    shop = world.own.shop.code
    bundle = problem_bundle(shop, listings=4)
    bundle["listings"][3]["title"] = "全网最低价 国家级 明前龙井"

    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(f"/api/v1/shops/{shop}/bundles", json.dumps(bundle), content_type="application/json")
    assert accepted.status_code == 202, accepted.content
    job_url = accepted["Location"]

    for _ in range(50):  # eager: complete at once; the loop is what a client does
        job = client.get(job_url).json()
        if job["status"] in ("complete", "failed"):
            break
    assert job["status"] == "complete", job
    assert job["progress"]["done"] == job["progress"]["total"] > 0
    assert "商品 新建" in job["summary"]  # in the language asked for: Chinese by default
    assert "listings" in client.get(job_url, HTTP_ACCEPT_LANGUAGE="en").json()["summary"]

    report_response = client.get(job["links"]["readiness"])
    report = report_response.json()
    assert (report["shop"], report["run"]) == (shop, job["run"])
    assert 0 <= report["score"] <= 100 and report["grade"]
    assert "L103" in {item["listing_id"] for item in report["listings"]}
    assert client.get(job["links"]["readiness"], HTTP_IF_NONE_MATCH=report_response["ETag"]).status_code == 304

    findings = client.get(job["links"]["findings"] + "?listing=L103&check=listing_text&status=open").json()
    assert findings["count"] >= 1
    target = findings["results"][0]
    assert (target["listing_id"], target["run"]) == ("L103", job["run"])

    assert_problem(client.post(f"/api/v1/findings/{target['id']}/waiver", {"reason": "x"}, format="json"), 403)
    waived = editor.post(f"/api/v1/findings/{target['id']}/waiver", {"reason": "品牌方授权文案"}, format="json")
    assert waived.status_code == 201
    after = client.get(job["links"]["readiness"], HTTP_IF_NONE_MATCH=report_response["ETag"])
    assert after.status_code == 200 and after.json()["summary"]["waived"] == report["summary"]["waived"] + 1
    refreshed = client.get(job["links"]["findings"] + "?listing=L103&status=waived").json()["results"]
    assert target["id"] in {f["id"] for f in refreshed}

    other = world.other.shop.code
    assert_problem(client.get(f"/api/v1/shops/{other}/promotions/d11-2026/readiness"), 404)
    assert_problem(client.post(f"/api/v1/shops/{other}/bundles", problem_bundle(other), format="json"), 404)
    assert_problem(client_for(None).get(job["links"]["readiness"]), 401)
    assert_problem(client_for(None).get(job_url), 401)
