"""OpenAPI plumbing: the problem-details error responses of every operation, the AutoSchema that reads them, and
the bundle's schema taken from its pydantic types."""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from readiness.api.errors import PROBLEM_CONTENT_TYPE
from readiness.api.serializers import ProblemSerializer
from readiness.imports import bundle

_DESCRIPTIONS = {
    400: "Invalid input: `errors` lists every JSON path in error",
    401: "No or invalid credentials",
    403: "Your role in this shop does not allow this",
    404: "Not found, or not in a shop you are a member of (for a list: a page past the last one)",
    406: "The Accept header names no type this API produces (it produces application/json, and "
    "application/problem+json for errors; asking for either alone is fine)",
    409: "Conflict with the current state",
    413: "Request body too large",
    415: "Unsupported media type (send application/json)",
    429: "Too many requests (see Retry-After)",
    500: "Unexpected error (logged; no details are given)",
}

READ_ERRORS = (401, 403, 404, 406, 429, 500)
WRITE_ERRORS = (400, 401, 403, 404, 406, 413, 415, 429, 500)
LIST_ERRORS = (400, *READ_ERRORS)  # a bad page, page size, filter or ordering
# Every throttled answer says when to come back (DRF's Throttled.wait, in whole seconds).
RETRY_AFTER = OpenApiParameter(
    "Retry-After", OpenApiTypes.INT, OpenApiParameter.HEADER, response=[429], description="seconds to wait"
)


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

    def get_override_parameters(self) -> list[Any]:
        return [*super().get_override_parameters(), RETRY_AFTER]

    def _map_serializer(self, serializer: Any, direction: str, bypass_extensions: bool = False) -> dict[str, Any]:
        # An input serializer that refuses fields it does not know (``refuses_unknown_fields``) says so.
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if direction == "request" and getattr(serializer, "refuses_unknown_fields", False):
            schema["additionalProperties"] = False
        return schema

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


# ---- postprocessing: a schema that strict validators and client generators read as the server means it ---------

NULL_COMPONENT = "NullEnum"  # drf-spectacular's own name for ``{"enum": [null]}`` (nullable choice fields use it)
_NULL_REF = {"$ref": f"#/components/schemas/{NULL_COMPONENT}"}
# Values that are data, not schema: a title in an example is a listing's title, and stays as it is.
_DATA_KEYS = frozenset({"example", "examples", "default", "enum"})


