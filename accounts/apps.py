from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        # The first room to migrate checks that the server has what every room needs.
        from marketplace.database import check_server

        checks.register(check_server, checks.Tags.database)
        from accounts import handlers  # noqa: F401 - registers outbox handlers
