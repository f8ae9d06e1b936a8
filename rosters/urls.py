"""Routes of a batch's handouts and of exports made in the background (included at the site
root); the paths are contracts."""

from django.urls import path

from . import downloads, views

urlpatterns = [
    path("batches/<str:code>/print/", views.batch_print, name="batch-print"),
    path("batches/<str:code>/contacts/", views.batch_contacts, name="batch-contacts"),
    path("exports/<int:pk>/", downloads.export_page, name="export-page"),
    path("exports/<int:pk>/progress/", downloads.export_progress_json, name="export-progress"),
    path("exports/<int:pk>/download/", downloads.export_download, name="export-download"),
]
