"""CSV and XLSX for spreadsheets, shared by every export of the site (the dashboard's figures, the
deals room's contracts): UTF-8 with a byte-order mark, so that Excel reads Chinese right,
and text cells that a spreadsheet would run as a formula defused."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from openpyxl.cell import WriteOnlyCell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")

BOM = "\ufeff"

# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The value as CSV text (None as empty), quoted with ``'`` if it would start a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def table_response(
    headers: list[str], rows: Iterable[list[object]], *, fmt: str, filename: str
) -> HttpResponse:
    """A table as a download: ``fmt`` "csv" (BOM, defused cells) or "xlsx" (one sheet, header
    row bold and frozen, the same defused cells: openpyxl would store ``=…`` as a formula).
    Sent private and never stored, as every export holds an organisation's own data."""
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header_cells = []
        for name in headers:
            cell = WriteOnlyCell(sheet, value=safe_cell(name))
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([_xlsx_value(value) for value in row])
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write(BOM)
        writer = csv.writer(response)
        writer.writerow([safe_cell(name) for name in headers])
        for row in rows:
            writer.writerow([safe_cell(value) for value in row])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


def _xlsx_value(value: object) -> object:
    """Numbers and dates stay typed in a workbook; text is defused."""
    if isinstance(value, (int, float, Decimal, datetime.date)) and not isinstance(value, bool):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    return safe_cell(value)
