"""Merging host units (placements.services.host_units_merge): placements move with their history,
the merged names become aliases, and a roster that writes an alias lands on the unit kept."""

import json
from contextlib import suppress

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from placements.models import HostUnit, HostUnitAlias, Placement
from placements.services import host_units_merge, placement_history

from ..factories import (
    HostUnitFactory,
    PlacementFactory,
    ProjectFactory,
    SuggestionFactory,
    UserFactory,
)
from ..roster_files import csv_bytes, person, table

pytestmark = pytest.mark.django_db


@pytest.fixture
def tencent():
    return HostUnitFactory(name="腾讯集团", contact_person="", address="")


@pytest.fixture
def tencent_sz():
    return HostUnitFactory(name="腾讯科技（深圳）有限公司", contact_person="马工", address="")


def merge(keep, *others, by=None):
    units = HostUnit.objects.filter(pk__in=[keep.pk, *(u.pk for u in others)])
    return host_units_merge(keep=keep, units=units, by=by or UserFactory(username="zhang"))


def test_placements_move_to_the_unit_kept_with_their_version_bumped(sz3, tencent, tencent_sz):
    placement = PlacementFactory(batch=sz3, host_unit=tencent_sz)
    result = merge(tencent, tencent_sz)
    moved = Placement.objects.get(pk=placement.pk)
    assert (moved.host_unit, moved.version) == (tencent, placement.version + 1)
    assert result.placements == 1


def test_the_merged_units_are_deleted(tencent, tencent_sz):
    merge(tencent, tencent_sz)
    assert list(HostUnit.objects.values_list("name", flat=True)) == ["腾讯集团"]


def test_each_placement_history_shows_the_merge(sz3, tencent, tencent_sz):
    placement = PlacementFactory(batch=sz3, host_unit=tencent_sz)
    Placement.history.bulk_history_create([placement])  # created, as the factory writes no record
    merge(tencent, tencent_sz)
    entry = placement_history(placement)[-1]
    assert (entry.who, entry.what) == ("zhang", "合并了实训单位")
    assert [(c.label, c.before, c.after) for c in entry.changes] == [
        ("实训单位", "腾讯科技（深圳）有限公司", "腾讯集团")
    ]


def test_the_merged_names_and_their_aliases_become_aliases(tencent, tencent_sz):
    other = HostUnitFactory(name="腾讯公司")
    HostUnitAlias.objects.create(host_unit=other, name="深圳市腾讯计算机系统有限公司")
    merge(tencent, tencent_sz, other)
    assert sorted(tencent.aliases.values_list("name", flat=True)) == [
        "深圳市腾讯计算机系统有限公司",
        "腾讯公司",
        "腾讯科技（深圳）有限公司",
    ]


def test_blank_fields_of_the_unit_kept_are_filled_from_the_merged(tencent, tencent_sz):
    merge(tencent, tencent_sz)
    tencent.refresh_from_db()
    assert (tencent.contact_person, tencent.version) == ("马工", 2)


def test_a_new_unit_named_as_an_alias_is_refused(tencent, tencent_sz):
    merge(tencent, tencent_sz)
    unit = HostUnit(name="腾讯科技 (深圳) 有限公司")
    with pytest.raises(ValidationError, match="腾讯集团"):
        unit.full_clean()


def test_a_roster_writing_an_alias_lands_on_the_unit_kept(sz3, tencent, tencent_sz, tmp_path):
    merge(tencent, tencent_sz)
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(table([person(1, 实训单位="腾讯科技(深圳)有限公司")])))
    with suppress(SystemExit):
        call_command("import_roster", str(path), "--json")
    assert Placement.objects.get().host_unit == tencent
    assert HostUnit.objects.count() == 1


def test_a_roster_writing_an_alias_of_the_unit_it_names_is_unchanged(sz3, tencent, tencent_sz,
                                                                     tmp_path, capsys):  # fmt: skip
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(table([person(1, 实训单位="腾讯科技（深圳）有限公司")])))
    call_command("import_roster", str(path))
    merge(tencent, tencent_sz)
    capsys.readouterr()
    with suppress(SystemExit):
        call_command("import_roster", str(path), "--json")
    out = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert (out["errors"], out["unchanged"]) == ([], 1), out


def test_suggestions_and_projects_of_a_merged_unit_move_too(sz3, tencent, tencent_sz):
    # Their host unit is SET_NULL on delete: without moving them, the merge would empty it.
    suggestion = SuggestionFactory(batch=sz3, host_unit=tencent_sz)
    project = ProjectFactory(batch=sz3, host_unit=tencent_sz)
    merge(tencent, tencent_sz)
    suggestion.refresh_from_db()
    project.refresh_from_db()
    assert (suggestion.host_unit, project.host_unit) == (tencent, tencent)
    assert suggestion.history.latest().history_change_reason == "host_units_merge"
