"""One language per answer: the API speaks the language the client asks for in Accept-Language (Chinese when it
names none of ours), in problem titles and details and in validation messages, DRF's and the app's alike; the
problem ``type`` and the JSON paths stay the same (issue 20, item 8)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from tests.readiness.api.problem import assert_problem
from tests.readiness.api.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops(world: World, client_for: Callable[[str | None], APIClient]) -> APIClient:
    return client_for(world.tokens["operations_manager"])


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _texts(body: dict[str, Any]) -> list[str]:
    return [body["title"], body["detail"], *(e["message"] for e in body.get("errors", []))]


def _requests(world: World) -> list[tuple[str, str, Any, int]]:
    shop, finding = world.own.shop.code, world.own.finding.pk
    return [
        ("get", "/api/v1/shops/nope/promotions", None, 404),  # DRF's own 404
        ("get", "/api/v1/nowhere", None, 404),  # ours
        ("get", f"/api/v1/shops/{shop}/waivers?page=abc&active=maybe", None, 400),  # ours: page, django-filter's
        ("post", f"/api/v1/findings/{finding}/waiver", {"reason": ""}, 400),  # DRF's field message
        ("post", f"/api/v1/findings/{finding}/waiver", {"reason": "x", "expires_at": "2020-01-01T00:00:00Z"}, 400),
        ("patch", f"/api/v1/shops/{shop}/listings/L100", {"colour": "red", "title": 3}, 400),  # ours and DRF's
        ("post", "/api/v1/scan", [{"id": True, "skus": [None]}], 400),
        ("delete", f"/api/v1/findings/{finding}/waiver", None, 404),
        ("get", f"/api/v1/shops/{shop}/promotions", None, 406),
    ]


def _send(client: APIClient, method: str, url: str, body: Any, language: str | None, status: int) -> dict[str, Any]:
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    if status == 406:
        headers["HTTP_ACCEPT"] = "text/csv"
    response = getattr(client, method)(url, body, format="json", **headers)
    assert response["Content-Language"] == ("en" if language and "en" in language.split(",")[0] else "zh-hans") or (
        language == "fr, en;q=0.5" and response["Content-Language"] == "en"
    )
    assert "Accept-Language" in response["Vary"]
    return assert_problem(response, status)


@pytest.mark.parametrize("language", [None, "zh-CN,zh;q=0.9", "fr"])
def test_chinese_by_default(world: World, ops: APIClient, language: str | None) -> None:
    for method, url, body, status in _requests(world):
        problem = _send(ops, method, url, body, language, status)
        assert all(_cjk(text) for text in _texts(problem)), (url, problem)


@pytest.mark.parametrize("language", ["en", "en-US,en;q=0.9", "fr, en;q=0.5"])
def test_english_on_request(world: World, ops: APIClient, language: str) -> None:
    for method, url, body, status in _requests(world):
        problem = _send(ops, method, url, body, language, status)
        assert not any(_cjk(text) for text in _texts(problem)), (url, problem)


def test_types_and_paths_do_not_depend_on_the_language(world: World, ops: APIClient) -> None:
    for method, url, body, status in _requests(world):
        zh, en = (_send(ops, method, url, body, language, status) for language in (None, "en"))
        assert zh["type"] == en["type"] and zh["status"] == en["status"]
        assert [e["path"] for e in zh.get("errors", [])] == [e["path"] for e in en.get("errors", [])]


def test_unauthenticated_answers_follow_the_language(client_for: Callable[[str | None], APIClient]) -> None:
    anonymous = client_for(None)
    assert _cjk(assert_problem(anonymous.get("/api/v1/shops"), 401)["detail"])
    english = assert_problem(anonymous.get("/api/v1/shops", HTTP_ACCEPT_LANGUAGE="en"), 401)
    assert english["title"] == "Not authenticated" and not _cjk(english["detail"])


def _three(send: Callable[[str | None], Any], status: int) -> list[dict[str, Any]]:
    """The same request with Accept-Language zh-CN, en and none: Chinese, English, Chinese."""
    answers = []
    for language in ("zh-CN", "en", None):
        response = send(language)
        assert response["Content-Language"] == ("en" if language == "en" else "zh-hans")
        answers.append(assert_problem(response, status))
    zh, en, default = answers
    assert all(_cjk(text) for text in _texts(zh)), zh
    assert not any(_cjk(text) for text in _texts(en)), en
    assert _texts(default) == _texts(zh)
    assert zh["type"] == en["type"] == default["type"]
    assert [e["path"] for e in zh.get("errors", [])] == [e["path"] for e in en.get("errors", [])]
    return answers


def _lang(language: str | None) -> dict[str, str]:
    return {"HTTP_ACCEPT_LANGUAGE": language} if language else {}


def test_drf_validation_error_in_three_languages(world: World, ops: APIClient) -> None:
    url = f"/api/v1/findings/{world.own.finding.pk}/waiver"
    body = {"reason": "", "expires_at": "not a date"}
    zh, _en, _default = _three(lambda lang: ops.post(url, body, format="json", **_lang(lang)), 400)
    assert zh["type"].endswith("validation-error") and {e["path"] for e in zh["errors"]} == {"reason", "expires_at"}


def test_not_found_in_three_languages(world: World, ops: APIClient) -> None:
    zh, _en, _default = _three(lambda lang: ops.get("/api/v1/shops/nope/promotions", **_lang(lang)), 404)
    assert zh["type"].endswith("not-found")


@override_settings(BUNDLE_MAX_BYTES=1000)
def test_payload_too_large_in_three_languages(world: World, ops: APIClient, bundle_for: Any) -> None:
    raw = bundle_for(world.own.shop.code)
    url = f"/api/v1/shops/{world.own.shop.code}/bundles"
    zh, en, _default = _three(lambda lang: ops.post(url, raw, content_type="application/json", **_lang(lang)), 413)
    assert zh["type"].endswith("payload-too-large")
    assert "1000" in zh["detail"] and "1000 bytes" in en["detail"]


def test_bundle_validation_error_switches_language(world: World, ops: APIClient, bundle_for: Any) -> None:
    """The bundle's own messages are worded elsewhere: only that the answer switches language is checked."""
    bundle = json.loads(bundle_for(world.own.shop.code))
    bundle["listings"][0]["skus"][0]["stock"] = "many"
    bundle["promotion"]["sale_end"] = "not a date"
    raw = json.dumps(bundle, ensure_ascii=False).encode()
    url = f"/api/v1/shops/{world.own.shop.code}/bundles"
    answers = []
    for language in ("zh-CN", "en", None):
        response = ops.post(url, raw, content_type="application/json", **_lang(language))
        answers.append(assert_problem(response, 400))
    zh, en, default = answers
    assert zh["type"] == en["type"] == default["type"] and zh["type"].endswith("invalid-bundle")
    assert (
        [e["path"] for e in zh["errors"]] == [e["path"] for e in en["errors"]] == [e["path"] for e in default["errors"]]
    )
    assert _cjk(zh["title"]) and _cjk(zh["detail"]) and _cjk(default["title"])
    assert not _cjk(en["title"]) and not _cjk(en["detail"])


def test_bundle_for_another_shop_speaks_the_language(world: World, ops: APIClient, bundle_for: Any) -> None:
    url = f"/api/v1/shops/{world.own.shop.code}/bundles"
    raw = bundle_for("someone-else")
    zh, en, _default = _three(lambda lang: ops.post(url, raw, content_type="application/json", **_lang(lang)), 400)
    assert [e["path"] for e in zh["errors"]] == ["shop.code"]
    assert "someone-else" in zh["errors"][0]["message"] and "someone-else" in en["errors"][0]["message"]
