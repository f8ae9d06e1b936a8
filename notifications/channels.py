"""The channels outside the app: e-mail through Django's mail backend (EMAIL_URL), and a WeCom
(企业微信 / 政务微信) group robot's webhook, which takes markdown messages as JSON.

Each function sends one message or raises `DeliveryError` with the reason in words.
"""

import json
import urllib.error
import urllib.request
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import send_mail

WEBHOOK_SECONDS = 10


class DeliveryError(Exception):
    pass


def full_url(url: str) -> str:
    return urljoin(settings.SITE_URL.rstrip("/") + "/", url.lstrip("/")) if url else ""


def email_send(*, recipient: str, title: str, body: str, url: str) -> None:
    text = body + (f"\n\n{full_url(url)}" if url else "")
    try:
        send_mail(title, text, None, [recipient], fail_silently=False)
    except OSError as error:  # SMTP refused, unreachable, timed out
        raise DeliveryError(str(error) or error.__class__.__name__) from error


def wechat_send(*, webhook: str, title: str, body: str, url: str) -> None:
    """Post a markdown message; the robot answers JSON with errcode 0 when it took it."""
    text = f"**{title}**\n{body}" + (f"\n[查看详情]({full_url(url)})" if url else "")
    payload = json.dumps({"msgtype": "markdown", "markdown": {"content": text}}).encode()
    request = urllib.request.Request(
        webhook, data=payload, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_SECONDS) as response:
            answer = response.read()
    except (OSError, ValueError) as error:  # refused, timed out, HTTP error, a bad address
        raise DeliveryError(str(error) or error.__class__.__name__) from error
    try:
        errcode = json.loads(answer or b"{}").get("errcode", 0)
    except (ValueError, AttributeError):
        errcode = 0  # a receiver that answers no JSON took it
    if errcode:
        raise DeliveryError(answer.decode(errors="replace")[:500])
