"""Login throttling (issue 15, item 4; django-axes): after AXES_FAILURE_LIMIT wrong passwords the right one does
not get in either, on the login page and on the admin's, and the lock is per user name and address."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "d11-right-password"


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_thirty_wrong_passwords_lock_the_account_out(url: str) -> None:
    user = UserFactory(username="victim", is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    client = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [client.post(url, {"username": "victim", "password": f"guess-{i}"}).status_code for i in range(30)]
    assert 429 in statuses, statuses  # refused outright once the limit is reached, not just "wrong password"
    assert statuses.index(429) == settings.AXES_FAILURE_LIMIT - 1 or statuses.index(429) == settings.AXES_FAILURE_LIMIT
    response = client.post(url, {"username": "victim", "password": PASSWORD})
    assert response.status_code == 429
    assert not _logged_in(client)
    # another address is not locked out by this one's guesses
    other = Client(REMOTE_ADDR="198.51.100.9")
    other.post(url, {"username": "victim", "password": PASSWORD})
    assert _logged_in(other)


def test_a_few_typos_then_the_right_password_still_works() -> None:
    user = UserFactory(username="typist")
    user.set_password(PASSWORD)
    user.save()
    client = Client(REMOTE_ADDR="203.0.113.8")
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/accounts/login/", {"username": "typist", "password": f"typo-{i}"}).status_code == 200
    assert client.post("/accounts/login/", {"username": "typist", "password": PASSWORD}).status_code == 302
    assert _logged_in(client)
