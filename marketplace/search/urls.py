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
    path(
        "achievements/save-search/",
        views.saved_search_create,
        {"kind": ListingKind.ACHIEVEMENT},
        name="achievement_save_search",
    ),
    path(
        "challenges/save-search/",
        views.saved_search_create,
        {"kind": ListingKind.CHALLENGE},
        name="challenge_save_search",
    ),
    path("saved-searches/", views.saved_search_list, name="saved_search_list"),
    path("saved-searches/<int:pk>/delete/", views.saved_search_delete, name="saved_search_delete"),
]
