# The host units' pinyin columns for the search (cohorts/pinyin.py), filled for the units already
# stored, and their trigram indexes on PostgreSQL. The search matches them with a plain LIKE
# (Django's contains): "name_pinyin"::text LIKE '%tengxun%', which these indexes answer.

from django.db import migrations, models

from cadreprog.pg import postgresql_only
from cohorts.pinyin import unit_pinyin


def fill_pinyin(apps, schema_editor):
    HostUnit = apps.get_model("placements", "HostUnit")
    units = list(HostUnit.objects.only("name"))
    for unit in units:
        unit.name_pinyin, unit.name_initials = unit_pinyin(unit.name)
    HostUnit.objects.bulk_update(units, ["name_pinyin", "name_initials"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("placements", "0005_hostunit_version_history")]

    operations = [
        migrations.AddField(
            model_name="hostunit",
            name="name_pinyin",
            field=models.TextField(default="", editable=False, verbose_name="pinyin"),
        ),
        migrations.AddField(
            model_name="hostunit",
            name="name_initials",
            field=models.TextField(default="", editable=False, verbose_name="pinyin initials"),
        ),
        migrations.RunPython(fill_pinyin, migrations.RunPython.noop, elidable=True),
        postgresql_only(
            "CREATE INDEX IF NOT EXISTS placements_hostunit_name_pinyin_trgm "
            "ON placements_hostunit USING gin (name_pinyin gin_trgm_ops)",
            "DROP INDEX IF EXISTS placements_hostunit_name_pinyin_trgm",
        ),
        postgresql_only(
            "CREATE INDEX IF NOT EXISTS placements_hostunit_name_initials_trgm "
            "ON placements_hostunit USING gin (name_initials gin_trgm_ops)",
            "DROP INDEX IF EXISTS placements_hostunit_name_initials_trgm",
        ),
    ]
