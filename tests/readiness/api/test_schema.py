"""The OpenAPI schema: valid, without generator warnings, and complete (every operation with its request and
response schemas, problem-details errors and examples)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

OPERATIONS = {
    "shops_list", "promotions_list", "bundles_create", "jobs_retrieve", "readiness_retrieve", "findings_list",
    "runs_list", "listings_retrieve", "listings_partial_update", "waivers_create", "waivers_destroy", "waivers_list",
    "scan_create", "after_sales_records_create", "after_sales_retrieve",
}  # fmt: skip


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return APIClient().get("/api/schema/?format=json").json()


def _operations(schema: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {
        op["operationId"]: (path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()
    }


def test_schema_validates_without_warnings(tmp_path: Path) -> None:
    # --fail-on-warn: an unresolvable serializer or an enum name collision fails here, not in a client generator.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3.")


def test_every_operation_is_documented(schema: dict[str, Any]) -> None:
    operations = _operations(schema)
    assert set(operations) == OPERATIONS
    for name, (path, method, op) in operations.items():
        assert path.startswith("/api/v1/"), name
        assert op.get("summary"), name
        success = [code for code in op["responses"] if code.startswith("2")]
        if name == "readiness_retrieve":  # 202 when a first scan has just been started on the workers
            success.remove("202")
        assert len(success) == 1, name
        assert "application/json" in op["responses"][success[0]]["content"], name
        for code in ("401", "429", "500"):
            assert "application/problem+json" in op["responses"][code]["content"], (name, code)
        examples = [c for r in op["responses"].values() for c in r.get("content", {}).values() if "examples" in c]
        assert examples, f"{name} has no response example"
        if method in ("post", "patch") and name != "waivers_destroy":
            body = op["requestBody"]["content"]["application/json"]
            assert "$ref" in body["schema"] and body.get("examples"), name
        assert op["security"] == [{"tokenAuth": []}, {"cookieAuth": []}], name


def test_list_operations_document_filters_and_pages(schema: dict[str, Any]) -> None:
    _, _, findings = _operations(schema)["findings_list"]
    params = {p["name"] for p in findings["parameters"]}
    assert {"category", "severity", "check", "status", "listing", "rule", "ordering", "page", "page_size"} <= params
    page = findings["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][page]["properties"]) == {"count", "next", "previous", "results"}


def test_readiness_documents_etags(schema: dict[str, Any]) -> None:
    _, _, readiness = _operations(schema)["readiness_retrieve"]
    assert "If-None-Match" in {p["name"] for p in readiness["parameters"]}
    assert "ETag" in readiness["responses"]["200"]["headers"] and "304" in readiness["responses"]
    report = schema["components"]["schemas"]["ReadinessReport"]
    assert {"shop", "promotion", "score", "grade", "computed_at", "checks", "listings"} <= set(report["required"])
