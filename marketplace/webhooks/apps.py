from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Webhooks: an organisation's HTTPS endpoints told of its new matches, interests
    received and deal stage changes, through the outbox's durable work."""

    name = "marketplace.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        # Webhook deliveries are durable work of the outbox: its relay and services queue
        # them through this task (the services never import the tasks).
        from marketplace.outbox import kinds
        from marketplace.webhooks import services, tasks

        kinds.register(services.WEBHOOK_DELIVERIES, task=tasks.webhook_deliver)
