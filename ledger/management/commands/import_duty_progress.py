from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ledger import importing
from spreadsheets.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Import duty progress (CSV in UTF-8 or GBK, XLSX or XLS; columns 批次, 姓名, 身份证号, "
        "任务, 日期, 数量, 备注): all rows or none. Exit status 0 when the file was imported (with "
        "--dry-run: would import cleanly), 1 when it has errors (nothing written), 2 for usage "
        "errors."
    )
    file_help = gettext_lazy("the progress file")

    def run_import(self, data, file_name, *, batch, dry_run):
        return importing.import_progress(data, file_name, batch=batch, dry_run=dry_run)

    def summary(self, result, dry_run):
        if dry_run:
            message = _("Dry run, nothing written: %(count)d progress entries would be imported.")
            return message % {"count": len(result.rows)}
        return _("%(count)d progress entries imported.") % {"count": result.written}
