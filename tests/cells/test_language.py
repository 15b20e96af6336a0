"""Vietnamese first: the interface is Vietnamese whatever the browser's language; a user may choose
English in their preferences; dates are shown and typed dd/mm/yyyy in either language."""

import datetime

import pytest

from cells.models import UserPreference
from tests.browser import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_a_browser_asking_for_english_gets_vietnamese(client, people):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "vi"
    assert "Đăng nhập" in page.content.decode()
    client.force_login(people.sue)
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in home.content.decode()
    assert "Trang chủ" in home.content.decode()


def test_a_user_who_chose_english_gets_english_after_login_and_others_do_not(client, people):
    client.post("/login/", {"username": "sue", "password": TEST_PASSWORD})
    answer = client.post("/preferences/", {"language": "en"})
    assert answer.status_code == 302
    assert UserPreference.objects.get(user=people.sue).language == "en"
    assert "Home" in client.get("/").content.decode()

    client.logout()
    assert "Đăng nhập" in client.get("/login/").content.decode()  # logged out: Vietnamese again
    client.post("/login/", {"username": "sue", "password": TEST_PASSWORD})  # the stored choice comes back
    assert '<html lang="en">' in client.get("/").content.decode()

    other = client.__class__()
    other.post("/login/", {"username": "alice", "password": TEST_PASSWORD})
    assert '<html lang="vi">' in other.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_language_not_offered_is_refused_with_a_message(client, people):
    client.force_login(people.sue)
    answer = client.post("/preferences/", {"language": "fr"})
    assert answer.status_code == 200
    assert not UserPreference.objects.exists()
    assert "language" in answer.context["form"].errors and "is-invalid" in answer.content.decode()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_are_shown_and_typed_dd_mm_yyyy_in_either_language(client, people, tree, roster, language):
    UserPreference.objects.create(user=people.sue, language=language)
    client.post("/login/", {"username": "sue", "password": TEST_PASSWORD})
    form = client.get(f"/evaluations/meetings/record/{tree.cell.pk}/").content.decode()
    today = datetime.date.today()
    assert f'value="{today:%d/%m/%Y}"' in form or 'placeholder="' in form
    assert 'type="date"' not in form
    assert 'inputmode="numeric"' in form
    day = today - datetime.timedelta(days=1)
    answer = client.post(
        f"/evaluations/meetings/record/{tree.cell.pk}/",
        {"kind": "regular", "date": f"{day:%d/%m/%Y}", "agenda-TOTAL_FORMS": "0", "agenda-INITIAL_FORMS": "0"},
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    from evaluations.meetings.models import Meeting

    assert Meeting.objects.get().date == day
    detail = client.get(answer["Location"].replace("/assess/", "/"))
    assert f"{day:%d/%m/%Y}" in detail.content.decode()
