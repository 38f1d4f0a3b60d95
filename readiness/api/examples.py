"""Request and response examples for the OpenAPI schema (shown in Swagger UI at /api/docs/).

A request example is a request a client can send as it is, to the shop and promotion of ``PATH_EXAMPLES``
(tests/readiness/api/test_examples.py sends every one and expects success). Its dates are relative to when the
server started: the sale four weeks ahead, a waiver's expiry the day after it ends, so that none is in the past.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast
from zoneinfo import ZoneInfo

from drf_spectacular.utils import OpenApiExample

from readiness.imports.bundle import example_bundle

# Path parameters of the examples (the schema gives them as the parameters' examples).
PATH_EXAMPLES = {"shop": "acme-tmall", "promotion": "d11-2026", "listing": "L100"}

_SHANGHAI = ZoneInfo("Asia/Shanghai")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:$|T)")
_SALE_START = (dt.datetime.now(_SHANGHAI) + dt.timedelta(days=28)).replace(hour=20, minute=0, second=0, microsecond=0)
_SALE_END = (_SALE_START + dt.timedelta(days=1)).replace(hour=23, minute=59, second=59)


def _days_before_sale(days: int) -> str:
    return (_SALE_START - dt.timedelta(days=days)).isoformat()


def _relative_to_now(value: object, days: int) -> object:
    """The example bundle's dates moved by whole days (so dates stay dates and times keep their time of day)."""
    if isinstance(value, dict):
        return {k: _relative_to_now(v, days) for k, v in value.items()}
    if isinstance(value, list):
        return [_relative_to_now(v, days) for v in value]
    if isinstance(value, str) and _ISO_DATE.match(value):
        if len(value) == 10:
            return (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat()
        return (dt.datetime.fromisoformat(value) + dt.timedelta(days=days)).isoformat()
    return value


def _bundle_example() -> dict[str, Any]:
    """The one example bundle (``bundle.example_bundle``), its sale moved to four weeks from now: an example is a
    request a client may send today."""
    data = example_bundle()
    start = dt.datetime.fromisoformat(data["promotion"]["sale_start"]).astimezone(_SHANGHAI)
    return cast(dict[str, Any], _relative_to_now(data, (_SALE_START.date() - start.date()).days))


BUNDLE_REQUEST = OpenApiExample(
    "A small bundle",
    request_only=True,
    value=_bundle_example(),
)

JOB_QUEUED = OpenApiExample(
    "Accepted",
    response_only=True,
    status_codes=["202"],
    value={
        "id": 7,
        "url": "http://127.0.0.1:8000/api/v1/jobs/7",
        "status": "queued",
        "progress": {"done": 0, "total": 1},
        "shop": "acme-tmall",
        "promotion": None,
        "run": None,
        "summary": "",
        "warnings": [],
        "errors": [],
        "created_at": "2026-11-01T10:00:00+08:00",
        "finished_at": None,
        "links": None,
    },
)

JOB_COMPLETE = OpenApiExample(
    "Complete",
    response_only=True,
    value={
        "id": 7,
        "url": "http://127.0.0.1:8000/api/v1/jobs/7",
        "status": "complete",
        "progress": {"done": 3, "total": 3},
        "shop": "acme-tmall",
        "promotion": "d11-2026",
        "run": 12,
        "summary": "1 listings (1 new), 1 SKUs",
        "warnings": [],
        "errors": [],
        "created_at": "2026-11-01T10:00:00+08:00",
        "finished_at": "2026-11-01T10:00:04+08:00",
        "links": {
            "readiness": "http://127.0.0.1:8000/api/v1/shops/acme-tmall/promotions/d11-2026/readiness",
            "findings": "http://127.0.0.1:8000/api/v1/shops/acme-tmall/promotions/d11-2026/findings",
            "runs": "http://127.0.0.1:8000/api/v1/shops/acme-tmall/promotions/d11-2026/runs",
        },
    },
)

INVALID_BUNDLE = OpenApiExample(
    "Invalid bundle",
    response_only=True,
    status_codes=["400"],
    value={
        "type": "urn:readiness:problem:invalid-bundle",
        "title": "Invalid bundle",
        "status": 400,
        "detail": "invalid bundle: 2 error(s)",
        "instance": "/api/v1/shops/acme-tmall/bundles",
        "errors": [
            {"path": "listings[3].skus[0].stock", "message": "expected an integer"},
            {"path": "promotion.sale_end", "message": "must be after sale_start"},
        ],
    },
)

_ISSUE = {
    "check": "stock",
    "rule": "stock.coverage",
    "fingerprint": "9f2c…",
    "listing_id": "L100",
    "sku": "L100-1",
    "severity": "error",
    "message": "库存覆盖率 0.75，低于 0.9",
    "remediation": "补货或下调预测",
    "evidence": {"coverage": 0.75},
    "owner": "warehouse",
    "deadline": "2026-11-05T20:00:00+08:00",
    "overdue": False,
    "exposure": None,
    "status": "open",
    "waiver": None,
    "category": None,
    "citation": None,
}

READINESS_REPORT = OpenApiExample(
    "Report",
    response_only=True,
    status_codes=["200"],
    value={
        "shop": "acme-tmall",
        "promotion": "d11-2026",
        "score": 73,
        "grade": "C",
        "computed_at": "2026-11-01T10:00:04+08:00",
        "rule_pack": {"name": "tmall", "version": "2026.1", "overrides": {}},
        "summary": {"errors": 1, "warnings": 0, "infos": 0, "waived": 0, "open_by_owner": {"warehouse": 1}},
        "checks": [
            {
                "check": "stock",
                "status": "fail",
                "score": 40,
                "weight": 20,
                "examined": 1,
                "counts": {"errors": 1, "warnings": 0, "infos": 0, "waived": 0},
                "notes": [],
                "issues": [_ISSUE],
            }
        ],
        "listings": [{"listing_id": "L100", "score": 55, "status": "fail", "errors": 1, "warnings": 0}],
        "run": 12,
    },
)

_FINDING = {
    "id": 501,
    "run": 12,
    "promotion": "d11-2026",
    "check": "listing_text",
    "rule": "extreme.superlative",
    "category": "extreme_wording",
    "severity": "error",
    "status": "open",
    "waiver": None,
    "listing_id": "L100",
    "sku": "",
    "field": "title",
    "start": 0,
    "end": 2,
    "text": "最佳",
    "message": "“最佳”是最高级用语，属于广告法禁止的绝对化用语",
    "remediation": "删除或替换该绝对化用语",
    "citation": "广告法 第九条(三)",
    "suggestion": "优选",
    "related": None,
    "evidence": {"field": "title", "span": [0, 2], "text": "最佳"},
    "owner": "listing_editor",
    "deadline": "2026-10-20T20:00:00+08:00",
    "exposure_min": "200000.00",
    "exposure_max": "1000000.00",
    "fingerprint": "476438…",
}

# List endpoints: one item; the schema wraps it in a page ({count, next, previous, results}).
FINDING = OpenApiExample("A finding", response_only=True, value=_FINDING)

SHOP = OpenApiExample(
    "A shop",
    response_only=True,
    value={
        "code": "acme-tmall",
        "name": "ACME官方旗舰店",
        "platform": "tmall",
        "role": "api_client",
        "listing_count": 1200,
        "promotions": [
            {
                "code": "d11-2026",
                "name": "2026 双11",
                "sale_start": "2026-11-10T20:00:00+08:00",
                "sale_end": "2026-11-11T23:59:59+08:00",
            }
        ],
        "url": "http://127.0.0.1:8000/api/v1/shops/acme-tmall/promotions",
    },
)

PROMOTION = OpenApiExample(
    "A promotion",
    response_only=True,
    value={
        **BUNDLE_REQUEST.value["promotion"],
        "latest_run": {"id": 12, "score": 73, "grade": "C", "finished_at": "2026-11-01T10:00:04+08:00"},
        "links": JOB_COMPLETE.value["links"],
    },
)

RUN = OpenApiExample(
    "A scan run",
    response_only=True,
    value={
        "id": 12,
        "status": "complete",
        "score": 73,
        "grade": "C",
        "listings": 1200,
        "rule_pack": "tmall",
        "created_at": "2026-11-01T10:00:00+08:00",
        "started_at": "2026-11-01T10:00:01+08:00",
        "finished_at": "2026-11-01T10:00:04+08:00",
        "findings": {"error": 31, "warning": 120, "info": 8},
    },
)

LISTING = OpenApiExample(
    "A listing",
    response_only=True,
    value={
        "listing_id": "L100",
        "category": "tea",
        "title": "最佳 明前龙井 250g",
        "subtitle": "杭州产区",
        "description": "茶汤清澈，滋味鲜爽。",
        "specs": {"净含量": "250g"},
        "presale": None,
        "archived_at": None,
        "updated_at": "2026-11-01T09:00:00+08:00",
        "skus": [
            {
                "code": "L100-1",
                "name": "250g",
                "price": "59.90",
                "list_price": "79.90",
                "stock": 1200,
                "archived": False,
            }
        ],
        "findings": [_FINDING],
    },
)

WAIVER = OpenApiExample(
    "A waiver",
    response_only=True,
    value={
        "id": 3,
        "fingerprint": "476438…",
        "rule": "stock.coverage_low",
        "listing_id": "L100",
        "reason": "仓库确认 11月8日补货 2000 件",
        "created_by": "editor-wang",
        "created_at": "2026-11-01T10:05:00+08:00",
        "expires_at": "2026-11-12T00:00:00+08:00",
        "lifted_by": None,
        "lifted_at": None,
        "active": True,
    },
)

LISTING_PATCH = OpenApiExample("Fix the title", request_only=True, value={"title": "优选 明前龙井 250g"})

WAIVER_REQUEST = OpenApiExample(
    "Waive until the sale ends",
    request_only=True,
    value={
        "reason": "仓库确认 大促前补货 2000 件",
        "expires_at": (_SALE_END + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0).isoformat(),
    },
)

SCAN_REQUEST = OpenApiExample(
    "Two listings",
    request_only=True,
    value={
        "platform": "tmall",
        "listings": [
            {"id": "L1", "title": "最佳 明前龙井 250g", "specs": {"净含量": "500g"}},
            {"id": "L2", "title": "正山小种 100g"},
        ],
    },
)

SCAN_RESPONSE = OpenApiExample(
    "Findings",
    response_only=True,
    status_codes=["200"],
    value={
        "listings": 2,
        "counts": {"error": 1, "warning": 0, "info": 0},
        "omitted": 0,
        "findings": [
            {
                "listing_id": "L1",
                "rule": "extreme.superlative",
                "category": "extreme_wording",
                "severity": "error",
                "field": "title",
                "start": 0,
                "end": 2,
                "text": "最佳",
                "message": "极限用语",
                "citation": "广告法 第九条(三)",
                "suggestion": "优选",
            }
        ],
    },
)
