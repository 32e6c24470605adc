"""The downloadable import templates: the bilingual headers of a kind and one example row,
with a second sheet (in the XLSX) that lists the accepted values of the choice columns."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import translation

from marketplace.bulk.columns import COLUMNS
from marketplace.listings.models import TechnicalField
from marketplace.spreadsheets import table_response


def template_response(kind: str, fmt: str) -> HttpResponse:
    columns = COLUMNS[kind]
    headers = [c.header for c in columns]
    example = [[c.example for c in columns]]
    response = table_response(headers, example, fmt=fmt, filename=f"keqiao-{kind}-import")
    if fmt == "xlsx":
        response.content = _with_values_sheet(response.content, kind)
    return response


def _with_values_sheet(content: bytes, kind: str) -> bytes:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    sheet = book.create_sheet("取值 Values")
    sheet.append(["列 / Column", "可填 / Accepted value", "中文 / Chinese", "English"])
    for column in COLUMNS[kind]:
        if column.choices is not None:
            for value, label in column.choices.choices:
                sheet.append([column.header, value, *_labels(label)])
    for code, en, zh in TechnicalField.objects.values_list("code", "name_en", "name_zh"):
        sheet.append(["技术领域 / Technical fields", code, zh, en])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _labels(label) -> list[str]:
    names = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names.append(str(label))
    return names
