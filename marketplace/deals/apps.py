from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "marketplace.deals"
    label = "deals"
    verbose_name = _("Deals")

    def ready(self) -> None:
        from marketplace.deals.selectors import listing_level
        from marketplace.listings.access import register_access_grant

        # Accepted interest opens the full description, an accepted NDA the confidential part.
        register_access_grant(listing_level)
