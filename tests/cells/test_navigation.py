"""The navigation of a desk: at 1200 px and wider it stays open, grouped by task, and every section is
one click away; on a phone it folds into the menu button. Detail pages carry breadcrumbs."""

import pytest
from django.urls import reverse

from tests.browser import login

SECTIONS = {
    "tree": ["cells:organization_tree"],
    "criteria": ["criteria:framework_list"],
    "meetings": [
        "evaluations:meetings:list",
        "evaluations:meetings:ranking",
        "evaluations:meetings:guidance",
        "evaluations:meetings:thematic_compliance",
        "evaluations:meetings:designations",
        "evaluations:meetings:supervision_summary",
    ],
    "campaigns": ["evaluations:campaign_list", "evaluations:campaign_year_ratings"],
    "reports": ["reports:dashboard", "reports:run_list", "reports:run_create"],
    "excel": ["workbook:index"],
}


def test_staff_find_every_section_in_its_group(client, people):
    client.force_login(people.alice)
    page = client.get(reverse("home")).content.decode()
    for group, names in SECTIONS.items():
        start = page.index(f'data-nav-group="{group}"')
        block = page[start : page.index("</li>\n", page.index("</ul>", start))]
        for name in names:
            assert f'href="{reverse(name)}"' in block, f"{name} is not in the {group} group"


def test_a_secretary_sees_no_staff_groups(client, people):
    client.force_login(people.sue)
    page = client.get(reverse("home")).content.decode()
    assert 'data-nav-group="meetings"' in page
    assert 'data-nav-group="excel"' not in page and 'data-nav-group="reports"' not in page


def test_detail_pages_carry_breadcrumbs(client, tree, people):
    client.force_login(people.alice)
    page = client.get(reverse("cells:organization_detail", args=[tree.cell.pk])).content.decode()
    crumbs = page[page.index('class="breadcrumb') : page.index("</ol>")]
    assert "Thành ủy Một" in crumbs and "Đảng ủy phường Một" in crumbs and 'aria-current="page"' in crumbs


@pytest.mark.browser
@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_at_1280_px_a_staff_member_reaches_every_section_from_the_visible_menu(desktop_page, live_server, people):
    page = desktop_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, live_server, "alice")
    assert not page.locator(".navbar-toggler").is_visible()  # nothing folded away at a desk
    # The whole bar fits on one line: the user's menu is on screen, not pushed past its right edge.
    assert page.evaluate("document.querySelector('#site-nav').scrollWidth <= window.innerWidth")
    box = page.locator(".nav-user").bounding_box()
    assert box["x"] + box["width"] <= 1280 and box["y"] < 40
    for group, names in SECTIONS.items():
        for name in names:
            page.goto(f"{live_server.url}/")
            page.locator(f'[data-nav-group="{group}"] > a.dropdown-toggle').click()
            link = page.locator(f'[data-nav-group="{group}"] a.dropdown-item[href="{reverse(name)}"]')
            assert link.is_visible(), f"{name} is not visible in the opened {group} menu"
            with page.expect_navigation():
                link.click()
            assert page.url.endswith(reverse(name)), page.url
            assert page.locator("main h1").count() >= 1, f"{name} drew no heading"
    assert not errors


@pytest.mark.browser
@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_menu_folds_into_its_button(phone_page, live_server, people):
    page = phone_page
    login(page, live_server, "alice")
    assert page.locator(".navbar-toggler").is_visible()
    assert not page.locator('[data-nav-group="reports"]').is_visible()
    page.locator(".navbar-toggler").click()
    page.locator('[data-nav-group="reports"]').wait_for(state="visible")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
