"""The after-sales report's `as_of` is a date in the documented range; anything else is a 400, never today or a 500.

Found by schemathesis's negative data: an empty `as_of=` was read as "absent" (200 for today) and a year-1 date
overflowed the window arithmetic (500).
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def _get(world: Any, client_for: Any, value: str) -> Any:
    client = client_for(world.tokens["operations_manager"])
    url = f"/api/v1/shops/{world.own.shop.code}/promotions/{world.own.promotion.code}/after-sales"
    return client.get(url, {"as_of": value})


@pytest.mark.parametrize(
    "value", ["", "abc", "2026-13-01", "0001-01-01", "1999-12-31", "2100-01-01", "9999-12-31", "2026-11-01T00:00:00"]
)
def test_a_malformed_or_out_of_range_as_of_is_a_400_naming_the_parameter(
    world: Any, client_for: Any, value: str
) -> None:
    response = _get(world, client_for, value)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert "as_of" in response.content.decode()


@pytest.mark.parametrize("value", ["2000-01-01", "2026-11-01", "2099-12-31"])
def test_an_as_of_in_range_is_the_reports_date(world: Any, client_for: Any, value: str) -> None:
    response = _get(world, client_for, value)
    assert response.status_code == 200, response.content
    assert response.json()["as_of"] == value
