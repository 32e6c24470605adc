"""Create and edit forms: valid input lands through the services, bad input gets a clear
message on the field and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from marketplace.listings.models import Achievement, Challenge
from tests.factories import make_achievement, make_challenge

pytestmark = pytest.mark.django_db


def achievement_post(**overrides):
    data = {
        "title": "固态电池电解质",
        "summary": "A sulfide solid electrolyte with high ionic conductivity.",
        "description": "Full description.",
        "technical_fields": ["energy-battery"],
        "keywords": "固态电池, electrolyte，硫化物",
        "region": "shaanxi",
        "trl": "5",
        "ip_status": "invention_pending",
        "patent_numbers": "CN115000002A",
        "transaction_modes": ["licence", "joint_development"],
        "price_negotiable": "",
        "asking_price": "2500000",
        "team": "",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def challenge_post(**overrides):
    data = {
        "title": "Battery thermal runaway early warning",
        "summary": "We need a sensor that warns before thermal runaway.",
        "description": "Full description.",
        "confidential_details": "Our pack design.",
        "technical_fields": ["energy-battery"],
        "keywords": "thermal runaway, BMS",
        "region": "fujian",
        "budget_min": "500000",
        "budget_max": "2000000",
        "deadline": (timezone.localdate() + timedelta(days=60)).isoformat(),
        "cooperation_modes": ["joint_development"],
        "min_trl": "6",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_create_achievement(client_for, uni_user, university):
    response = client_for(uni_user).post(reverse("listings:achievement_create"), achievement_post())
    achievement = Achievement.objects.get()
    assert response.status_code == 302
    assert response.url == achievement.get_absolute_url()
    assert achievement.status == "draft"
    assert achievement.organization == university
    assert achievement.keywords == ["固态电池", "electrolyte", "硫化物"]
    assert [f.code for f in achievement.fields.all()] == ["energy-battery"]
    assert achievement.asking_price == 2500000


def test_create_challenge(client_for, ent_user, enterprise):
    response = client_for(ent_user).post(reverse("listings:challenge_create"), challenge_post())
    challenge = Challenge.objects.get()
    assert response.status_code == 302
    assert challenge.organization == enterprise
    assert challenge.cooperation_modes == ["joint_development"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "required"),
        ({"technical_fields": []}, "technical_fields", "required"),
        ({"technical_fields": ["no-such-field"]}, "technical_fields", "valid choice"),
        (
            {"technical_fields": ["ai", "ic", "energy", "it", "biomed", "materials"]},
            "technical_fields",
            "at most five",
        ),
        ({"trl": "10"}, "trl", "valid choice"),
        ({"trl": "abc"}, "trl", "valid choice"),
        ({"ip_status": "stolen"}, "ip_status", "valid choice"),
        ({"transaction_modes": []}, "transaction_modes", "required"),
        ({"transaction_modes": ["barter"]}, "transaction_modes", "valid choice"),
        ({"asking_price": ""}, "asking_price", "asking price"),
        ({"asking_price": "-5"}, "asking_price", "greater than or equal to 0"),
        ({"asking_price": "lots"}, "asking_price", "number"),
        ({"patent_numbers": ""}, "patent_numbers", "patent"),
        ({"keywords": ", ".join(f"k{i}" for i in range(13))}, "keywords", "at most 12"),
        ({"keywords": "x" * 41}, "keywords", "40 characters"),
        ({"region": "atlantis"}, "region", "valid choice"),
        ({"contact_email": "not-an-email"}, "contact_email", "valid email"),
    ],
)
def test_achievement_form_errors(client_for, uni_user, overrides, field, message):
    response = client_for(uni_user).post(
        reverse("listings:achievement_create"), achievement_post(**overrides)
    )
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert not Achievement.objects.exists()


def test_negotiable_price_drops_the_asking_price(client_for, uni_user):
    client_for(uni_user).post(
        reverse("listings:achievement_create"),
        achievement_post(price_negotiable="on", asking_price="100"),
    )
    achievement = Achievement.objects.get()
    assert achievement.price_negotiable is True
    assert achievement.asking_price is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"deadline": (timezone.localdate() - timedelta(days=1)).isoformat()},
            "deadline",
            "today or later",
        ),
        ({"deadline": "31/12/2027x"}, "deadline", "valid date"),
        ({"budget_min": "9000000", "budget_max": "100"}, "budget_max", "not be below"),
        ({"min_trl": "0"}, "min_trl", "valid choice"),
        ({"cooperation_modes": []}, "cooperation_modes", "required"),
        ({"summary": "x" * 1001}, "summary", "at most 1000"),
    ],
)
def test_challenge_form_errors(client_for, ent_user, overrides, field, message):
    response = client_for(ent_user).post(
        reverse("listings:challenge_create"), challenge_post(**overrides)
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Challenge.objects.exists()


def test_edit_published_listing_sends_it_back_to_review(client_for, uni_user, university):
    listing = make_achievement(university, user=uni_user)
    response = client_for(uni_user).post(
        reverse("listings:achievement_edit", args=[listing.pk]),
        achievement_post(title="Better title"),
        follow=True,
    )
    listing.refresh_from_db()
    assert (listing.title, listing.status) == ("Better title", "pending")
    assert any("back to review" in str(m) for m in response.context["messages"])


def test_invalid_edit_changes_nothing(client_for, uni_user, university):
    listing = make_challenge(university, title="Original")
    response = client_for(uni_user).post(
        reverse("listings:challenge_edit", args=[listing.pk]),
        challenge_post(title="Changed", budget_min="10", budget_max="1"),
    )
    assert response.status_code == 400
    listing.refresh_from_db()
    assert (listing.title, listing.status) == ("Original", "published")


def test_edit_form_is_prefilled(client_for, uni_user, university):
    listing = make_achievement(university, keywords=["光刻胶", "EUV"])
    response = client_for(uni_user).get(reverse("listings:achievement_edit", args=[listing.pk]))
    form = response.context["form"]
    assert form.initial["technical_fields"] == ["ic-lithography"]
    assert "光刻胶, EUV" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ", "not accepted"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_bad_attachments_are_refused(client_for, uni_user, university, name, content, message):
    listing = make_achievement(university)
    response = client_for(uni_user).post(
        reverse("listings:achievement_attachment_upload", args=[listing.pk]),
        {"file": SimpleUploadedFile(name, content), "title": "x"},
        follow=True,
    )
    assert listing.attachments.count() == 0
    assert any(message in str(m) for m in response.context["messages"])


def test_oversized_attachment_is_refused(client_for, uni_user, university, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    listing = make_achievement(university)
    response = client_for(uni_user).post(
        reverse("listings:achievement_attachment_upload", args=[listing.pk]),
        {"file": SimpleUploadedFile("big.pdf", b"x" * 11)},
        follow=True,
    )
    assert listing.attachments.count() == 0
    assert any("larger than" in str(m) for m in response.context["messages"])
