"""Chinese by default, English by the switch in the header (compiled messages are committed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from tests.readiness.web.conftest import ShopSetup

pytestmark = pytest.mark.django_db
LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
COOKIE_MIDDLEWARE = [
    "readiness.web.locale.CookieLocaleMiddleware" if m == "django.middleware.locale.LocaleMiddleware" else m
    for m in settings.MIDDLEWARE
]


def test_compiled_messages_are_committed_and_current() -> None:
    po, mo = LOCALE / "django.po", LOCALE / "django.mo"
    assert mo.exists(), "run: python manage.py compilemessages -l en --ignore=.venv"
    assert mo.stat().st_mtime >= po.stat().st_mtime - 1


def test_pages_are_chinese_by_default(setup: ShopSetup) -> None:
    body = setup.client.get(setup.url()).content.decode()
    assert '<html lang="zh-hans">' in body and "重新扫描" in body and "检查项" in body


def test_the_switch_turns_the_pages_english(setup: ShopSetup) -> None:
    response = setup.client.post("/i18n/setlang/", {"language": "en", "next": setup.url()})
    assert response.status_code == 302 and response["Location"] == setup.url()
    body = setup.client.get(setup.url()).content.decode()
    assert '<html lang="en">' in body
    for text in ("Re-scan", "Progress", "Next deadlines", "To do, by owner", "Fix", "Export open issues"):
        assert text in body, text
    # the dashboard's details page (issue 17)
    details = setup.client.get(setup.url("overview/")).content.decode()
    for text in ("Dashboard details", "Checks", "Issues by owner", "Listing text", "Presale start"):
        assert text in details, text
    listing = setup.client.get(setup.url("listings/L100/")).content.decode()
    assert "Save and re-scan" in listing and "Replace with “高品质”" in re.sub(
        r"<[^>]+>", "", listing
    )  # the word: shop data
    # back to Chinese
    setup.client.post("/i18n/setlang/", {"language": "zh-hans", "next": setup.url()})
    assert "重新扫描" in setup.client.get(setup.url()).content.decode()


@override_settings(MIDDLEWARE=COOKIE_MIDDLEWARE)
def test_cookie_middleware_ignores_the_browser_language(setup: ShopSetup) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.force_login(setup.user)
    assert "重新扫描" in client.get(setup.url()).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(setup.url())
    assert "Re-scan" in response.content.decode() and response["Content-Language"] == "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"  # unknown: the default
    assert "重新扫描" in client.get(setup.url()).content.decode()
