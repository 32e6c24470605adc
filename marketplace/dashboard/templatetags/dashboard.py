"""How the dashboard's tables show their cells."""

from __future__ import annotations

from decimal import Decimal

from django import template

from marketplace.dashboard.tables import Rate

register = template.Library()


@register.filter
def cell(value) -> str:
    """Counts and amounts with thousands separators, shares in per cent, nothing as —."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, Rate):
        return "—" if value.percent is None else f"{value.percent}%"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return f"{value:,}"
