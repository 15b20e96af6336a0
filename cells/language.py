"""The interface language: Vietnamese unless the user chose English in their profile.

Django's LocaleMiddleware follows the browser's Accept-Language, so a phone set to English would get
an English product; this middleware never reads it. The choice is copied into the session at login
(and when changed), so no request pays a query for it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation

SESSION_KEY = "chibo_language"


def _supported(code: str | None) -> str:
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def chosen_language(request) -> str:
    session = getattr(request, "session", None)
    return _supported(session.get(SESSION_KEY) if session is not None else None)


class UserLanguageMiddleware:
    """Activates the user's chosen language (or Vietnamese) for the request; after the session middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def remember_language(request, language: str) -> None:
    """The user's choice for the rest of this session (the profile stores it for the next ones)."""
    request.session[SESSION_KEY] = _supported(language)
    translation.activate(request.session[SESSION_KEY])
    request.LANGUAGE_CODE = request.session[SESSION_KEY]


@receiver(user_logged_in)
def _language_at_login(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    from .models import UserPreference

    preference = UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
    remember_language(request, preference or settings.LANGUAGE_CODE)
