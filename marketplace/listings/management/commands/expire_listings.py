from django.core.management.base import BaseCommand

from marketplace.listings.services import listings_expire_due


class Command(BaseCommand):
    help = "Expire achievements past their 12 months and challenges past their deadline."

    def handle(self, *args, **options) -> None:
        count = listings_expire_due()
        self.stdout.write(f"Expired {count} listing(s).")
