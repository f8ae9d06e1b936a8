import json as json_module
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cohorts.models import Batch
from ledger import importing
from placements import reading


class Command(BaseCommand):
    help = (
        "Import duty progress (CSV in UTF-8 or GBK, XLSX or XLS; columns 批次, 姓名, 身份证号, "
        "任务, 日期, 数量, 备注): all rows or none. Exit status 0 when the file was imported (with "
        "--dry-run: would import cleanly), 1 when it has errors (nothing written), 2 for usage "
        "errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the progress file"))
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
        result = importing.import_progress(
            path.read_bytes(), path.name, batch=target, dry_run=dry_run
        )
        for problem in result.problems:
            self.stderr.write(str(problem))
        if not result.ok:
            message = _("Not imported, nothing written: %(errors)d errors.")
            self.stdout.write(message % {"errors": len(result.problems)})
        elif dry_run:
            message = _("Dry run, nothing written: %(count)d progress entries would be imported.")
            self.stdout.write(message % {"count": len(result.rows)})
        else:
            message = _("%(count)d progress entries imported.")
            self.stdout.write(message % {"count": result.written})
        if json:
            self.stdout.write(json_module.dumps(result.as_json(), ensure_ascii=False))
        if not result.ok:
            raise SystemExit(1)
