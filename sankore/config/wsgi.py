"""WSGI entry point for gunicorn: ``gunicorn sankore.config.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sankore.config.settings")

application = get_wsgi_application()
