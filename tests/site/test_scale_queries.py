"""Every page the archive benchmark measures runs the same number of queries, at most 12, with a
little data and with five times as much (issue 6): nothing is fetched per row, per batch or per
host unit. The figures behind these pages at 200,000 cadres are in docs/benchmarks.md."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placements.models import Placement

from ..factories import BatchFactory, CadreFactory, HostUnitFactory, PlacementFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


def grow(programme, batches: int, per_batch: int):
    """More batches, each with its own host units and placements, all under way or done."""
    first = programme.batches.count() + 10
    for i in range(batches):
        start = datetime.date(2020, 1, 1) + datetime.timedelta(days=150 * i)
        batch = BatchFactory(programme=programme, number=first + i, start_date=start)
        units = HostUnitFactory.create_batch(2)
        for n in range(per_batch):
            PlacementFactory(
                batch=batch, host_unit=units[n % 2], cadre=CadreFactory(), district=f"区{n % 3}"
            )


def query_count(client, url: str) -> int:
    client.get(url)  # the first request fills per-process caches (content types)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


# (who, url builder); the builder takes the SZ-3 batch (the lead's) once the data exist.
STAFF_PAGES = {
    "admin programmes": lambda b: "/admin/cohorts/programme/",
    "admin batches": lambda b: "/admin/cohorts/batch/",
    "admin batches, by programme": lambda b: (
        f"/admin/cohorts/batch/?programme__id__exact={b.programme_id}"
    ),
    "admin batches, searched": lambda b: "/admin/cohorts/batch/?q=SZ",
    "admin cadres": lambda b: "/admin/cohorts/cadre/",
    "admin cadres, by programme": lambda b: (
        f"/admin/cohorts/cadre/?placements__batch__programme__id__exact={b.programme_id}"
    ),
    "admin cadres, searched": lambda b: "/admin/cohorts/cadre/?q=张",
    "admin host units": lambda b: "/admin/placements/hostunit/",
    "admin host units, searched": lambda b: "/admin/placements/hostunit/?q=深圳",
    "admin placements": lambda b: "/admin/placements/placement/",
    "admin placements, by batch": lambda b: f"/admin/placements/placement/?batch__id__exact={b.pk}",
    "admin placements, searched": lambda b: "/admin/placements/placement/?q=张",
    "admin roster imports": lambda b: "/admin/placements/rosterimport/",
    "admin batch change page": lambda b: f"/admin/cohorts/batch/{b.pk}/change/",
    "/placements/, 3 filters": lambda b: f"/placements/?batch={b.code}&status=pending&district=区1",
    "/cadres/, 3 filters": lambda b: "/cadres/?programme=SZ&gender=M&district=区1",
    "/cadres/, searched": lambda b: "/cadres/?q=张",
    "/host-units/": lambda b: f"/host-units/?batch={b.code}",
    # Search by pinyin (issue 15): the same queries, the pinyin columns of the same tables.
    "/placements/, searched by pinyin": lambda b: "/placements/?q=zh",
    "/cadres/, searched by pinyin": lambda b: "/cadres/?q=zhang",
    "/host-units/, searched by pinyin": lambda b: "/host-units/?q=szsx",
    "admin cadres, searched by pinyin": lambda b: "/admin/cohorts/cadre/?q=z",
    "admin host units, searched by pinyin": lambda b: "/admin/placements/hostunit/?q=shenzhen",
    "admin placements, searched by pinyin": lambda b: "/admin/placements/placement/?q=zhang",
    "lead's host-unit search, by pinyin": lambda b: reverse("lead-host-units") + "?q=sx",
    "dashboard": lambda b: reverse("dashboard"),
}
LEAD_PAGES = {
    "team lead's home": lambda b: reverse("lead-home"),
    "team lead's batch": lambda b: reverse("lead-batch", args=[b.pk]),
}


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_page_queries_do_not_grow_with_the_data(client, staff, sz3, page):
    client.force_login(staff)
    grow(sz3.programme, 2, 3)
    url = STAFF_PAGES[page](sz3)
    small = query_count(client, url)
    grow(sz3.programme, 8, 6)
    Placement.objects.bulk_create(
        [Placement(batch=sz3, cadre=CadreFactory(), home_unit="市商务局") for _ in range(20)]
    )
    assert (small, query_count(client, url)) == (small, small)
    assert small <= MAX_QUERIES


@pytest.mark.parametrize("page", LEAD_PAGES)
def test_lead_page_queries_do_not_grow_with_the_data(client, lead_sz3, sz3, page):
    client.force_login(lead_sz3)
    grow(sz3.programme, 1, 3)
    PlacementFactory.create_batch(3, batch=sz3)
    url = LEAD_PAGES[page](sz3)
    small = query_count(client, url)
    grow(sz3.programme, 5, 6)
    PlacementFactory.create_batch(30, batch=sz3)
    assert (small, query_count(client, url)) == (small, small)
    assert small <= MAX_QUERIES
