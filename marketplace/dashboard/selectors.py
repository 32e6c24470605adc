"""Reads of the dashboard: the figures of one region (or of all regions) over a date range.

Every figure is one or two aggregate statements (GROUP BY with COUNT or SUM and filters), so
the number of statements never grows with the data. Each figure comes as a ``Table`` (the
rows the page shows and the CSV export writes) with the columns its chart draws.

Where a row belongs (``region``):
- a listing: its own region;
- a match: the region of its achievement or of its challenge (either one);
- an interest, its conversation, deal and contract: the region of the listing the interest
  is about.

When (``Period``, both days included, local time): listings, matches, interests,
conversations and deals count when they were created; contracts when they were signed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import BigIntegerField, Count, F, Q
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _

from marketplace.dashboard import contracts
from marketplace.dashboard.tables import (  # noqa: F401 - also read from here (views, tests)
    CENTS,
    Cell,
    Figure,
    Period,
    Rate,
    Row,
    Table,
    add_months,
    counts_table,
    created_in,
    month_key,
    month_start,
    pair_in_region,
)
from marketplace.deals.choices import DealStage, InterestStatus
from marketplace.deals.models import Conversation, Deal, Interest
from marketplace.listings.choices import ListingStatus
from marketplace.listings.models import Achievement, Challenge, TechnicalField
from marketplace.matching.choices import ProposedBy
from marketplace.matching.models import Match
from marketplace.routers import replica_reads

# --- Listings -------------------------------------------------------------------------------

_STATUSES = list(ListingStatus.choices)


def _listings_figure(
    model: type[Achievement] | type[Challenge], region: str | None, period: Period
) -> tuple[Table, bool]:
    """Listings created in the period by top-level technical field (a sub-field counts for
    its parent) and status. A listing in two top-level fields counts in both rows, so the
    total row counts listings, not the sum of the rows. Returns the table and whether any
    listing counts in more than one row."""
    listings = model.objects.filter(created_in(period)).order_by()
    if region is not None:
        listings = listings.filter(region=region)
    top = Coalesce(F("fields__parent"), F("fields"), output_field=BigIntegerField())
    by_field = listings.values("status", top=top).annotate(n=Count("pk", distinct=True))
    totals = listings.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status, _label in _STATUSES}
    )

    counts: dict[int | None, dict[str, int]] = {}
    for item in by_field:
        counts.setdefault(item["top"], {})[item["status"]] = item["n"]
    fields = TechnicalField.objects.filter(parent__isnull=True, pk__in=[k for k in counts if k])
    names = {f.pk: (f.name, f.code, f.position) for f in fields}

    rows = []
    for key, by_status in counts.items():
        name, code, position = names.get(key, (_("No technical field"), "", 10**6))
        cells = [by_status.get(status, 0) for status, _label in _STATUSES]
        rows.append((-sum(cells), position, Row(name, [*cells, sum(cells)], code)))
    rows.sort(key=lambda item: item[:2])
    total_cells = [totals[status] for status, _label in _STATUSES]
    overlapping = sum(row.cells[-1] for _n, _p, row in rows) > sum(total_cells)
    table = Table(
        columns=[_("Technical field"), *[str(label) for _s, label in _STATUSES], _("Total")],
        rows=[row for _n, _p, row in rows],
        total=Row(
            _("All achievements") if model is Achievement else _("All challenges"),
            [*total_cells, sum(total_cells)],
        ),
    )
    return table, overlapping


def _listings(model: type[Achievement] | type[Challenge]) -> Callable[..., Figure]:
    achievements = model is Achievement

    def figure(region: str | None, period: Period) -> Figure:
        table, overlapping = _listings_figure(model, region, period)
        notes = []
        if overlapping:
            notes.append(
                _(
                    "Some listings are in more than one technical field and count in each, "
                    "so the rows add up to more than the total."
                )
            )
        return Figure(
            key="achievements" if achievements else "challenges",
            title=_("Achievements by technical field and status")
            if achievements
            else _("Challenges by technical field and status"),
            definition=_(
                "Listings of the region created in the period, in any status today, by "
                "top-level technical field (a sub-field counts for its parent)."
            ),
            table=table,
            chart="bars",
            series=list(range(len(_STATUSES))),
            notes=notes,
        )

    return figure


# --- Matches, interest, conversations, deals ------------------------------------------------


def matches_figure(region: str | None, period: Period) -> Figure:
    return Figure(
        key="matches",
        title=_("Matches: engine and brokers"),
        definition=_(
            "Matches created in the period whose achievement or challenge is in the region, "
            "by who proposed them."
        ),
        table=counts_table(
            Match.objects.filter(created_in(period)).filter(pair_in_region(region)),
            "proposed_by",
            ProposedBy.choices,
            [_("Proposed by"), _("Matches")],
            _("All matches"),
        ),
        chart="bars",
        series=[0],
    )


def interests_figure(region: str | None, period: Period) -> Figure:
    return Figure(
        key="interests",
        title=_("Expressions of interest by status"),
        definition=_(
            "Expressions of interest sent in the period about a listing of the region, by "
            "their status today."
        ),
        table=counts_table(
            Interest.objects.filter(created_in(period)).filter(pair_in_region(region)),
            "status",
            InterestStatus.choices,
            [_("Status"), _("Expressions of interest")],
            _("All expressions of interest"),
        ),
        chart="bars",
        series=[0],
    )


def conversations_figure(region: str | None, period: Period) -> Figure:
    by_month = {
        month_key(item["month"]): item
        for item in Conversation.objects.filter(created_in(period))
        .filter(pair_in_region(region, "interest__"))
        .order_by()
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(
            achievements=Count("pk", filter=Q(interest__achievement__isnull=False)),
            challenges=Count("pk", filter=Q(interest__challenge__isnull=False)),
        )
    }
    rows = []
    for month in period.months():
        item = by_month.get(month, {"achievements": 0, "challenges": 0})
        cells = [item["achievements"], item["challenges"]]
        rows.append(Row(month.strftime("%Y-%m"), [*cells, sum(cells)], month.strftime("%Y-%m")))
    totals = [sum(row.cells[i] for row in rows) for i in range(3)]
    return Figure(
        key="conversations",
        title=_("Conversations opened"),
        definition=_(
            "Conversations opened in the period (an expression of interest accepted) about "
            "a listing of the region, by month and by what the listing is."
        ),
        table=Table(
            [_("Month"), _("About an achievement"), _("About a challenge"), _("Total")],
            rows,
            Row(_("All conversations"), totals),
        ),
        chart="columns",
        series=[0, 1],
    )


def deals_figure(region: str | None, period: Period) -> Figure:
    return Figure(
        key="deals",
        title=_("Deals by stage"),
        definition=_(
            "Deals opened in the period about a listing of the region, by the stage they "
            "are at today."
        ),
        table=counts_table(
            Deal.objects.filter(created_in(period)).filter(
                pair_in_region(region, "conversation__interest__")
            ),
            "stage",
            DealStage.choices,
            [_("Stage"), _("Deals")],
            _("All deals"),
        ),
        chart="bars",
        series=[0],
    )


def funnel_figure(region: str | None, period: Period) -> Figure:
    """Follows the matches created in the period: how many of them led to an expression of
    interest, an accepted one (a conversation), an accepted NDA and a signed contract."""
    interest = "interests__"
    conversation = f"{interest}conversation__"
    steps = [
        ("matches", _("Matches"), Q()),
        ("interest", _("With an expression of interest"), Q(**{f"{interest}isnull": False})),
        ("conversation", _("With a conversation"), Q(**{f"{conversation}isnull": False})),
        ("nda", _("With an accepted NDA"), Q(**{f"{conversation}nda__isnull": False})),
        (
            "contract",
            _("With a signed contract"),
            Q(**{f"{conversation}deal__stage": DealStage.CONTRACT_SIGNED}),
        ),
    ]
    counts = (
        Match.objects.filter(created_in(period))
        .filter(pair_in_region(region))
        .order_by()
        .aggregate(
            **{
                code: Count("pk", filter=condition or None, distinct=True)
                for code, _label, condition in steps
            }
        )
    )
    rows, previous, first = [], None, counts["matches"]
    for code, label, _condition in steps:
        n = counts[code]
        rows.append(
            Row(
                label,
                [
                    n,
                    Rate.of(n, previous) if previous is not None else Rate(None),
                    Rate.of(n, first),
                ],
                code,
            )
        )
        previous = n
    return Figure(
        key="funnel",
        title=_("From match to signed contract"),
        definition=_(
            "The matches created in the period (in the region as above), and how many of "
            "them went on to each step: an expression of interest sent from the match, one "
            "accepted (a conversation), the NDA accepted, and a deal at the stage “contract "
            "signed”. Interest sent from a listing page, without a match, is not counted here."
        ),
        table=Table(
            [
                _("Step"),
                _("Matches"),
                _("Share of the step before (%)"),
                _("Share of all matches (%)"),
            ],
            rows,
        ),
        chart="funnel",
        series=[0, 1, 2],
    )


# The figures in the order of the page; the keys name the CSV exports.
FIGURES: dict[str, Callable[[str | None, Period], Figure]] = {
    "achievements": _listings(Achievement),
    "challenges": _listings(Challenge),
    "matches": matches_figure,
    "interests": interests_figure,
    "conversations": conversations_figure,
    "deals": deals_figure,
    "funnel": funnel_figure,
    "contracts": contracts.contracts_figure,
    "contracts-by-type": contracts.contracts_by_type_figure,
    "contracts-by-field": contracts.contracts_by_field_figure,
    "contracts-by-broker": contracts.contracts_by_broker_figure,
}
# Each figure reads the replica when there is one (marketplace/routers.py): reports are
# read-only and a moment's lag does not matter to them, so their heavy aggregates stay off
# the primary.
FIGURES = {key: replica_reads()(figure) for key, figure in FIGURES.items()}


def dashboard_figures(region: str | None, period: Period) -> list[Figure]:
    # A list, not a generator: a generator would hold the replica block open between
    # the figures, over whatever its caller runs there.
    return [figure(region, period) for figure in FIGURES.values()]
