"""Telling people: `notification_send` is the one way in, for tasks, commands and views alike.

It writes, for each user who has not turned the kind off, one `Notification` (the bell) under
`key`, and queues the deliveries outside the app: an e-mail to each such user who has an address,
and one message to the batch's group chat when `batch` has a robot address and `chat` is asked.
Each is once only: sending again under the same key adds nothing and sends nothing again.
The group chat is the batch's, not a person's: no one's mute stops it.

What users do with their own notifications is here too: read them (`notification_open`,
`notifications_mark_read`), count the unread (`unread_count`, the bell) and turn kinds off
(`mutes_set`, among `kinds_for(user)`).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator

from cadreprog.background import enqueue

from .models import LEAD_KINDS, Delivery, Kind, Mute, Notification

KEY_LENGTH = 200
# The bell says 99+ beyond this: counting stops there, however many a user left unread.
UNREAD_SHOWN = 99


def muted_users(kind: str) -> set[int]:
    return set(Mute.objects.filter(kind=kind).values_list("user_id", flat=True))


def notification_send(
    *, users, kind: str, key: str, title: str, body: str = "", url: str = "", batch=None,
    chat: bool = False,
) -> list[Notification]:  # fmt: skip
    """Notify `users` (those who muted `kind` excepted) and, with `chat`, the batch's group
    chat. Returns the notifications written now (none for a key sent before)."""
    assert kind in Kind.values, kind
    assert 0 < len(key) <= KEY_LENGTH, key
    title = Truncator(title).chars(200)
    muted = muted_users(kind)
    written = []
    deliveries = []
    for user in users:
        if user.pk in muted or not user.is_active:
            continue
        with transaction.atomic():
            notification, created = Notification.objects.get_or_create(
                user=user, key=key,
                defaults={"kind": kind, "title": title, "body": body, "url": url, "batch": batch},
            )  # fmt: skip
        if not created:
            continue
        written.append(notification)
        if user.email:
            deliveries.append(
                _delivery(
                    key=f"email:{user.pk}:{key}",
                    channel=Delivery.Channel.EMAIL,
                    kind=kind,
                    notification=notification,
                    recipient=user.email,
                    title=title,
                    body=body,
                    url=url,
                    batch=batch,
                )  # fmt: skip
            )
    if chat and batch is not None and batch.wechat_webhook:
        deliveries.append(
            _delivery(
                key=f"wechat:{batch.pk}:{key}",
                channel=Delivery.Channel.WECHAT,
                kind=kind,
                notification=None,
                recipient="",
                title=title,
                body=body,
                url=url,
                batch=batch,
            )  # fmt: skip
        )
    for delivery in filter(None, deliveries):
        enqueue("notifications.delivery_send", delivery.pk, key=f"delivery-{delivery.pk}")
    return written


def _delivery(*, key, **fields) -> Delivery | None:
    """A new pending delivery under `key`, or None when one was made before."""
    try:
        with transaction.atomic():
            return Delivery.objects.create(key=key, **fields)
    except IntegrityError:
        return None


def notifications_mark_read(*, user, ids=None) -> int:
    """Mark the user's unread notifications read (those of `ids`, or all); returns how many."""
    unread = Notification.objects.filter(user=user, read_at=None)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def unread_count(user) -> int:
    """The user's unread notifications, counted up to UNREAD_SHOWN + 1 (one indexed query)."""
    unread = Notification.objects.filter(user=user, read_at=None).order_by()
    return unread[: UNREAD_SHOWN + 1].count()


def notification_open(*, user, pk) -> str:
    """Mark the user's notification `pk` read and return where it leads: its link when that is
    a path of this site, else the list. Another user's notification is not found (DoesNotExist)."""
    notification = Notification.objects.get(user=user, pk=pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk, read_at=None).update(read_at=timezone.now())
    return notification.url if is_local(notification.url) else ""


def is_local(url: str) -> bool:
    """A path on this site (/batches/3/), never another site (//evil.example, https://…)."""
    return (
        url.startswith("/")
        and "\\" not in url
        and url_has_allowed_host_and_scheme(url, allowed_hosts=set(), require_https=False)
    )


def kinds_for(user) -> list[Kind]:
    """The kinds that can reach `user`: every kind for staff, LEAD_KINDS for a team lead."""
    if user.is_staff or user.has_perm("cohorts.view_all_batches"):
        return list(Kind)
    return list(LEAD_KINDS)


def mutes_set(*, user, muted) -> None:
    """Turn off exactly the kinds `muted` among those the user sees (kinds_for); the others on."""
    shown = {kind.value for kind in kinds_for(user)}
    muted = set(muted) & shown
    with transaction.atomic():
        Mute.objects.filter(user=user, kind__in=shown - muted).delete()
        have = set(Mute.objects.filter(user=user).values_list("kind", flat=True))
        Mute.objects.bulk_create(
            [Mute(user=user, kind=kind) for kind in sorted(muted - have)], ignore_conflicts=True
        )


def muted_kinds(user) -> set[str]:
    return set(Mute.objects.filter(user=user).values_list("kind", flat=True))
