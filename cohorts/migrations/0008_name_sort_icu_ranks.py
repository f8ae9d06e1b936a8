"""The pinyin sort key as ranks in ICU's order of every character (cohorts/text.py
pinyin_sort_key, cohorts/data/icu_pinyin_order.txt): every stored key is recomputed. The keys are
shorter than before (three characters a Chinese character, four for a corrected surname's), so the
column's 500 still holds any name of its 50."""

from django.db import migrations

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
        ("cohorts", "0007_pinyin_search"),
    ]

    operations = [
        migrations.RunPython(recompute_sort_keys, migrations.RunPython.noop, elidable=True),
    ]
