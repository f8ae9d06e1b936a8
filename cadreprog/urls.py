"""The site's routes: each app declares its own and is included here by name (a string), so
this module imports no app above it."""

from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path


def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links: the icon among the static files."""
    return redirect(static("favicon.ico"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("", include("dashboard.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("security.urls")),
    path("admin/", admin.site.urls),
    path("", include("lead.urls")),
    path("", include("ledger.urls")),
    path("", include("rosters.urls")),
    path("", include("notifications.urls")),
    path("", include("api.urls")),
]
