from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "marketplace.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Deliveries are durable work of the outbox: its relay and services queue them
        # through this task (the services never import the tasks).
        from marketplace.notifications import services, tasks
        from marketplace.outbox import kinds

        kinds.register(services.DELIVERIES, task=tasks.delivery_send)
