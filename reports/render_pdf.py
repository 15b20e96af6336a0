"""The PDF renderer: a :class:`~reports.document.Document` laid out by WeasyPrint as a Party document.

One FontConfiguration is shared by the stylesheet and the layout (fonts declared in CSS would
otherwise be looked up twice, or not at all). The print stylesheet is small and owns everything:
no Bootstrap in print. Tables longer than ``LONG_TABLE_ROWS`` are cut into page-sized tables, each
with its header: WeasyPrint's layout time grows with the number of pages one table spans.

A document of more than ``PART_LINES`` lines (the quarterly report of a province: 350 pages) is laid
out a part at a time and the parts' PDFs joined, page for page the same document: WeasyPrint holds
every page's layout until it writes the file, 250 MB for that report, and a part's is a tenth of it.
"""

from __future__ import annotations

import gc
import io
import logging
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from typing import NamedTuple

from defusedxml import ElementTree
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .building import date_line
from .document import ColumnKind, Document, Table

# WeasyPrint logs every layout step at INFO; a worker's log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Above this many rows a table is printed as a list of blocks (see the module's docstring).
LONG_TABLE_ROWS = 400
# A document of more lines than this is laid out in parts of about this many (see _render_in_parts).
PART_LINES = 1200


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


class _Fragment(NamedTuple):
    """One or a few top-level elements of the body, in order: a document is laid out in parts cut between them."""

    html: str
    # Lines of text it prints, about: what a part's size is counted in.
    lines: int
    # How many elements it puts at the top of <body> (to find which fragment begins a page).
    elements: int


