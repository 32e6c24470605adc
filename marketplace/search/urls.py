from django.urls import path

from marketplace.listings.choices import ListingKind
from marketplace.search import views

app_name = "search"

urlpatterns = [
    path(
        "achievements/",
        views.listing_search,
        {"kind": ListingKind.ACHIEVEMENT},
        name="achievement_list",
    ),
    path(
        "challenges/",
        views.listing_search,
        {"kind": ListingKind.CHALLENGE},
        name="challenge_list",
    ),
]
