"""What the browser tests share: the demo shop that `make run` sets up, its pages and the demo login."""

from __future__ import annotations

from typing import Any

DEMO_USER, DEMO_PASSWORD = "demo", "d11-demo-2026"  # load_demo's defaults
SHOP, PROMOTION = "mingcha-tmall", "d11-2026"  # readiness/demo/demo-shop.json


def url(live_server: Any, suffix: str = "") -> str:
    """The address of a page of the demo promotion (``suffix`` after its base, e.g. ``"issues/"``)."""
    return f"{live_server.url}/shops/{SHOP}/promotions/{PROMOTION}/{suffix}"


def log_in(page: Any, live_server: Any, shot: Any = None) -> None:
    """Log in as the demo user from the home page, which sends a visitor to the login form.

    The fields are found by their Chinese labels (the login form must label them); ``shot`` takes
    screenshots of the login form and of the home page reached.
    """
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    if shot is not None:
        shot(page, "01-login")
    page.get_by_label("用户名").fill(DEMO_USER)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    if shot is not None:
        shot(page, "02-home")
