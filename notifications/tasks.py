"""Sending deliveries: each one once, retried with backoff when the channel fails, its outcome,
attempts and last error recorded on the Delivery.

One attempt of `delivery_send`:
1. claims the delivery in a short transaction (PENDING or FAILED → SENDING, attempts + 1,
   tried_at = now): a second copy of the task, or a delivery already sent, claims nothing and
   does nothing, so a message is never sent twice by two workers;
2. sends outside any transaction (no row stays locked while a robot takes ten seconds);
3. records SENT, or FAILED with the reason.

With a worker, a failed attempt is retried by Celery after 1, 2, 4, 8 minutes, up to
MAX_ATTEMPTS in all. Inline (no REDIS_URL) there is one attempt, in the process that asked: a
failure is recorded and left for staff's "send again" in the admin (deliveries_retry does the
same from beat every quarter of an hour when a worker runs). A worker killed mid-send leaves the
delivery SENDING; `deliveries_retry` takes it up again after STALE_MINUTES (the message may then
go out twice: better twice than never, for a reminder).
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.db.models import F, Q
from django.utils import timezone

from cadreprog.background import enqueue

from .channels import DeliveryError, email_send, wechat_send
from .models import Delivery

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
STALE_MINUTES = 15
Status = Delivery.Status


def backoff_seconds(attempts: int) -> int:
    """The wait before the next attempt, after `attempts` failed ones: 60, 120, 240, 480 s …"""
    return min(60 * 2 ** (attempts - 1), 3600)


def delivery_claim(delivery_id: int) -> Delivery | None:
    """The delivery, now SENDING under this attempt, or None when there is nothing to send."""
    now = timezone.now()
    stale = now - timedelta(minutes=STALE_MINUTES)
    claimable = Q(status__in=[Status.PENDING, Status.FAILED]) | Q(
        status=Status.SENDING, tried_at__lt=stale, attempts__lt=MAX_ATTEMPTS
    )
    claimed = (
        Delivery.objects.filter(claimable, pk=delivery_id)
        .update(status=Status.SENDING, attempts=F("attempts") + 1, tried_at=now)
    )  # fmt: skip
    if not claimed:
        return None
    return Delivery.objects.select_related("batch").get(pk=delivery_id)


def _send(delivery: Delivery) -> None:
    if delivery.channel == Delivery.Channel.EMAIL:
        email_send(
            recipient=delivery.recipient, title=delivery.title, body=delivery.body,
            url=delivery.url,
        )  # fmt: skip
        return
    webhook = delivery.batch.wechat_webhook if delivery.batch else ""
    if not webhook:
        raise DeliveryError("该批次未设置群机器人地址")
    wechat_send(webhook=webhook, title=delivery.title, body=delivery.body, url=delivery.url)


def retried_by_celery(request) -> bool:
    """Whether a failed attempt is retried by Celery: in a worker, not inline (apply), where a
    retry would run at once, in the request, with no wait between attempts."""
    return not request.is_eager


@shared_task(bind=True, name="notifications.delivery_send", max_retries=MAX_ATTEMPTS - 1)
def delivery_send(self, delivery_id: int) -> str:
    delivery = delivery_claim(delivery_id)
    if delivery is None:
        return "done"
    try:
        try:
            _send(delivery)
        except DeliveryError:
            raise
        except Exception as error:  # noqa: BLE001 - whatever else: recorded, never left SENDING
            logger.exception("delivery %s", delivery.pk)
            raise DeliveryError(error.__class__.__name__) from error
    except DeliveryError as error:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Status.FAILED, last_error=str(error)[:2000]
        )
        if delivery.attempts < MAX_ATTEMPTS and retried_by_celery(self.request):
            raise self.retry(countdown=backoff_seconds(delivery.attempts)) from error
        return "failed"
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def deliveries_requeue(deliveries) -> int:
    """Queue one more attempt of each of `deliveries` not yet sent (staff's "send again", and
    the periodic run); returns how many were queued."""
    ids = list(deliveries.exclude(status=Status.SENT).values_list("pk", flat=True))
    for pk in ids:
        enqueue(delivery_send, pk, key=f"delivery-{pk}-again")
    return len(ids)


@shared_task(name="notifications.deliveries_retry")
def deliveries_retry() -> int:
    """From beat: deliveries whose retry got lost. Failed ones with attempts left, whose next
    attempt is long overdue (a worker restarted and lost its countdown), pending ones never
    taken up (the queue was down when they were made), and sending ones left by a dead worker."""
    stale = timezone.now() - timedelta(minutes=STALE_MINUTES)
    lost = Delivery.objects.filter(
        Q(status=Status.FAILED, attempts__lt=MAX_ATTEMPTS, tried_at__lt=stale)
        | Q(status=Status.PENDING, created_at__lt=stale)
        | Q(status=Status.SENDING, tried_at__lt=stale, attempts__lt=MAX_ATTEMPTS)
    )
    return deliveries_requeue(lost)
