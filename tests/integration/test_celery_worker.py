"""Celery against a real Redis broker and a real `celery worker` process (started by .ci/run).

Skipped unless CELERY_BROKER_URL is set, because there is then no broker to talk to; .ci/run sets it and
starts the worker.
"""

from __future__ import annotations

import os

import pytest

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL and a worker"),
]


def test_ping_round_trip_through_real_worker() -> None:
    from django.conf import settings

    from readiness.tasks import ping

    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    result = ping.delay("ready-for-d11")
    assert result.get(timeout=30) == "ready-for-d11"
    assert result.successful()
