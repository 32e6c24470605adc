"""The registration sheet of a technology contract as a PDF (A4), drawn with ReportLab.

Chinese is set in ReportLab's built-in ``STSong-Light`` (an Adobe-GB1 CID font that PDF
readers supply), so no font file ships with the site and the PDF stays small; Latin text is
set in the same font, which carries it.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from marketplace.deals.selectors.registration import Registration

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def registration_pdf(registration: Registration) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=_("Technology contract registration sheet"),
    )
    title = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, spaceAfter=4)
    small = ParagraphStyle("small", fontName=FONT, fontSize=8.5, leading=12, textColor="#555555")
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, wordWrap="CJK")
    missing = _("(to be filled in)")
    rows = [
        [
            Paragraph(escape(entry.label), body),
            Paragraph(escape(entry.text or (missing if entry.missing else "")), body),
        ]
        for entry in registration.entries
    ]
    table = Table(rows, colWidths=[58 * mm, 116 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f1f3f5")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    printed = formats.date_format(timezone.localdate(), "Y-m-d")
    story = [
        Paragraph(escape(_("Technology contract registration sheet")), title),
        Paragraph(
            escape(
                _(
                    "For the registration of technology contracts (技术合同认定登记). "
                    "Printed %(date)s."
                )
                % {"date": printed}
            ),
            small,
        ),
        Spacer(1, 6 * mm),
        table,
    ]
    document.build(story)
    return buffer.getvalue()
