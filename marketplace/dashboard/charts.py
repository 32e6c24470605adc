"""The dashboard's charts as server-rendered SVG: the geometry is computed here from a
figure's table, and ``templates/dashboard/includes/chart.html`` draws it. No JavaScript;
each chart has a title and a description, and its table stands next to it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from marketplace.dashboard.tables import Figure, Rate

WIDTH = 640
FONT = 12
INK = "#212529"
MUTED = "#5c6670"
GRID = "#dee2e6"
# Colours of series, each at least 3:1 against white (WCAG 1.4.11).
PALETTE = ["#1d5a8c", "#c86400", "#2e7d32", "#c8102e", "#6a4c93", "#5f6b7a"]
# Listing statuses, in ``ListingStatus`` order: draft, pending, published, rejected,
# archived, expired.
STATUS_PALETTE = ["#5f6b7a", "#c86400", "#2e7d32", "#c8102e", "#1d5a8c", "#6a4c93"]


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str = ""


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = GRID


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"
    size: int = FONT
    fill: str = INK
    bold: bool = False


@dataclass
class Chart:
    """What the template draws; ``ident`` makes the ids of the title and description."""

    ident: str
    title: str
    desc: str
    width: int = WIDTH
    height: int = 0
    rects: list[Rect] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)


# --- Text and numbers -----------------------------------------------------------------------


def text_width(text: str, size: int = FONT) -> float:
    """About how wide a text is drawn: CJK characters are square, Latin ones narrower."""
    return sum(size if ord(c) >= 0x2E80 else size * 0.6 for c in text)


def fit(text: str, width: float, size: int = FONT) -> str:
    """The text, cut with an ellipsis to fit in ``width``."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def count_text(value: int | Decimal) -> str:
    return f"{value:,}"


def money_text(value: int | float | Decimal) -> str:
    """A short amount for a chart: 1.5万 or 150万 in Chinese, 15k or 1.5M in English."""
    value = float(value)
    if (get_language() or "").startswith("zh"):
        steps = [(1e8, "亿"), (1e4, "万")]
    else:
        steps = [(1e9, "B"), (1e6, "M"), (1e3, "k")]
    for size, unit in steps:
        if abs(value) >= size:
            return f"{value / size:.3g}{unit}"
    return f"{value:.0f}"


