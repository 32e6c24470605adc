from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FreshnessConfig(AppConfig):
    """Fresh listings: a score per published listing from its age, its owner's answers and
    its expiry; stale ones told to their owners and shown to moderators (no models: the
    score lives on the listing)."""

    name = "marketplace.freshness"
    label = "freshness"
    verbose_name = _("Fresh listings")
