from django.core.management.base import BaseCommand

from marketplace.listings.indexing import listings_reindex
from marketplace.listings.models import Achievement, Challenge


class Command(BaseCommand):
    help = "Recompute the full-text search vectors of all listings (PostgreSQL)."

    def handle(self, *args, **options) -> None:
        for model in (Achievement, Challenge):
            count = listings_reindex(model)
            self.stdout.write(f"{model._meta.verbose_name_plural}: {count} reindexed")