def nice_step(value: float) -> float:
    """The smallest 1, 2 or 5 × 10ⁿ at least ``value`` (1 at least: counts are whole)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for multiple in (1, 2, 5, 10):
        if value <= multiple * power:
            return multiple * power
    return 10 * power  # pragma: no cover - the loop always returns


def _legend(chart: Chart, names: list[str], colours: list[str], y: float) -> float:
    """Draw a legend that wraps; returns the y below it."""
    x, row_height = 0.0, FONT + 8
    for name, colour in zip(names, colours, strict=False):
        item = 14 + 6 + text_width(name) + 18
        if x > 0 and x + item > chart.width:
            x, y = 0.0, y + row_height
        chart.rects.append(Rect(x, y, 12, 12, colour))
        chart.texts.append(Text(x + 18, y + 10.5, name))
        x += item
    return y + row_height + 4


def _value(cell) -> float:
    if isinstance(cell, Rate):
        return float(cell.percent or 0)
    return float(cell or 0)


# --- Horizontal bars ------------------------------------------------------------------------


def bars(
    ident: str,
    title: str,
    labels: list[str],
    values: list[list[float]],
    series: list[str],
    colours: list[str],
    *,
    desc: str,
) -> Chart:
    """One horizontal bar per label, its series stacked, with the total after the bar."""
    chart = Chart(ident, title, desc)
    y = _legend(chart, series, colours, 0) if len(series) > 1 else 0
    label_width = min(200, max((text_width(label) for label in labels), default=0) + 8)
    x0, x1 = label_width + 8, chart.width - 64
    biggest = max((sum(row) for row in values), default=0) or 1
    bar, gap = 20, 10
    chart.lines.append(Line(x0, y, x0, y + len(labels) * (bar + gap) - gap, MUTED))
    for label, row in zip(labels, values, strict=True):
        chart.texts.append(Text(label_width, y + 14.5, fit(label, label_width - 4), "end"))
        x = x0
        for name, colour, value in zip(series, colours, row, strict=False):
            width = (x1 - x0) * value / biggest
            if width > 0:
                chart.rects.append(
                    Rect(
                        round(x, 1),
                        y,
                        round(width, 1),
                        bar,
                        colour,
                        f"{label} · {name}: {value:,g}",
                    )
                )
            x += width
        chart.texts.append(Text(round(x + 6, 1), y + 14.5, count_text(int(sum(row))), bold=True))
        y += bar + gap
    chart.height = math.ceil(max(y - gap, 0) + 4)
    return chart


# --- Columns over months --------------------------------------------------------------------


def columns(
    ident: str,
    title: str,
    labels: list[str],
    values: list[list[float]],
    series: list[str],
    colours: list[str],
    *,
    desc: str,
    money: bool = False,
) -> Chart:
    """One column per label (month), its series stacked, with a value axis on the left."""
    chart = Chart(ident, title, desc)
    fmt = money_text if money else (lambda v: count_text(int(v)))
    top = _legend(chart, series, colours, 0) + 8 if len(series) > 1 else 12
    plot_height = 170
    bottom = top + plot_height
    totals = [sum(row) for row in values]
    step = nice_step(max(totals, default=0) / 4)
    ceiling = step * max(1, math.ceil(max(totals, default=0) / step))
    ticks = [step * i for i in range(int(round(ceiling / step)) + 1)]
    x0 = max(text_width(fmt(t), 11) for t in ticks) + 12
    x1 = chart.width - 8
    for tick in ticks:
        y = round(bottom - plot_height * tick / ceiling, 1)
        chart.lines.append(Line(x0, y, x1, y, MUTED if tick == 0 else GRID))
        chart.texts.append(Text(x0 - 6, y + 4, fmt(tick), "end", 11, MUTED))
    n = max(len(labels), 1)
    slot = (x1 - x0) / n
    width = max(slot * 0.7, 1)
    # Up to two years every month (or every other) is named; beyond, each January's year.
    yearly = n > 24 and all(len(label) == 7 for label in labels)
    every = math.ceil(n / 12)
    for i, (label, row) in enumerate(zip(labels, values, strict=True)):
        x = x0 + i * slot + (slot - width) / 2
        y = bottom
        for name, colour, value in zip(series, colours, row, strict=False):
            height = plot_height * value / ceiling
            if height > 0:
                y -= height
                chart.rects.append(
                    Rect(
                        round(x, 1),
                        round(y, 1),
                        round(width, 1),
                        round(height, 1),
                        colour,
                        f"{label} · {name}: {fmt(value)}",
                    )
                )
        if n <= 12 and totals[i] > 0:
            chart.texts.append(
                Text(round(x + width / 2, 1), round(y - 4, 1), fmt(totals[i]), "middle", 11)
            )
        if yearly and label.endswith("-01"):
            chart.texts.append(Text(round(x, 1), bottom + 16, label[:4], "start", 10, MUTED))
        elif not yearly and i % every == 0:
            chart.texts.append(
                Text(round(x + width / 2, 1), bottom + 16, label, "middle", 10, MUTED)
            )
    chart.height = math.ceil(bottom + 24)
    return chart


# --- Funnel ---------------------------------------------------------------------------------


def funnel(
    ident: str, title: str, labels: list[str], counts: list[int], rates: list[Rate], *, desc: str
) -> Chart:
    """Centred bars narrowing step by step, each with its count and its share of the step
    before."""
    chart = Chart(ident, title, desc)
    label_width = min(220, max((text_width(label) for label in labels), default=0) + 8)
    x0, x1 = label_width + 8, chart.width - 110
    biggest = max(counts, default=0) or 1
    bar, gap, y = 26, 8, 0
    for i, (label, n, rate) in enumerate(zip(labels, counts, rates, strict=True)):
        width = (x1 - x0) * n / biggest
        if n:
            width = max(width, 2)  # a step that happened stays visible
            chart.rects.append(
                Rect(
                    round(x0 + (x1 - x0 - width) / 2, 1),
                    y,
                    round(width, 1),
                    bar,
                    PALETTE[0],
                    f"{label}: {n:,}",
                )
            )
        chart.texts.append(Text(label_width, y + 17.5, fit(label, label_width - 4), "end"))
        figure = count_text(n)
        if i and rate.percent is not None:
            figure += f" · {rate.percent}%"
        chart.texts.append(Text(x1 + 8, y + 17.5, figure, bold=True))
        y += bar + gap
    chart.height = y - gap + 4
    return chart


# --- From a figure --------------------------------------------------------------------------


def _summary(labels: list[str], totals: list[str]) -> str:
    return "; ".join(f"{label}: {total}" for label, total in zip(labels, totals, strict=True))


def charts_for(figure: Figure) -> list[Chart]:
    """The charts of a figure, drawn from its table (the totals row is not drawn)."""
    table = figure.table
    labels = [row.label for row in table.rows]
    names = [table.columns[i + 1] for i in figure.series]
    values = [[_value(row.cells[i]) for i in figure.series] for row in table.rows]
    totals = [sum(row) for row in values]
    colours = STATUS_PALETTE if figure.key in ("achievements", "challenges") else PALETTE
    if figure.chart == "bars":
        if not labels:
            return []
        desc = _summary(labels, [count_text(int(t)) for t in totals])
        return [bars(figure.key, figure.title, labels, values, names, colours, desc=desc)]
    if figure.chart == "columns":
        desc = _("%(total)s in all, by month.") % {"total": count_text(int(sum(totals)))}
        return [columns(figure.key, figure.title, labels, values, names, colours, desc=desc)]
    if figure.chart == "columns_each":
        charts = []
        for i, name in enumerate(names):
            column = [[row[i]] for row in values]
            total = sum(row[0] for row in column)
            desc = _("%(total)s in all, by month.") % {"total": money_text(total)}
            charts.append(
                columns(
                    f"{figure.key}-{i}",
                    f"{figure.title}: {name}",
                    labels,
                    column,
                    [name],
                    [PALETTE[i % len(PALETTE)]],
                    desc=desc,
                    money=True,
                )
            )
        return charts
    if figure.chart == "funnel":
        counts = [int(row.cells[figure.series[0]]) for row in table.rows]
        rates = [row.cells[figure.series[1]] for row in table.rows]
        desc = _summary(labels, [count_text(n) for n in counts])
        return [funnel(figure.key, figure.title, labels, counts, rates, desc=desc)]
    raise ValueError(f"unknown chart {figure.chart!r}")
