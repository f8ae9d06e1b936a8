from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rosters import importing
from spreadsheets.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Import a roster (CSV in UTF-8 or GBK, XLSX or XLS): all rows or none. Exit status 0 when "
        "the file was imported (with --dry-run: would import cleanly), 1 when it has errors "
        "(nothing written), 2 for usage errors."
    )
    file_help = gettext_lazy("the roster file")

    def run_import(self, data, file_name, *, batch, dry_run):
        return importing.import_roster(data, file_name, batch=batch, dry_run=dry_run)

    def summary(self, result, dry_run):
        counts = {
            "new": result.count("new"),
            "updated": result.count("updated"),
            "unchanged": result.count("unchanged"),
        }
        if dry_run:
            return (
                _(
                    "Dry run, nothing written: %(new)d new, %(updated)d updated, %(unchanged)d "
                    "unchanged."
                )
                % counts
            )
        return _("%(new)d new, %(updated)d updated, %(unchanged)d unchanged.") % counts
