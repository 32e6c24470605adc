"""The contract figures of the dashboard: the contracts signed in the period by month, and
their value by contract type, by technical field and by broker with the technology income
(技术交易额) that the registration counts.

Amounts in different currencies are never added: each currency that occurs has its own
columns (the yuan always). One aggregate statement per figure.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.dashboard.tables import (
    CENTS,
    Cell,
    Figure,
    Period,
    Row,
    Table,
    month_key,
    pair_in_region,
)
from marketplace.deals.choices import ContractType, Currency
from marketplace.deals.models import Contract
from marketplace.listings.models import TechnicalField

ZERO = CENTS * 0


def contracts_figure(region: str | None, period: Period) -> Figure:
    """Contracts signed in the period by month: how many, and their value in each
    currency (values in different currencies are never added together)."""
    items = list(
        Contract.objects.filter(signed_on__gte=period.start, signed_on__lte=period.end)
        .filter(pair_in_region(region, "deal__conversation__interest__"))
        .order_by()
        .annotate(month=TruncMonth("signed_on"))
        .values("month", "currency")
        .annotate(n=Count("pk"), value=Sum("value"))
    )
    present = {item["currency"] for item in items} | {Currency.CNY}
    currencies = [code for code, _label in Currency.choices if code in present]
    counts: dict[date, int] = {}
    values: dict[tuple[date, str], Decimal] = {}
    for item in items:
        month = month_key(item["month"])
        counts[month] = counts.get(month, 0) + item["n"]
        values[month, item["currency"]] = item["value"]

    zero = CENTS * 0
    rows = []
    for month in period.months():
        cells: list[Cell] = [counts.get(month, 0)]
        cells += [values.get((month, currency), zero) for currency in currencies]
        rows.append(Row(month.strftime("%Y-%m"), cells, month.strftime("%Y-%m")))
    totals: list[Cell] = [sum(counts.values())]
    totals += [sum((row.cells[i + 1] for row in rows), zero) for i in range(len(currencies))]
    notes = []
    if len(currencies) > 1:
        notes.append(
            _("Contracts in other currencies are shown in their own currency, not converted.")
        )
    return Figure(
        key="contracts",
        title=_("Technology contracts signed"),
        definition=_(
            "Technology contracts signed in the period (by the date of signing) in deals "
            "about a listing of the region: how many each month and their value."
        ),
        table=Table(
            [
                _("Month"),
                _("Contracts"),
                *[_("Value (%(currency)s)") % {"currency": c} for c in currencies],
            ],
            rows,
            Row(_("All contracts"), totals),
        ),
        chart="columns_each",
        series=list(range(1, len(currencies) + 1)),
        notes=notes,
    )


def _grouped(region: str | None, period: Period, by: str, **key) -> tuple[list[dict], list[str]]:
    """The period's contracts of the region summed by ``by`` (a field, or the name of the
    expression in ``key``) and currency."""
    items = list(
        Contract.objects.filter(signed_on__gte=period.start, signed_on__lte=period.end)
        .filter(pair_in_region(region, "deal__conversation__interest__"))
        .order_by()
        .annotate(**key)
        .values(by, "currency")
        .annotate(n=Count("pk"), value=Sum("value"), income=Sum("technology_income"))
    )
    present = {item["currency"] for item in items} | {Currency.CNY}
    return items, [code for code, _label in Currency.choices if code in present]


def _table(items: list[dict], currencies: list[str], by: str, rows: list[tuple[object, str]]):
    """One row per (key, label) of ``rows``: contracts, then value and technology income
    in each currency; then the total row."""
    cells: dict[object, list] = {key: [0] + [ZERO] * (2 * len(currencies)) for key, _l in rows}
    for item in items:
        row = cells.setdefault(item[by], [0] + [ZERO] * (2 * len(currencies)))
        at = 1 + 2 * currencies.index(item["currency"])
        row[0] += item["n"]
        row[at] += item["value"] or ZERO
        row[at + 1] += item["income"] or ZERO
    table_rows = [Row(label, cells[key], str(key or "")) for key, label in rows]
    totals = [sum(row.cells[i] for row in table_rows) for i in range(1 + 2 * len(currencies))]
    columns = [_("Contracts")]
    for currency in currencies:
        columns += [
            _("Value (%(currency)s)") % {"currency": currency},
            _("Technology income (%(currency)s)") % {"currency": currency},
        ]
    return columns, table_rows, Row(_("All contracts"), totals)


def _figure(key: str, title: str, definition: str, head: str, items, currencies, by, rows):
    columns, table_rows, total = _table(items, currencies, by, rows)
    notes = []
    if len(currencies) > 1:
        notes.append(
            _("Contracts in other currencies are shown in their own currency, not converted.")
        )
    return Figure(
        key=key,
        title=title,
        definition=definition,
        table=Table([head, *columns], table_rows, total),
        chart="bars",
        series=[1],
        notes=notes,
    )


def contracts_by_type_figure(region: str | None, period: Period) -> Figure:
    items, currencies = _grouped(region, period, "contract_type")
    return _figure(
        "contracts-by-type",
        _("Contract value by type"),
        _(
            "Technology contracts signed in the period by their registered type: how many, "
            "their value and the technology income in them."
        ),
        _("Contract type"),
        items,
        currencies,
        "contract_type",
        [(code, str(label)) for code, label in ContractType.choices],
    )


def contracts_by_field_figure(region: str | None, period: Period) -> Figure:
    # A sub-field counts for its top-level field.
    by = "top_field"
    top = Coalesce("technical_field__parent__code", "technical_field__code")
    items, currencies = _grouped(region, period, by, top_field=top)

    present = {item[by] for item in items if item[by]}
    fields = TechnicalField.objects.filter(code__in=present).order_by("code")
    rows = [(f.code, str(f)) for f in fields]
    if any(item[by] is None for item in items):
        rows.append((None, _("Field not given")))
    return _figure(
        "contracts-by-field",
        _("Contract value by technical field"),
        _(
            "Technology contracts signed in the period by the technical field of their "
            "registration (its top-level field)."
        ),
        _("Technical field"),
        items,
        currencies,
        by,
        rows,
    )


def contracts_by_broker_figure(region: str | None, period: Period) -> Figure:
    by = "deal__brokered_by"
    items, currencies = _grouped(region, period, by)
    ids = {item[by] for item in items if item[by]}
    brokers = User.objects.filter(pk__in=ids).order_by("full_name", "email")
    rows = [(b.pk, b.full_name or b.email) for b in brokers]
    if any(item[by] is None for item in items):
        rows.append((None, _("No broker")))
    return _figure(
        "contracts-by-broker",
        _("Contract value by broker"),
        _(
            "Technology contracts signed in the period, attributed to the broker who brokered "
            "the deal."
        ),
        _("Broker"),
        items,
        currencies,
        by,
        rows,
    )
