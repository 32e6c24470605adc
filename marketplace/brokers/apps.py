from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrokersConfig(AppConfig):
    """The pages of transfer-centre brokers: their region's listings, recommending a match,
    the deals they brokered. No models: it reads listings, matching and deals, and writes
    through matching's services. Nothing imports it."""

    name = "marketplace.brokers"
    label = "brokers"
    verbose_name = _("Brokers")
