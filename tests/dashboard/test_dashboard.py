"""The dashboard: its figures (dashboard/figures.py) on factory data and on the demo data."""

import datetime

import pytest
from django.urls import NoReverseMatch, reverse

from cohorts.models import Batch, Cadre, Programme
from dashboard import figures as statistics
from ledger.models import Duty, ProgressEntry, Project, Suggestion, Topic
from placements.models import HostUnit, Placement

from ..factories import BatchFactory, CadreFactory, HostUnitFactory, PlacementFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2021, 11, 1)


def figures(user, on=ON):
    return statistics.dashboard(user, on)


def chart(dashboard, key):
    return {bar.label: bar.value for bar in next(c for c in dashboard.charts if c.key == key).bars}


@pytest.fixture
def lead(django_user_model, sz3):
    user = django_user_model.objects.create_user("lead-sz3", password="x")
    sz3.leads.add(user)
    return user


# --- Figures on small data ----------------------------------------------------------------


def test_a_batch_row_counts_cadres_and_host_units(admin_user, sz3):
    unit = HostUnitFactory()
    PlacementFactory.create_batch(2, batch=sz3, host_unit=unit)
    PlacementFactory(batch=sz3)
    [row] = figures(admin_user).batches
    assert (row.batch, row.headcount, row.host_unit_count) == (sz3, 3, 2)


def test_a_batch_in_its_term_shows_the_day_and_progress(admin_user, shenzhen):
    BatchFactory(programme=shenzhen, start_date=ON - datetime.timedelta(days=24))
    [row] = figures(admin_user).batches
    assert (row.describe, row.progress, row.status) == ("第25天，共100天", 25, "in_progress")


def test_departures_and_returns_in_the_next_30_days(admin_user, shenzhen):
    leaving = BatchFactory(programme=shenzhen, start_date=ON + datetime.timedelta(days=30))
    BatchFactory(programme=shenzhen, start_date=ON + datetime.timedelta(days=31))
    returning = BatchFactory(programme=shenzhen, start_date=ON - datetime.timedelta(days=90))
    dashboard = figures(admin_user)
    assert [r.batch for r in dashboard.departures] == [leaving]
    assert [r.batch for r in dashboard.returns] == [returning]


def test_programme_totals_count_each_cadre_and_host_unit_once(admin_user, sz3, shenzhen):
    other = BatchFactory(programme=shenzhen, number=4, start_date=datetime.date(2020, 8, 3))
    cadre, unit = CadreFactory(), HostUnitFactory()
    PlacementFactory(cadre=cadre, batch=sz3, host_unit=unit)
    PlacementFactory(cadre=cadre, batch=other, host_unit=unit)
    [total] = figures(admin_user).programmes
    assert (total.city, total.batches, total.cadres, total.host_units) == ("深圳", 2, 1, 1)


def test_charts_count_by_rank_tier_and_generation(admin_user, sz3):
    PlacementFactory.create_batch(2, batch=sz3, rank="division_chief")
    PlacementFactory(batch=sz3, rank="section_deputy")
    dashboard = figures(admin_user)
    assert chart(dashboard, "rank_tier") == {"处级": 2, "科级": 1}
    assert chart(dashboard, "generation") == {"80后": 3}


def test_host_units_by_kind_count_units_not_placements(admin_user, sz3):
    unit = HostUnitFactory(kind=HostUnit.Kind.EXCHANGE)
    PlacementFactory.create_batch(3, batch=sz3, host_unit=unit)
    assert chart(figures(admin_user), "host_unit_kind") == {"交易所/市场基础设施": 1}


def test_blank_values_are_counted_as_not_given_without_a_link(admin_user, sz3):
    PlacementFactory(batch=sz3, district="")
    [bar] = next(c for c in figures(admin_user).charts if c.key == "district").bars
    assert (bar.label, bar.value, bar.url) == ("未填写", 1, None)


def test_a_leads_figures_cover_only_their_batches(lead, sz3, shanghai):
    PlacementFactory(batch=sz3)
    PlacementFactory(batch=BatchFactory(programme=shanghai, number=5))
    dashboard = figures(lead)
    assert [r.batch for r in dashboard.batches] == [sz3]
    assert chart(dashboard, "batch") == {"深圳第3批": 1}


# --- The page -----------------------------------------------------------------------------


def test_the_dashboard_is_the_home_page(staff_client, sz3):
    PlacementFactory(batch=sz3)
    response = staff_client.get("/")
    assert reverse("dashboard") == "/"
    assert response.status_code == 200 and "深圳第3批" in response.content.decode()


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get("/")
    assert response.status_code == 302 and "login" in response.url


def test_a_lead_lands_on_their_batches(client, lead, sz3, shanghai):
    BatchFactory(programme=shanghai, number=5)
    client.force_login(lead)
    response = client.get("/")
    try:
        assert response.url == reverse("lead-home")
    except NoReverseMatch:
        assert "上海第5批" not in response.content.decode()


