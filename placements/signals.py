"""What placements tell the apps above them, so that they need not know who listens.

`roster_changed` is sent when programmes, batches, cadres, host units or placements were
written in bulk (a roster import, a bulk status change), after the transaction commits: a
single save or delete is told by Django's own post_save/post_delete. Whoever keeps figures of
the roster (the dashboard's cache) listens to both.
"""

from django.dispatch import Signal

roster_changed = Signal()


def announce_roster_changed(**kwargs) -> None:
    """Send `roster_changed`; callable with no arguments, as `transaction.on_commit` calls it."""
    roster_changed.send(sender=None)
