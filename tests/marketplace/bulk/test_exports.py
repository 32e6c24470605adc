"""An organisation's listings, matches and deals as CSV and XLSX."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from marketplace.matching.models import Match
from tests import factories


def table(response) -> list[list]:
    if response["Content-Type"].startswith("text/csv"):
        text = response.content.decode()
        assert text.startswith("\ufeff")
        return list(csv.reader(io.StringIO(text[1:])))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def owner(client_for, uni_user):
    return client_for(uni_user)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_listings_export_holds_the_organisations_listings_only(
    owner, university, enterprise, fmt
):
    factories.make_achievement(org=university, title='=HYPERLINK("http://evil")')
    factories.make_achievement(org=university, title="柔性钙钛矿", status="draft")
    factories.make_challenge(org=enterprise, title="Not ours")
    response = owner.get(reverse("bulk:export", args=["listings", fmt]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    rows = table(response)
    assert rows[0][:4] == ["Kind", "ID", "Title", "Status"]
    titles = sorted(str(r[2]) for r in rows[1:])
    # A cell that a spreadsheet would run as a formula is defused.
    assert titles == ['\'=HYPERLINK("http://evil")', "柔性钙钛矿"]


def test_the_matches_export_shows_each_match_from_our_side(owner, university, enterprise):
    ours = factories.make_achievement(org=university, title="Our offer")
    theirs = factories.make_challenge(org=enterprise, title="Their need")
    Match.objects.create(achievement=ours, challenge=theirs, score=77, reasons_en="Both work on it")
    rows = table(owner.get(reverse("bulk:export", args=["matches", "xlsx"])))
    assert len(rows) == 2
    assert rows[1][1] == "Our offer" and rows[1][3] == "Their need"
    assert rows[1][4] == enterprise.name and float(rows[1][5]) == 77
    assert rows[1][6] == "Both work on it"


def test_the_deals_export_answers_with_headers_even_when_empty(owner):
    rows = table(owner.get(reverse("bulk:export", args=["deals", "csv"])))
    assert rows[0][:2] == ["Deal ID", "Stage"] and len(rows) == 1


def test_exports_need_a_membership_and_a_known_table(client, client_for, outsider, owner):
    url = reverse("bulk:export", args=["listings", "csv"])
    assert client.get(url).status_code == 302  # to the log-in
    assert client_for(outsider).get(url).status_code == 403
    assert owner.get(reverse("bulk:export", args=["passwords", "csv"])).status_code == 404
    assert owner.get(reverse("bulk:export", args=["listings", "exe"])).status_code == 404
