"""The dashboard page and its CSV exports: the permission matrix, regions, filters and bad
query strings, exact numbers in the tables and the CSV files, charts, query counts."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.dashboard.selectors import FIGURES, Period
from marketplace.spreadsheets import BOM, safe_cell
from tests.support.queries import assert_constant_queries

from .support import PERIOD_QUERY, grow

pytestmark = pytest.mark.django_db

PAGE = reverse("dashboard:overview")
MATRIX = [
    ("visitor", 302),
    ("university", 403),
    ("enterprise", 403),
    ("outsider", 403),
    ("unverified_centre", 403),
    ("broker", 200),
    ("other_broker", 200),
    ("moderator", 200),
    ("admin", 200),
]


def csv_url(key: str) -> str:
    return reverse("dashboard:figure_csv", args=[key])


def csv_rows(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body[len(BOM) :])))


def page_table(response, key: str) -> dict[str, list]:
    for figure, _charts in response.context["figures"]:
        if figure.key == key:
            rows = {row.label: row.cells for row in figure.table.rows}
            if figure.table.total:
                rows["TOTAL"] = figure.table.total.cells
            return rows
    raise AssertionError(key)


# --- Who may see what -----------------------------------------------------------------------


@pytest.mark.parametrize(("who", "code"), MATRIX)
def test_page_permissions(who, code, people, client_for):
    response = client_for(people[who]).get(PAGE)
    assert response.status_code == code
    if who == "visitor":
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("key", list(FIGURES))
@pytest.mark.parametrize(("who", "code"), MATRIX)
def test_every_csv_export_has_the_page_permissions(who, code, key, people, client_for):
    response = client_for(people[who]).get(csv_url(key))
    assert response.status_code == code
    if code == 200:
        assert response["Content-Type"] == "text/csv; charset=utf-8"
    if who == "visitor":
        assert response.url.startswith(reverse("accounts:login"))


def test_navbar_link_only_for_brokers_and_moderators(people, client_for):
    for who in ("broker", "moderator"):
        assert PAGE.encode() in client_for(people[who]).get(reverse("home")).content
    for who in ("university", "unverified_centre"):
        assert PAGE.encode() not in client_for(people[who]).get(reverse("home")).content


def test_broker_sees_their_centres_region_without_a_selector(dataset, broker, client_for):
    response = client_for(broker).get(f"{PAGE}?{PERIOD_QUERY}")
    assert response.context["filters"].region == "guangdong"
    assert "region" not in response.context["form"].fields
    assert page_table(response, "matches")["TOTAL"] == [3]
    assert "Reports · Guangdong" in response.content.decode()


def test_brokers_of_another_region_see_theirs(dataset, other_broker, client_for):
    response = client_for(other_broker).get(f"{PAGE}?{PERIOD_QUERY}")
    assert response.context["filters"].region == "zhejiang"
    assert page_table(response, "matches")["TOTAL"] == [2]
    assert page_table(response, "interests")["TOTAL"] == [1]


@pytest.mark.parametrize("url", [PAGE, reverse("dashboard:figure_csv", args=["matches"])])
def test_a_broker_cannot_ask_for_another_region(url, dataset, broker, client_for):
    client = client_for(broker)
    assert client.get(f"{url}?region=zhejiang&{PERIOD_QUERY}").status_code == 403
    assert client.get(f"{url}?region=nowhere").status_code == 403
    assert client.get(f"{url}?region=guangdong&{PERIOD_QUERY}").status_code == 200


def test_moderators_see_all_regions_or_the_one_they_choose(dataset, moderator, client_for):
    client = client_for(moderator)
    everything = client.get(f"{PAGE}?{PERIOD_QUERY}")
    assert everything.context["filters"].region is None
    assert "region" in everything.context["form"].fields
    assert page_table(everything, "matches")["TOTAL"] == [4]
    assert 'name="region"' in everything.content.decode()

    zhejiang = client.get(f"{PAGE}?{PERIOD_QUERY}&region=zhejiang")
    assert zhejiang.context["filters"].region == "zhejiang"
    assert page_table(zhejiang, "matches")["TOTAL"] == [2]
    # The exports of the page carry its filters.
    assert f"{csv_url('matches')}?from=2025-01-01&amp;to=2025-12-31&amp;region=zhejiang" in (
        zhejiang.content.decode()
    )


def test_csv_of_a_chosen_region(dataset, admin_user, client_for):
    response = client_for(admin_user).get(f"{csv_url('interests')}?{PERIOD_QUERY}&region=zhejiang")
    assert csv_rows(response) == [
        ["Status", "Expressions of interest"],
        ["Waiting for an answer", "0"],
        ["Accepted", "1"],
        ["Declined", "0"],
        ["All expressions of interest", "1"],
    ]
    assert response["Content-Disposition"] == (
        'attachment; filename="keqiao-interests-zhejiang-2025-01-01-2025-12-31.csv"'
    )


# --- Exact numbers on the page and in the CSV files -----------------------------------------


def test_page_tables_have_the_figures(dataset, broker, client_for):
    response = client_for(broker).get(f"{PAGE}?{PERIOD_QUERY}")
    assert page_table(response, "achievements")["TOTAL"] == [1, 0, 2, 1, 0, 0, 4]
    assert page_table(response, "deals")["Contract signed"] == [3]
    assert page_table(response, "conversations")["TOTAL"] == [3, 2, 5]
    headline = {label: value for label, value, _exact in response.context["headline"]}
    assert headline["Matches"] == 3
    assert headline["Expressions of interest"] == 7
    assert headline["Conversations"] == 5
    assert headline["Deals"] == 5
    assert headline["Contracts signed"] == 3
    assert headline["Value (CNY)"] == "1.2M"
    assert "1,200,000.00" in response.content.decode()
    html = response.content.decode()
    # The table as people read it: separators, per cent, a dash for no rate.
    assert '<td class="text-end">1,000,000.00</td>' in html
    assert '<td class="text-end">66.7%</td>' in html
    assert '<td class="text-end">—</td>' in html


def test_csv_achievements(dataset, broker, client_for):
    response = client_for(broker).get(f"{csv_url('achievements')}?{PERIOD_QUERY}")
    assert csv_rows(response) == [
        [
            "Technical field",
            "Draft",
            "Pending review",
            "Published",
            "Rejected",
            "Archived",
            "Expired",
            "Total",
        ],
        ["Integrated circuits", "0", "0", "2", "0", "0", "0", "2"],
        ["New energy", "1", "0", "1", "0", "0", "0", "2"],
        ["Artificial intelligence", "0", "0", "0", "1", "0", "0", "1"],
        ["All achievements", "1", "0", "2", "1", "0", "0", "4"],
    ]
    assert response["Content-Disposition"] == (
        'attachment; filename="keqiao-achievements-guangdong-2025-01-01-2025-12-31.csv"'
    )


def test_csv_funnel_and_deals(dataset, broker, client_for):
    client = client_for(broker)
    assert csv_rows(client.get(f"{csv_url('funnel')}?{PERIOD_QUERY}")) == [
        ["Step", "Matches", "Share of the step before (%)", "Share of all matches (%)"],
        ["Matches", "3", "", "100.0"],
        ["With an expression of interest", "3", "100.0", "100.0"],
        ["With a conversation", "2", "66.7", "66.7"],
        ["With an accepted NDA", "2", "100.0", "66.7"],
        ["With a signed contract", "1", "50.0", "33.3"],
    ]
    assert csv_rows(client.get(f"{csv_url('deals')}?{PERIOD_QUERY}"))[1:] == [
        ["Contacted", "0"],
        ["Evaluating", "0"],
        ["NDA signed", "0"],
        ["Negotiating", "1"],
        ["Contract signed", "3"],
        ["Closed, lost", "1"],
        ["All deals", "5"],
    ]


def test_csv_matches_conversations_and_contracts(dataset, moderator, client_for):
    client = client_for(moderator)
    assert csv_rows(client.get(f"{csv_url('matches')}?{PERIOD_QUERY}")) == [
        ["Proposed by", "Matches"],
        ["Matching engine", "3"],
        ["Broker", "1"],
        ["All matches", "4"],
    ]
    conversations = csv_rows(client.get(f"{csv_url('conversations')}?{PERIOD_QUERY}"))
    assert conversations[0] == ["Month", "About an achievement", "About a challenge", "Total"]
    assert conversations[3] == ["2025-03", "2", "1", "3"]
    assert conversations[-1] == ["All conversations", "4", "2", "6"]
    assert len(conversations) == 14
    contracts = csv_rows(client.get(f"{csv_url('contracts')}?{PERIOD_QUERY}"))
    assert contracts[0] == ["Month", "Contracts", "Value (CNY)", "Value (USD)"]
    assert contracts[2] == ["2025-02", "1", "200000.00", "0.00"]
    assert contracts[3] == ["2025-03", "2", "1000000.00", "40000.00"]
    assert contracts[7] == ["2025-07", "1", "0.00", "50000.00"]
    assert contracts[-1] == ["All contracts", "4", "1200000.00", "90000.00"]


def test_csv_is_utf8_with_bom_in_chinese(dataset, broker):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(broker)
    response = client.get(f"{csv_url('achievements')}?{PERIOD_QUERY}")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert ["集成电路", "0", "0", "2", "0", "0", "0", "2"] in csv_rows(response)


def test_csv_defuses_formulas():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("@SUM") == "'@SUM"
    assert safe_cell("集成电路") == "集成电路"


def test_unknown_csv_is_404(broker, client_for):
    assert client_for(broker).get(csv_url("everything")).status_code == 404


# --- Charts ---------------------------------------------------------------------------------


def test_each_figure_has_an_accessible_chart_next_to_its_table(dataset, broker, client_for):
    html = client_for(broker).get(f"{PAGE}?{PERIOD_QUERY}").content.decode()
    for key in FIGURES:
        assert f'data-testid="table-{key}"' in html
        assert f'href="{csv_url(key)}?from=2025-01-01&amp;to=2025-12-31"' in html
    for ident in ["achievements", "challenges", "matches", "interests", "conversations", "deals"]:
        assert f'aria-labelledby="chart-{ident}-title chart-{ident}-desc"' in html
    # One chart per currency of the contracts, and the funnel with its rates.
    assert 'id="chart-contracts-0-title">Technology contracts signed: Value (CNY)' in html
    assert 'id="chart-contracts-1-title">Technology contracts signed: Value (USD)' in html
    assert ">2 · 66.7%</text>" in html
    assert "<svg" in html and "<script" not in html.split('id="main"')[1].split("<footer")[0]


def test_the_page_works_with_no_data(broker, client_for):
    response = client_for(broker).get(PAGE)
    assert response.status_code == 200
    assert "Nothing in this period." in response.content.decode()


# --- Filters --------------------------------------------------------------------------------


def test_default_period_is_the_last_twelve_months(broker, client_for):
    response = client_for(broker).get(PAGE)
    today = timezone.localdate()
    period = response.context["filters"].period
    assert period == Period.default(today)
    assert period.end == today and period.start.day == 1
    assert len(period.months()) == 12
    assert not response.context["form"].errors
    # The date inputs show the period in effect.
    html = response.content.decode()
    assert f'name="from" value="{period.start.isoformat()}"' in html
    assert f'name="to" value="{today.isoformat()}"' in html


def test_only_a_start_date_runs_to_today(broker, client_for):
    period = client_for(broker).get(f"{PAGE}?from=2025-06-01").context["filters"].period
    assert period == Period(date(2025, 6, 1), timezone.localdate())


def test_only_an_end_date_covers_the_twelve_months_before(broker, client_for):
    period = client_for(broker).get(f"{PAGE}?to=2025-06-20").context["filters"].period
    assert period == Period(date(2024, 7, 1), date(2025, 6, 20))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2025-13-45", "Enter a date as YYYY-MM-DD."),
        ("from=yesterday&to=2025-01-01", "Enter a date as YYYY-MM-DD."),
        ("from=15/03/2025", "Enter a date as YYYY-MM-DD."),
        ("from=2025-12-01&to=2025-01-01", "The start date is after the end date."),
        ("from=0001-01-01&to=2025-01-01", "Enter a date between 2000-01-01 and 2099-12-31."),
        ("from=2025-01-01&to=9999-12-31", "Enter a date between 2000-01-01 and 2099-12-31."),
        ("from=2001-01-01&to=2025-01-01", "Choose a range of at most 10 years."),
    ],
)
def test_bad_dates_give_a_message_and_the_default_period(query, message, broker, client_for):
    client = client_for(broker)
    response = client.get(f"{PAGE}?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'data-testid="filter-errors"' in response.content.decode()
    assert response.context["filters"].period == Period.default(timezone.localdate())

    export = client.get(f"{csv_url('matches')}?{query}")
    assert export.status_code == 400
    assert message in export.content.decode()


def test_a_bad_region_gives_a_message_and_all_regions(dataset, moderator, client_for):
    client = client_for(moderator)
    response = client.get(f"{PAGE}?region=atlantis&{PERIOD_QUERY}")
    assert response.status_code == 200
    assert 'data-testid="filter-errors"' in response.content.decode()
    assert response.context["filters"].region is None
    # The valid dates still apply.
    assert page_table(response, "matches")["TOTAL"] == [4]
    assert client.get(f"{csv_url('matches')}?region=atlantis").status_code == 400


def test_repeated_and_unknown_parameters_do_no_harm(dataset, broker, client_for):
    response = client_for(broker).get(f"{PAGE}?{PERIOD_QUERY}&from=2024-01-01&page=x&q=%00")
    assert response.status_code == 200
    assert response.context["filters"].period == Period(date(2024, 1, 1), date(2025, 12, 31))


# --- Query count ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [f"{PAGE}?{PERIOD_QUERY}", f"{csv_url('achievements')}?{PERIOD_QUERY}"],
    ids=["page", "export"],
)
@pytest.mark.parametrize("who", ["broker", "moderator"])
def test_page_and_export_queries_do_not_grow_with_the_data(who, url, people, client_for):
    client = client_for(people[who])
    answers = assert_constant_queries(grow, lambda: client.get(url), few=3, many=30, warm=False)
    assert answers.few.status_code == answers.many.status_code == 200
