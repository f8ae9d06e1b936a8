"""The Celery application: broker, result store and schedule come from settings (CELERY_*),
tasks from each app's tasks.py. Without REDIS_URL, tasks run inline (settings.py)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadreprog.settings")

app = Celery("cadreprog")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
