"""Fail closed and serve what production needs (issue 15, items 5 and 6).

DEBUG is off unless the environment turns it on (and then a SECRET_KEY is required); with it off, static files
are served by the app itself (WhiteNoise, after ``collectstatic``), and the API docs load Swagger UI from those
static files (drf-spectacular-sidecar), never from a CDN.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[3]


def _settings_in_fresh_process(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code],
        env=clean | {"DJANGO_SETTINGS_MODULE": "readiness.settings"} | env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_is_off_unless_asked_for() -> None:
    result = _settings_in_fresh_process({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.com"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_a_forgotten_secret_key_stops_the_process() -> None:
    result = _settings_in_fresh_process({})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_on_only_when_the_environment_says_so() -> None:
    result = _settings_in_fresh_process({"DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_make_targets_turn_debug_on_explicitly() -> None:
    makefile = (ROOT / "Makefile").read_text()
    line = next(line for line in makefile.splitlines() if "export DEBUG" in line)
    assert {"run", "test", "worker"} <= set(line.split(":")[0].split())


@pytest.fixture
def collected(tmp_path: Path) -> Iterator[Path]:
    with override_settings(STATIC_ROOT=tmp_path, DEBUG=False):
        call_command("collectstatic", "--noinput", verbosity=0)
        yield tmp_path


@pytest.mark.django_db
def test_static_files_are_served_with_debug_off(collected: Path) -> None:
    client = Client()  # a new handler: WhiteNoise indexes STATIC_ROOT when it starts
    for path in ("/static/readiness/app.css", "/static/readiness/app.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body == (collected / path.removeprefix("/static/")).read_bytes()


@pytest.mark.django_db
def test_api_docs_load_swagger_from_the_app(collected: Path) -> None:
    client = Client()
    page = client.get("/api/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets, page[:500]
    assert not [a for a in assets if "//" in a], "an asset from another origin"
    assert "cdn" not in page.lower() and "@latest" not in page
    scripts = [a for a in assets if a.endswith(".js")]
    assert any("swagger-ui-bundle" in a for a in scripts)
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
