"""The staff and team-lead groups with their permissions (cohorts/roles.py defines them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from cohorts.roles import LEAD_GROUP, STAFF_GROUP, sync_groups


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None
    sync_groups(apps, schema_editor.connection.alias)


def delete_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(
        name__in=[STAFF_GROUP, LEAD_GROUP]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0002_leads_and_pinyin_sort"),
        ("placements", "0002_history_version_roster_imports"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
