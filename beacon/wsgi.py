"""WSGI entry point for gunicorn or another WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beacon.settings")

application = get_wsgi_application()
