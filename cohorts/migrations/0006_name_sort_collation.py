"""The pinyin sort key in ICU's order (cohorts/text.py pinyin_sort_key) and its column in code
point order on every database ("C" collation on PostgreSQL): every stored key is recomputed."""

from django.db import migrations

import cohorts.models
from cohorts.text import pinyin_sort_key

BATCH = 2000


def recompute_sort_keys(apps, schema_editor):
    """Batch by batch along the primary key, so that an archive of 200,000 cadres is never held
    in memory at once."""
    Cadre = apps.get_model("cohorts", "Cadre")
    last = 0
    while True:
        cadres = list(Cadre.objects.filter(pk__gt=last).order_by("pk").only("pk", "name")[:BATCH])
        if not cadres:
            return
        for cadre in cadres:
            cadre.name_sort = pinyin_sort_key(cadre.name)
        Cadre.objects.bulk_update(cadres, ["name_sort"], batch_size=BATCH)
        last = cadres[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0005_batch_cadre_version_history"),
    ]

    operations = [
        migrations.AlterField(
            model_name="cadre",
            name="name_sort",
            field=cohorts.models.CodePointOrderField(
                db_index=True, default="", editable=False, max_length=500, verbose_name="sort key"
            ),
        ),
        migrations.RunPython(recompute_sort_keys, migrations.RunPython.noop, elidable=True),
    ]
