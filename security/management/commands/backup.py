from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from security import backups


class Command(BaseCommand):
    help = (
        "Back up the database while the app runs: pg_dump (custom format) on PostgreSQL, a "
        "consistent copy on SQLite. Into BACKUP_DIR unless -o is given; prints the file."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="the backup file to write")

    def handle(self, *args, output, **options):
        try:
            path = backups.backup(Path(output) if output else backups.default_path())
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(path))
