"""The installable app (cells/pwa.py): its manifest and icons, the service worker served at the site's
root with the static files to keep, and the Vietnamese offline page; all from static/, no CDN."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

pytestmark = pytest.mark.django_db
STATIC = Path(settings.BASE_DIR) / "static"


def test_the_service_worker_is_served_at_the_root_with_the_files_to_keep(client):
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/javascript")
    assert answer["Service-Worker-Allowed"] == "/"
    assert "no-cache" in answer["Cache-Control"]
    body = answer.content.decode()
    assert "__ASSETS__" not in body and "__VERSION__" not in body and "__OFFLINE__" not in body
    assets = json.loads(body.split("var ASSETS = ", 1)[1].split(";\n", 1)[0])
    assert "/static/js/outbox.js" in assets and "/static/vendor/bootstrap/bootstrap.min.css" in assets
    assert all(url.startswith("/static/") for url in assets)  # nothing from another site
    assert 'var OFFLINE = "/offline/"' in body
    assert "Content-Security-Policy" in answer


def test_the_manifest_names_the_app_in_vietnamese_with_real_png_icons(client):
    answer = client.get("/manifest.webmanifest")
    assert answer["Content-Type"] == "application/manifest+json"
    manifest = json.loads(answer.content)
    assert manifest["lang"] == "vi" and manifest["display"] == "standalone" and manifest["start_url"] == "/"
    assert manifest["name"] == "Xây dựng chi bộ kiểu mẫu"
    for icon in manifest["icons"]:
        path = STATIC / icon["src"].removeprefix("/static/")
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]


def test_the_offline_page_is_vietnamese_for_anyone_and_names_no_user(client, people):
    client.force_login(people.sue)
    page = client.get("/offline/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Không có mạng" in page and "data-offline-page" in page
    assert "sue" not in page and "data-user" not in page


def test_every_page_links_the_manifest_and_the_outbox(client, people):
    client.force_login(people.sue)
    page = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert "/static/js/outbox.js" in page and 'id="outbox-texts"' in page
