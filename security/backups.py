"""Backups of the database: pg_dump's custom format on PostgreSQL, SQLite's online backup.

Both are consistent copies taken while the app runs. Restore puts one back: pg_restore --clean
in one transaction (a failed restore changes nothing), or SQLite's backup API in reverse.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _


class BackupError(Exception):
    """A backup or restore failed; the message says why, for the operator."""


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def default_path() -> Path:
    suffix = "dump" if is_postgresql() else "sqlite3"
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BACKUP_DIR) / f"cadreprog-{stamp}.{suffix}"


def backup(path: Path) -> Path:
    """Write a backup to `path`, readable by its owner only (it holds every ID number).

    The file is made mode 0600 before a byte goes into it; BACKUP_DIR (and any folder made
    for the backup) mode 0700. A folder the operator named that exists already is left as it is.
    """
    backup_dir = Path(settings.BACKUP_DIR)
    for folder in reversed([path.parent, *path.parent.parents]):
        if not folder.exists():
            folder.mkdir(mode=0o700)
            folder.chmod(0o700)  # mkdir's mode is narrowed by the umask, never widened
    if path.parent.resolve() == backup_dir.resolve():
        backup_dir.chmod(0o700)
    if path.exists():
        path.unlink()  # a file left by an earlier run may be readable by others
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    os.chmod(path, 0o600)
    if is_postgresql():
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={path}"])
    else:
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        target.close()
    return path


def restore(path: Path):
    if not path.is_file():
        raise BackupError(_("There is no file %(path)s.") % {"path": path})
    if is_postgresql():
        connections.close_all()  # nothing of ours may hold a table pg_restore drops
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--exit-on-error", str(path)])  # fmt: skip
    else:
        with open(path, "rb") as file:
            if not file.read(16).startswith(b"SQLite format 3"):
                raise BackupError(_("%(path)s is not an SQLite backup.") % {"path": path})
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()


def _run(command: list[str]):
    """pg_dump / pg_restore on the database of the settings, its password through the env."""
    if shutil.which(command[0]) is None:
        raise BackupError(_("%(program)s is not installed.") % {"program": command[0]})
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    options = [f"--dbname={db['NAME']}"]
    if db.get("HOST"):
        options.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        options.append(f"--port={db['PORT']}")
    if db.get("USER"):
        options.append(f"--username={db['USER']}")
    done = subprocess.run(
        [*command, *options], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": command[0], "error": done.stderr.strip()}
        )
