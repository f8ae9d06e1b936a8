"""Sending deliveries: each one once, retried with backoff when the channel fails, its outcome
and attempts recorded on the Delivery."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .channels import DeliveryError, email_send, wechat_send
from .models import Delivery

MAX_ATTEMPTS = 5


@shared_task(bind=True, name="notifications.delivery_send", max_retries=MAX_ATTEMPTS - 1)
def delivery_send(self, delivery_id: int) -> str:
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("batch")
            .filter(pk=delivery_id)
        ).first()
        if delivery is None or delivery.status == Delivery.Status.SENT:
            return "done"
        delivery.attempts += 1
        try:
            if delivery.channel == Delivery.Channel.EMAIL:
                email_send(
                    recipient=delivery.recipient, title=delivery.title, body=delivery.body,
                    url=delivery.url,
                )  # fmt: skip
            else:
                webhook = delivery.batch.wechat_webhook if delivery.batch else ""
                if not webhook:
                    raise DeliveryError("该批次未设置群机器人地址")
                wechat_send(
                    webhook=webhook, title=delivery.title, body=delivery.body, url=delivery.url
                )
        except DeliveryError as error:
            delivery.last_error = str(error)[:2000]
            delivery.status = Delivery.Status.FAILED
            delivery.save(update_fields=["attempts", "last_error", "status"])
            failed = True
        else:
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
            delivery.last_error = ""
            delivery.save(update_fields=["attempts", "last_error", "status", "sent_at"])
            failed = False
    if failed and delivery.attempts < MAX_ATTEMPTS and not self.request.is_eager:
        raise self.retry(countdown=min(60 * 2 ** (delivery.attempts - 1), 3600))
    return "failed" if failed else "sent"
