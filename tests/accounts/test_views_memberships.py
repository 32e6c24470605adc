"""Answering requests to join an organisation: the permission matrix of approving and
declining, and answers given twice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Membership
from tests import factories

from .support import ORGANIZATION, _messages

pytestmark = pytest.mark.django_db


# --- answering requests to join -------------------------------------------------------------


def _answer_url(answer, membership):
    return reverse(f"accounts:membership_{answer}", args=[membership.pk])


@pytest.mark.parametrize("answer", ["approve", "decline"])
@pytest.mark.parametrize(
    ("row", "code"),
    [
        ("visitor", 302),
        ("owner", 302),
        ("member", 403),
        ("pending", 403),
        ("other_org", 404),
        ("outsider", 403),
        ("moderator", 403),
    ],
)
def test_membership_answer_matrix(
    answer, row, code, who, applicant, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    membership = applicant.membership
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(who[row]).post(_answer_url(answer, membership))
    assert response.status_code == code
    after = Membership.objects.filter(pk=membership.pk).values_list("status", flat=True).first()
    if row == "owner":
        assert response.url == ORGANIZATION
        assert after == ("active" if answer == "approve" else None)
        assert [m.to for m in mailoutbox] == [[applicant.email]]
    else:
        assert after == "pending"
        assert mailoutbox == []


def test_another_organisations_request_is_404(client_for, uni_user, enterprise):
    theirs = factories.make_user(org=enterprise, status="pending")
    for answer in ("approve", "decline"):
        response = client_for(uni_user).post(_answer_url(answer, theirs.membership))
        assert response.status_code == 404
    assert Membership.objects.get(user=theirs).status == "pending"


def test_approving_twice_shows_a_message(client_for, uni_user, applicant):
    client = client_for(uni_user)
    client.post(_answer_url("approve", applicant.membership))
    response = client.post(_answer_url("approve", applicant.membership))
    assert (response.status_code, response.url) == (302, ORGANIZATION)
    assert any("already been answered" in m for m in _messages(response))
    assert Membership.objects.get(user=applicant).status == "active"


def test_declining_an_active_member_shows_a_message(client_for, uni_user, uni_colleague):
    response = client_for(uni_user).post(_answer_url("decline", uni_colleague.membership))
    assert response.status_code == 302
    assert any("already been answered" in m for m in _messages(response))
    assert Membership.objects.get(user=uni_colleague).status == "active"


def test_declining_twice_is_404(client_for, uni_user, applicant):
    client = client_for(uni_user)
    url = _answer_url("decline", applicant.membership)
    client.post(url)
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("answer", ["approve", "decline"])
def test_membership_answers_refuse_get(answer, client_for, uni_user, applicant):
    assert client_for(uni_user).get(_answer_url(answer, applicant.membership)).status_code == 405
    assert Membership.objects.get(user=applicant).status == "pending"
