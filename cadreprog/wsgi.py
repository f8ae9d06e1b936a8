import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadreprog.settings")

application = get_wsgi_application()

# Fail when the server starts, not at the first request, if production has no SECRET_KEY:
# Django raises ImproperlyConfigured when an empty key is read.
settings.SECRET_KEY  # noqa: B018
