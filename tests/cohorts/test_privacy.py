"""Who sees full ID numbers and dates of birth (cohorts/privacy.py, issue 13): the rule, and
where it reaches beyond the masked number — list sorts, the admin's columns, filters and forms,
the duty import. tests/site/test_id_rebuild.py attacks it as a whole."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cohorts import idnumbers, privacy
from cohorts.models import Cadre
from cohorts.terms import today
from ledger.importing import import_progress

from ..factories import (
    BatchFactory,
    CadreFactory,
    DutyFactory,
    PlacementFactory,
    UserFactory,
    make_id_number,
)
from ..forms import opened
from ..helpers import body

pytestmark = pytest.mark.django_db

BORN = date(1985, 10, 7)


# The rule


def test_the_command_line_and_staff_see_full_numbers(staff):
    assert privacy.shows_full_id(None) and privacy.shows_full_id(staff)


def test_a_lead_does_not(lead_sz3):
    assert not privacy.shows_full_id(lead_sz3)


def test_the_month_of_birth_as_rosters_write_it():
    assert privacy.birth_month(BORN) == privacy.birth_month("1985-10-07") == "1985.10"


def test_the_month_of_birth_in_words():
    assert privacy.birth_month_words(BORN) == "1985年10月"


def test_hidden_values_for_the_history():
    number = make_id_number(BORN)
    assert privacy.hidden("id_number", number) == idnumbers.mask(number)
    assert privacy.hidden("birth_date", "1985-10-07") == "1985年10月"


# Sorts: the order of the days would tell them


@pytest.fixture
def october(sz3):
    """Three cadres born in October 1985; by name (an, wang, zhang) against their birthdays."""
    for day, name in ((28, "安一"), (3, "王二"), (15, "张三")):
        number = make_id_number(date(1985, 10, day), serial=day)
        PlacementFactory(batch=sz3, cadre=CadreFactory(name=name, id_number=number))


def listed(client, query) -> list[str]:
    response = client.get(reverse("cadre-list") + query)
    return [cadre.name for cadre in response.context["page_obj"].object_list]


def test_a_lead_sorting_by_birth_sees_the_month_then_the_name(client, lead_sz3, october):
    client.force_login(lead_sz3)
    assert listed(client, "?o=birth_date") == ["安一", "王二", "张三"]
    assert listed(client, "?o=-birth_date") == ["安一", "王二", "张三"]


def test_staff_sorting_by_birth_see_the_day(client, staff, october):
    client.force_login(staff)
    assert listed(client, "?o=birth_date") == ["王二", "张三", "安一"]


def test_a_leads_export_sorted_by_birth_is_in_the_same_order(client, lead_sz3, october):
    client.force_login(lead_sz3)
    response = client.get(reverse("cadre-export"), {"o": "birth_date", "format": "csv"})
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert [(row[2], row[4]) for row in rows[1:]] == [
        ("安一", "1985.10"),
        ("王二", "1985.10"),
        ("张三", "1985.10"),
    ]


# The admin, for a lead who has is_staff and for a clerk without the permission


@pytest.fixture
def cadre(sz3):
    return PlacementFactory(batch=sz3, cadre=CadreFactory(id_number=make_id_number(BORN))).cadre


@pytest.fixture
def lead_in_admin(client, lead_sz3):
    lead_sz3.is_staff = True
    lead_sz3.save()
    client.force_login(lead_sz3)
    return client


@pytest.fixture
def clerk(client):
    """May change cadres, not see their ID numbers in full."""
    clerk = UserFactory(username="clerk", is_staff=True)
    for codename in ("view_cadre", "change_cadre", "view_all_batches"):
        clerk.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(clerk)
    return client


def test_the_admin_lists_the_month_of_birth_to_a_lead(lead_in_admin, cadre):
    text = lead_in_admin.get(reverse("admin:cohorts_cadre_changelist")).content.decode()
    assert "1985年10月" in text and "1985年10月7日" not in text


def test_the_admin_lists_the_date_of_birth_to_staff(admin_client, cadre):
    assert "1985年10月7日" in admin_client.get(reverse("admin:cohorts_cadre_changelist")).text


def test_the_admins_sort_by_birth_tells_a_lead_no_day(lead_in_admin, october):
    url = reverse("admin:cohorts_cadre_changelist")
    for order in ("?o=3", "?o=-3"):  # the date-of-birth column
        names = [c.name for c in lead_in_admin.get(url + order).context["cl"].result_list]
        assert names not in (["王二", "张三", "安一"], ["安一", "张三", "王二"])


def test_the_admin_refuses_a_lead_filters_on_the_date_of_birth(lead_in_admin, cadre):
    url = reverse("admin:cohorts_cadre_changelist")
    assert lead_in_admin.get(url + "?birth_date__day=7").status_code == 400
    assert lead_in_admin.get(url + "?birth_date=1985-10-07").status_code == 400


def test_staff_may_filter_on_the_date_of_birth(admin_client, cadre):
    url = reverse("admin:cohorts_cadre_changelist") + "?birth_date=1985-10-07"
    assert admin_client.get(url).status_code == 200


def test_a_cadres_admin_page_shows_a_lead_the_month_of_birth(lead_in_admin, cadre):
    text = lead_in_admin.get(reverse("admin:cohorts_cadre_change", args=[cadre.pk])).text
    assert "1985年10月" in text and "1985-10-07" not in text and "1985年10月7日" not in text


def test_a_clerk_edits_the_month_of_birth(clerk, cadre):
    page = clerk.get(reverse("admin:cohorts_cadre_change", args=[cadre.pk]))
    assert page.context["adminform"].form["birth_date"].value() == "1985.10"
    assert "1985-10-07" not in page.text


def change_birth(client, cadre, written):
    url = reverse("admin:cohorts_cadre_change", args=[cadre.pk])
    response = client.post(url, opened(client, url, "birth_date") | {"birth_date": written})
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Cadre.objects.get(pk=cadre.pk).birth_date


def test_a_clerk_saving_the_same_month_keeps_the_day(clerk):
    cadre = CadreFactory(id_number=None, birth_date=date(1979, 5, 20))
    assert change_birth(clerk, cadre, "1979.05") == date(1979, 5, 20)


def test_a_clerk_giving_another_month_sets_it(clerk):
    cadre = CadreFactory(id_number=None, birth_date=date(1979, 5, 20))
    assert change_birth(clerk, cadre, "1979年6月") == date(1979, 6, 1)
    assert change_birth(clerk, cadre, "1979-06-09") == date(1979, 6, 9)


def test_a_clerk_giving_a_month_the_id_number_contradicts_is_refused(clerk, cadre):
    url = reverse("admin:cohorts_cadre_change", args=[cadre.pk])
    response = clerk.post(url, opened(clerk, url, "birth_date") | {"birth_date": "1986.10"})
    assert "1986-10" in str(response.context["adminform"].form.errors["birth_date"])


# The duty import: no way to test a guessed number


@pytest.fixture
def batch(shenzhen, lead_sz3):
    batch = BatchFactory(programme=shenzhen, number=9, start_date=today() - timedelta(days=19))
    batch.leads.add(lead_sz3)
    DutyFactory(programme=shenzhen, name="走访企业", cadence="counted", target=20)
    return batch


def alike(number: str) -> str:
    """Another valid number with the same mask (region and check character)."""
    for serial in range(1, 200):
        other = make_id_number(date(1985, 10, 9), region=number[:6], serial=serial)
        if other != number and idnumbers.mask(other) == idnumbers.mask(number):
            return other
    raise AssertionError("no number alike")


def upload(batch, user, *rows):
    lines = [
        "姓名,身份证号,任务,日期,数量",
        *(f"{n},{i},走访企业,{today() - timedelta(1)},1" for n, i in rows),
    ]
    return import_progress(
        "\n".join(lines).encode(), "进度.csv", batch=batch, user=user, dry_run=True
    )


def test_a_leads_upload_answers_the_same_for_a_guess_and_the_number(batch, lead_sz3):
    number = make_id_number(BORN)
    PlacementFactory(batch=batch, cadre=CadreFactory(name="李娜", id_number=number))
    right, guess = (
        upload(batch, lead_sz3, ("李娜", number)),
        upload(batch, lead_sz3, ("李娜", alike(number))),
    )
    assert right.ok and guess.ok


def test_a_lead_names_a_cadre_by_the_masked_number(batch, lead_sz3):
    number = make_id_number(BORN)
    PlacementFactory(batch=batch, cadre=CadreFactory(name="李娜", id_number=number))
    PlacementFactory(
        batch=batch,
        cadre=CadreFactory(name="李娜", id_number=make_id_number(BORN, region="370202")),
    )
    result = upload(batch, lead_sz3, ("李娜", idnumbers.mask(number)))
    assert result.ok and result.rows[0].entry.placement.cadre.id_number == number


def test_namesakes_with_numbers_masked_alike_are_an_error_not_a_guess(batch, lead_sz3):
    number = make_id_number(BORN)
    PlacementFactory(batch=batch, cadre=CadreFactory(name="李娜", id_number=number))
    PlacementFactory(batch=batch, cadre=CadreFactory(name="李娜", id_number=alike(number)))
    result = upload(batch, lead_sz3, ("李娜", number))
    assert [p.column for p in result.problems] == ["姓名"]


def test_staff_are_matched_on_the_full_number(batch, staff):
    number = make_id_number(BORN)
    PlacementFactory(batch=batch, cadre=CadreFactory(name="李娜", id_number=number))
    assert upload(batch, staff, ("李娜", number)).ok
    assert not upload(batch, staff, ("李娜", alike(number))).ok
