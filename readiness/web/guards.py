"""Requests refused before any view runs.

A NUL character cannot be stored by PostgreSQL (psycopg refuses the query: a 500), and no shop code, listing id,
filter or page number ever contains one. So a NUL anywhere in the path or the query string (``%00`` or raw) is a
400 for every URL, instead of something each view (and each filter, export and API endpoint) would have to
remember. Forms are covered by Django's ``ProhibitNullCharactersValidator`` on every ``CharField``; API bodies
by ``readiness.api.parsers``.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"


def has_nul(request: HttpRequest) -> bool:
    query = request.META.get("QUERY_STRING", "")
    return "\x00" in request.path or "\x00" in query or b"\x00" in unquote_to_bytes(query)


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            detail = "The URL contains a NUL character (%00)."
            if request.path.startswith("/api/"):
                body = {"type": "urn:readiness:problem:bad-request", "title": "Bad Request", "status": 400,
                        "detail": detail, "instance": request.path.replace("\x00", "%00")}  # fmt: skip
                return JsonResponse(body, status=400, content_type=PROBLEM_CONTENT_TYPE)
            return HttpResponseBadRequest("网址中有空字符（%00），无法处理。", content_type="text/plain; charset=utf-8")
        return self.get_response(request)
