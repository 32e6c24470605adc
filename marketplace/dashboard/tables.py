"""The building blocks of the dashboard's figures: the period and the region they cover, and
the tables (rows of cells, a total) each figure is drawn and exported from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

Cell = int | Decimal | None
CENTS = Decimal("0.01")


# --- Period and region ----------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included, in the site's time zone."""

    start: date
    end: date

    @classmethod
    def default(cls, today: date | None = None) -> Period:
        """The last twelve months: this month and the eleven before it, up to today."""
        today = today or timezone.localdate()
        return cls(add_months(today, -11), today)

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def ends_before(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def months(self) -> list[date]:
        """The first day of each month the period touches, in order."""
        months, month = [], month_start(self.start)
        while month <= self.end:
            months.append(month)
            month = add_months(month, 1)
        return months


def created_in(period: Period, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}created_at__gte": period.starts_at,
            f"{prefix}created_at__lt": period.ends_before,
        }
    )


def pair_in_region(region: str | None, prefix: str = "") -> Q:
    """A match, or an interest (``prefix`` leads from a conversation, deal or contract to
    it): in the region when its achievement's or its challenge's region is that region."""
    if region is None:
        return Q()
    return Q(**{f"{prefix}achievement__region": region}) | Q(
        **{f"{prefix}challenge__region": region}
    )


# --- Tables ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """A share in per cent (one decimal), or None when there is nothing to divide by."""

    percent: Decimal | None

    @classmethod
    def of(cls, part: int, whole: int) -> Rate:
        if not whole:
            return cls(None)
        return cls((Decimal(part) * 100 / whole).quantize(Decimal("0.1")))


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell | Rate]
    code: str = ""  # stable identifier of the row (status, stage, field code, YYYY-MM)


@dataclass(frozen=True)
class Table:
    """What the page shows and the CSV writes: a first column of labels, then numbers."""

    columns: list[str]
    rows: list[Row]
    total: Row | None = None

    def column(self, index: int) -> list[Cell | Rate]:
        return [row.cells[index] for row in self.rows]


@dataclass(frozen=True)
class Figure:
    """One figure of the dashboard: its table and how to chart it.

    ``chart`` is ``bars`` (one bar per row, the ``series`` columns stacked), ``columns``
    (one column per row, over months, stacked), ``columns_each`` (one columns chart per
    series) or ``funnel`` (the first series, with the rates of the next two columns).
    """

    key: str
    title: str
    definition: str
    table: Table
    chart: str
    series: list[int]
    notes: list[str] = field(default_factory=list)


def counts_table(queryset, by: str, choices, columns: list[str], total_label: str) -> Table:
    """The rows of ``queryset`` counted by the value of ``by``: one row per choice (zero when
    none), in the choices' order, and the total. One statement."""
    counts = dict(queryset.order_by().values_list(by).annotate(n=Count("pk")))
    rows = [Row(str(label), [counts.get(code, 0)], code) for code, label in choices]
    return Table(columns, rows, Row(total_label, [sum(counts.values())]))


def month_key(value: date | datetime) -> date:
    """A month from TruncMonth: a date, or a datetime (aware on some databases)."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return value
