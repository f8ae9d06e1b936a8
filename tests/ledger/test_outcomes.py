"""The outcomes ledger: suggestions and signed projects, their figures on the dashboard with the
rows behind each, the lead's recording for their batch, and the dashboard's duty roll-up."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohorts.terms import today
from ledger import services, statistics
from ledger.models import Suggestion

from ..factories import (
    BatchFactory,
    DutyFactory,
    PlacementFactory,
    ProjectFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(sz3, sh5):
    SuggestionFactory.create_batch(2, batch=sz3)
    SuggestionFactory(batch=sz3, institutional=True, adopted_on=date(2020, 9, 1))
    SuggestionFactory(batch=sh5, institutional=True)
    ProjectFactory(batch=sz3, investment=Decimal("100.25"))
    ProjectFactory(batch=sh5, investment=Decimal("806.13"))


def figures(user):
    return {f.code: f for f in statistics.outcome_figures(user)}


def test_figures_per_programme(ledger, staff):
    sz = figures(staff)["SZ"]
    assert (sz.suggestions, sz.institutional, sz.projects, sz.investment) == (
        3, 1, 1, Decimal("100.25"),
    )  # fmt: skip


def test_the_total_adds_the_programmes_to_the_cent(ledger, staff):
    total = figures(staff)[""]
    assert (total.suggestions, total.institutional, total.projects, total.investment) == (
        4, 2, 2, Decimal("906.38"),
    )  # fmt: skip


def test_a_lead_counts_only_their_batch(ledger, lead_sh5):
    assert list(figures(lead_sh5)) == ["SH"]


def test_the_institutional_figure_links_to_its_rows(ledger, staff_client, staff):
    response = staff_client.get(figures(staff)["SZ"].institutional_url)
    rows = Suggestion.objects.filter(institutional=True, batch__programme__code="SZ")
    assert list(response.context["page"]) == list(rows)


def test_the_project_list_sums_its_investment(ledger, staff_client):
    response = staff_client.get(reverse("ledger-projects") + "?programme=SH")
    assert "806.13" in response.content.decode()


def test_a_lead_sees_no_other_batchs_suggestions(ledger, client, lead_sz3):
    client.force_login(lead_sz3)
    response = client.get(reverse("ledger-suggestions"))
    assert {s.batch.code for s in response.context["page"]} == {"SZ-3"}


def test_an_adoption_date_needs_an_adoption(sz3):
    with pytest.raises(ValidationError, match="只有已转化为制度成果"):
        services.outcome_record(
            outcome=Suggestion(batch=sz3, title="建议", submitted_on=date(2020, 5, 1),
                               adopted_on=date(2020, 9, 1)),
            credited=[],
        )  # fmt: skip


def test_cadres_of_another_batch_cannot_be_credited(sz3, sh5):
    with pytest.raises(ValidationError, match="不在深圳第3批"):
        services.outcome_record(
            outcome=Suggestion(batch=sz3, title="建议", submitted_on=date(2020, 5, 1)),
            credited=[PlacementFactory(batch=sh5)],
        )


def test_the_lead_records_a_suggestion_for_their_batch(client, lead_sz3, sz3):
    client.force_login(lead_sz3)
    author = PlacementFactory(batch=sz3)
    response = client.post(
        reverse("ledger-lead-outcomes", args=[sz3.pk]),
        {"kind": "suggestion", "suggestion-title": "关于优化审批流程的建议",
         "suggestion-submitted_on": "2020-05-20", "suggestion-credited": [author.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.batch, list(suggestion.credited.all()), suggestion.recorded_by) == (
        sz3, [author], lead_sz3,
    )  # fmt: skip


def test_the_lead_records_a_project_with_its_investment(client, lead_sz3, sz3):
    client.force_login(lead_sz3)
    client.post(
        reverse("ledger-lead-outcomes", args=[sz3.pk]),
        {"kind": "project", "project-name": "智能制造项目", "project-counterpart": "某科技公司",
         "project-signed_on": "2020-06-01", "project-investment": "12.34"},
    )  # fmt: skip
    assert figures(lead_sz3)["SZ"].investment == Decimal("12.34")


# The dashboard


def test_the_dashboard_shows_the_figures_with_their_links(ledger, staff_client):
    page = staff_client.get("/").content.decode()
    assert "906.38" in page
    assert reverse("ledger-suggestions") + "?programme=SZ&amp;institutional=1" in page


def current_batches(shenzhen, count, cadres):
    for number in range(10, 10 + count):
        batch = BatchFactory(
            programme=shenzhen, number=number, start_date=today() - timedelta(days=30)
        )
        PlacementFactory.create_batch(cadres, batch=batch)
    DutyFactory(programme=shenzhen, name="学习日志")
    DutyFactory(programme=shenzhen, name="走访企业", cadence="counted", target=20)


def test_the_dashboard_rolls_up_the_duties_of_the_batches_in_their_term(staff_client, shenzhen):
    current_batches(shenzhen, 1, 2)
    page = staff_client.get("/").content.decode()
    assert "实训中批次的任务进度" in page and "走访企业" in page


@pytest.mark.parametrize(("batches", "cadres"), [(1, 2), (4, 10)])
def test_the_dashboard_runs_fourteen_queries_whatever_the_size(
    staff_client, shenzhen, ledger, batches, cadres, django_assert_num_queries
):
    current_batches(shenzhen, batches, cadres)
    # 1 session, 2 user, 3 batches with head counts, 4 programme totals, 5-9 one GROUP BY per
    # chart (rank tier, category, generation, district, host-unit kind); the ledger adds
    # 10 outcome figures per programme, 11 the current batches' duties, 12 their cadres counted
    # by term, 13 the progress of those who recorded some, 14 the bell's unread count
    with django_assert_num_queries(14):
        staff_client.get("/")


def test_the_admin_shows_a_lead_only_their_batchs_outcomes(ledger, client, lead_sh5):
    # Leads are not is_staff; should one be, the admin still keeps to their batches.
    lead_sh5.is_staff = True
    lead_sh5.save()
    client.force_login(lead_sh5)
    response = client.get(reverse("admin:ledger_suggestion_changelist"))
    assert {s.batch.code for s in response.context["cl"].result_list} == {"SH-5"}


def test_a_lead_cannot_make_a_suggestion_an_institutional_outcome(client, lead_sz3, sz3):
    client.force_login(lead_sz3)
    response = client.post(
        reverse("ledger-lead-outcomes", args=[sz3.pk]),
        {"kind": "suggestion", "suggestion-title": "关于优化审批流程的建议",
         "suggestion-submitted_on": "2020-05-20", "suggestion-institutional": "on",
         "suggestion-adopted_on": "2020-09-01"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Suggestion.objects.values_list("institutional", "adopted_on").get() == (False, None)


def test_staff_mark_an_institutional_outcome_in_the_admin(staff_client, sz3):
    suggestion = SuggestionFactory(batch=sz3)
    response = staff_client.post(
        reverse("admin:ledger_suggestion_change", args=[suggestion.pk]),
        {"batch": sz3.pk, "title": suggestion.title, "submitted_on": "2020-06-01",
         "institutional": "on", "adopted_on": "2020-09-01", "expected_version": 1},
    )  # fmt: skip
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.institutional, suggestion.adopted_on) == (True, date(2020, 9, 1))
