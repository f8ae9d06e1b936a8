"""The channels outside the app: e-mail through Django's mail backend (EMAIL_URL; the console when
unset), and a WeCom (企业微信 / 政务微信) group robot's webhook, which takes markdown messages as
JSON and answers `{"errcode": 0, …}` when it took one.

Each sending function sends one message or raises `DeliveryError` with the reason in words. A
robot's address is a secret (whoever holds it posts to the group): it is shown only through
`webhook_masked`, and it never appears in a recorded error (`_scrubbed`).
"""

import http.client
import json
import urllib.error
import urllib.request
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from .text import plain

WEBHOOK_SECONDS = 10
# WeCom refuses markdown content above 4,096 bytes (UTF-8).
MARKDOWN_BYTES = 4096


class DeliveryError(Exception):
    pass


def full_url(url: str) -> str:
    return urljoin(settings.SITE_URL.rstrip("/") + "/", url.lstrip("/")) if url else ""


def email_send(*, recipient: str, title: str, body: str, url: str) -> None:
    text = plain(body) + (f"\n\n{full_url(url)}" if url else "")
    try:
        send_mail(title, text, None, [recipient], fail_silently=False)
    except (OSError, ValueError) as error:  # SMTP refused, unreachable, timed out; a bad header
        raise DeliveryError(str(error) or error.__class__.__name__) from error


def wechat_markdown(*, title: str, body: str, url: str) -> str:
    link = f"\n[{_('View details')}]({full_url(url)})" if url else ""
    text = f"**{title}**\n{body}"
    room = MARKDOWN_BYTES - len(link.encode())
    if len(text.encode()) > room:
        text = text.encode()[: room - 3].decode(errors="ignore") + "…"
    return text + link


def wechat_send(*, webhook: str, title: str, body: str, url: str) -> None:
    """Post a markdown message; the robot answers JSON with errcode 0 when it took it."""
    if not is_web_address(webhook):
        raise DeliveryError(_("The group-chat robot address is not an http(s) address."))
    content = wechat_markdown(title=title, body=body, url=url)
    payload = json.dumps({"msgtype": "markdown", "markdown": {"content": content}}).encode()
    request = urllib.request.Request(
        webhook, data=payload, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_SECONDS) as response:
            answer = response.read()
    # Refused, timed out, an HTTP error, a bad address; a peer that speaks no HTTP.
    except (OSError, ValueError, http.client.HTTPException) as error:
        raise DeliveryError(_scrubbed(str(error) or error.__class__.__name__, webhook)) from error
    try:
        errcode = json.loads(answer or b"{}").get("errcode", 0)
    except (ValueError, AttributeError):
        errcode = 0  # a receiver that answers no JSON took it
    if errcode:
        raise DeliveryError(_scrubbed(answer.decode(errors="replace")[:500], webhook))


def is_web_address(url: str) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def webhook_masked(url: str) -> str:
    """The address with its secret parts shortened: each query value (the robot's key) and,
    without a query, the last path segment keep their first four and last two characters.
    https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=ab12…7f"""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.query:
        query = urlencode([(name, _short(value)) for name, value in parse_qsl(parts.query)])
        path = parts.path
    else:
        query = ""
        head, _slash, last = parts.path.rpartition("/")
        path = f"{head}/{_short(last)}" if last else parts.path
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, path, query, "")).replace("%E2%80%A6", "…")


def _short(secret: str) -> str:
    return f"{secret[:4]}…{secret[-2:]}" if len(secret) > 8 else "…"


def _scrubbed(text: str, webhook: str) -> str:
    """An error's words without the address or its key, which some errors repeat."""
    for secret in {webhook, *(value for _name, value in parse_qsl(urlsplit(webhook).query))}:
        if len(secret) >= 6:
            text = text.replace(secret, webhook_masked(webhook) if secret == webhook else "…")
    return text
