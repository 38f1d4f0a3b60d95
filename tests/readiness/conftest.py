from __future__ import annotations

from typing import Any

import pytest

from tests.factories import bundle_dict


@pytest.fixture
def bundle() -> dict[str, Any]:
    """A small valid readiness bundle (3 listings × 2 SKUs) as decoded JSON."""
    return bundle_dict()


@pytest.fixture
def start_scan(django_capture_on_commit_callbacks: Any) -> Any:
    """Start a scan as a request would: its Celery chord is sent when the transaction commits (eager here)."""
    from readiness.services import scans

    def start(promotion: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            run = scans.scan_run_start(promotion=promotion, **kwargs)
        run.refresh_from_db()
        return run

    return start
