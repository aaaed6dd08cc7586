"""WSGI entry point, used by gunicorn in `make run` and in the container."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conflictmap.settings")
application = get_wsgi_application()
