"""Notifications under the bell: one per event, only the recipient's, email only where configured."""

from django.core import mail
from django.urls import reverse

from cells import services
from cells.models import Notification


def test_an_event_is_notified_once_per_user_whatever_the_retries(people):
    first = services.notify(users=[people.sue, people.alice], kind="appraised", title="Đã thẩm định", key="m:1")
    again = services.notify(users=[people.sue], kind="appraised", title="Đã thẩm định", key="m:1")
    assert len(first) == 2 and again == []
    assert Notification.objects.filter(user=people.sue, key="m:1").count() == 1
    assert mail.outbox == []  # email is off unless configured


def test_email_goes_only_where_configured_and_only_to_users_with_an_address(people, settings):
    settings.CHIBO_NOTIFY_BY_EMAIL = True
    settings.CHIBO_SITE_URL = "https://chibo.example"
    people.sue.email = "sue@example.org"
    people.sue.save()
    people.alice.email = ""
    people.alice.save()
    services.notify(users=[people.sue, people.alice], kind="returned", title="Bị trả lại", url="/x/1/")
    assert [m.to for m in mail.outbox] == [["sue@example.org"]]
    assert "https://chibo.example/x/1/" in mail.outbox[0].body


def test_the_bell_counts_unread_and_opening_marks_read_and_follows_the_link(client, people):
    [note] = services.notify(users=[people.sue], kind="appraised", title="Cuộc họp đã được thẩm định", url="/cells/")
    services.notify(users=[people.alice], kind="appraised", title="Thông báo của người khác")
    client.force_login(people.sue)
    page = client.get(reverse("cells:notification_list")).content.decode()
    assert "Cuộc họp đã được thẩm định" in page and "Thông báo của người khác" not in page
    assert 'data-notifications="1"' in page
    response = client.post(reverse("cells:notification_open", args=[note.pk]))
    assert response.status_code == 302 and response.url == "/cells/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'data-notifications="0"' in client.get(reverse("home")).content.decode()


def test_someone_elses_notification_is_a_404_and_stays_unread(client, people):
    [note] = services.notify(users=[people.alice], kind="x", title="t")
    client.force_login(people.sue)
    assert client.post(reverse("cells:notification_open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_a_link_to_another_site_is_not_followed(client, people):
    [note] = services.notify(users=[people.sue], kind="x", title="t", url="https://evil.example/")
    client.force_login(people.sue)
    response = client.post(reverse("cells:notification_open", args=[note.pk]))
    assert response.url == reverse("cells:notification_list")


def test_mark_all_read_touches_only_the_users_own(client, people):
    services.notify(users=[people.sue, people.alice], kind="x", title="t")
    client.force_login(people.sue)
    client.post(reverse("cells:notification_list"))
    assert not Notification.objects.filter(user=people.sue, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=people.alice, read_at__isnull=True).count() == 1