class _TopLevelCounter(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.depth = self.count = 0

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.count += 1
        if tag not in self.VOID:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            self.count += 1

    def handle_endtag(self, tag):
        self.depth -= 1


def _fragment(html: str, lines: int = 1) -> _Fragment:
    counter = _TopLevelCounter()
    counter.feed(html)
    return _Fragment(html, lines, counter.count)


def _layout_input(document: Document) -> tuple[dict, list[_Fragment]]:
    """The page's context and its body as fragments: the title block, each heading, paragraph and table,
    each line of a long table, the signature."""
    context = {
        "doc": document,
        "header": document.header,
        "date_line": date_line(document.header.place, document.header.issued_on),
        "number_line": _("No. %(number)s") % {"number": document.header.number},
    }
    fragments = [_fragment(render_to_string("reports/pdf/_title.html", context), lines=12)]
    for section in document.sections:
        if section.new_page:
            fragments.append(_Fragment('<div class="new-page"></div>', 0, 1))
        if section.heading:
            fragments.append(_Fragment(f"<h3>{escape(section.heading)}</h3>", 1, 1))
        for block in section.blocks:
            if not isinstance(block, Table):
                style = f' class="{escape(block.style)}"' if block.style else ""
                fragments.append(_Fragment(f"<p{style}>{escape(block.text)}</p>", 1 + len(block.text) // 100, 1))
                continue
            table = _display_table(block)
            fragments.append(
                _fragment(render_to_string("reports/pdf/_table.html", {"table": table}), len(table["rows"]) + 2)
            )
            if table["lines"]:
                fragments.extend(_Fragment(f'<p class="line">{escape(line)}</p>', 1, 1) for line in table["lines"])
                if table["total"]:
                    total = "".join(f"{escape(cell['text'])} " for cell in table["total"] if cell["text"])
                    fragments.append(_Fragment(f'<p class="line total">{total}</p>', 1, 1))
    fragments.append(
        _fragment(
            render_to_string(
                "reports/pdf/_party_signature.html",
                {
                    "recipients_label": document.recipients_label,
                    "recipients": document.recipients,
                    "signature": document.signature,
                },
            ),
            lines=10,
        )
    )
    return context, fragments


def _html(context: dict, fragments: list[_Fragment]) -> str:
    return render_to_string(
        "reports/pdf/document.html",
        # Each fragment is a rendered template or text passed through escape().
        {**context, "body": mark_safe("".join(f.html for f in fragments))},  # noqa: S308  # nosec B308 B703
    )


_font_config = None
_html_class = None


def _fonts():
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def _document_html_class():
    """WeasyPrint's HTML for the documents the templates of reports/pdf write, which are well-formed
    XML: read by expat, not by WeasyPrint's HTML5 parser in Python (a second of a 350-page report), and
    laid out with the browser defaults of the elements they are made of only (user_agent.css says why).
    """
    global _html_class
    if _html_class is None:
        import cssselect2
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher

        user_agent = CSS(string=render_to_string("reports/pdf/user_agent.css"))

        class DocumentHTML(HTML):
            def __init__(self, root):
                # What HTML.__init__ (WeasyPrint 70) sets once it has parsed a string without a base URL.
                self.base_url = None
                self.url_fetcher = URLFetcher()
                self.media_type = "print"
                self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
                self.etree_element = self.wrapper_element.etree_element

            def _ua_stylesheets(self, forms=False):
                return [user_agent]

        _html_class = DocumentHTML
    return _html_class


def render_pdf(document: Document, target) -> int:
    """Write the PDF of ``document`` to ``target`` (a path or a binary file); return its page count."""
    context, fragments = _layout_input(document)
    if sum(fragment.lines for fragment in fragments) <= PART_LINES:
        with _collector_paused():
            rendered, _tree = _render(context, fragments, first_page=None)
            rendered.write_pdf(target)
            return len(rendered.pages)
    return _render_in_parts(context, fragments, target)


@contextmanager
def _collector_paused():
    """Run the block with Python's cyclic garbage collector paused, then collect once what it left.

    Laying out a part, WeasyPrint makes millions of short-lived objects that reference counting frees;
    the collector, started every 700 allocations, walked the part's growing layout again and again: 7%
    of the quarterly report's CPU. Paused, the part's few reference cycles wait until it is written and
    one collection of the young generation (where everything made meanwhile is) frees them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect(0)


def _render(context: dict, fragments: list[_Fragment], first_page: int | None):
    """Lay out ``fragments`` as one document whose first page is numbered ``first_page`` (None: the
    document's own first page, without a number)."""
    from weasyprint import CSS

    font_config = _fonts()
    stylesheet = CSS(
        string=render_to_string("reports/pdf/print.css", {"first_page": first_page}), font_config=font_config
    )
    html = _document_html_class()(ElementTree.fromstring(_html(context, fragments)))
    return html.render(stylesheets=[stylesheet], font_config=font_config), html.etree_element


def _render_in_parts(context: dict, fragments: list[_Fragment], target) -> int:
    """Lay out a long document a part at a time and join the parts' PDFs, so that memory holds one part's
    layout, not the whole document's.

    A part is laid out from the fragment that begins a page of the whole document, with about
    PART_LINES lines; its last page is dropped (what follows it was left out) and the next part starts
    with the fragment that began that page. A page's layout depends only on what starts on it and
    after it, so each kept page is the page the whole document would have; the page numbers carry on
    through the stylesheet, and the outline (headings) is rebuilt over all the pages.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Fit

    writer = PdfWriter()
    kept_pages: list = []  # for the outline: each page's bookmarks and height
    start = 0
    budget = PART_LINES
    while start < len(fragments):
        end, lines = start, 0
        while end < len(fragments) and (lines < budget or end == start):
            lines += fragments[end].lines
            end += 1
        with _collector_paused():
            part = _lay_out_part(context, fragments, start, end, first_page=len(kept_pages) + 1 if start else None)
        if part is None:
            # No page of the part begins with a fragment of its own: take a bigger part.
            budget *= 2
            continue
        budget = PART_LINES
        pdf, marks, restart = part
        reader = PdfReader(io.BytesIO(pdf))
        if not start:
            writer.add_metadata(reader.metadata)
        writer.append(reader, import_outline=False)
        kept_pages.extend(marks)
        start = restart
    _add_outline(writer, _bookmark_tree(kept_pages), Fit)
    writer.write(target)
    return len(kept_pages)


def _lay_out_part(context, fragments: list[_Fragment], start: int, end: int, first_page: int | None):
    """The PDF of the pages of ``fragments[start:end]`` that the whole document has too, their bookmarks
    and the fragment the next part starts with; None when no page but the first begins a fragment."""
    rendered, tree = _render(context, fragments[start:end], first_page)
    pages, restart = rendered.pages, end
    if end < len(fragments):
        cut = _last_clean_page_break(pages, tree, fragments[start:end])
        if cut is None:
            return None
        keep, first_fragment = cut
        pages, restart = pages[:keep], start + first_fragment
    pdf = io.BytesIO()
    rendered.copy(pages).write_pdf(pdf)
    return pdf.getvalue(), [_PageMarks(page.bookmarks, page.height) for page in pages], restart


class _PageMarks(NamedTuple):
    bookmarks: list
    height: float


def _last_clean_page_break(pages, tree, fragments: list[_Fragment]) -> tuple[int, int] | None:
    """(pages to keep, fragment to start the next part with): the last page but the final one that
    begins with the start of a fragment (not the rest of one cut by the page break before it)."""
    body = tree.find("body")
    owner: dict[int, int] = {}
    children = iter(body)
    for index, fragment in enumerate(fragments):
        for _n in range(fragment.elements):
            owner[id(next(children))] = index
    first_and_last = [_first_and_last_element(page, body, owner) for page in pages]
    for keep in range(len(pages) - 1, 0, -1):
        first, _last = first_and_last[keep]
        # Not the part's own first fragment (no progress), nor the rest of one that the break cut.
        if first is not None and owner[first] > 0 and first != first_and_last[keep - 1][1]:
            return keep, owner[first]
    return None


def _first_and_last_element(page, body, owner) -> tuple[int | None, int | None]:
    """ids of the first and last top-level elements of the body laid out on ``page``."""
    boxes = [page._page_box]  # noqa: SLF001  (WeasyPrint gives no public way to a page's boxes)
    while boxes:
        box = boxes.pop(0)
        if box.element is body and box.element_tag == "body":
            ids = [id(child.element) for child in box.children if id(child.element) in owner]
            return (ids[0], ids[-1]) if ids else (None, None)
        boxes.extend(getattr(box, "children", ()))
    return None, None


def _bookmark_tree(pages: list[_PageMarks]) -> list:
    """The outline of the whole document, as WeasyPrint builds it (weasyprint.document.make_bookmark_tree)."""
    from weasyprint.anchors import make_page_bookmark_tree
    from weasyprint.matrix import Matrix

    root: list = []
    skipped_levels: list = []
    last_by_depth = [root]
    previous_level = 0
    scale = 0.75  # CSS px to PDF points, as write_pdf does
    for number, page in enumerate(pages):
        matrix = Matrix(a=scale, d=-scale, f=page.height * scale)
        previous_level = make_page_bookmark_tree(page, skipped_levels, last_by_depth, previous_level, number, matrix)
    return root


def _add_outline(writer, bookmarks: list, fit, parent=None) -> None:
    for title, (page, x, y), children, state in bookmarks:
        item = writer.add_outline_item(
            title=title, page_number=page, parent=parent, fit=fit.xyz(left=x, top=y, zoom=0), is_open=state != "closed"
        )
        _add_outline(writer, children, fit, item)


def render_pdf_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    render_pdf(document, buffer)
    return buffer.getvalue()
