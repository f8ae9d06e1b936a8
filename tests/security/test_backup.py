"""`manage.py backup` / `restore` (make backup, make restore): a round trip restores the data."""

import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cohorts.models import Cadre
from placements.models import Placement

from ..factories import PlacementFactory

# pg_dump reads what is committed: the data is written outside a test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def snapshot():
    sample = Cadre.objects.order_by("pk").values_list("pk", "name", "id_number", "phone")[:5]
    return Cadre.objects.count(), Placement.objects.count(), list(sample)


def test_backup_and_restore_round_trip(sz3, tmp_path, capsys):
    PlacementFactory.create_batch(12, batch=sz3, cadre__phone="13800000000")
    before = snapshot()
    call_command("backup", output=str(tmp_path / "db.backup"))
    assert capsys.readouterr().out.strip() == str(tmp_path / "db.backup")

    Placement.objects.all().delete()
    Cadre.objects.filter(pk__in=[c for c, *_rest in before[2][:3]]).delete()
    Cadre.objects.create(name="恢复后不应存在")
    assert snapshot() != before

    call_command("restore", str(tmp_path / "db.backup"), interactive=False)
    assert snapshot() == before
    assert not Cadre.objects.filter(name="恢复后不应存在").exists()


def test_backup_goes_to_backup_dir_by_default(settings, tmp_path, sz3):
    settings.BACKUP_DIR = tmp_path / "backups"
    call_command("backup")
    assert len(list((tmp_path / "backups").iterdir())) == 1


def test_restore_of_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        call_command("restore", str(tmp_path / "nope"), interactive=False)


def test_backups_are_readable_by_their_owner_only(settings, tmp_path, sz3):
    settings.BACKUP_DIR = tmp_path / "backups"
    call_command("backup")
    (backup,) = (tmp_path / "backups").iterdir()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "backups").stat().st_mode) == 0o700
    settings.BACKUP_DIR.chmod(0o755)  # made by hand, too open: narrowed at the next backup
    output = settings.BACKUP_DIR / "again.backup"
    output.write_bytes(b"")
    output.chmod(0o644)
    call_command("backup", output=str(output))
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.BACKUP_DIR.stat().st_mode) == 0o700
