"""WSGI entry point (gunicorn dpti.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dpti.settings")
application = get_wsgi_application()
