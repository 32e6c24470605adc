"""WSGI entry point for gunicorn: ``gunicorn marketplace.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

application = get_wsgi_application()

# Without a broker, durable work left pending (by a stopped process, by seed_demo) is done
# in this process, in the background, once due.
from marketplace.outbox.tasks import wake_for_pending  # noqa: E402 - needs the app loaded

wake_for_pending()
