"""WSGI entry point (gunicorn config.wsgi). Refuses to start when the data keys do not match."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

from renda.core.keycheck import verify_keys  # noqa: E402  (needs the apps loaded above)

verify_keys()
