"""Logging in: throttling (django-axes, per account and per address), the shared-computer choice, an
idle timeout, and the audit of logins, failed logins, password changes and unlocks.

Axes refuses after ``AXES_FAILURE_LIMIT`` failures for one username (from any address, or from one
address), or after ``CHIBO_LOGIN_ADDRESS_FAILURE_LIMIT`` failures from one address whatever the
usernames, until the cool-off has passed since the last failure (:class:`LoginThrottle`). The admin
login goes through the same backend, so it is throttled alike. Staff unlock an account with the
"Unlock" action on the admin's access attempts (or ``manage.py axes_reset_username NAME``), which is
audited too.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models import Sum
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import AuditedChange, log_action, stored_user
from .services import access_attempts_delete


def client_address(request) -> str:
    """The address axes counts failures for, and the audit keeps: the connection's (REMOTE_ADDR), or
    behind a proxy the header CHIBO_CLIENT_IP_HEADER names (its last entry: the one our proxy wrote)."""
    if request is None:
        return ""
    header = settings.CHIBO_CLIENT_IP_HEADER
    forwarded = request.META.get(header, "") if header else ""
    address = forwarded.split(",")[-1].strip() if forwarded else request.META.get("REMOTE_ADDR") or ""
    return address[:45]


def audit_account(*, action: str, user=None, username: str = "", request=None, acting_user=None, **after) -> None:
    """An audit entry about an account (no organisation): who, which account, from which address."""
    account = stored_user(user)
    log_action(
        acting_user=stored_user(acting_user) or account,
        action=action,
        changes=[
            AuditedChange(
                get_user_model(),
                account.pk if account else None,
                after={
                    "username": username or getattr(user, "username", ""),
                    "address": client_address(request),
                    **after,
                },
            )
        ],
    )


@receiver(user_logged_in, dispatch_uid="chibo-audit-login")
def _audit_login(sender, request, user, **kwargs) -> None:
    audit_account(action="auth.login", user=user, request=request)
    if request is not None and hasattr(request, "session"):
        request.session["_chibo_renewed"] = int(timezone.now().timestamp())  # a fresh session needs no renewal


@receiver(user_login_failed, dispatch_uid="chibo-audit-login-failed")
def _audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    user = get_user_model().objects.filter(username=username).first()
    audit_account(action="auth.login_failed", user=user, username=username, request=request)


class LoginForm(AuthenticationForm):
    """Username, password, and "Shared computer": then the session ends when the browser closes."""

    shared_computer = forms.BooleanField(
        label=_("Shared computer"),
        required=False,
        help_text=_("Log me out when the browser closes."),
    )


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.cleaned_data.get("shared_computer"):
            self.request.session.set_expiry(0)  # a browser-session cookie: gone when the browser closes
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        audit_account(action="auth.password_change", user=self.request.user, request=self.request)
        return response


class LoginThrottle(AxesDatabaseHandler):
    """Axes' database handler with two limits and a narrow reset.

    Axes compares the largest count of any lockout parameter with one limit: an address would then be
    paused after as few failures as an account, stopping every user behind an office's router when one
    of them mistypes. Here the address alone (the last of AXES_LOCKOUT_PARAMETERS) has its own, much
    higher limit. And axes' reset on success deletes every failure matching any parameter, the whole
    address's included: a colleague's good login would clear a guesser's count. Here a good login
    clears only the failures of its own account from its own address."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        per_parameter = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        *per_account, per_address = per_parameter
        account_failures = max(per_account, default=0)
        if per_address >= settings.CHIBO_LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(account_failures, settings.AXES_FAILURE_LIMIT)  # at the limit axes compares with
        return account_failures

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        own = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address)
        return access_attempts_delete(own)


def lockout_response(request, original_response=None, credentials=None):
    """Axes' answer to a locked account or address: a Vietnamese page saying when to try again."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    retry_at = timezone.localtime(timezone.now() + cool_off) if cool_off else None
    return render(request, "registration/locked.html", {"retry_at": retry_at}, status=429)


def account_unlock(*, username: str, acting_user) -> int:
    """Clear the failed attempts of ``username`` (a staff action); returns how many records were removed."""
    from axes.utils import reset

    removed = reset(username=username)
    user = get_user_model().objects.filter(username=username).first()
    audit_account(action="auth.unlock", user=user, username=username, acting_user=acting_user, removed=removed)
    return removed


class IdleTimeoutMiddleware:
    """Sessions end after ``SESSION_COOKIE_AGE`` seconds without a request (CHIBO_SESSION_IDLE_HOURS).

    Each request moves the end forward; to spare a write per request, the session is saved again only
    when its last renewal is more than a minute old (so the idle time is exact to the minute)."""

    RENEW_AFTER_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and getattr(request, "user", None) is not None and request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            if now - session.get("_chibo_renewed", 0) > self.RENEW_AFTER_SECONDS:
                session["_chibo_renewed"] = now  # modifying the session saves it, with a new expiry
        return self.get_response(request)
