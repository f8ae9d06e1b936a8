from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from security import backups


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by `backup` (pg_restore --clean on "
        "PostgreSQL, in one transaction; SQLite's backup API). Asks first unless --noinput."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, file, interactive, **options):
        name = connection.settings_dict["NAME"]
        if interactive:
            answer = input(f"Replace everything in the database {name} with {file}? [yes/no] ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.", returncode=1)
        try:
            backups.restore(Path(file))
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {file} into {name}.")
