"""Content negotiation: JSON, and problem details for errors.

An error-aware client asks for ``Accept: application/problem+json`` (RFC 9457 §3) and must not get a 406 for it:
such a request is answered as ``application/json`` when it succeeds and ``application/problem+json`` when it fails
(the exception handler sets that). Any other type the API cannot produce is a 406, documented on every operation.
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.utils.mediatypes import _MediaType

from readiness.api.errors import PROBLEM_CONTENT_TYPE


def accepts_problem_json(request: Request) -> bool:
    for token in request.META.get("HTTP_ACCEPT", "").split(","):
        media_type = _MediaType(token.strip())
        if f"{media_type.main_type}/{media_type.sub_type}".lower() == PROBLEM_CONTENT_TYPE:
            return media_type.params.get("q", "1").strip() not in ("0", "0.0", "0.00", "0.000")
    return False


class ProblemAwareNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request: Request, renderers: Any, format_suffix: str | None = None) -> Any:
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            if renderers and accepts_problem_json(request):
                return renderers[0], renderers[0].media_type
            raise
