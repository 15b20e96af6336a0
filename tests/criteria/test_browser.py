"""The criteria tree edited in a real browser, phone-sized, without a page reload per criterion."""

import pytest

from tests.browser import login, wait_for_script
from tests.criteria.view_cases import _draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_adds_moves_and_deletes_criteria_without_reloading(phone_page, live_server, tree, people, tmp_path):
    data = _draft(tree, people)
    page = phone_page
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/criteria/{data.framework.pk}/")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("button", name="+ Thêm nhóm hoặc tiêu chí").click()
    page.locator("#tree-editor input[name=code]").fill("2")
    page.locator("#tree-editor textarea[name=title]").fill("Nhóm hai: chuẩn bị sinh hoạt")
    page.locator("#tree-editor button[type=submit]").click()
    page.locator("#criteria-panel").get_by_text("Nhóm hai: chuẩn bị sinh hoạt").wait_for()
    assert page.locator("#tree-editor").inner_text().strip() == ""
    # Move the new group above the first one.
    page.locator("#criterion-" + str(_id(data.framework, "2"))).get_by_role("button", name="Lên trên").first.click()
    moved = _id(data.framework, "2")
    wait_for_script(page, f"() => document.querySelector('#criteria-panel li.criterion').id === 'criterion-{moved}'")
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("#criterion-" + str(_id(data.framework, "2"))).get_by_role("button", name="Xóa").first.click()
    page.locator("#criteria-panel").get_by_text("Nhóm hai: chuẩn bị sinh hoạt").wait_for(state="detached")
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "criteria-phone.png"), full_page=True)


def _id(framework, code):
    from criteria.models import Criterion

    return Criterion.objects.get(framework=framework, code=code).pk
