"""API test fixtures: two scanned shops with a finding to waive, a waived one, a job each, and a token per role.

``world`` is built once per module inside a transaction that is rolled back at the end of the module; every test
runs in its own savepoint within it (pytest-django), so writes made by one test are gone before the next.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from rest_framework.test import APIClient

from readiness.api.tokens import api_token_issue
from readiness.models import Role
from tests.readiness.api.world import ROLES, World, build_shop, problem_bundle


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        own, other = build_shop("acme-tmall"), build_shop("other-jd")
        result = World(own=own, other=other)
        for role in ROLES:
            result.tokens[role] = api_token_issue(username=f"api-{role}", shop=own.shop, role=role).key
        result.other_token = api_token_issue(username="other-ops", shop=other.shop, role=Role.OPERATIONS_MANAGER).key
        yield result
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # Rendered reports and throttling history live in the cache, which no transaction rolls back.
    cache.clear()


@pytest.fixture
def client_for() -> Callable[[str | None], APIClient]:
    def make(token: str | None) -> APIClient:
        client = APIClient()
        if token:
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client

    return make


@pytest.fixture
def bundle_for() -> Callable[[str], bytes]:
    def make(shop_code: str) -> bytes:
        return json.dumps(problem_bundle(shop_code), ensure_ascii=False).encode()

    return make


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many requests the schemathesis run sent (when it ran), by operation and status."""
    import sys

    module = sys.modules.get("tests.readiness.api.test_schemathesis")
    counts = getattr(module, "REQUESTS", None)
    if not counts:
        return
    by_operation: dict[str, list[str]] = {}
    for (operation, status), n in sorted(counts.items()):
        by_operation.setdefault(operation, []).append(f"{status}×{n}")
    terminalreporter.write_sep("-", f"schemathesis: {sum(counts.values())} requests, {len(by_operation)} operations")
    for operation, statuses in by_operation.items():
        terminalreporter.write_line(f"  {operation:<55} {' '.join(statuses)}")
