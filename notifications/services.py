"""Telling people: `notification_send` is the one way in, for tasks, commands and views alike.

It writes, for each user who has not turned the kind off, one `Notification` (the bell) under
`key`, and queues the deliveries outside the app: an e-mail to each such user who has an address,
and one message to the batch's group chat when `batch` has a robot address and `chat` is asked.
Each is once only: sending again under the same key adds nothing and sends nothing again.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from cadreprog.background import enqueue

from .models import Delivery, Kind, Mute, Notification


def muted_users(kind: str) -> set[int]:
    return set(Mute.objects.filter(kind=kind).values_list("user_id", flat=True))


def notification_send(
    *, users, kind: str, key: str, title: str, body: str = "", url: str = "", batch=None,
    chat: bool = False,
) -> list[Notification]:  # fmt: skip
    """Notify `users` (those who muted `kind` excepted) and, with `chat`, the batch's group
    chat. Returns the notifications written now (none for a key sent before)."""
    assert kind in Kind.values, kind
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
    from .tasks import delivery_send

    for delivery in filter(None, deliveries):
        enqueue(delivery_send, delivery.pk, key=f"delivery-{delivery.pk}")
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
    return Notification.objects.filter(user=user, read_at=None).count()
