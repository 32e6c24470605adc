"""CSV for spreadsheets, shared by every export of the site (the dashboard's figures, the
deals room's contracts): UTF-8 with a byte-order mark, so that Excel reads Chinese right,
and text cells that a spreadsheet would run as a formula defused."""

from __future__ import annotations

BOM = "\ufeff"

# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The value as CSV text (None as empty), quoted with ``'`` if it would start a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text
