from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("placements/", views.PlacementListView.as_view(), name="placement-list"),
    path("placements/export/", views.placement_export, name="placement-export"),
    path("cadres/", views.CadreListView.as_view(), name="cadre-list"),
    path("cadres/export/", views.cadre_export, name="cadre-export"),
    path("host-units/", views.HostUnitListView.as_view(), name="host-unit-list"),
]
