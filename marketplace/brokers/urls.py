from django.urls import path

from marketplace.brokers import views
from marketplace.listings.choices import ListingKind

app_name = "brokers"

urlpatterns = [
    path("brokers/region/", views.region_listings, name="region"),
    path(
        "brokers/recommend/achievement/<int:pk>/",
        views.match_recommend,
        {"kind": ListingKind.ACHIEVEMENT},
        name="achievement_recommend",
    ),
    path(
        "brokers/recommend/challenge/<int:pk>/",
        views.match_recommend,
        {"kind": ListingKind.CHALLENGE},
        name="challenge_recommend",
    ),
    path("brokers/deals/", views.deal_list, name="deal_list"),
]
