"""The deals room in admin: every list and record opens, filters work, nothing is writable."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketplace.deals import services
from marketplace.deals.models import (
    Contract,
    Conversation,
    ConversationRead,
    Deal,
    DealEvent,
    Interest,
    Message,
    MessageAttachment,
    NdaAcceptance,
)
from tests import factories
from tests.support.queries import assert_constant_queries

from .conftest import accept_nda, express

pytestmark = pytest.mark.django_db

MODELS = [
    Interest,
    Conversation,
    Message,
    MessageAttachment,
    ConversationRead,
    NdaAcceptance,
    Deal,
    DealEvent,
    Contract,
]


@pytest.fixture
def everything(conversation, ent_user, uni_user):
    services.message_send(
        conversation=conversation,
        user=ent_user,
        body="Files attached",
        files=[SimpleUploadedFile("spec.pdf", b"%PDF-1.4 x", content_type="application/pdf")],
    )
    accept_nda(conversation, ent_user)
    services.contract_record(
        deal=conversation.deal,
        user=uni_user,
        contract_type="service",
        value=Decimal("10"),
        currency="CNY",
        signed_on=date(2024, 1, 2),
    )
    return conversation


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_lists_and_records_open_read_only(model, everything, admin_user, client_for):
    client = client_for(admin_user)
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = client.get(changelist)
    assert response.status_code == 200
    obj = model.objects.first()
    response = client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    )
    assert response.status_code == 200
    assert b'type="submit" value="Save"' not in response.content
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403
    delete = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize(
    ("model", "query"),
    [
        (Interest, "?status__exact=accepted"),
        (Conversation, "?deal__stage=contract_signed"),
        (Deal, "?stage__exact=contract_signed&brokered_by__isempty=1"),
        (Contract, "?contract_type__exact=service"),
        (DealEvent, "?to_stage__exact=nda_signed"),
    ],
)
def test_filters(model, query, everything, admin_user, client_for):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + query
    response = client_for(admin_user).get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_message_files_link_to_the_checked_download(everything, admin_user, client_for):
    attachment = MessageAttachment.objects.get()
    url = reverse("admin:deals_messageattachment_changelist")
    html = client_for(admin_user).get(url).content.decode()
    assert reverse("deals:message_attachment_download", args=[attachment.pk]) in html
    assert "/media/" not in html


@pytest.mark.parametrize("name", ["message", "conversation", "interest", "deal", "contract"])
def test_the_lists_query_count_does_not_grow(name, university, uni_user, admin_user, client_for):
    client = client_for(admin_user)
    url = reverse(f"admin:deals_{name}_changelist")

    def signed_deals(n: int) -> None:
        for _ in range(n):
            sender = factories.make_user(org=factories.make_org(kind="enterprise"))
            listing = factories.make_achievement(university)
            conversation = services.interest_accept(
                interest=express(listing, sender), user=uni_user
            )
            services.message_send(conversation=conversation, user=sender, body="Hello")
            services.contract_record(
                deal=conversation.deal,
                user=uni_user,
                contract_type="service",
                value=Decimal("10"),
                currency="CNY",
                signed_on=date(2024, 1, 2),
            )

    lists = assert_constant_queries(signed_deals, lambda: client.get(url), few=1, many=4)
    assert lists.many.context["cl"].result_count == 4
