import pytest

from ledger.models import ProgressEntry

from ..factories import (
    DutyFactory,
    PlacementFactory,
    ProjectFactory,
    SuggestionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def side(batch):
    """A batch's cadre with a duty, a progress entry, a topic, a suggestion and a project."""
    placement = PlacementFactory(batch=batch)
    duty = DutyFactory(programme=None, batch=batch, name="学习日志")
    topic = TopicFactory(batch=batch)
    topic.claimants.add(placement)
    suggestion, project = SuggestionFactory(batch=batch), ProjectFactory(batch=batch)
    suggestion.credited.add(placement)
    project.credited.add(placement)
    entry = ProgressEntry.objects.create(placement=placement, duty=duty, date=batch.start_date)
    return {"placement": placement, "duties": duty, "progress": entry, "topics": topic,
            "suggestions": suggestion, "projects": project}  # fmt: skip


@pytest.fixture
def own(sz3):
    return side(sz3)


@pytest.fixture
def other(sh5):
    return side(sh5)


LISTS = ["duties", "progress", "topics", "suggestions", "projects"]


@pytest.mark.parametrize("name", LISTS)
def test_a_lead_sees_their_batchs_objects_only(as_lead, own, other, name):
    found = as_lead.get(f"/api/v1/{name}/").json()["results"]
    assert [row["id"] for row in found] == [own[name].pk]
    assert as_lead.get(f"/api/v1/{name}/{own[name].pk}/").status_code == 200
    assert as_lead.get(f"/api/v1/{name}/{other[name].pk}/").status_code == 404


@pytest.mark.parametrize("name", LISTS)
def test_a_list_is_narrowed_to_a_batch(as_staff, own, other, name):
    found = as_staff.get(f"/api/v1/{name}/?batch=SZ-3").json()["results"]
    assert [row["id"] for row in found] == [own[name].pk]


def test_an_unknown_batch_gives_an_empty_list_as_on_the_outcome_pages(as_staff, own):
    response = as_staff.get("/api/v1/suggestions/?batch=XX-9")
    assert response.status_code == 200 and response.json()["results"] == []


def test_a_batch_without_a_list_of_its_own_shows_its_programmes(as_staff, sz3):
    duty = DutyFactory(programme=sz3.programme, name="走访企业")
    found = as_staff.get("/api/v1/duties/?batch=SZ-3").json()["results"]
    assert [(d["id"], d["programme"], d["batch"]) for d in found] == [(duty.pk, "SZ", None)]


def test_a_filter_by_id_wants_a_number(as_staff, own):
    response = as_staff.get("/api/v1/progress/?duty=学习日志")
    assert response.status_code == 400 and "duty" in response.json()["fields"]


def test_claimants_are_shown_by_name(as_lead, own):
    topic = as_lead.get(f"/api/v1/topics/{own['topics'].pk}/").json()
    assert topic["claimants"] == [{"id": own["placement"].pk, "name": own["placement"].cadre.name}]


# Recording progress


def record(own, **changes):
    return {"placement": own["placement"].pk, "duty": own["duties"].pk, "date": "2020-04-20",
            "count": 1, "note": "按时完成"} | changes  # fmt: skip


def test_an_entry_is_recorded_as_the_page_records_it(as_lead, client, own, sz3, lead_sz3):
    created = as_lead.post("/api/v1/progress/", record(own), format="json")
    assert created.status_code == 201
    client.force_login(lead_sz3)
    by_page = PlacementFactory(batch=sz3)
    client.post(
        f"/lead/batches/{sz3.pk}/duties/record/",
        {"duty": own["duties"].pk, "date": "2020-04-20", "count": 1, "note": "按时完成",
         "placements": [by_page.pk]},
    )  # fmt: skip
    api, page = (
        ProgressEntry.objects.filter(date="2020-04-20", placement=p)
        .values("duty", "date", "count", "note", "recorded_by")
        .get()
        for p in (own["placement"], by_page)
    )
    assert api == page
    assert created.json()["id"] == ProgressEntry.objects.get(placement=own["placement"],
                                                             date="2020-04-20").pk  # fmt: skip


@pytest.mark.parametrize("day", ["2020-13-45", "2099-01-01", "2019-01-01"])
def test_a_bad_date_is_refused_naming_the_date(as_lead, own, day):
    """Not a date; in the future; outside the cadre's term."""
    response = as_lead.post("/api/v1/progress/", record(own, date=day), format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["date"]
    assert ProgressEntry.objects.count() == 1


def test_a_second_entry_of_a_day_is_refused(as_lead, own, sz3):
    response = as_lead.post(
        "/api/v1/progress/", record(own, date=str(sz3.start_date)), format="json"
    )
    assert response.status_code == 400 and "date" in response.json()["fields"]


def test_a_daily_duty_counts_once(as_lead, own):
    response = as_lead.post("/api/v1/progress/", record(own, count=2), format="json")
    assert response.status_code == 400 and list(response.json()["fields"]) == ["count"]


def test_a_lead_cannot_record_for_another_batch(as_lead, own, other):
    response = as_lead.post("/api/v1/progress/", record(other), format="json")
    assert response.status_code == 400 and "placement" in response.json()["fields"]
    assert ProgressEntry.objects.count() == 2


def test_a_duty_of_another_batch_is_refused(as_staff, own, other):
    response = as_staff.post(
        "/api/v1/progress/", record(own, duty=other["duties"].pk), format="json"
    )
    assert response.status_code == 400 and list(response.json()["fields"]) == ["duty"]


# Query counts

# The token with its user, its last use; the user's and their groups' permissions.
AUTH = 4


@pytest.mark.parametrize("size", [1, 6])
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("duties", 1),  # the duties, with their programme and batch
        ("progress", 1),  # the entries, with their cadre, batch, duty and recorder
        ("topics", 2),  # the topics; their claimants
        ("suggestions", 2),  # the suggestions; the cadres credited
        ("projects", 2),  # the projects; the cadres credited
    ],
)
def test_a_page_takes_the_same_queries_whatever_its_size(
    as_lead, sz3, size, name, queries, django_assert_num_queries
):
    placements = [PlacementFactory(batch=sz3) for _n in range(size)]
    for n, placement in enumerate(placements):
        duty = DutyFactory(programme=None, batch=sz3, name=f"任务{n}")
        ProgressEntry.objects.create(placement=placement, duty=duty, date=sz3.start_date)
        TopicFactory(batch=sz3).claimants.add(*placements)
        SuggestionFactory(batch=sz3).credited.add(*placements)
        ProjectFactory(batch=sz3).credited.add(*placements)
    with django_assert_num_queries(AUTH + queries):
        response = as_lead.get(f"/api/v1/{name}/")
    assert len(response.json()["results"]) == size


def test_a_batch_filter_costs_one_query(as_lead, own, django_assert_num_queries):
    with django_assert_num_queries(AUTH + 1 + 1):  # the batch by its code; the entries
        as_lead.get("/api/v1/progress/?batch=SZ-3")
