"""Bulk status changes (issue 13, item 3) follow the status path 待报到 → 已远程报到 → 已到岗 →
已结业, forward only; 已退出 is set one by one. What may not move is left as it is, the message
says how many changed and why the others did not, and a confirmation comes first."""

import pytest
from django.urls import reverse

from placements.models import Placement
from placements.services import placements_set_status

from ..factories import PlacementFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Placement.Status


@pytest.fixture
def mixed(sz3):
    """Two on site, one withdrawn, one still pending, in SZ-3."""
    return {
        status: PlacementFactory.create_batch(n, batch=sz3, status=status)
        for status, n in [(Status.ON_SITE, 2), (Status.WITHDRAWN, 1), (Status.PENDING, 1)]
    }


def statuses():
    return sorted(Placement.objects.values_list("status", flat=True))


def test_a_withdrawn_cadre_never_becomes_a_graduate(mixed):
    placements_set_status(placements=Placement.objects.all(), status=Status.COMPLETED, by=None)
    assert Placement.objects.get(pk=mixed[Status.WITHDRAWN][0].pk).status == Status.WITHDRAWN


def test_only_those_on_site_graduate(mixed):
    result = placements_set_status(
        placements=Placement.objects.all(), status=Status.COMPLETED, by=UserFactory()
    )
    assert (result.changed, result.left) == (2, {Status.WITHDRAWN: 1, Status.PENDING: 1})
    assert statuses() == ["completed", "completed", "pending", "withdrawn"]


def test_statuses_do_not_go_back(sz3):
    PlacementFactory(batch=sz3, status=Status.COMPLETED)
    result = placements_set_status(
        placements=Placement.objects.all(), status=Status.ON_SITE, by=None
    )
    assert (result.changed, statuses()) == (0, ["completed"])


@pytest.mark.parametrize("status", [Status.PENDING, Status.WITHDRAWN])
def test_pending_and_withdrawn_are_not_bulk_targets(sz3, status):
    with pytest.raises(ValueError):
        placements_set_status(placements=Placement.objects.all(), status=status, by=None)


def test_the_message_counts_the_changed_and_says_why_the_others_were_left(mixed):
    result = placements_set_status(
        placements=Placement.objects.all(), status=Status.COMPLETED, by=None
    )
    assert result.message() == (
        "已将 2 人改为“已结业”；2 人未改：1 人已退出，1 人尚未到岗（待报到）。"
    )


# The lead's page


@pytest.fixture
def lead_client(client, lead_sz3):
    client.force_login(lead_sz3)
    return client


def test_the_whole_batch_is_first_asked_to_confirm(lead_client, sz3, mixed):
    url = reverse("lead-batch-status", args=[sz3.pk])
    response = lead_client.post(url, {"status": "completed", "scope": "all"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "将把 2 人改为“已结业”；2 人不改：1 人已退出，1 人尚未到岗（待报到）。" in text
    assert statuses() == ["on_site", "on_site", "pending", "withdrawn"]


def test_confirmed_the_whole_batch_changes_and_the_message_says_what_was_left(
    lead_client, sz3, mixed
):
    url = reverse("lead-batch-status", args=[sz3.pk])
    data = {"status": "completed", "scope": "all", "confirmed": "1"}
    response = lead_client.post(url, data, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["已将 2 人改为“已结业”；2 人未改：1 人已退出，1 人尚未到岗（待报到）。"]
    assert statuses() == ["completed", "completed", "pending", "withdrawn"]


def test_the_confirmation_carries_the_selection(lead_client, sz3, mixed):
    chosen = mixed[Status.ON_SITE][0]
    url = reverse("lead-batch-status", args=[sz3.pk])
    data = {"status": "completed", "scope": "selected", "placements": [chosen.pk]}
    text = lead_client.post(url, data).content.decode()
    assert "将把 1 人改为“已结业”" in text
    assert f'name="placements" value="{chosen.pk}"' in text


@pytest.mark.parametrize("size", [3, 30])
def test_the_confirmation_runs_the_same_queries_whatever_the_size(
    lead_client, sz3, size, django_assert_num_queries
):
    PlacementFactory.create_batch(size, batch=sz3, status=Status.ON_SITE)
    url = reverse("lead-batch-status", args=[sz3.pk])
    # 1 session, 2 user, 3-4 permissions (user's, groups'), 5 batch, 6 counts per status,
    # 7 the bell's unread count
    with django_assert_num_queries(7):
        lead_client.post(url, {"status": "completed", "scope": "all"})


def test_the_lead_cannot_withdraw_a_whole_batch(lead_client, sz3, mixed):
    url = reverse("lead-batch-status", args=[sz3.pk])
    lead_client.post(url, {"status": "withdrawn", "scope": "all", "confirmed": "1"})
    assert statuses() == ["on_site", "on_site", "pending", "withdrawn"]


# The admin actions


def test_the_admin_action_asks_first_naming_target_and_count(admin_client, mixed):
    data = {
        "action": "mark_completed",
        "_selected_action": [p.pk for p in Placement.objects.all()],
    }
    response = admin_client.post(reverse("admin:placements_placement_changelist"), data)
    assert response.status_code == 200
    assert "将把 2 人改为“已结业”" in response.content.decode()
    assert statuses() == ["on_site", "on_site", "pending", "withdrawn"]


def test_the_confirmed_admin_action_leaves_the_withdrawn(admin_client, mixed):
    data = {
        "action": "mark_completed",
        "_selected_action": [p.pk for p in Placement.objects.all()],
        "post": "yes",
    }
    response = admin_client.post(
        reverse("admin:placements_placement_changelist"), data, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "已将 2 人改为“已结业”；2 人未改：1 人已退出，1 人尚未到岗（待报到）。"
    ]
    assert statuses() == ["completed", "completed", "pending", "withdrawn"]


def test_the_batch_admin_marks_whole_batches_after_confirming(admin_client, sz3, mixed):
    url = reverse("admin:cohorts_batch_changelist")
    data = {"action": "mark_batches_completed", "_selected_action": [sz3.pk]}
    asked = admin_client.post(url, data)
    assert "将把 2 人改为“已结业”" in asked.content.decode()
    admin_client.post(url, data | {"post": "yes"})
    assert statuses() == ["completed", "completed", "pending", "withdrawn"]
