from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo and benchmark data: it builds on every other room and none imports it."""

    name = "marketplace.demo"
    label = "demo"
    verbose_name = _("Demo data")
