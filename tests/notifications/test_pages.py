"""The bell, the list, opening a notification, marking all read, and the settings per kind."""

import pytest
from django.urls import reverse

from notifications.models import Kind, Mute, Notification
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


def note(user, n=1, **fields):
    return Notification.objects.create(
        user=user, kind=fields.pop("kind", Kind.DEPARTURE), key=f"k{n}", title=f"通知{n}", **fields
    )


def test_the_bell_shows_the_unread_count(lead_client, lead):
    for n in range(3):
        note(lead, n)
    note(lead, 9, read_at="2026-01-01T00:00Z")
    html = lead_client.get(reverse("lead-home")).content.decode()
    assert '<span class="badge">3<span class="visually-hidden"> 条未读</span>' in html


def test_the_bell_has_no_badge_when_all_is_read(lead_client, lead):
    html = lead_client.get(reverse("lead-home")).content.decode()
    assert 'class="bell"' in html and 'class="badge"' not in html


def test_the_bell_says_99_plus_beyond_99(lead_client, lead):
    Notification.objects.bulk_create(
        Notification(user=lead, kind=Kind.DAILY, key=f"k{n}", title="t") for n in range(120)
    )
    assert ">99+<" in lead_client.get(reverse("lead-home")).content.decode()


def test_the_bell_is_in_the_admin_too(admin_client, admin_user):
    note(admin_user)
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert 'href="/notifications/"' in html and '<span class="badge">1' in html


def test_no_bell_for_a_visitor_who_is_not_logged_in(client):
    assert 'class="bell' not in client.get(reverse("login")).content.decode()


def test_the_list_shows_only_my_notifications_newest_first(lead_client, lead):
    note(lead, 1)
    note(lead, 2)
    note(LeadFactory(), 3)
    page = lead_client.get(reverse("notification-list")).context["page"]
    assert [n.title for n in page] == ["通知2", "通知1"]


def test_the_list_marks_unread_ones(lead_client, lead):
    note(lead, 1)
    note(lead, 2, read_at="2026-01-01T00:00Z")
    html = lead_client.get(reverse("notification-list")).content.decode()
    assert html.count('<li class="unread">') == 1 and html.count('<li class="read">') == 1


def test_the_list_is_paginated(lead_client, lead):
    Notification.objects.bulk_create(
        Notification(user=lead, kind=Kind.DAILY, key=f"k{n}", title="t") for n in range(45)
    )
    response = lead_client.get(reverse("notification-list"), {"page": "2"})
    assert len(response.context["page"].object_list) == 15


def test_opening_marks_read_and_follows_the_link(lead_client, lead):
    notification = note(lead, url="/lead/")
    response = lead_client.get(reverse("notification-open", args=[notification.pk]))
    notification.refresh_from_db()
    assert response.url == "/lead/" and notification.read_at is not None


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_opening_never_leads_off_the_site(lead_client, lead, url):
    notification = note(lead, url=url)
    response = lead_client.get(reverse("notification-open", args=[notification.pk]))
    assert response.url == reverse("notification-list")


def test_another_users_notification_is_not_found(lead_client):
    other = note(LeadFactory())
    assert lead_client.get(reverse("notification-open", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_the_pages_need_a_login(client):
    response = client.get(reverse("notification-list"))
    assert response.status_code == 302 and "/login/" in response.url


def test_mark_all_read_marks_only_mine(lead_client, lead):
    note(lead, 1)
    other = note(LeadFactory(), 2)
    lead_client.post(reverse("notifications-read-all"))
    assert not Notification.objects.filter(user=lead, read_at=None).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_all_read_is_post_only(lead_client, lead):
    note(lead)
    assert lead_client.get(reverse("notifications-read-all")).status_code == 405


def test_mark_all_read_needs_the_csrf_token(lead, client):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(lead)
    assert csrf_client.post(reverse("notifications-read-all")).status_code == 403


def test_a_lead_is_offered_the_kinds_that_concern_leads(lead_client):
    form = lead_client.get(reverse("notification-settings")).context["form"]
    offered = [value for value, _label in form.fields["on"].choices]
    assert Kind.DAILY in offered and Kind.WEEKLY not in offered


def test_staff_are_offered_every_kind(staff, client):
    client.force_login(staff)
    form = client.get(reverse("notification-settings")).context["form"]
    assert len(form.fields["on"].choices) == len(Kind)


def test_unticking_a_kind_mutes_it(lead_client, lead):
    on = [Kind.DEPARTURE, Kind.CHECK_IN, Kind.DEFENCE, Kind.IMPORT, Kind.EXPORT]  # not DAILY
    lead_client.post(reverse("notification-settings"), {"on": on})
    assert list(Mute.objects.filter(user=lead).values_list("kind", flat=True)) == [Kind.DAILY]


def test_ticking_it_again_unmutes_it(lead_client, lead):
    Mute.objects.create(user=lead, kind=Kind.DAILY)
    lead_client.post(reverse("notification-settings"), {"on": [Kind.DAILY]})
    assert set(Mute.objects.filter(user=lead).values_list("kind", flat=True)) == {
        Kind.DEPARTURE, Kind.CHECK_IN, Kind.DEFENCE, Kind.IMPORT, Kind.EXPORT
    }  # fmt: skip


def test_a_lead_cannot_mute_a_kind_they_are_not_offered(lead_client, lead):
    lead_client.post(reverse("notification-settings"), {"on": [Kind.WEEKLY]})
    assert not Mute.objects.filter(user=lead, kind=Kind.WEEKLY).exists()
