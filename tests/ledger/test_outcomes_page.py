"""The lead's outcomes page (issue 16): record actions first, lists folded under their counts,
cadres picked from a list that names each with their home unit, a fixed number of queries."""

import pytest
from django.urls import reverse

from ..factories import (
    CadreFactory,
    PlacementFactory,
    ProjectFactory,
    SuggestionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def outcomes_url(batch):
    return reverse("ledger-lead-outcomes", args=[batch.pk])


def fill(batch, cadres: int):
    placements = PlacementFactory.create_batch(cadres, batch=batch)
    for placement in placements[:3]:
        SuggestionFactory(batch=batch).credited.add(placement)
        ProjectFactory(batch=batch).credited.add(placement)
        TopicFactory(batch=batch).claimants.add(placement)


@pytest.mark.parametrize("cadres", [3, 30])
def test_the_outcomes_page_runs_eleven_queries_whatever_the_size(
    client, lead_sz3, sz3, cadres, django_assert_num_queries
):
    fill(sz3, cadres)
    client.force_login(lead_sz3)
    client.get(outcomes_url(sz3))  # fills per-process caches (content types)
    # 1 session, 2 user, 3-4 the lead's permissions (own and group's), 5 the batch,
    # 6 topics, 7 the batch's cadres with their host units (every form's choices and every
    # list's names), 8 suggestions, 9 projects, 10 who claimed or is credited with each (the
    # three link tables in one), 11 the bell's unread count
    with django_assert_num_queries(11):
        client.get(outcomes_url(sz3))


def test_each_topic_and_outcome_names_its_people_in_name_order(client, lead_sz3, sz3):
    first, second = (PlacementFactory(batch=sz3, cadre__name=n, cadre__name_sort=n) for n in "乙甲")
    topic, suggestion = TopicFactory(batch=sz3), SuggestionFactory(batch=sz3)
    topic.claimants.add(first, second)
    suggestion.credited.add(second)
    client.force_login(lead_sz3)
    page = client.get(outcomes_url(sz3)).content.decode()
    topics = page[page.index('id="topics"') :]
    assert topics.index(">甲</a>") < topics.index(">乙</a>")
    suggestions = page[page.index('id="suggestions"') :]
    assert ">甲</a>" in suggestions[: suggestions.index("</li>")]


def test_a_cadre_of_another_batch_credited_in_the_admin_is_named_too(client, lead_sz3, sz3, sh5):
    elsewhere = PlacementFactory(batch=sh5, cadre__name="外批")
    ProjectFactory(batch=sz3).credited.add(elsewhere)
    client.force_login(lead_sz3)
    assert ">外批</a>" in client.get(outcomes_url(sz3)).content.decode()


def test_the_record_actions_come_before_the_lists(client, lead_sz3, sz3):
    client.force_login(lead_sz3)
    page = client.get(outcomes_url(sz3)).content.decode()
    assert page.index('id="record-suggestion"') < page.index('id="topics"')


def test_each_list_is_folded_under_its_count(client, lead_sz3, sz3):
    SuggestionFactory.create_batch(2, batch=sz3)
    client.force_login(lead_sz3)
    page = client.get(outcomes_url(sz3)).content.decode()
    assert '<details class="outcome-section" id="suggestions">' in page
    assert '<span class="count">2</span>' in page


def test_two_cadres_of_one_name_are_told_apart_by_home_unit(client, lead_sz3, sz3):
    for unit in ("市商务局", "市发展改革委"):
        PlacementFactory(batch=sz3, cadre=CadreFactory(name="王浩"), home_unit=unit)
    client.force_login(lead_sz3)
    page = client.get(outcomes_url(sz3)).content.decode()
    assert "王浩（市商务局）" in page and "王浩（市发展改革委）" in page


def test_a_cadre_can_be_found_by_pinyin(client, lead_sz3, sz3):
    PlacementFactory(batch=sz3, cadre=CadreFactory(name="王浩"), home_unit="市商务局")
    client.force_login(lead_sz3)
    page = client.get(outcomes_url(sz3)).content.decode()
    assert 'data-search="王浩 市商务局 wanghao wh"' in page


def test_credited_names_link_to_their_placement(client, lead_sz3, sz3):
    placement = PlacementFactory(batch=sz3)
    SuggestionFactory(batch=sz3).credited.add(placement)
    client.force_login(lead_sz3)
    page = client.get(outcomes_url(sz3)).content.decode()
    assert reverse("lead-placement-history", args=[placement.pk]) in page
