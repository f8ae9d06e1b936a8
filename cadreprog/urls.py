from django.contrib import admin
from django.urls import include, path

from security import two_factor

urlpatterns = [
    path("", include("dashboard.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/two-factor/", two_factor.setup, name="two-factor-setup"),
    path("accounts/two-factor/verify/", two_factor.verify, name="two-factor-verify"),
    path("admin/", admin.site.urls),
    path("", include("placements.lead_urls")),
    path("", include("ledger.urls")),
]
