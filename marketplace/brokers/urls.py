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
    # The broker ledger (issue 14 item 5).
    path("brokers/assignments/", views.assignment_queue, name="assignments"),
    path("brokers/assignments/new/", views.assignment_create, name="assignment_create"),
    path("brokers/assignments/<int:pk>/done/", views.assignment_done, name="assignment_done"),
    path("brokers/report/", views.centre_report, name="report"),
]
