"""The addresses of the site's own pages in every page's header (templates/base.html and the
admin's templates/admin/base_site.html), reversed once per process rather than on every page.

Reversing a URL name costs about 50 µs and the headers have eight to ten of them: a tenth of the
cheapest page. The addresses depend only on the URL configuration and the script prefix, so they
are kept per pair of those. A name that does not resolve gives "" and the header leaves its link
out, as `{% url … as name %}` did.
"""

import functools

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# Template name: URL name.
SITE_LINKS = {
    "dashboard": "dashboard",
    "placements": "placement-list",
    "cadres": "cadre-list",
    "host_units": "host-unit-list",
    "lead_home": "lead-home",
    "notifications": "notification-list",
    "two_factor": "two-factor-setup",
    "set_language": "set_language",
    "admin_index": "admin:index",
    "admin_logout": "admin:logout",
}


def site_links(request):
    urlconf = getattr(request, "urlconf", None) or get_urlconf() or settings.ROOT_URLCONF
    return {"site_links": reversed_links(urlconf, get_script_prefix())}


@functools.cache
def reversed_links(urlconf: str, script_prefix: str) -> dict[str, str]:
    links = {}
    for key, name in SITE_LINKS.items():
        try:
            links[key] = reverse(name, urlconf=urlconf)
        except NoReverseMatch:
            links[key] = ""
    return links
