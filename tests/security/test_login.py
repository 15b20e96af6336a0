"""Logins: throttled per account and (at a higher limit) per address with a Vietnamese message, unlocked
by staff, audited; the admin login obeys the same; sessions end when idle or, on a shared computer, at browser close."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from cells.auth import account_unlock
from cells.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-good-password-123"


@pytest.fixture
def user(db):
    account = UserFactory(username="nhung")
    account.set_password(PASSWORD)
    account.save()
    return account


def _login(client, username, password, address="10.0.0.1", path=None, **extra):
    return client.post(
        path or reverse("login"), {"username": username, "password": password, **extra}, REMOTE_ADDR=address
    )


def _fail(client, username, times, address="10.0.0.1"):
    for _ in range(times):
        _login(client, username, "wrong", address)


def test_an_account_is_locked_after_too_many_failures_with_a_vietnamese_message(client, user):
    _fail(client, "nhung", settings.AXES_FAILURE_LIMIT)
    with translation.override("vi"):
        response = _login(client, "nhung", PASSWORD, address="10.0.0.2")  # another address: the account is locked
    assert response.status_code == 429
    assert "Hãy thử lại sau" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_address_is_locked_whatever_the_account(client, user):
    for n in range(settings.CHIBO_LOGIN_ADDRESS_FAILURE_LIMIT):
        _login(client, f"someone{n}", "wrong", address="10.9.9.9")
    assert _login(client, "nhung", PASSWORD, address="10.9.9.9").status_code == 429
    assert _login(client, "nhung", PASSWORD, address="10.0.0.3").status_code == 302


def test_behind_a_proxy_the_pause_is_per_client_address_not_for_everyone(client, user, settings):
    settings.CHIBO_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"

    def through_proxy(username, password, client_address):
        data = {"username": username, "password": password}
        return client.post(reverse("login"), data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=client_address)

    for n in range(settings.CHIBO_LOGIN_ADDRESS_FAILURE_LIMIT):
        through_proxy(f"someone{n}", "wrong", "10.7.7.7")
    assert through_proxy("nhung", PASSWORD, "10.7.7.7").status_code == 429
    assert through_proxy("nhung", PASSWORD, "10.8.8.8").status_code == 302  # another client behind the same proxy


def test_the_admin_login_is_throttled_alike(client, user):
    user.is_staff = True
    user.save()
    _fail(client, "nhung", settings.AXES_FAILURE_LIMIT)
    response = _login(client, "nhung", PASSWORD, path=reverse("admin:login"), address="10.0.0.4")
    assert response.status_code == 429


def test_staff_unlock_an_account_and_the_unlock_is_audited(client, user):
    staff = UserFactory(username="canbo", is_staff=True, is_superuser=True)
    _fail(client, "nhung", settings.AXES_FAILURE_LIMIT)
    assert account_unlock(username="nhung", acting_user=staff) >= 1
    assert _login(client, "nhung", PASSWORD, address="10.0.0.5").status_code == 302
    entry = AuditEntry.objects.get(action="auth.unlock")
    assert (entry.actor, entry.object_id) == (staff, str(user.pk))


def test_logins_failed_logins_and_password_changes_are_audited(client, user):
    _login(client, "nhung", "wrong")
    _login(client, "nhung", PASSWORD)
    new = "another-good-password-456"
    client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    actions = list(
        AuditEntry.objects.filter(object_id=str(user.pk)).order_by("at", "id").values_list("action", flat=True)
    )
    assert actions == ["auth.login_failed", "auth.login", "auth.password_change"]
    failed = AuditEntry.objects.get(action="auth.login_failed")
    assert failed.after == {"username": "nhung", "address": "10.0.0.1"}


def test_a_session_ends_after_the_configured_idle_time_or_at_browser_close_on_a_shared_computer(client, user):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600  # the default: 8 hours idle
    _login(client, "nhung", PASSWORD)
    assert not client.session.get_expire_at_browser_close()
    client.logout()
    _login(client, "nhung", PASSWORD, shared_computer="on")
    assert client.session.get_expire_at_browser_close()


def test_the_login_page_offers_the_shared_computer_choice(client):
    with translation.override("vi"):
        page = client.get(reverse("login")).content.decode()
    assert 'name="shared_computer"' in page and "Máy dùng chung" in page
