# Trigram indexes for the name and ID-number searches (PostgreSQL only), and the index the
# political-status choices of the lists are read from.
# The indexed expression is exactly what Django's icontains emits: UPPER("name"::text) LIKE UPPER(%s).

from django.db import migrations, models

from cadreprog.pg import postgresql_only


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0003_groups")]

    operations = [
        postgresql_only("CREATE EXTENSION IF NOT EXISTS pg_trgm", ""),
        postgresql_only(
            "CREATE INDEX IF NOT EXISTS cohorts_cadre_name_trgm "
            "ON cohorts_cadre USING gin ((UPPER(name::text)) gin_trgm_ops)",
            "DROP INDEX IF EXISTS cohorts_cadre_name_trgm",
        ),
        postgresql_only(
            "CREATE INDEX IF NOT EXISTS cohorts_cadre_id_number_trgm "
            "ON cohorts_cadre USING gin ((UPPER(id_number::text)) gin_trgm_ops)",
            "DROP INDEX IF EXISTS cohorts_cadre_id_number_trgm",
        ),
        migrations.AddIndex(
            model_name="cadre",
            index=models.Index(fields=["political_status"], name="cadre_political_status"),
        ),
        migrations.AddIndex(
            model_name="cadre",
            index=models.Index(fields=["name_sort", "id"], name="cadre_name_sort"),
        ),
    ]
