from django.urls import path

from marketplace.listings import views
from marketplace.listings.choices import ListingKind

app_name = "listings"


def _kind_urls(prefix: str, kind: str) -> list:
    """The same pages for achievements and challenges, named ``<kind>_<action>``."""
    k = {"kind": kind}
    return [
        path(f"{prefix}/new/", views.listing_create, k, name=f"{kind}_create"),
        path(f"{prefix}/<int:pk>/", views.listing_detail, k, name=f"{kind}_detail"),
        path(f"{prefix}/<int:pk>/edit/", views.listing_edit, k, name=f"{kind}_edit"),
        path(f"{prefix}/<int:pk>/feedback/", views.listing_feedback, k, name=f"{kind}_feedback"),
        path(f"{prefix}/<int:pk>/submit/", views.listing_submit, k, name=f"{kind}_submit"),
        path(f"{prefix}/<int:pk>/withdraw/", views.listing_withdraw, k, name=f"{kind}_withdraw"),
        path(f"{prefix}/<int:pk>/archive/", views.listing_archive, k, name=f"{kind}_archive"),
        path(f"{prefix}/<int:pk>/renew/", views.listing_renew, k, name=f"{kind}_renew"),
        path(
            f"{prefix}/<int:pk>/confirm/",
            views.listing_confirm_current,
            k,
            name=f"{kind}_confirm_current",
        ),
        path(f"{prefix}/<int:pk>/delete/", views.listing_delete, k, name=f"{kind}_delete"),
        path(
            f"{prefix}/<int:pk>/attachments/",
            views.attachment_upload,
            k,
            name=f"{kind}_attachment_upload",
        ),
    ]


urlpatterns = [
    *_kind_urls("achievements", ListingKind.ACHIEVEMENT),
    *_kind_urls("challenges", ListingKind.CHALLENGE),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
