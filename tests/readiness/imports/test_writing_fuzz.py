"""Random mutations of a valid bundle: either it imports, or it is refused with a clean error and nothing written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness.imports.bundle import BundleError, parse_bundle
from readiness.imports.writing import bundle_import
from tests.factories import bundle_dict
from tests.readiness.imports.test_writing import snapshot

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**40), max_value=2**40)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["2026-11-05", "2026-11-10T20:00:00+08:00", "59.90", "-1", "tmall", "review_cashback", ""]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


@st.composite
def mutated_bundles(draw: st.DrawFn) -> dict[str, Any]:
    data = bundle_dict(listings=3, skus=2)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "duplicate"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(json.loads(json.dumps(parent[path[-1]])))
        else:
            parent[path[-1]] = draw(json_values)
    return data


@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=mutated_bundles())
def test_mutated_bundle_imports_or_fails_cleanly(data: dict[str, Any]) -> None:
    bundle_import(parsed=parse_bundle(json.dumps(bundle_dict(listings=2, skus=1))))  # a previous state
    before = snapshot()
    try:
        raw = json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")
        bundle_import(parsed=parse_bundle(raw))
    except BundleError as exc:
        assert exc.errors and all(str(issue) for issue in exc.errors)
        assert snapshot() == before
