"""The fixed cost of a request, in queries: what the middleware stack and the context processors
add to the cheapest page staff and team leads open (the notification centre, empty), measured for
CPU time by bench/middleware_cost.py."""

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


def test_a_trivial_page_costs_staff_four_queries(staff_client, django_assert_num_queries):
    staff_client.get(reverse("notification-list"))  # the session's expiry renewed
    # 1 the session, 2 the user (a superuser: no permission lookups), 3 the page's count of
    # notifications (the view's paginator), 4 the bell's unread count (context processor).
    # Nothing of the other middleware: two-factor reads the session, axes and the
    # content-security policy nothing.
    with django_assert_num_queries(4):
        response = staff_client.get(reverse("notification-list"))
    assert response.status_code == 200


def test_a_team_lead_adds_the_permission_lookups(client, lead_sz3, django_assert_num_queries):
    client.force_login(lead_sz3)
    client.get(reverse("notification-list"))
    # The staff page's 4, plus the lead's own permissions and their groups' permissions
    # (the site's menu asks perms.cohorts.view_all_batches), read once for the request.
    with django_assert_num_queries(6):
        response = client.get(reverse("notification-list"))
    assert response.status_code == 200


def test_staff_owing_a_code_are_sent_to_the_setup_after_two_queries(
    staff_client, settings, django_assert_num_queries
):
    settings.TWO_FACTOR_REQUIRED = True
    session = staff_client.session
    session["two_factor_device"] = False  # noted at login: no app yet
    session.save()
    # Staff owing a code are sent to the setup page: the session and the user, nothing more.
    with django_assert_num_queries(2):
        response = staff_client.get(reverse("notification-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two-factor-setup"))


def test_staff_verified_with_an_app_add_the_device_lookup(
    staff_client, admin_user, settings, django_assert_num_queries
):
    settings.TWO_FACTOR_REQUIRED = True
    device = TOTPDevice.objects.create(user=admin_user, name="phone", confirmed=True)
    session = staff_client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # the code entered at login
    session["two_factor_device"] = True
    session.save()
    # The staff page's 4, plus django-otp's lookup of the device the code was entered with
    # (a device removed since, `reset_two_factor`, no longer counts as verified).
    with django_assert_num_queries(5):
        response = staff_client.get(reverse("notification-list"))
    assert response.status_code == 200
