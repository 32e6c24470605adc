from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "marketplace.outbox"
    label = "outbox"
    verbose_name = _("Outbox")

    def ready(self) -> None:
        from marketplace.outbox import kinds, services, tasks

        kinds.register(services.EVENTS, task=tasks.event_dispatch)
