# The cadres' pinyin columns for the search (cohorts/pinyin.py), filled for the cadres already
# stored, and their trigram indexes on PostgreSQL. The search matches them with a plain LIKE
# (Django's startswith and contains): "name_pinyin"::text LIKE 'wh%', which these indexes answer.

from django.db import migrations, models

from cadreprog.pg import postgresql_only
from cohorts.pinyin import person_pinyin

CHUNK = 2000


def fill_pinyin(apps, schema_editor):
    Cadre = apps.get_model("cohorts", "Cadre")
    cadres = Cadre.objects.only("name").order_by("pk")
    last = 0
    while chunk := list(cadres.filter(pk__gt=last)[:CHUNK]):
        for cadre in chunk:
            cadre.name_pinyin, cadre.name_initials = person_pinyin(cadre.name)
        Cadre.objects.bulk_update(chunk, ["name_pinyin", "name_initials"], batch_size=1000)
        last = chunk[-1].pk


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0006_name_sort_collation")]

    operations = [
        migrations.AddField(
            model_name="cadre",
            name="name_pinyin",
            field=models.TextField(default="", editable=False, verbose_name="pinyin"),
        ),
        migrations.AddField(
            model_name="cadre",
            name="name_initials",
            field=models.TextField(default="", editable=False, verbose_name="pinyin initials"),
        ),
        migrations.RunPython(fill_pinyin, migrations.RunPython.noop, elidable=True),
        postgresql_only(
            "CREATE INDEX IF NOT EXISTS cohorts_cadre_name_pinyin_trgm "
            "ON cohorts_cadre USING gin (name_pinyin gin_trgm_ops)",
            "DROP INDEX IF EXISTS cohorts_cadre_name_pinyin_trgm",
        ),
        postgresql_only(
            "CREATE INDEX IF NOT EXISTS cohorts_cadre_name_initials_trgm "
            "ON cohorts_cadre USING gin (name_initials gin_trgm_ops)",
            "DROP INDEX IF EXISTS cohorts_cadre_name_initials_trgm",
        ),
    ]
