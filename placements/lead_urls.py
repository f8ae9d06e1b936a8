"""Routes of the team leads' pages and the login page (included at the site root)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import lead_views

urlpatterns = [
    path("accounts/login/", lead_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("lead/", lead_views.home, name="lead-home"),
    path("lead/batches/<int:pk>/", lead_views.batch_detail, name="lead-batch"),
    path("lead/batches/<int:pk>/status/", lead_views.batch_status, name="lead-batch-status"),
    path("lead/placements/<int:pk>/", lead_views.placement_edit, name="lead-placement"),
    path(
        "lead/placements/<int:pk>/history/",
        lead_views.placement_history_view,
        name="lead-placement-history",
    ),
    path("lead/host-units/", lead_views.host_unit_search, name="lead-host-units"),
]
