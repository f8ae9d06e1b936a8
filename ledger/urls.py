"""Routes of duties and outcomes (included at the site root, beside the lead's pages)."""

from django.urls import path

from . import views

urlpatterns = [
    path("lead/batches/<int:pk>/duties/", views.lead_duties, name="ledger-lead-duties"),
    path(
        "lead/batches/<int:pk>/duties/record/",
        views.lead_duties_record,
        name="ledger-lead-duties-record",
    ),
    path(
        "lead/batches/<int:pk>/duties/import/",
        views.lead_duties_import,
        name="ledger-lead-duties-import",
    ),
    path(
        "lead/batches/<int:pk>/duties/import/<str:token>/",
        views.lead_duties_upload,
        name="ledger-lead-duties-upload",
    ),
    path(
        "lead/batches/<int:pk>/duties/import/<str:token>/progress/",
        views.lead_duties_upload_progress,
        name="ledger-lead-duties-upload-progress",
    ),
    path("lead/batches/<int:pk>/outcomes/", views.lead_outcomes, name="ledger-lead-outcomes"),
    path("duties/behind/", views.behind, name="ledger-behind"),
    path("duties/behind/export/", views.behind_export, name="ledger-behind-export"),
    path("outcomes/suggestions/", views.suggestions, name="ledger-suggestions"),
    path("outcomes/projects/", views.projects, name="ledger-projects"),
]
