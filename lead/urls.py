"""Routes of the team leads' pages (included at the site root)."""

from django.urls import path

from . import views

urlpatterns = [
    path("lead/", views.home, name="lead-home"),
    path("lead/batches/<int:pk>/", views.batch_detail, name="lead-batch"),
    path("lead/batches/<int:pk>/status/", views.batch_status, name="lead-batch-status"),
    path("lead/placements/<int:pk>/", views.placement_edit, name="lead-placement"),
    path(
        "lead/placements/<int:pk>/history/",
        views.placement_history_view,
        name="lead-placement-history",
    ),
    path("lead/host-units/", views.host_unit_search, name="lead-host-units"),
]
