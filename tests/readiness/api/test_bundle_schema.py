"""The bundle's schema in the OpenAPI document is the pydantic validator's own (no DRF copy to drift from it)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from readiness.api.openapi import openapi_30, strict_node
from readiness.imports import bundle


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return APIClient().get("/api/schema/?format=json").json()


def _inline_enums(node: Any, components: dict[str, Any]) -> Any:
    """drf-spectacular moves every enum into a component of its own (``PlatformEnum``): put them back."""
    if isinstance(node, list):
        return [_inline_enums(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    refs = node.get("allOf", [node])
    if len(refs) == 1 and "$ref" in refs[0]:
        target = components[refs[0]["$ref"].rsplit("/", 1)[1]]
        if "enum" in target:
            rest = {k: v for k, v in node.items() if k not in ("allOf", "$ref")}
            return {k: v for k, v in target.items() if k != "description"} | rest
    return {key: _inline_enums(value, components) for key, value in node.items()}


def _strict(node: Any) -> Any:
    """What the document's postprocessing hook does to each node (readiness.api.openapi.strict_node)."""
    if isinstance(node, dict):
        strict_node(node)
        for key, value in node.items():
            if key != "enum":
                _strict(value)
    elif isinstance(node, list):
        for item in node:
            _strict(item)
    return node


def test_the_bundle_request_is_the_validators_schema(schema: dict[str, Any]) -> None:
    components = _inline_enums(schema["components"]["schemas"], schema["components"]["schemas"])
    body = schema["paths"]["/api/v1/shops/{shop}/bundles"]["post"]["requestBody"]["content"]["application/json"]
    name = body["schema"]["$ref"].rsplit("/", 1)[1]
    expected = _strict(openapi_30(bundle.json_schema(ref_template="#/components/schemas/Bundle{model}")))
    expected = _inline_enums(expected, schema["components"]["schemas"])
    # (Components carry no title in the document: generators would name their classes after it.)
    for sub_name, sub_schema in expected.pop("$defs").items():
        assert components[f"Bundle{sub_name}"] == {k: v for k, v in sub_schema.items() if k != "title"}
    assert {k: v for k, v in components[name].items() if k != "description"} == {
        k: v for k, v in expected.items() if k != "title"
    }


def test_the_limits_of_the_database_are_in_the_schema(schema: dict[str, Any]) -> None:
    components = _inline_enums(schema["components"]["schemas"], schema["components"]["schemas"])
    listing = components["BundleListingData"]["properties"]
    assert listing["title"]["maxLength"] == 500 and listing["description"]["maxLength"] == 100_000
    assert listing["specs"]["additionalProperties"]["maxLength"] == 500
    sku = components["BundleSkuData"]["properties"]
    assert sku["code"]["maxLength"] == 64 and sku["stock"]["maximum"] == 2**31 - 1
    assert {branch["type"] for branch in sku["price"]["oneOf"]} == {"string", "integer"}  # both are accepted
    assert {"enum": [None]} in sku["list_price"]["oneOf"]  # NullEnum, inlined
    assert components["BundleShopData"]["properties"]["platform"]["enum"] == ["tmall", "taobao", "pdd", "jd", "douyin"]
    assert components["BundleRequest"]["properties"]["format"]["enum"] == [bundle.FORMAT]
    assert schema["components"]["schemas"]["BundleShopData"]["properties"]["platform"]["allOf"] == [
        {"$ref": "#/components/schemas/PlatformEnum"}
    ]


@pytest.mark.parametrize(
    ("json_schema", "expected"),
    [
        ({"anyOf": [{"type": "string"}, {"type": "null"}]}, {"type": "string", "nullable": True}),
        (
            {"anyOf": [{"$ref": "#/x"}, {"type": "null"}], "default": None},
            {"allOf": [{"$ref": "#/x"}], "default": None, "nullable": True},
        ),
        (
            {"anyOf": [{"type": "number"}, {"type": "string"}, {"type": "null"}]},
            {"anyOf": [{"type": "number"}, {"type": "string"}], "nullable": True},
        ),
        ({"const": "a", "propertyNames": {"maxLength": 3}}, {"enum": ["a"]}),
        ({"items": [{"const": 1}]}, {"items": [{"enum": [1]}]}),
    ],
)
def test_openapi_30_translates_json_schema(json_schema: Any, expected: Any) -> None:
    assert openapi_30(json_schema) == expected


def test_the_listing_patch_fields_are_the_validators() -> None:
    """PATCH .../listings/{id} is validated by bundle.validate_listing_text; its serializer only describes it."""
    from pydantic import TypeAdapter

    from readiness.api.serializers import ListingUpdateInputSerializer

    properties = TypeAdapter(bundle.ListingText).json_schema()["properties"]
    fields = ListingUpdateInputSerializer().fields
    assert tuple(fields) == bundle.EDITABLE_FIELDS
    for name in ("title", "subtitle", "description"):
        assert fields[name].max_length == properties[name]["maxLength"], name
    assert fields["specs"].child.max_length == properties["specs"]["additionalProperties"]["maxLength"]
