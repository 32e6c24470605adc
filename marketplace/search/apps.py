from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "marketplace.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from marketplace.search import handlers  # noqa: F401 - registers outbox handlers
