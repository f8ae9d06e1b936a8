"""The admin's lists at a cost that does not grow with the archive: rows rendered as Django would
render them at less cost (adminsite/site.py), sidebars of the latest batches only."""

import datetime

import pytest
from django.contrib import admin as django_admin
from django.contrib.admin.sites import site
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.admin_filters import LatestBatchesFilter
from placements.models import Placement, RosterImport

from ..factories import BatchFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def queries(client, url, **params):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context)


def test_action_checkbox_is_djangos_html(sz3):
    PlacementFactory(batch=sz3, cadre__name='王"<浩>')
    placement = Placement.objects.get()
    model_admin = site._registry[Placement]
    django_html = django_admin.ModelAdmin.action_checkbox(model_admin, placement)
    assert model_admin.action_checkbox(placement) == django_html


def imports(shenzhen, admin_user, count):
    for _ in range(count):
        batch = BatchFactory(programme=shenzhen)
        record = RosterImport.objects.create(
            user=admin_user, source="admin", file_name="roster.xlsx", outcome="imported"
        )
        record.batches.set([batch])


def test_roster_import_list_queries_do_not_grow_with_imports(staff_client, shenzhen, admin_user):
    url = reverse("admin:placements_rosterimport_changelist")
    imports(shenzhen, admin_user, 2)
    small = queries(staff_client, url)
    imports(shenzhen, admin_user, 20)
    # session, user, the batch filter's choices (the latest batches), the count, the page,
    # its batches (one prefetch), the bell's unread count, the user's uploads in progress,
    # the date hierarchy's first and last dates and its years
    assert (small, queries(staff_client, url)) == (10, 10)


def test_roster_import_sidebar_offers_the_latest_batches_and_the_chosen(
    staff_client, shenzhen, monkeypatch
):
    monkeypatch.setattr(LatestBatchesFilter, "LATEST_BATCHES", 2)
    old, mid, new = (
        BatchFactory(programme=shenzhen, number=n, start_date=datetime.date(2018 + n, 4, 1))
        for n in (1, 2, 3)
    )
    url = reverse("admin:placements_rosterimport_changelist")

    def offered(**params):
        spec = next(s for s in staff_client.get(url, params).context["cl"].filter_specs
                    if getattr(s, "field_path", "") == "batches")  # fmt: skip
        return [label for _pk, label in spec.lookup_choices]

    assert offered() == [str(mid), str(new)]
    assert offered(batches__id__exact=old.pk) == [str(old), str(mid), str(new)]


def test_cadres_by_programme_each_once_without_distinct(staff_client, sz3, shenzhen, shanghai):
    twice = PlacementFactory(batch=sz3).cadre
    PlacementFactory(batch=BatchFactory(programme=shenzhen, number=4), cadre=twice)
    PlacementFactory(batch=BatchFactory(programme=shanghai))
    url = reverse("admin:cohorts_cadre_changelist")
    with CaptureQueriesContext(connection) as context:
        response = staff_client.get(url, {"placements__batch__programme__id__exact": shenzhen.pk})
    assert list(response.context["cl"].result_list) == [twice]
    assert not any("DISTINCT" in q["sql"] for q in context.captured_queries)


def test_a_large_table_lists_fifty_rows_a_page(staff_client, shenzhen):
    BatchFactory.create_batch(51, programme=shenzhen)
    response = staff_client.get(reverse("admin:cohorts_batch_changelist"))
    assert len(response.context["cl"].result_list) == 50


def test_a_filtered_lists_row_links_back_to_it_as_djangos_do(staff_client, sz3):
    placement = PlacementFactory(batch=sz3)
    response = staff_client.get(
        reverse("admin:placements_placement_changelist"),
        {"batch__id__exact": sz3.pk, "q": f" {placement.cadre.name}"},
    )
    cl = response.context["cl"]
    change = reverse("admin:placements_placement_change", args=[placement.pk])
    django_link = add_preserved_filters(
        {"preserved_filters": cl.row_filters, "opts": cl.opts}, change
    )
    assert "_changelist_filters=" in django_link
    assert f'href="{django_link}"'.replace("&", "&amp;") in response.content.decode()
