import getpass
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cohorts.models import Batch
from placements.models import Placement
from rosters import exporting
from security.services import export_record


class Command(BaseCommand):
    help = (
        "Export the roster of one batch or of all batches, in the import's columns, ID numbers "
        "in full (the command line is the operator's). Writes to standard output without -o."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", help=_("the batch, e.g. SZ-3; all batches without it"))
        parser.add_argument("--format", choices=exporting.FORMATS, default=None)
        parser.add_argument("-o", "--output", help=_("the file to write"))

    def handle(self, *args, batch, format, output, **options):
        placements = Placement.objects.all()
        if batch:
            found = Batch.objects.by_code(batch).first()
            if found is None:
                raise CommandError(
                    _("There is no batch %(batch)s.") % {"batch": batch}, returncode=2
                )
            placements = placements.filter(batch=found)
        fmt = format or (Path(output).suffix.lstrip(".").lower() if output else "csv")
        if fmt not in exporting.FORMATS:
            raise CommandError(_("Give --format csv or xlsx."), returncode=2)
        # The operator is who exported: the command line has no user of the app.
        export_record(
            placements,
            who=f"{getpass.getuser()} (export_roster)",
            where=f"export_roster --batch {batch or '*'} → {output or '-'}",
        )
        if output:
            with open(output, "wb") as out:
                count = exporting.write(placements, out, fmt, full_ids=True)
            self.stderr.write(
                _("%(count)d rows written to %(file)s.") % {"count": count, "file": output}
            )
        else:
            exporting.write(placements, sys.stdout.buffer, fmt, full_ids=True)