def strict_schema_hook(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Run after drf-spectacular's enum hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]).

    - A nullable nested object comes out of drf-spectacular as ``{"allOf": [$ref], "nullable": true}`` (and a
      nullable ``oneOf`` as ``{"oneOf": [...], "nullable": true}``). OAS 3.0.3 says ``nullable`` has no effect without
      a ``type`` beside it, so strict validators (openapi-schema-validator, openapi-core) refuse the nulls every real
      response carries there. Write it as ``oneOf: [..., NullEnum]``, the form drf-spectacular already uses for
      nullable choice fields.
    - Titles become class names in generated clients: a non-ASCII title (a model field's verbose name such as 检查项)
      is moved into the description, so generators name the type after its place in the API instead.
    - Enum values that are not names (``-severity``) get names in ``x-enum-varnames`` (``SEVERITY_DESC``), which
      openapi-python-client and openapi-generator use instead of ``VALUE_6``.
    - Links between operations (OpenAPI ``links``): where a response's values are the next request's parameters.
    """
    needs_null = False

    def fix(node: Any) -> None:
        nonlocal needs_null
        if isinstance(node, list):
            for item in node:
                fix(item)
            return
        if not isinstance(node, dict):
            return
        if strict_node(node):
            needs_null = True
        for key, value in node.items():
            if key not in _DATA_KEYS:
                fix(value)

    fix(result.get("paths", {}))
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    fix(schemas)
    for component in schemas.values():
        # Generators name a component's class after its title when it has one: the pydantic types' titles
        # (``SkuData``) would not be the names the document uses (``BundleSkuData``).
        component.pop("title", None)
    if needs_null:
        schemas.setdefault(NULL_COMPONENT, {"enum": [None]})
    _add_links(result.get("paths", {}))
    _add_path_examples(result.get("paths", {}))
    return result


def strict_node(node: dict[str, Any]) -> bool:
    """The hook's change to one schema node (not its children), in place; True if it now refers to NullEnum."""
    values = node.get("enum")
    if isinstance(values, list) and any(isinstance(v, str) and not v.isidentifier() for v in values):
        node["x-enum-varnames"] = [_enum_name(v) for v in values]
    title = node.get("title")
    if isinstance(title, str) and not title.isascii():
        del node["title"]
        node["description"] = f"{title}. {node['description']}" if node.get("description") else title
    return admit_null(node)


def admit_null(node: dict[str, Any]) -> bool:
    """``{"nullable": true}`` without a ``type`` (beside ``$ref``, ``allOf``, ``oneOf`` or ``anyOf``) → the same
    alternatives plus ``NullEnum``, in place; True if it changed the node."""
    if node.get("nullable") is not True or "type" in node:
        return False
    del node["nullable"]
    all_of = node.pop("allOf", None)
    if "$ref" in node:
        node["oneOf"] = [{"$ref": node.pop("$ref")}]
    elif isinstance(all_of, list) and len(all_of) == 1:
        node["oneOf"] = all_of
    elif all_of is not None:
        node["oneOf"] = [{"allOf": all_of}]
    branches = node.setdefault("oneOf" if "anyOf" not in node else "anyOf", [])
    if _NULL_REF not in branches:
        branches.append(dict(_NULL_REF))
    return True


def _add_path_examples(paths: dict[str, Any]) -> None:
    """The request examples are sent to these shop, promotion and listing codes (Swagger UI fills them in)."""
    from readiness.api.examples import PATH_EXAMPLES

    for operations in paths.values():
        for op in operations.values():
            for param in op.get("parameters", []) if isinstance(op, dict) else []:
                if param.get("in") == "path" and param["name"] in PATH_EXAMPLES:
                    param.setdefault("example", PATH_EXAMPLES[param["name"]])


def _enum_name(value: Any) -> str:
    if not isinstance(value, str):
        return "NULL" if value is None else f"VALUE_{value}"
    name = re.sub(r"\W+", "_", value.removeprefix("-")).strip("_").upper() or "EMPTY"
    return f"{name}_DESC" if value.startswith("-") else name


# (operation, status) → links: a client (or schemathesis's stateful run) follows them from one call to the next.
_SHOP, _PROMOTION = "$request.path.shop", "$request.path.promotion"
LINKS: dict[tuple[str, str], dict[str, tuple[str, dict[str, str]]]] = {
    ("shops_list", "200"): {
        "promotions": ("promotions_list", {"shop": "$response.body#/results/0/code"}),
        "waivers": ("waivers_list", {"shop": "$response.body#/results/0/code"}),
    },
    ("promotions_list", "200"): {
        "readiness": ("readiness_retrieve", {"shop": _SHOP, "promotion": "$response.body#/results/0/code"}),
        "findings": ("findings_list", {"shop": _SHOP, "promotion": "$response.body#/results/0/code"}),
        "runs": ("runs_list", {"shop": _SHOP, "promotion": "$response.body#/results/0/code"}),
    },
    ("bundles_create", "202"): {"job": ("jobs_retrieve", {"id": "$response.body#/id"})},
    ("findings_list", "200"): {
        "waive": ("waivers_create", {"id": "$response.body#/results/0/id"}),
        "lift": ("waivers_destroy", {"id": "$response.body#/results/0/id"}),
        "listing": ("listings_retrieve", {"shop": _SHOP, "listing": "$response.body#/results/0/listing_id"}),
    },
    ("waivers_create", "201"): {"lift": ("waivers_destroy", {"id": "$request.path.id"})},
    ("listings_retrieve", "200"): {
        "edit": ("listings_partial_update", {"shop": _SHOP, "listing": "$response.body#/listing_id"})
    },
}


def _add_links(paths: dict[str, Any]) -> None:
    responses = {
        (op["operationId"], status): response
        for operations in paths.values()
        for op in operations.values()
        if isinstance(op, dict) and "operationId" in op
        for status, response in op.get("responses", {}).items()
    }
    for key, links in LINKS.items():
        if key in responses:
            responses[key]["links"] = {
                name: {"operationId": target, "parameters": parameters} for name, (target, parameters) in links.items()
            }
