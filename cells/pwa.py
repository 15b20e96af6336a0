"""The installable web app: its manifest, its service worker (static/js/sw.js, served from the site's
root so that it may look after every page), and the Vietnamese page a phone shows for a page it has
never opened while there is no network.

The service worker is the file in static/ with three values filled in: the static files to keep on the
phone (their URLs as the static storage names them, hashed in production), the offline page's address,
and a version that changes whenever one of those files does, so phones pick up new scripts by
themselves."""

from __future__ import annotations

import functools
import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# What every page a secretary uses needs (base.html and the forms' scripts). Chart.js is left out: only
# the dashboard uses it, and it is kept the first time it is fetched.
OFFLINE_ASSETS = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "css/app.css",
    "js/app.js",
    "js/drafts.js",
    "js/outbox.js",
    "js/steps.js",
    "js/meeting-form.js",
    "icons/icon-192.png",
    "icons/favicon-32.png",
)
WORKER_SOURCE = "js/sw.js"


def _read_static(name: str) -> bytes:
    path = finders.find(name)
    if path:
        with open(path, "rb") as handle:
            return handle.read()
    with staticfiles_storage.open(name) as handle:  # collected only (production without finders)
        return handle.read()


def _worker() -> str:
    digest = hashlib.sha256()
    urls = []
    for name in (WORKER_SOURCE, *OFFLINE_ASSETS):
        digest.update(name.encode())
        digest.update(_read_static(name))
        if name != WORKER_SOURCE:
            urls.append(staticfiles_storage.url(name))
    offline = reverse("offline")
    digest.update(offline.encode())
    source = _read_static(WORKER_SOURCE).decode()
    return (
        source.replace("'__VERSION__'", json.dumps(digest.hexdigest()[:16]))
        .replace("__ASSETS__", json.dumps(urls))
        .replace("'__OFFLINE__'", json.dumps(offline))
    )


_cached_worker = functools.lru_cache(maxsize=1)(_worker)


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    """/sw.js: asked for by the browser on every visit (no-cache), so a new version arrives at once."""
    body = _worker() if settings.DEBUG else _cached_worker()
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@cache_control(max_age=86400)
def manifest(request):
    """/manifest.webmanifest: what a phone needs to install the product as an app on its home screen."""
    icons = [
        {"src": staticfiles_storage.url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": staticfiles_storage.url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": staticfiles_storage.url("icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    data = {
        "name": _("Model party cells"),
        "short_name": _("Party cells"),
        "lang": "vi",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b71c1c",
        "icons": icons,
    }
    return JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@require_GET
def offline(request):
    """The page a phone shows for a page it has never opened, with no network (kept by the service
    worker at install; it names no user, since the phone may be shared)."""
    return render(request, "offline.html")
