"""The trust holes a probe of the running product found (issue 22), each reproduced, then closed.

One class per hole, named by the hole's number in the issue. (Holes 1, 6 and 8 are tested beside the
meeting rights and sheets.)
"""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-good-password-123"


def _account(username: str):
    user = UserFactory(username=username)
    user.set_password(PASSWORD)
    user.save()
    return user


class TestHole2LoginPauses:
    """The pause counts failures per account and per account-and-address; an address alone pauses only
    after a much higher count; a good login clears only its own account's failures from its address."""

    @staticmethod
    def _login(client, username, password, address="10.0.0.1"):
        client.logout()
        return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)

    def test_another_accounts_good_login_does_not_reset_the_pause(self, client):
        _account("nhung")
        _account("lan")
        for _round in range(3):  # the probe's scenario: four wrong passwords, a colleague logs in, again
            for _ in range(settings.AXES_FAILURE_LIMIT - 1):
                self._login(client, "nhung", "wrong")
            assert self._login(client, "lan", PASSWORD).status_code == 302
        assert self._login(client, "nhung", PASSWORD).status_code == 429
        assert "_auth_user_id" not in client.session

    def test_one_person_mistyping_does_not_lock_the_whole_office(self, client):
        for name in ("nhung", "lan", "hoa"):
            _account(name)
        for _ in range(settings.AXES_FAILURE_LIMIT + 2):
            self._login(client, "nhung", "wrong")
        assert self._login(client, "nhung", PASSWORD).status_code == 429  # her account is paused
        assert self._login(client, "lan", PASSWORD).status_code == 302  # the office behind the router is not
        # Colleagues mistyping once each, many of them, still leave the address open.
        for n in range(settings.AXES_FAILURE_LIMIT * 2):
            self._login(client, f"colleague{n}", "wrong")
        assert self._login(client, "hoa", PASSWORD).status_code == 302

    def test_an_address_alone_is_paused_at_its_own_much_higher_limit(self, client):
        _account("lan")
        assert settings.CHIBO_LOGIN_ADDRESS_FAILURE_LIMIT >= 5 * settings.AXES_FAILURE_LIMIT
        for n in range(settings.CHIBO_LOGIN_ADDRESS_FAILURE_LIMIT):
            self._login(client, f"guess{n}", "wrong", address="10.6.6.6")  # one try per name: a spray
        assert self._login(client, "lan", PASSWORD, address="10.6.6.6").status_code == 429
        assert self._login(client, "lan", PASSWORD, address="10.6.6.7").status_code == 302

    def test_a_good_login_clears_its_own_failures_only(self, client):
        _account("nhung")
        _account("lan")
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            self._login(client, "lan", "wrong")
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            self._login(client, "nhung", "wrong")
        assert self._login(client, "nhung", PASSWORD).status_code == 302
        self._login(client, "nhung", "wrong")  # her count started again: one failure, no pause
        assert self._login(client, "nhung", PASSWORD).status_code == 302
        self._login(client, "lan", "wrong")  # Lan's four failures were kept: the fifth pauses her
        assert self._login(client, "lan", PASSWORD).status_code == 429
