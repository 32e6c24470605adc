from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListingsConfig(AppConfig):
    name = "marketplace.listings"
    label = "listings"
    verbose_name = _("Listings")

    def ready(self) -> None:
        from marketplace.listings import handlers  # noqa: F401 - registers outbox handlers
