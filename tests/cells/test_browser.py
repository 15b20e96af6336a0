"""The shell in a real browser: Vietnamese login, each role sees its own part of the tree, phone-sized."""

import pytest

from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_logs_in_on_a_phone_and_sees_only_their_cell(phone_page, live_server, people):
    phone_page.goto(f"{live_server.url}/")
    assert "Đăng nhập" in phone_page.content()
    login(phone_page, live_server, "sue")
    body = phone_page.content()
    assert "Chi bộ Tổ dân phố số 3" in body
    assert "Thành ủy Một" not in body and "Huyện ủy Hai" not in body
    # No horizontal scrolling on a phone: the page fits its 390-pixel width.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390


def test_staff_opens_the_tree_and_expands_a_committee_without_reloading(desktop_page, live_server, people):
    login(desktop_page, live_server, "alice")
    desktop_page.goto(f"{live_server.url}/orgs/")
    desktop_page.get_by_role("button", name="Mở").first.click()
    desktop_page.get_by_text("Đảng ủy phường Một").wait_for()
    desktop_page.get_by_role("button", name="Mở").nth(1).click()
    desktop_page.get_by_text("Chi bộ Tổ dân phố số 3").wait_for()
    assert "Huyện ủy Hai" not in desktop_page.content()


def test_search_ignores_diacritics_in_the_browser(desktop_page, live_server, people):
    login(desktop_page, live_server, "alice")
    desktop_page.goto(f"{live_server.url}/orgs/?q=to+dan+pho+3")
    assert "Chi bộ Tổ dân phố số 3" in desktop_page.locator("#search-results").inner_text()
