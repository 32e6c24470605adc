"""The Celery application.

Configured from Django settings (``CELERY_*``). With no broker configured the settings make
every task run in-process (eager), so ``make run`` needs no Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
