"""The document model every report kind builds and both renderers (PDF and Excel) read.

A report is written once, as a :class:`Document`: the header fields of a Party document (Hướng dẫn
36-HD/VPTW), then sections of paragraphs and tables, the signature block and the recipients. The
PDF renderer lays it out as a printed document; the Excel renderer writes its tables as sheets with
real number types. All text is NFC-normalised here, once, so neither renderer has to.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise

from cells.text import nfc

Number = int | float | Decimal


class ColumnKind:
    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"  # one decimal place
    PERCENT = "percent"  # a ratio 0–1 printed as a percentage


@dataclass
class Column:
    """A table column: its heading, the kind of value it holds and its Excel width in characters."""

    title: str
    kind: str = ColumnKind.TEXT
    width: int = 12

    def __post_init__(self) -> None:
        self.title = nfc(self.title)

    @property
    def numeric(self) -> bool:
        return self.kind != ColumnKind.TEXT


@dataclass
class Paragraph:
    """A paragraph of body text; ``style`` is "" (indented body), "bold", "italic" or "plain" (no indent)."""

    text: str
    style: str = ""

    def __post_init__(self) -> None:
        self.text = nfc(self.text)


@dataclass
class Table:
    """A table of rows; cells are str, int, float, Decimal or None. ``total`` is an optional last row.

    ``links`` (same length as ``rows``, optional) gives each row a URL path for the dashboard; the
    renderers ignore it.
    """

    columns: list[Column]
    rows: list[list]
    caption: str = ""
    total: list | None = None
    sheet_name: str = ""
    empty_text: str = ""

    def __post_init__(self) -> None:
        self.caption = nfc(self.caption)
        self.empty_text = nfc(self.empty_text)
        self.rows = [_clean_row(row) for row in self.rows]
        if self.total is not None:
            self.total = _clean_row(self.total)
        width = len(self.columns)
        for row in [*self.rows, *([self.total] if self.total else [])]:
            if len(row) != width:
                raise ValueError(f"a row of {len(row)} cells in a table of {width} columns: {row!r}")


def _clean_row(row: Iterable) -> list:
    return [nfc(str(value)) if isinstance(value, str | Promise) else value for value in row]


Block = Paragraph | Table


@dataclass
class Section:
    """A numbered part of the body: a heading and its paragraphs and tables."""

    heading: str
    blocks: list[Block] = field(default_factory=list)
    # An annex starts on a page of its own in the PDF.
    new_page: bool = False

    def __post_init__(self) -> None:
        self.heading = nfc(self.heading)

    def add(self, *blocks: Block) -> Section:
        self.blocks.extend(blocks)
        return self


@dataclass
class Header:
    """The header of a Party document: who issues it, its number, place and date, type and title."""

    parent_body: str  # the committee above the issuing one, e.g. "ĐẢNG BỘ TỈNH YÊN BÁI"
    issuing_body: str  # e.g. "THÀNH ỦY YÊN BÁI"
    number: str  # e.g. "12-BC/TU" (printed after "Số ")
    place: str
    issued_on: datetime.date
    doc_type: str  # e.g. "BÁO CÁO"
    title: str
    subtitle: str = ""

    def __post_init__(self) -> None:
        for name in ("parent_body", "issuing_body", "number", "place", "doc_type", "title", "subtitle"):
            setattr(self, name, nfc(getattr(self, name)).strip())


@dataclass
class Signature:
    on_behalf: str  # "T/M BAN THƯỜNG VỤ"
    position: str  # "BÍ THƯ"
    name: str

    def __post_init__(self) -> None:
        self.on_behalf = nfc(self.on_behalf).strip()
        self.position = nfc(self.position).strip()
        self.name = nfc(self.name).strip()


@dataclass
class Document:
    """A whole report: header, sections, signature and recipients ("Nơi nhận")."""

    header: Header
    sections: list[Section]
    signature: Signature
    recipients: list[str] = field(default_factory=list)
    party_name: str = ""  # "ĐẢNG CỘNG SẢN VIỆT NAM", set by the builder in the document's language
    recipients_label: str = ""
    page_label: str = ""
    # "DỰ THẢO" above the heading of a document not yet issued (Hướng dẫn 36-HD/VPTW); "" once final.
    draft_label: str = ""

    def __post_init__(self) -> None:
        self.draft_label = nfc(self.draft_label)
        self.recipients = [nfc(line).strip() for line in self.recipients if nfc(line).strip()]
        self.party_name = nfc(self.party_name)
        self.recipients_label = nfc(self.recipients_label)

    def tables(self) -> list[tuple[Section, Table]]:
        return [(section, block) for section in self.sections for block in section.blocks if isinstance(block, Table)]


def ratio(part: Number, whole: Number) -> float | None:
    """``part / whole`` as a float, or None when there is nothing to divide by."""
    return float(part) / float(whole) if whole else None


def column_totals(rows: Sequence[Sequence], indexes: Iterable[int]) -> dict[int, Number]:
    """Sums of the given numeric columns over ``rows`` (None counted as 0)."""
    return {index: sum((row[index] or 0) for row in rows) for index in indexes}
