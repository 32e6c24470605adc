"""A figure's table as CSV for Excel: UTF-8 with a byte-order mark, so that Excel reads
Chinese correctly, and text cells that a spreadsheet would run as a formula defused."""

from __future__ import annotations

import csv
import io

from marketplace.dashboard.tables import Cell, Figure, Period, Rate
from marketplace.spreadsheets import BOM, safe_cell


def _cell(cell: Cell | Rate) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Rate):
        return "" if cell.percent is None else str(cell.percent)
    return str(cell)


def figure_csv(figure: Figure) -> str:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    table = figure.table
    writer.writerow([safe_cell(column) for column in table.columns])
    for row in [*table.rows, *([table.total] if table.total else [])]:
        writer.writerow([safe_cell(row.label), *(_cell(cell) for cell in row.cells)])
    return buffer.getvalue()


def figure_filename(figure: Figure, region: str | None, period: Period) -> str:
    return (
        f"keqiao-{figure.key}-{region or 'all-regions'}-"
        f"{period.start.isoformat()}-{period.end.isoformat()}.csv"
    )
