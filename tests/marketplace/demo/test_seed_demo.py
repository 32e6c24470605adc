"""The demo data: believable, complete, in every status, and never mixed into a real database."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import Organization, User
from marketplace.listings.choices import ListingStatus
from marketplace.listings.models import Achievement, Challenge
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_an_empty_database_once(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "admin@keqiao.local" in out
    assert Achievement.objects.count() >= 40
    assert Challenge.objects.count() >= 20
    for model in (Achievement, Challenge):
        statuses = set(model.objects.values_list("status", flat=True))
        assert statuses == set(ListingStatus.values), model
    names = set(Organization.objects.values_list("name_en", flat=True))
    assert {
        "Southern University of Science and Technology",
        "Zhejiang University",
        "Xi'an Jiaotong University",
        "Fudan University",
    } <= names
    assert Organization.objects.filter(kind="transfer_centre").exists()
    assert Organization.objects.filter(is_verified=False).exists()
    assert User.objects.get(email="admin@keqiao.local").is_superuser
    # The log-ins the README prints work: every demo account is open (its address
    # confirmed) and has the demo password.
    for email in ("tto@sustech.demo", "rd@shenxin.demo", "broker@gba-ttc.demo"):
        person = User.objects.get(email=email)
        assert person.is_active and person.check_password("keqiao-demo-2026"), email
    assert not User.objects.filter(is_active=False).exists()
    # Bilingual: some listings in English, most in Chinese.
    titles = list(Achievement.objects.values_list("title", flat=True))
    assert any(t.isascii() for t in titles) and any(not t.isascii() for t in titles)

    before = (User.objects.count(), Achievement.objects.count())
    call_command("seed_demo")
    assert "already present" in capsys.readouterr().out
    assert (User.objects.count(), Achievement.objects.count()) == before


def test_seed_demo_leaves_a_database_with_real_users_alone(capsys):
    make_user(email="real.person@example.org")
    call_command("seed_demo")
    assert "not adding demo data" in capsys.readouterr().out
    assert not Achievement.objects.exists()
    assert User.objects.count() == 1
