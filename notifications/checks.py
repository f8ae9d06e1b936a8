"""What `check --deploy` says of notifications: links in e-mail and group-chat messages start
with SITE_URL, which in production must be the site's own address, not this machine's."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOCAL = {"127.0.0.1", "localhost", "::1", None}


@checks.register(checks.Tags.security, deploy=True)
def site_url_is_set(app_configs, **kwargs):
    if urlsplit(settings.SITE_URL).hostname in LOCAL:
        return [
            checks.Warning(
                f"SITE_URL is {settings.SITE_URL!r}: links in e-mail and group-chat messages "
                "would point at this machine.",
                hint="Set SITE_URL to the site's address, e.g. https://cadres.example.org.",
                id="notifications.W001",
            )
        ]
    return []
