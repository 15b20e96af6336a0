"""A phone whose language is English (Chromium with locale en-US, Accept-Language en-US) sees the product
in Vietnamese, and its date fields are dd/mm/yyyy."""

import pytest
from django.utils import translation

from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_english_language_browser_sees_vietnamese(new_page, live_server, tree, people, roster):
    page = new_page(phone=True, locale="en-US")
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("navigator.language") == "en-US"
    page.goto(f"{live_server.url}/login/")
    assert "Đăng nhập" in page.inner_text("body")
    login(page, live_server, "sue")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Trang chủ" in page.locator("nav").text_content()
    page.goto(f"{live_server.url}/evaluations/meetings/record/{tree.cell.pk}/")
    with translation.override("vi"):
        assert page.inner_text("h1") == translation.gettext("Record a meeting") != "Record a meeting"
    date = page.locator("input[name=date]")
    assert date.get_attribute("type") == "text"
    date.fill("")
    date.press_sequentially("05112026")
    assert date.input_value() == "05/11/2026"
