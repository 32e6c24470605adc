from django.core.management.base import BaseCommand

from marketplace.freshness.services import freshness_refresh, stale_listings_notify


class Command(BaseCommand):
    help = (
        "Score every published listing's freshness, then tell the owners of the stale ones "
        "(at most once per FRESHNESS_NOTIFY_DAYS). The hourly beat task does the same."
    )

    def handle(self, *args, **options) -> None:
        changed = freshness_refresh()
        told = stale_listings_notify()
        self.stdout.write(f"Rescored {changed} listing(s); told the owners of {told} stale one(s).")
