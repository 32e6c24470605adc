"""The registration of technology contracts (技术合同认定登记): the fields asked beyond type,
value and date, filled in when recording the contract or later; the printable sheet, its PDF,
and the organisation's export in the registration layout."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from marketplace.deals import services
from marketplace.deals.models import Contract
from marketplace.listings.models import TechnicalField
from marketplace.refusals import Refused

pytestmark = pytest.mark.django_db


def _sign(conversation, user, **kw):
    data = {
        "contract_type": "transfer",
        "value": Decimal("1000000"),
        "currency": "CNY",
        "signed_on": date(2025, 3, 1),
    }
    data.update(kw)
    return services.contract_record(deal=conversation.deal, user=user, **data)


def test_recording_defaults_the_name_and_field_to_the_listing(conversation, uni_user, achievement):
    contract = _sign(
        conversation, uni_user, number="ZJU-2025-17", technology_income=Decimal("800000")
    )
    assert contract.title == achievement.title
    assert contract.technical_field == achievement.fields.order_by("code").first()
    assert (contract.number, contract.technology_income) == ("ZJU-2025-17", Decimal("800000"))


@pytest.mark.parametrize(
    ("registration", "field"),
    [
        ({"technology_income": Decimal("1000000.01")}, "technology_income"),
        ({"technology_income": Decimal("-1")}, "technology_income"),
        ({"valid_from": date(2025, 5, 1), "valid_until": date(2025, 4, 30)}, "valid_until"),
    ],
)
def test_what_does_not_add_up_is_refused_and_nothing_is_signed(
    registration, field, conversation, uni_user
):
    with pytest.raises(Refused) as refused:
        _sign(conversation, uni_user, **registration)
    assert field in refused.value.fields
    assert not Contract.objects.exists()
    conversation.deal.refresh_from_db()
    assert conversation.deal.stage != "contract_signed"


def test_either_party_completes_the_registration_later(conversation, uni_user, ent_user):
    contract = _sign(conversation, uni_user)
    field = TechnicalField.objects.order_by("code").last()
    services.contract_update_registration(
        contract=contract,
        user=ent_user,
        title="  Licence of the perovskite encapsulation  ",
        number="",
        technology_income=Decimal("600000"),
        valid_from=date(2025, 3, 1),
        valid_until=date(2028, 2, 28),
        technical_field=field,
    )
    contract.refresh_from_db()
    assert contract.title == "Licence of the perovskite encapsulation"
    assert contract.technology_income == Decimal("600000")
    assert contract.technical_field == field


def test_an_empty_name_keeps_the_one_there(conversation, uni_user, achievement):
    contract = _sign(conversation, uni_user)
    services.contract_update_registration(contract=contract, user=uni_user, title=" ")
    contract.refresh_from_db()
    assert contract.title == achievement.title


def test_someone_outside_the_deal_cannot_change_the_registration(conversation, uni_user, outsider):
    contract = _sign(conversation, uni_user)
    with pytest.raises(Refused):
        services.contract_update_registration(contract=contract, user=outsider, number="X")
    contract.refresh_from_db()
    assert contract.number == ""


def _sheet(pk):
    return reverse("deals:contract_registration", args=[pk])


def test_the_sheet_lists_what_is_still_missing(client_for, conversation, uni_user):
    _sign(conversation, uni_user)
    response = client_for(uni_user).get(_sheet(conversation.pk))
    assert response.status_code == 200
    missing = response.context["registration"].missing
    assert "Contract number" in missing
    assert "Technology provider: unified social credit code" in missing
    assert "Contract name" not in missing  # the listing's title stands in
    html = response.content.decode()
    assert "1,000,000.00" in html and "2025-03-01" in html  # amounts grouped, dates ISO


def test_the_sheet_form_saves_and_refuses_bad_input(client_for, conversation, uni_user):
    contract = _sign(conversation, uni_user)
    client = client_for(uni_user)
    bad = client.post(_sheet(conversation.pk), {"technology_income": "2000000"})
    assert bad.status_code == 400
    assert "technology_income" in bad.context["form"].errors
    ok = client.post(_sheet(conversation.pk), {"number": "HT-1", "technology_income": "5"})
    assert ok.status_code == 302
    contract.refresh_from_db()
    assert (contract.number, contract.technology_income) == ("HT-1", Decimal("5"))


@pytest.mark.parametrize(("who", "get", "post"), [("outsider", 404, 404), ("moderator", 200, 403)])
def test_sheet_permissions(who, get, post, cast, client_for, conversation, uni_user):
    _sign(conversation, uni_user)
    client = client_for(cast[who])
    assert client.get(_sheet(conversation.pk)).status_code == get
    assert client.post(_sheet(conversation.pk), {"number": "X"}).status_code == post
    assert Contract.objects.get().number == ""


def test_no_sheet_before_the_contract(client_for, conversation, uni_user):
    assert client_for(uni_user).get(_sheet(conversation.pk)).status_code == 404


def test_the_pdf_is_a_pdf_for_the_parties(client_for, conversation, uni_user, outsider):
    _sign(conversation, uni_user)
    url = reverse("deals:contract_registration_pdf", args=[conversation.pk])
    response = client_for(uni_user).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]
    assert client_for(outsider).get(url).status_code == 404


def test_the_export_as_xlsx_in_the_registration_layout(
    client_for, conversation, uni_user, university
):
    university.credit_code = "91350100M000100Y43"
    university.save()
    _sign(conversation, uni_user, technology_income=Decimal("700000"))
    response = client_for(uni_user).get(reverse("deals:contract_export_as", args=["xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, row = ([c.value for c in r] for r in sheet.iter_rows(max_row=2))
    values = dict(zip(header, row, strict=True))
    assert values["Technology provider: unified social credit code"] == "91350100M000100Y43"
    assert values["Technology income"] == 700000
    assert (
        client_for(uni_user).get(reverse("deals:contract_export_as", args=["pdf"])).status_code
        == 404
    )
