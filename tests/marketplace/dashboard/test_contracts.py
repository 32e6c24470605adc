"""The reports' contract figures by type, technical field and broker, and a region's
contracts in the registration layout (技术合同认定登记) for a period."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from marketplace.deals.models import Contract
from marketplace.listings.models import TechnicalField

from .support import PERIOD_QUERY
from .test_views import MATRIX, csv_rows, csv_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(dataset, broker):
    """K1 (CNY 1,000,000, Guangdong, 2025-03) a development contract in a sub-field, with
    800,000 of technology income, brokered by the Guangdong broker."""
    sub_field = TechnicalField.objects.filter(parent__isnull=False).order_by("code").first()
    k1 = Contract.objects.get(value=Decimal("1000000"))
    k1.contract_type = "development"
    k1.technical_field = sub_field
    k1.technology_income = Decimal("800000")
    k1.save()
    k1.deal.brokered_by = broker
    k1.deal.save()
    return k1, sub_field


def test_value_by_type(registered, moderator, client_for):
    rows = csv_rows(client_for(moderator).get(f"{csv_url('contracts-by-type')}?{PERIOD_QUERY}"))
    assert rows[0] == [
        "Contract type",
        "Contracts",
        "Value (CNY)",
        "Technology income (CNY)",
        "Value (USD)",
        "Technology income (USD)",
    ]
    assert rows[1] == ["Technology development", "1", "1000000.00", "800000.00", "0.00", "0.00"]
    assert rows[2] == ["Technology transfer", "3", "200000.00", "0.00", "90000.00", "0.00"]
    assert rows[-1] == ["All contracts", "4", "1200000.00", "800000.00", "90000.00", "0.00"]


def test_value_by_field_counts_a_sub_field_for_its_top_field(registered, moderator, client_for):
    _k1, sub_field = registered
    rows = csv_rows(client_for(moderator).get(f"{csv_url('contracts-by-field')}?{PERIOD_QUERY}"))
    by_label = {row[0]: row[1:3] for row in rows[1:]}
    assert by_label[str(sub_field.parent)] == ["1", "1000000.00"]
    assert by_label["Field not given"] == ["3", "200000.00"]


def test_value_by_broker(registered, broker, client_for):
    rows = csv_rows(client_for(broker).get(f"{csv_url('contracts-by-broker')}?{PERIOD_QUERY}"))
    by_label = {row[0]: row[1:3] for row in rows[1:]}
    assert by_label[broker.full_name or broker.email] == ["1", "1000000.00"]
    # Guangdong only: K7 (CNY 200,000) and K8 (USD) without a broker.
    assert by_label["No broker"] == ["2", "200000.00"]


def _registration(client, fmt="xlsx", query=PERIOD_QUERY):
    return client.get(f"{reverse('dashboard:contracts_registration', args=[fmt])}?{query}")


def test_a_centre_downloads_its_regions_registration_list(registered, broker, client_for):
    response = _registration(client_for(broker))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = ([c.value for c in r] for r in sheet.iter_rows())
    assert header[:3] == ["Contract name", "Contract number", "Contract type"]
    assert len(rows) == 3  # K7, K1, K8: Guangdong listings, signed in 2025
    k1 = next(dict(zip(header, r, strict=True)) for r in rows if r[2] == "Technology development")
    assert k1["Technology income"] == 800000
    assert k1["Technology broker"] == (registered[0].deal.brokered_by.full_name)


@pytest.mark.parametrize(("who", "code"), MATRIX)
def test_registration_list_has_the_reports_permissions(who, code, people, client_for):
    assert _registration(client_for(people[who]), "csv").status_code == code


def test_registration_list_refuses_bad_dates_and_formats(broker, client_for):
    client = client_for(broker)
    assert _registration(client, "csv", "from=2025-13-01").status_code == 400
    assert _registration(client, "pdf").status_code == 404
    assert _registration(client, "csv", "region=zhejiang").status_code == 403
