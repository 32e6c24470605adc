from django.urls import path

from marketplace.deals import views
from marketplace.listings.choices import ListingKind

app_name = "deals"

urlpatterns = [
    # Expressing interest in a listing: ``<kind>_interest`` (``?match=<id>`` from a match).
    path(
        "achievements/<int:pk>/interest/",
        views.interest_create,
        {"kind": ListingKind.ACHIEVEMENT},
        name="achievement_interest",
    ),
    path(
        "challenges/<int:pk>/interest/",
        views.interest_create,
        {"kind": ListingKind.CHALLENGE},
        name="challenge_interest",
    ),
    path("interests/received/", views.interest_received, name="interest_received"),
    path("interests/sent/", views.interest_sent, name="interest_sent"),
    path("interests/<int:pk>/", views.interest_detail, name="interest_detail"),
    path("interests/<int:pk>/accept/", views.interest_accept, name="interest_accept"),
    path("interests/<int:pk>/decline/", views.interest_decline, name="interest_decline"),
    path("conversations/", views.conversation_list, name="conversation_list"),
    path("conversations/<int:pk>/", views.conversation_detail, name="conversation_detail"),
    path("conversations/<int:pk>/messages/", views.message_send, name="message_send"),
    path("conversations/<int:pk>/nda/", views.nda_accept, name="nda_accept"),
    path("conversations/<int:pk>/deal/advance/", views.deal_advance, name="deal_advance"),
    path("conversations/<int:pk>/deal/lost/", views.deal_close_lost, name="deal_close_lost"),
    path("conversations/<int:pk>/deal/reopen/", views.deal_reopen, name="deal_reopen"),
    path("conversations/<int:pk>/contract/", views.contract_record, name="contract_record"),
    # Price notices (公示) of agreed prices: announced in a deal, public, open to objections.
    path("conversations/<int:pk>/price/", views.price_announce, name="price_announce"),
    path("price-notices/", views.notice_list, name="notice_list"),
    path("price-notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path(
        "messages/attachments/<int:pk>/",
        views.message_attachment_download,
        name="message_attachment_download",
    ),
    path(
        "conversations/<int:pk>/contract/registration/",
        views.contract_registration,
        name="contract_registration",
    ),
    path(
        "conversations/<int:pk>/contract/registration.pdf",
        views.contract_registration_pdf,
        name="contract_registration_pdf",
    ),
    path("contracts/export.csv", views.contract_export, name="contract_export"),
    path("contracts/export.<str:fmt>", views.contract_export, name="contract_export_as"),
]
