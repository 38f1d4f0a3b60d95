"""OpenAPI plumbing: the problem-details error responses of every operation, and the AutoSchema that reads them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from readiness.api.errors import PROBLEM_CONTENT_TYPE
from readiness.api.serializers import ProblemSerializer

_DESCRIPTIONS = {
    400: "Invalid input: `errors` lists every JSON path in error",
    401: "No or invalid credentials",
    403: "Your role in this shop does not allow this",
    404: "Not found, or not in a shop you are a member of",
    409: "Conflict with the current state",
    413: "Request body too large",
    415: "Unsupported media type (send application/json)",
    429: "Too many requests (see Retry-After)",
    500: "Unexpected error (logged; no details are given)",
}

READ_ERRORS = (401, 403, 404, 429, 500)
WRITE_ERRORS = (400, 401, 403, 404, 413, 415, 429, 500)


def problems(*codes: int) -> dict[Any, OpenApiResponse]:
    """Error responses for ``extend_schema(responses=...)``: problem details as application/problem+json."""
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description=_DESCRIPTIONS[code])
        for code in codes
    }


class ApiAutoSchema(AutoSchema):
    """drf-spectacular decides whether an operation returns a list (and so documents its filters and pages) from
    its "main" response, the smallest status code compared as text, which a ``(404, "application/problem+json")``
    key wins. Take the 2xx response instead."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        if serializer is None:
            responses = self.get_response_serializers()
            if isinstance(responses, dict):
                success = [s for code, s in responses.items() if not isinstance(code, tuple) and 200 <= int(code) < 300]
                if success:
                    serializer = success[0]
        return super()._is_list_view(serializer)
