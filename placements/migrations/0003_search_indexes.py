# Trigram indexes for the home-unit and host-unit searches (PostgreSQL only), and the indexes
# the group and district choices of the lists are read from.
# The indexed expression is exactly what Django's icontains emits: UPPER("col"::text) LIKE UPPER(%s).

from django.db import migrations, models

from cadreprog.pg import postgresql_only


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0004_search_indexes"),
        ("placements", "0002_history_version_roster_imports"),
    ]

    operations = [
        postgresql_only(
            "CREATE INDEX IF NOT EXISTS placements_hostunit_name_trgm "
            "ON placements_hostunit USING gin ((UPPER(name::text)) gin_trgm_ops)",
            "DROP INDEX IF EXISTS placements_hostunit_name_trgm",
        ),
        postgresql_only(
            "CREATE INDEX IF NOT EXISTS placements_placement_home_unit_trgm "
            "ON placements_placement USING gin ((UPPER(home_unit::text)) gin_trgm_ops)",
            "DROP INDEX IF EXISTS placements_placement_home_unit_trgm",
        ),
        migrations.AddIndex(
            model_name="placement",
            index=models.Index(fields=["group"], name="placement_group"),
        ),
        migrations.AddIndex(
            model_name="placement",
            index=models.Index(fields=["district"], name="placement_district"),
        ),
    ]