def test_dashboard_queries_do_not_grow_with_batches(
    staff_client, shenzhen, django_assert_num_queries
):
    for number in range(1, 6):
        PlacementFactory.create_batch(3, batch=BatchFactory(programme=shenzhen, number=number))
    # 1 session, 2 user, 3 batches with head counts, 4 programme totals, one GROUP BY per
    # chart: 5 rank tier, 6 category, 7 generation, 8 district, 9 host units by kind
    # (cadres per batch reuses query 3), 10 outcome figures per programme (issue 8; no batch
    # is in its term, so no duty roll-up query), 11 the bell's unread count
    with django_assert_num_queries(11):
        staff_client.get("/")


def test_charts_are_svg_whose_bars_link_to_the_list(staff_client, sz3):
    PlacementFactory(batch=sz3, rank="division_chief")
    html = staff_client.get("/").content.decode()
    assert html.count('<svg class="bar-chart"') == 6
    assert '<a href="/placements/?rank_tier=division">' in html


# --- DOMAIN.md's figures on the demo data -------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, seeded once for the module and removed afterwards."""
    from demo.roster import seed

    with django_db_blocker.unblock():
        seed()
        yield
        # The ledger's demo records (issue 8) first: they protect their batches.
        for model in (ProgressEntry, Duty, Suggestion, Project, Topic,
                      Placement, Cadre, Batch, HostUnit, Programme):  # fmt: skip
            model.objects.all().delete()


def totals(user):
    return {t.code: t for t in figures(user).programmes}


def rows_by_code(user):
    return {r.batch.code: r for r in figures(user).batches}


def test_demo_shenzhen_5_batches_757_cadres(demo, admin_user):
    rows = rows_by_code(admin_user)
    assert sum(rows[f"SZ-{n}"].headcount for n in range(1, 6)) == 757


def test_demo_shenzhen_totals_count_the_example_batch_6_as_well(demo, admin_user):
    shenzhen = totals(admin_user)["SZ"]
    assert (shenzhen.batches, shenzhen.cadres) == (6, 757 + 120)


def test_demo_shanghai_batch_5_81_cadres_at_50_host_units(demo, admin_user):
    sh5 = rows_by_code(admin_user)["SH-5"]
    assert (sh5.headcount, sh5.host_unit_count, sh5.term.start) == (
        81,
        50,
        datetime.date(2021, 10, 17),
    )


def test_demo_shenzhen_batch_3_150_cadres_at_79_host_units(demo, admin_user):
    sz3 = rows_by_code(admin_user)["SZ-3"]
    assert (sz3.headcount, sz3.host_unit_count, sz3.term.start) == (
        150,
        79,
        datetime.date(2020, 4, 15),
    )


def test_demo_batches_1_and_2(demo, admin_user):
    rows = rows_by_code(admin_user)
    assert rows["SZ-1"].headcount + rows["SZ-2"].headcount == 307
    assert rows["SH-1"].headcount + rows["SH-2"].headcount == 204


def test_demo_each_person_chart_adds_up_to_every_cadre(demo, admin_user):
    for c in figures(admin_user).charts:
        if c.key != "host_unit_kind":
            assert c.total == 1262 + 120 + 90, c.key  # published batches, SZ-6, SH-6


def test_demo_dashboard_page_shows_the_figures(demo, staff_client):
    html = staff_client.get("/").content.decode()
    # The published figures per batch; the programme's total counts the example batch too.
    assert ">150</a>" in html and ">79</a>" in html and ">81</a>" in html and ">50</a>" in html
    assert ">877</a>" in html


def test_demo_every_figure_links_to_the_rows_behind_it(demo, staff_client, admin_user):
    dashboard = figures(admin_user)
    links = [(bar.url, bar.value) for c in dashboard.charts for bar in c.bars]
    links += [(r.url, r.headcount) for r in dashboard.batches]
    links += [(f"/host-units/?batch={r.batch.code}", r.host_unit_count) for r in dashboard.batches]
    links += [(t.url, t.cadres) for t in dashboard.programmes]
    links += [(t.cadres_url, t.cadres) for t in dashboard.programmes]
    links += [(t.host_units_url, t.host_units) for t in dashboard.programmes]
    links += [(t.batches_url, t.batches) for t in dashboard.programmes]
    for url, value in links:
        context = staff_client.get(url).context
        shown = context["paginator"].count if "paginator" in context else context["cl"].result_count
        assert shown == value, url


def test_batch_rows_link_their_host_unit_count_to_the_host_units(demo, staff_client):
    html = staff_client.get("/").content.decode()
    assert '<a href="/host-units/?batch=SZ-3">79</a>' in html


def test_demo_programmes_and_batches_in_the_order_they_began(demo, admin_user):
    dashboard = figures(admin_user)
    assert [t.code for t in dashboard.programmes] == ["SZ", "SH"]
    assert [r.batch.code for r in dashboard.batches][:6] == [
        "SZ-1",
        "SZ-2",
        "SZ-3",
        "SZ-4",
        "SZ-5",
        "SZ-6",
    ]
