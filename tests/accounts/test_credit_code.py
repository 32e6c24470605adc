"""The unified social credit code (GB 32100-2015) on organisations: the check digit, what
people type (spaces, small letters), and one code per organisation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.credit_code import check_character, normalised, validate_credit_code

pytestmark = pytest.mark.django_db

# Published codes: a Fujian enterprise, a Beijing company, a public institution.
VALID = ["91350100M000100Y43", "91110000802100433B", "12100000400000624D"]
EDIT_URL = reverse("accounts:organization_edit")


@pytest.mark.parametrize("code", VALID)
def test_published_codes_pass_the_check(code):
    assert check_character(code[:17]) == code[17]
    validate_credit_code(code)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y44", "check"),  # last character changed
        ("91350100M000100Y4", "length"),
        ("91350100M000100I43", "alphabet"),  # I is not in the alphabet
        ("", "length"),
    ],
)
def test_wrong_codes_are_refused_with_the_reason(code, reason):
    with pytest.raises(ValidationError) as refused:
        validate_credit_code(code)
    assert refused.value.code == reason


def test_typed_spaces_and_small_letters_are_taken_out():
    assert normalised(" 91350100 m000-100y43 ") == "91350100M000100Y43"


def _edit(code):
    return {
        "name_en": "",
        "region": "zhejiang",
        "website": "",
        "description": "",
        "credit_code": code,
    }


def test_owner_enters_the_code_as_printed(client_for, uni_user, university):
    response = client_for(uni_user).post(EDIT_URL, _edit("9135 0100 m000 100Y43"))
    assert response.status_code == 302
    university.refresh_from_db()
    assert university.credit_code == "91350100M000100Y43"
    page = client_for(uni_user).get(reverse("accounts:organization")).content.decode()
    assert "91350100M000100Y43" in page


def test_a_code_that_does_not_add_up_is_a_400_and_saves_nothing(client_for, uni_user, university):
    response = client_for(uni_user).post(EDIT_URL, _edit("91350100M000100Y44"))
    assert response.status_code == 400
    assert "check digit" in str(response.context["organization_form"].errors["credit_code"])
    university.refresh_from_db()
    assert university.credit_code == ""


def test_two_organisations_cannot_share_a_code(
    client_for, uni_user, ent_user, university, enterprise
):
    assert client_for(uni_user).post(EDIT_URL, _edit(VALID[0])).status_code == 302
    response = client_for(ent_user).post(EDIT_URL, _edit(VALID[0]))
    assert response.status_code == 400
    assert "Another organisation" in str(response.context["organization_form"].errors)
    enterprise.refresh_from_db()
    assert enterprise.credit_code == ""


def test_many_organisations_may_have_no_code_yet(client_for, uni_user, ent_user, enterprise):
    assert client_for(uni_user).post(EDIT_URL, _edit("")).status_code == 302
    assert client_for(ent_user).post(EDIT_URL, _edit("")).status_code == 302
