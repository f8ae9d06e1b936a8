"""Migration operations that only PostgreSQL runs (SQLite, the embedded default, skips them)."""

from django.db import migrations


def postgresql_only(sql, reverse_sql):
    """A RunPython that runs `sql` on PostgreSQL and does nothing elsewhere."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(reverse_sql)

    return migrations.RunPython(forwards, backwards, elidable=False)
