from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrokersConfig(AppConfig):
    """The pages of transfer-centre brokers: their region's listings, recommending a match,
    the deals they brokered, and the broker ledger (``BrokerAssignment``: a centre assigns
    challenges and interests to its brokers). It reads listings, matching and deals, and
    writes through matching's services and its own. Nothing imports it."""

    name = "marketplace.brokers"
    label = "brokers"
    verbose_name = _("Brokers")

    def ready(self) -> None:
        from marketplace.brokers import handlers  # noqa: F401 - registers outbox handlers
