"""`seed_demo`: the published figures of DOMAIN.md hold on the demo data (batches 1–5), the example
batches SZ-6 and SH-6 are live on the day it runs, and the data is valid."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count

from cohorts import idnumbers
from cohorts.models import Batch, Cadre, Programme
from cohorts.terms import TermStatus, today
from demo import ledger as ledger_demo
from demo import roster as demo
from ledger.models import Duty, ProgressEntry, Project, Standing, Suggestion, Topic
from ledger.services import topic_history
from ledger.statistics import batch_duties, outcome_figures
from placements.models import HostUnit, Placement
from placements.ranks import TIER_OF_RANK
from placements.services import placement_history, placement_save

pytestmark = pytest.mark.django_db

# In an order that deletes cleanly: the ledger's records (issue 8) before what they point at.
MODELS = [ProgressEntry, Duty, Suggestion, Project, Topic, Placement, Cadre, Batch, HostUnit,
          Programme]  # fmt: skip


def delete_all():
    for model in MODELS:
        model.objects.all().delete()
    for model in (Placement, Topic):  # their creation records, and the deletions just made
        model.history.all().delete()


@pytest.fixture(scope="module", autouse=True)
def demo_data(django_db_setup, django_db_blocker):
    """Seed once for the module (a second or so), and leave the database empty afterwards."""
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        delete_all()


def batch(code):
    programme, number = code.split("-")
    return Batch.objects.with_counts().get(programme__code=programme, number=number)


PUBLISHED = range(1, 6)  # batches 1–5 of each programme; 6 is an example batch


def published():
    return Batch.objects.filter(number__in=PUBLISHED)


def headcount(programme, numbers):
    return Placement.objects.filter(
        batch__programme__code=programme, batch__number__in=numbers
    ).count()


# --- DOMAIN.md's figures -----------------------------------------------------------------------


def test_programmes():
    assert list(Programme.objects.values_list("code", "name", "city", "kind")) == [
        ("SH", "赴上海专业实训", "上海", "professional"),
        ("SZ", "赴深圳体悟实训", "深圳", "experiential"),
    ]


def test_shenzhen_batches_1_and_2_sent_307_cadres_in_2019():
    assert headcount("SZ", [1, 2]) == 307
    assert {batch(f"SZ-{n}").start_date.year for n in (1, 2)} == {2019}


def test_shenzhen_batch_3_as_reported():
    sz3 = batch("SZ-3")
    assert (sz3.headcount, sz3.host_unit_count, sz3.start_date) == (150, 79, date(2020, 4, 15))


def test_shenzhen_batch_3_was_postponed_by_covid():
    sz3 = batch("SZ-3")
    assert sz3.postponed and "新冠肺炎疫情" in sz3.postponement_reason


def test_shenzhen_has_457_cadres_after_3_batches_and_757_after_5():
    assert headcount("SZ", [1, 2, 3]) == 457
    assert headcount("SZ", PUBLISHED) == 757
    assert published().filter(programme__code="SZ").count() == 5


def test_shanghai_batches_1_and_2_sent_204_cadres_in_2020():
    assert headcount("SH", [1, 2]) == 204
    assert {batch(f"SH-{n}").start_date.year for n in (1, 2)} == {2020}


def test_shanghai_batch_5_as_reported():
    sh5 = batch("SH-5")
    assert (sh5.headcount, sh5.host_unit_count, sh5.start_date) == (81, 50, date(2021, 10, 17))


def test_every_batch_is_about_80_to_150_cadres_over_50_to_80_host_units():
    # 307 cadres in two batches cannot both stay within 150: the split is 154 + 153.
    for b in published().with_counts():
        assert 80 <= b.headcount <= 154 and 50 <= b.host_unit_count <= 80, b.code
        assert (b.planned_size, b.term_days) == (b.headcount, 100), b.code


def test_invented_dates_are_marked_as_examples():
    reported = {"SZ-3", "SH-5"}
    for b in Batch.objects.select_related("programme"):
        assert ("示例日期" in b.notes) == (b.code not in reported), b.code


def test_every_published_batch_and_placement_is_completed():
    assert {b.term_status for b in published().select_related("programme")} == {
        TermStatus.COMPLETED
    }
    placements = Placement.objects.filter(batch__number__in=PUBLISHED)
    assert set(placements.values_list("status", flat=True)) == {"completed"}


def test_named_host_units_are_there():
    for city, units in demo.NAMED_HOST_UNITS.items():
        for name, kind, _ in units:
            assert HostUnit.objects.filter(name=name, city=city, kind=kind).exists(), name


def test_shenzhen_batch_3_has_a_jimo_group_of_10():
    group = Placement.objects.filter(batch=batch("SZ-3"), group="即墨区小组")
    assert group.count() == 10
    assert set(group.values_list("district", flat=True)) == {"即墨区"}


def test_city_level_cadres_are_shizhi_not_a_district():
    city_units = [unit for units in demo.CITY_UNITS.values() for unit in units]
    city_level = Placement.objects.filter(home_unit__in=city_units)
    assert set(city_level.values_list("district", flat=True)) == {"市直"}
    assert not Placement.objects.filter(district="市南区", home_unit__in=city_units).exists()


@pytest.mark.parametrize(
    "name, code, host_unit",
    [
        ("姜睿", "SH-5", "诚唐文化集团"),
        ("汤凤兰", "SZ-3", "精锐视觉智能科技（深圳）有限公司"),
    ],
)
def test_people_from_the_articles_at_their_host_units(name, code, host_unit):
    placement = Placement.objects.get(cadre__name=name)
    assert (placement.batch, placement.host_unit.name) == (batch(code), host_unit)


def test_wang_chunhe_is_party_branch_secretary_of_shenzhen_batch_4():
    placement = Placement.objects.get(cadre__name="王春河")
    assert (placement.batch, placement.notes) == (batch("SZ-4"), "临时党支部书记")


def test_liu_hongtao_is_an_entrepreneur_in_shanghai_batch_5():
    placement = Placement.objects.get(cadre__name="刘洪涛")
    assert placement.batch == batch("SH-5")
    assert (placement.category, placement.rank, placement.rank_tier) == (
        "private_entrepreneur",
        "other",
        "none",
    )


# --- Valid data ----------------------------------------------------------------------------------


def test_id_numbers_are_valid_and_unique():
    numbers = list(Cadre.objects.values_list("id_number", flat=True))
    assert all(idnumbers.is_valid(n) for n in numbers)
    assert len(set(numbers)) == len(numbers) == 1262 + 120 + 90  # published, SZ-6, SH-6
    assert {n[:6] for n in numbers} <= set(demo.DISTRICT_CODES.values())


def test_names_carry_the_pinyin_the_search_matches():
    # bulk_create skips save(): the demo sets what normalise() would (search by pinyin, issue 15).
    stored = [*Cadre.objects.values_list("name", "name_pinyin", "name_initials"),
              *HostUnit.objects.values_list("name", "name_pinyin", "name_initials")]  # fmt: skip
    assert [s for s in stored if not (s[1] and s[2])] == []


def test_gender_and_birth_date_follow_the_id_number():
    for cadre in Cadre.objects.all():
        number = cadre.id_number
        assert (cadre.gender, cadre.birth_date) == (
            idnumbers.gender(number),
            idnumbers.birth_date(number),
        )


def test_no_two_cadres_share_name_and_birth_date():
    assert not Cadre.objects.values("name", "birth_date").annotate(n=Count("id")).filter(n__gt=1)


def test_generations_run_from_60s_to_90s_mostly_70s_and_80s():
    generations = [c.generation for c in Cadre.objects.all()]
    assert set(generations) == {"60后", "70后", "80后", "90后"}
    assert generations.count("70后") + generations.count("80后") > len(generations) / 2


def test_each_cadre_is_in_exactly_one_batch():
    assert Placement.objects.values("cadre").distinct().count() == Cadre.objects.count()
    assert Placement.objects.count() == Cadre.objects.count()


def test_every_placement_has_a_host_unit_and_a_role_but_some_of_sh6():
    unplaced = Placement.objects.filter(host_unit=None)
    assert set(unplaced.values_list("batch__programme__code", "batch__number")) == {("SH", 6)}
    assert unplaced.count() == demo.SH6_UNPLACED
    assert not Placement.objects.filter(role="").exclude(host_unit=None).exists()


def test_every_host_unit_is_used():
    assert not HostUnit.objects.with_counts().filter(placement_count=0).exists()


def test_ranks_match_their_tiers():
    for rank, tier in Placement.objects.values_list("rank", "rank_tier").distinct():
        assert TIER_OF_RANK[rank] == tier


def test_a_sample_of_placements_passes_full_clean():
    placements = Placement.objects.select_related("cadre", "batch__programme", "host_unit")
    for placement in placements.order_by("id")[::25]:  # 51 placements across all batches
        placement.full_clean()
        placement.cadre.full_clean()
        placement.host_unit.full_clean()


def test_programmes_and_batches_pass_full_clean():
    for obj in [*Programme.objects.all(), *Batch.objects.select_related("programme")]:
        obj.full_clean()


# --- The example batches: a live term -----------------------------------------------------------


def test_shenzhen_batch_6_is_in_its_term_40_days_after_setting_out():
    sz6 = batch("SZ-6")
    assert sz6.start_date == today() - timedelta(days=40)
    assert sz6.term_status == TermStatus.IN_PROGRESS
    assert set(Placement.objects.filter(batch=sz6).values_list("status", flat=True)) == {"on_site"}


def test_shanghai_batch_6_departs_in_two_weeks_not_all_placed():
    sh6 = batch("SH-6")
    assert sh6.start_date == today() + timedelta(days=14)
    assert sh6.term_status == TermStatus.PLANNED
    statuses = set(Placement.objects.filter(batch=sh6).values_list("status", flat=True))
    assert statuses == {"pending", "checked_in"}


def test_the_example_batches_say_so_in_their_notes():
    assert "示例批次" in batch("SZ-6").notes and "示例批次" in batch("SH-6").notes
    assert not published().filter(notes__contains="示例批次").exists()


def test_most_of_shenzhen_batch_6_keep_up_with_their_daily_log_a_few_do_not():
    sz6 = Batch.objects.select_related("programme").get(programme__code="SZ", number=6)
    _duties, _done, rollups = batch_duties(sz6, list(Placement.objects.filter(batch=sz6)))
    log = next(r for r in rollups if r.duty.cadence == Duty.Cadence.DAILY)
    assert log.cadres == 120
    assert 3 <= log.lagging <= 24  # a few behind
    assert log.standings[Standing.ON_TRACK] == log.cadres - log.lagging


# --- Running the command -----------------------------------------------------------------------


def test_second_run_changes_nothing():
    def snapshot():
        counts = [model.objects.count() for model in MODELS]
        return counts, list(Placement.objects.order_by("id").values()[:50])

    before = snapshot()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "演示数据已存在" in out.getvalue()
    assert snapshot() == before


def test_a_failed_seed_writes_nothing(monkeypatch):
    delete_all()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Placement.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        call_command("seed_demo", stdout=io.StringIO())
    assert not any(model.objects.exists() for model in MODELS)


def test_the_same_data_every_time():
    def people():
        return [(c.name, c.id_number, c.phone) for c in demo.build().cadres]

    assert people() == people()


# --- Duties, topics and outcomes (issue 8) -----------------------------------------------------


def test_400_plus_suggestions_and_100_plus_institutional_outcomes(admin_user):
    total = outcome_figures(admin_user)[-1]
    assert total.suggestions >= 400 and total.institutional >= 100


def test_50_plus_institutional_outcomes_after_shenzhens_first_two_batches():
    first_two = Suggestion.objects.filter(
        batch__programme__code="SZ", batch__number__in=[1, 2], institutional=True
    )
    assert first_two.count() >= 50


def test_76_projects_worth_906_38_hundred_million_yuan(admin_user):
    total = outcome_figures(admin_user)[-1]
    assert (total.projects, total.investment) == (76, Decimal("906.38"))


def test_shanghai_batch_5_has_the_nine_must_dos_with_their_targets():
    must_dos = Duty.objects.for_batch(batch("SH-5")).filter(cadence=Duty.Cadence.COUNTED)
    assert dict(must_dos.values_list("name", "target")) == dict(ledger_demo.SH5_MUST_DOS)


def test_every_cadre_keeps_a_daily_log_in_shenzhen():
    assert Duty.objects.for_batch(batch("SZ-3")).filter(cadence=Duty.Cadence.DAILY).exists()


def test_shanghai_batch_5_works_16_key_topics():
    assert Topic.objects.filter(batch=batch("SH-5")).count() == 16


# --- History (issue 13): demo rows start with a creation record ---------------------------------


def test_the_first_edit_of_a_demo_placement_shows_before_and_after():
    placement = Placement.objects.filter(batch__programme__code="SZ").order_by("id").first()
    role = placement.role
    placement.role = "投资经理助理（示例）"
    placement_save(placement=placement, by=None, expected_version=placement.version)
    created, edited = placement_history(placement)
    assert created.what == "创建了此记录"
    assert [(c.label, c.before, c.after) for c in edited.changes] == [
        ("实训岗位", role, "投资经理助理（示例）")
    ]


def test_the_first_edit_of_a_demo_topic_changes_only_what_was_edited():
    topic = Topic.objects.filter(claimants__isnull=False).order_by("id").first()
    title = topic.title
    topic.title = "课题（改）"
    topic.save()
    created, edited = topic_history(topic)
    assert created.what == "创建了此记录"
    assert [(c.label, c.before, c.after) for c in edited.changes] == [("标题", title, "课题（改）")]
