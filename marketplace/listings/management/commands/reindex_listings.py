from django.core.management.base import BaseCommand

from marketplace.listings.indexing import facet_counts_rebuild, listings_reindex
from marketplace.listings.models import Achievement, Challenge


class Command(BaseCommand):
    help = (
        "Recompute the search vectors (PostgreSQL) and facet keys of all listings, and the "
        "facet counts of the published ones; needed after the technical fields were re-parented."
    )

    def handle(self, *args, **options) -> None:
        for model in (Achievement, Challenge):
            count = listings_reindex(model)
            self.stdout.write(f"{model._meta.verbose_name_plural}: {count} reindexed")
        facet_counts_rebuild()
        self.stdout.write("facet counts recounted")
