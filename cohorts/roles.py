"""The two roles, as groups: staff (组织部工作人员) and team leads (实训队负责人).

Permissions belong to the groups, never to single users. `sync_groups` is the one definition:
the data migration calls it, and so does every `migrate` afterwards (see apps.py), so a
permission added later to the cohorts or placements models (roster import, export …) reaches
the staff group without a new migration.
"""

# Group names are data that staff read in the admin, in Chinese as the issue names them.
STAFF_GROUP = "组织部工作人员"
LEAD_GROUP = "实训队负责人"

# Staff: every permission of these apps, including view_all_batches and view_full_id_number,
# and notifications' view_delivery and retry_delivery (the deliveries' list, "send again").
STAFF_APPS = ("cohorts", "placements", "ledger", "security", "notifications")

# Team leads: see their batches' cadres and placements, change placements, add a host unit.
# No delete, no roster import, no users or groups; scope comes from Batch.leads.
LEAD_PERMISSIONS = [
    ("cohorts", "view_batch"),
    ("cohorts", "view_cadre"),
    ("placements", "view_placement"),
    ("placements", "change_placement"),
    ("placements", "view_historicalplacement"),
    ("placements", "view_hostunit"),
    ("placements", "add_hostunit"),
    # Duties, progress, topics and outcomes of their batches (ledger): record, never delete.
    ("ledger", "view_duty"),
    ("ledger", "view_progressentry"),
    ("ledger", "add_progressentry"),
    ("ledger", "view_topic"),
    ("ledger", "change_topic"),  # claims; moving back (reopening) is staff's
    ("ledger", "view_suggestion"),
    ("ledger", "add_suggestion"),
    ("ledger", "view_project"),
    ("ledger", "add_project"),
]


def sync_groups(apps, using="default"):
    """Create both groups and give them exactly their permissions (idempotent)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.using(using)

    staff, _created = Group.objects.using(using).get_or_create(name=STAFF_GROUP)
    staff.permissions.set(permissions.filter(content_type__app_label__in=STAFF_APPS))

    lead, _created = Group.objects.using(using).get_or_create(name=LEAD_GROUP)
    wanted = [
        permissions.filter(content_type__app_label=app, codename=codename)
        for app, codename in LEAD_PERMISSIONS
    ]
    lead.permissions.set([p for query in wanted for p in query])


def sync_groups_after_migrate(sender, using="default", apps=None, **kwargs):
    """After migrate, and after flush (which sends no `apps`: the current models serve)."""
    if apps is None:
        from django.apps import apps
    try:
        apps.get_model("auth", "Group")
    except LookupError:
        return  # migrating backwards past auth
    sync_groups(apps, using)
