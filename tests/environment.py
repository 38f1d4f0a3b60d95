"""Loaded by pytest before Django's settings (``-p tests.environment`` in pyproject.toml): the test suite runs
with DEBUG on, as `make test` and `make run` do, unless the environment says otherwise. The settings default to
DEBUG off (production fails closed), and with it off they demand a SECRET_KEY and ALLOWED_HOSTS; the tests that
are about DEBUG off (tests/readiness/test_production.py) start their own process with it off."""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "true")
