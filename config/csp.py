"""The Content-Security-Policy of every page: scripts, styles, fonts and images only from this site.

No inline scripts and no ``on*=`` attributes (templates bind behaviour from data attributes in
``static/js/app.js``); inline ``style=""`` attributes are allowed (``style-src-attr``), ``<style>``
elements are not. A same-origin service worker and web manifest are allowed (the phone pages'
offline queue). ``CHIBO_CSP`` replaces the policy entirely where an operator needs to."""

from __future__ import annotations

from django.conf import settings

DEFAULT_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Adds the policy header to every response that does not set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CHIBO_CSP", "") or DEFAULT_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
