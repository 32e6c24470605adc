from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservabilityConfig(AppConfig):
    name = "marketplace.observability"
    label = "observability"
    verbose_name = _("Observability")

    def ready(self) -> None:
        # Celery's signals are the one hook into every task's publication and run, in the web
        # processes and the workers alike; they carry request ids and count outcomes, never
        # domain logic.
        from marketplace.observability import metrics, request_id

        request_id.connect_signals()
        metrics.connect_task_signals()
