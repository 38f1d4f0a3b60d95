"""Integration tests share the database with a real Celery worker process, so they use the configured database
itself (not pytest-django's throw-away test database, which the worker cannot see) and commit for real."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_blocker: Any) -> None:
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("migrate", "--noinput", verbosity=0)
