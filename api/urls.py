"""The API's routes (issue 19): /api/v1/ (each part of the record registers its endpoints),
the OpenAPI schema at /api/schema/ and its interactive documentation at /api/docs/, served from
this site's static files (drf-spectacular-sidecar), no CDN."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from .errors import not_found
from .views import cohorts, imports, ledger, people, placements

router = SimpleRouter()
for part in (cohorts, people, placements, ledger, imports):
    part.register(router)

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # A page for people: anonymous visitors are sent to the login page, as on every page.
    path(
        "api/docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", template_name="api/swagger_ui.html"
            )
        ),
        name="api-docs",
    ),
    # Last: what no route above takes is the API's JSON 404, never the site's page.
    path("api/", not_found),
    path("api/<path:rest>", not_found),
]
