"""Routes of a batch's handouts (included at the site root); the paths are contracts."""

from django.urls import path

from . import views

urlpatterns = [
    path("batches/<str:code>/print/", views.batch_print, name="batch-print"),
    path("batches/<str:code>/contacts/", views.batch_contacts, name="batch-contacts"),
]
