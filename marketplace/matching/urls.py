from django.urls import path

from marketplace.listings.choices import ListingKind
from marketplace.matching import views

app_name = "matching"

urlpatterns = [
    path(
        "achievements/<int:pk>/matches/",
        views.match_list,
        {"kind": ListingKind.ACHIEVEMENT},
        name="achievement_matches",
    ),
    path(
        "challenges/<int:pk>/matches/",
        views.match_list,
        {"kind": ListingKind.CHALLENGE},
        name="challenge_matches",
    ),
    path("matches/<int:pk>/dismiss/", views.match_dismiss, name="match_dismiss"),
    path("matches/<int:pk>/restore/", views.match_restore, name="match_restore"),
    path("matches/<int:pk>/feedback/", views.match_feedback, name="match_feedback"),
]
