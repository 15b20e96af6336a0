"""The PDF renderer: a :class:`~reports.document.Document` laid out by WeasyPrint as a Party document.

One FontConfiguration is shared by the stylesheet and the layout (fonts declared in CSS would
otherwise be looked up twice, or not at all). The print stylesheet is small and owns everything:
no Bootstrap in print. Tables longer than ``LONG_TABLE_ROWS`` are cut into page-sized tables, each
with its header: WeasyPrint's layout time grows with the number of pages one table spans.
"""

from __future__ import annotations

import io
import logging
from decimal import ROUND_HALF_UP, Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .building import date_line
from .document import ColumnKind, Document, Table

# WeasyPrint logs every layout step at INFO; a worker's log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Above this many rows a table is printed as a list of blocks (see the module's docstring).
LONG_TABLE_ROWS = 400


def format_number(value, kind: str) -> str:
    """Vietnamese number format: "." between thousands, "," before decimals, "–" for nothing."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    # One decimal, rounded half up as every figure of the product is (12,25 → 12,3): through Decimal,
    # since a float's own formatting rounds the binary value (12.25 → "12.2").
    if kind == ColumnKind.PERCENT:
        return _one_decimal(Decimal(str(value)) * 100) + "%"
    if kind == ColumnKind.DECIMAL or isinstance(value, (float, Decimal)):
        return _one_decimal(Decimal(str(value)))
    return f"{int(value):,}".replace(",", ".")


def _one_decimal(number: Decimal) -> str:
    rounded = number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{rounded:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _display_table(table: Table) -> dict:
    kinds = [column.kind for column in table.columns]

    def display(row):
        return [
            {"text": format_number(value, kind) if kind != ColumnKind.TEXT else (value or ""), "num": kind != "text"}
            for value, kind in zip(row, kinds, strict=True)
        ]

    rows = [display(row) for row in table.rows]
    as_list = len(rows) > LONG_TABLE_ROWS
    total_width = sum(column.width for column in table.columns) or 1
    return {
        "caption": table.caption,
        "columns": table.columns,
        "widths": [f"{100 * column.width / total_width:.1f}%" for column in table.columns],
        "rows": [] if as_list else rows,
        "lines": [" · ".join(cell["text"] for cell in row if cell["text"]) for row in rows] if as_list else [],
        "legend": " · ".join(column.title for column in table.columns) if as_list else "",
        "total": display(table.total) if table.total else None,
        "empty_text": table.empty_text,
        "is_empty": not rows,
    }


def document_html(document: Document) -> str:
    sections = []
    for section in document.sections:
        blocks = []
        for block in section.blocks:
            if isinstance(block, Table):
                blocks.append({"table": _display_table(block)})
            else:
                blocks.append({"paragraph": block})
        sections.append({"heading": section.heading, "blocks": blocks, "new_page": section.new_page})
    return render_to_string(
        "reports/pdf/document.html",
        {
            "doc": document,
            "header": document.header,
            "date_line": date_line(document.header.place, document.header.issued_on),
            "number_line": _("No. %(number)s") % {"number": document.header.number},
            "sections": sections,
        },
    )


_font_config = None


def _fonts():
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def render_pdf(document: Document, target) -> int:
    """Write the PDF of ``document`` to ``target`` (a path or a binary file); return its page count."""
    from weasyprint import CSS, HTML

    font_config = _fonts()
    stylesheet = CSS(string=render_to_string("reports/pdf/print.css"), font_config=font_config)
    rendered = HTML(string=document_html(document)).render(stylesheets=[stylesheet], font_config=font_config)
    rendered.write_pdf(target)
    return len(rendered.pages)


def render_pdf_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    render_pdf(document, buffer)
    return buffer.getvalue()
