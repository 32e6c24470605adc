"""Reading an uploaded spreadsheet (CSV or XLSX) into rows of cell texts keyed by column.

Everything a person can get wrong about the file itself (its type, encoding, size, headers)
is refused (``Refused``) with a message for them; the cells are judged later, row by row.
"""

from __future__ import annotations

import csv
import io
import zipfile

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from marketplace.bulk.columns import COLUMNS, cell_text, header_lookup, normalised
from marketplace.refusals import Refused
from marketplace.uploads.content import IMPORT_KINDS, content_type_of

# Each row keeps its number in the file, for the error messages.
ROW_NUMBER = "_row"


def read_rows(upload: UploadedFile, kind: str) -> list[dict[str, str]]:
    """The data rows of ``upload`` (blank rows skipped), each with every column's text."""
    name = (upload.name or "").lower()
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise Refused.bad_input(
            _("The file is larger than %(mb)d MB; split it into several imports.")
            % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    if not name.endswith((".csv", ".xlsx")):
        raise Refused.bad_input(_("Upload a .csv or .xlsx file (use the template)."))
    # The bytes must be what the name says (text, or an Office workbook's zip) before a
    # parser sees them: the same check as every other upload of the site.
    content_type_of(upload, IMPORT_KINDS)
    table = _csv_table(upload.read()) if name.endswith(".csv") else _xlsx_table(upload)
    return _rows(table, kind)


def _csv_table(content: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Refused.bad_input(_("The CSV file is neither UTF-8 nor GB18030 text."))
    if "\x00" in text:
        raise Refused.bad_input(_("This is not a CSV text file."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise Refused.bad_input(
            _("The CSV file cannot be read: %(error)s") % {"error": exc}
        ) from None


def _xlsx_table(upload: UploadedFile) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise Refused.bad_input(_("This is not an Excel .xlsx workbook.")) from None
    try:
        sheet = book.worksheets[0]
        limit = settings.IMPORT_MAX_ROWS + 2
        table = []
        for row in sheet.iter_rows(values_only=True):
            table.append([cell_text(value) for value in row])
            if len(table) > limit:
                break
        return table
    finally:
        book.close()


def _rows(table: list[list[str]], kind: str) -> list[dict[str, str]]:
    if not table:
        raise Refused.bad_input(_("The file is empty."))
    lookup = header_lookup(kind)
    header = table[0]
    positions: dict[str, int] = {}
    unknown = []
    for index, name in enumerate(header):
        if not str(name).strip():
            continue
        column = lookup.get(normalised(name))
        if column is None:
            unknown.append(str(name))
        elif column.field in positions:
            raise Refused.bad_input(_("The column “%(name)s” appears twice.") % {"name": name})
        else:
            positions[column.field] = index
    if unknown:
        raise Refused.bad_input(
            _("Unknown columns: %(names)s. Use the headers of the template.")
            % {"names": ", ".join(f"“{n}”" for n in unknown)}
        )
    missing = [c.header for c in COLUMNS[kind] if c.required and c.field not in positions]
    if missing:
        raise Refused.bad_input(
            _("Required columns are missing: %(names)s.")
            % {"names": ", ".join(f"“{n}”" for n in missing)}
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(str(c).strip() for c in cells):
            continue
        row = {f: str(cells[i]).strip() if i < len(cells) else "" for f, i in positions.items()}
        rows.append({ROW_NUMBER: number, **row})
    if not rows:
        raise Refused.bad_input(_("The file has headers but no rows to import."))
    if len(rows) > settings.IMPORT_MAX_ROWS:
        raise Refused.bad_input(
            _("The file has more than %(n)d rows; split it into several imports.")
            % {"n": settings.IMPORT_MAX_ROWS}
        )
    return rows
