from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulkConfig(AppConfig):
    """Spreadsheets in and out: listings imported from CSV or XLSX, an organisation's
    listings, matches and deals exported."""

    name = "marketplace.bulk"
    verbose_name = _("Imports and exports")

    def ready(self) -> None:
        from marketplace.bulk import handlers  # noqa: F401  (registers the event handlers)
