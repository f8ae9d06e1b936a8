"""What the ledger tells the apps above it, so that it need not know who listens.

`ledger_changed` is sent when duties or progress were written in bulk (progress recorded for
many cadres, a progress import, a duty list copied into a batch): a single save or delete of a
duty, a progress entry, a suggestion or a project is told by Django's own post_save/post_delete.
Whoever keeps figures of the ledger (the dashboard's cache) listens to both. It is sent right
after the write, inside the caller's transaction if any: listeners that keep figures act again
when it commits.
"""

from django.dispatch import Signal

ledger_changed = Signal()


def announce_ledger_changed(**kwargs) -> None:
    """Send `ledger_changed`; callable with no arguments, as `transaction.on_commit` calls it."""
    ledger_changed.send(sender=None)
