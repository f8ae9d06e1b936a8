"""What the spreadsheet import commands (import_roster, import_duty_progress) share: the file
and --batch checks, the problems on standard error, the summary, --json and the exit status
(0 imported, 1 refused with nothing written, 2 usage errors)."""

import json as json_module
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cohorts.models import Batch

from . import reading


class ImportCommand(BaseCommand):
    """A command gives `file_help`, `run_import(data, file_name, *, batch, dry_run)` (a result
    with .problems, .ok and .as_json()) and `summary(result, dry_run)` for a file imported."""

    file_help = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help=self.file_help)
        parser.add_argument(
            "--batch", help=_("the batch, e.g. SZ-3, when the file has no 批次 column")
        )
        parser.add_argument("--dry-run", action="store_true", help=_("check only, write nothing"))
        parser.add_argument("--json", action="store_true", help=_("end with one line of JSON"))

    def handle(self, *args, file, batch, dry_run, json: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file}, returncode=2)
        if path.suffix.lower() not in reading.SUFFIXES:
            raise CommandError(
                _("Unknown file type %(suffix)s: give a .csv, .xlsx or .xls file.")
                % {"suffix": path.suffix or path.name},
                returncode=2,
            )
        target = None
        if batch:
            target = Batch.objects.by_code(batch).first()
            if target is None:
                raise CommandError(
                    _("There is no batch %(batch)s.") % {"batch": batch}, returncode=2
                )
        # The file, not its bytes: a roster import reads a large file as a stream.
        with path.open("rb") as data:
            result = self.run_import(data, path.name, batch=target, dry_run=dry_run)
        for problem in result.problems:
            self.stderr.write(str(problem))
        if not result.ok:
            count = len(result.problems) + getattr(result, "more_problems", 0)
            self.stdout.write(
                _("Not imported, nothing written: %(errors)d errors.") % {"errors": count}
            )
        else:
            self.stdout.write(self.summary(result, dry_run))
        if json:
            self.stdout.write(json_module.dumps(result.as_json(), ensure_ascii=False))
        if not result.ok:
            raise SystemExit(1)
