"""OpenAPI plumbing: the problem-details error responses of every operation, the AutoSchema that reads them, and
the bundle's schema taken from its pydantic types."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse

from readiness.api.errors import PROBLEM_CONTENT_TYPE
from readiness.api.serializers import ProblemSerializer
from readiness.imports import bundle

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


# ---- the bundle's schema, from the pydantic types that validate it ---------------------------------------------


def openapi_30(schema: Any) -> Any:
    """A JSON Schema (2020-12, as pydantic writes it) in the dialect of OpenAPI 3.0: ``null`` as ``nullable``,
    ``const`` as a one-value ``enum``; ``propertyNames`` (which 3.0 lacks) is dropped."""
    if isinstance(schema, list):
        return [openapi_30(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: openapi_30(value) for key, value in schema.items() if key != "propertyNames"}
    if "const" in out:
        out["enum"] = [out.pop("const")]
    options = out.get("anyOf")
    if isinstance(options, list) and {"type": "null"} in options:
        rest = [option for option in options if option != {"type": "null"}]
        del out["anyOf"]
        if len(rest) == 1 and "$ref" in rest[0]:
            out["allOf"] = rest
        elif len(rest) == 1:
            out = rest[0] | out
        else:
            out["anyOf"] = rest
        out["nullable"] = True
    return out


class BundleSchema(OpenApiSerializerExtension):
    """``extend_schema(request=Bundle)``: the request body of a bundle push is the JSON Schema of the pydantic
    types in ``readiness.imports.bundle``, the one validator of the format (no DRF copy to drift from it). Its
    nested objects become components named ``Bundle<Type>``."""

    target_class = "readiness.imports.bundle.Bundle"

    def get_name(self, auto_schema: Any, direction: Any) -> str:
        return "Bundle"

    def map_serializer(self, auto_schema: Any, direction: Any) -> Any:
        schema = openapi_30(bundle.json_schema(ref_template="#/components/schemas/Bundle{model}"))
        schema["description"] = (
            "A readiness bundle (interfaces.md §2). Unknown fields are ignored with a warning (in the job)."
        )
        for name, definition in schema.pop("$defs", {}).items():
            component = ResolvedComponent(
                name=f"Bundle{name}", type=ResolvedComponent.SCHEMA, object=f"Bundle{name}", schema=definition
            )
            auto_schema.registry.register_on_missing(component)
        return schema
