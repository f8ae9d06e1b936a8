"""Research topics (课题): claims within capacity, states only forward, staff reopen, history."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ledger import services
from ledger.models import Topic

from ..factories import PlacementFactory, TopicFactory
from ..forms import form_data

pytestmark = pytest.mark.django_db
State = Topic.State


@pytest.fixture
def topic(sz3):
    return TopicFactory(batch=sz3, capacity=2)


@pytest.fixture
def claimed(topic, sz3):
    return services.topic_claim(topic=topic, placements=[PlacementFactory(batch=sz3)])


def test_claiming_an_open_topic_makes_it_claimed(claimed):
    assert claimed.state == State.CLAIMED


def test_a_team_may_claim_a_topic_up_to_its_capacity(topic, sz3):
    services.topic_claim(topic=topic, placements=PlacementFactory.create_batch(2, batch=sz3))
    assert topic.claimants.count() == 2


def test_more_claimants_than_the_capacity_are_refused(topic, sz3):
    with pytest.raises(ValidationError, match="此课题最多2人承担，已选择3人"):
        services.topic_claim(topic=topic, placements=PlacementFactory.create_batch(3, batch=sz3))


def test_cadres_of_another_batch_cannot_claim(topic, sh5):
    with pytest.raises(ValidationError, match="不在课题所属的"):
        services.topic_claim(topic=topic, placements=[PlacementFactory(batch=sh5)])


def test_a_topic_moves_forward_one_step(claimed):
    claimed.defence_date, claimed.defence_score = date(2020, 6, 1), 88
    services.topic_move(topic=claimed, state=State.DEFENDED)
    assert Topic.objects.get().state == State.DEFENDED


def test_skipping_a_step_is_refused_in_chinese(claimed):
    with pytest.raises(ValidationError, match="只能进入“已中期答辩”"):
        claimed.advance_to(State.REPORTED)


def test_an_unclaimed_topic_cannot_be_claimed_by_moving_it(topic):
    with pytest.raises(ValidationError, match="尚无人认领"):
        topic.advance_to(State.CLAIMED)


def test_the_defence_needs_its_score(claimed):
    claimed.defence_date = date(2020, 6, 1)
    with pytest.raises(ValidationError, match="答辩的日期和成绩"):
        claimed.advance_to(State.DEFENDED)


def reported(topic):
    topic.state = State.REPORTED
    topic.defence_date, topic.defence_score = date(2020, 6, 1), 85
    topic.report_date = date(2020, 7, 20)
    return topic


def test_adoption_records_its_date(claimed):
    topic = reported(claimed)
    topic.advance_to(State.ADOPTED, on=date(2020, 9, 1))
    assert topic.adopted_on == date(2020, 9, 1)


def test_adoption_without_a_date_is_refused(claimed):
    with pytest.raises(ValidationError, match="请填写课题"):
        reported(claimed).advance_to(State.ADOPTED)


def test_a_lead_cannot_move_a_topic_back(claimed, lead_sz3):
    with pytest.raises(ValidationError, match="只有组织部工作人员"):
        services.topic_move(topic=claimed, state=State.OPEN, by=lead_sz3)


def test_staff_reopen_and_later_dates_go(claimed, staff):
    topic = reported(claimed)
    topic.advance_to(State.ADOPTED, on=date(2020, 9, 1))
    topic.save()
    services.topic_move(topic=topic, state=State.REPORTED, by=staff)
    topic.refresh_from_db()
    assert (topic.state, topic.adopted_on) == (State.REPORTED, None)


def test_reopening_is_in_the_history_with_who_did_it(claimed, staff):
    services.topic_move(topic=claimed, state=State.OPEN, by=staff)
    last = services.topic_history(claimed)[-1]
    assert (last.who, last.what) == ("staff", "重新打开")
    assert [(c.before, c.after) for c in last.changes] == [("已认领", "待认领")]


def test_claims_are_in_the_history_by_name(topic, sz3):
    placement = PlacementFactory(batch=sz3)
    services.topic_claim(topic=topic, placements=[placement])
    changes = {c.label: c.after for e in services.topic_history(topic) for c in e.changes}
    assert changes["认领人"] == placement.cadre.name


def test_staff_move_a_topic_forward_in_the_admin(staff_client, claimed):
    claimed.defence_date, claimed.defence_score = date(2020, 6, 1), 90
    claimed.save()
    data = {
        "batch": claimed.batch_id, "title": claimed.title, "question": "", "capacity": 2,
        "claimants": [p.pk for p in claimed.claimants.all()], "defence_date": "2020-06-01",
        "defence_score": 90, "defence_comments": "", "report_date": "", "report_text": "",
        "report_attachment": "", "move_to": "defended", "move_on": "",
        "expected_version": claimed.version,
    }  # fmt: skip
    response = staff_client.post(reverse("admin:ledger_topic_change", args=[claimed.pk]), data)
    assert response.status_code == 302
    assert Topic.objects.get().state == State.DEFENDED


def test_the_admin_refuses_too_many_claimants(staff_client, topic, sz3):
    team = PlacementFactory.create_batch(3, batch=sz3)
    data = {"batch": sz3.pk, "title": topic.title, "capacity": 2,
            "claimants": [p.pk for p in team], "expected_version": topic.version}  # fmt: skip
    response = staff_client.post(reverse("admin:ledger_topic_change", args=[topic.pk]), data)
    assert "此课题最多2人承担" in response.content.decode()


# The lead's outcomes page


def claim(client, batch, topic, placements):
    """The claim form as the page holds it (with the topics' versions), filled in and sent."""
    url = reverse("ledger-lead-outcomes", args=[batch.pk])
    page = client.get(url)
    shown = form_data(page.content.decode(), "claim-topic") if page.status_code == 200 else {}
    return client.post(
        url,
        shown
        | {
            "kind": "claim",
            "claim-topic": topic.pk,
            "claim-placements": [p.pk for p in placements],
        },
    )


def test_a_lead_records_a_teams_claim(client, lead_sz3, topic, sz3):
    client.force_login(lead_sz3)
    team = PlacementFactory.create_batch(2, batch=sz3)
    assert claim(client, sz3, topic, team).status_code == 302
    assert set(topic.claimants.all()) == set(team)


def test_a_lead_is_told_the_capacity(client, lead_sz3, topic, sz3):
    client.force_login(lead_sz3)
    response = claim(client, sz3, topic, PlacementFactory.create_batch(3, batch=sz3))
    assert "此课题最多2人承担，已选择3人" in response.content.decode()


def test_a_lead_of_another_batch_cannot_claim(client, lead_sh5, topic, sz3):
    client.force_login(lead_sh5)
    assert claim(client, sz3, topic, [PlacementFactory(batch=sz3)]).status_code == 404
    assert not topic.claimants.exists()


# The admin's form (fixes 5 and 8), the state's invariants (fix 8), claims' authors (fix 9)


def topic_data(topic, **changes):
    data = {
        "batch": topic.batch_id, "title": topic.title, "question": "", "capacity": topic.capacity,
        "claimants": [p.pk for p in topic.claimants.all()] if topic.pk else [], "defence_date": "",
        "defence_score": "", "defence_comments": "", "report_date": "", "report_text": "",
        "report_attachment": "", "move_to": "", "move_on": "",
    }  # fmt: skip
    if topic.pk:
        data["expected_version"] = topic.version
    return {**data, **changes}


def test_a_new_topic_takes_the_submitted_capacity(staff_client, sz3):
    team = PlacementFactory.create_batch(3, batch=sz3)
    data = {**topic_data(TopicFactory.build(batch=sz3)), "capacity": 5,
            "claimants": [p.pk for p in team]}  # fmt: skip
    response = staff_client.post(reverse("admin:ledger_topic_add"), data)
    assert response.status_code == 302
    topic = Topic.objects.get()
    assert (topic.claimants.count(), topic.state) == (3, State.CLAIMED)


def test_a_refused_move_in_the_admin_saves_nothing(staff_client, claimed):
    data = topic_data(claimed, title="新标题", move_to="defended")  # no defence date or score
    response = staff_client.post(reverse("admin:ledger_topic_change", args=[claimed.pk]), data)
    assert response.status_code == 200
    assert "答辩的日期和成绩" in response.content.decode()
    claimed.refresh_from_db()
    assert claimed.state == State.CLAIMED and claimed.title != "新标题"


def test_a_defended_topic_keeps_its_score(claimed):
    claimed.state, claimed.defence_date = State.DEFENDED, date(2020, 6, 1)
    with pytest.raises(ValidationError, match="答辩的日期和成绩"):
        claimed.full_clean()


def test_dates_follow_the_path(claimed):
    topic = reported(claimed)
    topic.state, topic.adopted_on = State.ADOPTED, date(2020, 7, 1)  # before the report
    with pytest.raises(ValidationError, match="早于"):
        topic.full_clean()


def test_an_adoption_cannot_be_dated_in_the_future(claimed):
    from cohorts.terms import today

    with pytest.raises(ValidationError, match="晚于今天"):
        services.topic_move(
            topic=reported(claimed), state=State.ADOPTED, on=date(today().year + 1, 1, 1)
        )


def test_a_defence_may_be_scheduled_ahead(claimed):
    claimed.defence_date = date(2999, 1, 1)
    claimed.full_clean()


def test_a_claim_made_outside_a_request_names_who_made_it(topic, sz3, staff):
    services.topic_claim(topic=topic, placements=[PlacementFactory(batch=sz3)], by=staff)
    records = topic.history.order_by("history_date", "history_id")[1:]  # after its creation
    assert records and {record.history_user for record in records} == {staff}
