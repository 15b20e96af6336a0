"""Cell values of WORKBOOK.md: text, whole and decimal numbers, dates, booleans, choices and lists.

Each parser takes what openpyxl gives (str, int, float, bool, datetime) and returns the Python value
or raises :class:`BadValue` with a message for the user. Empty cells never reach them.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cells.dates import check_day
from cells.text import CODE_PATTERN, fold, nfc, normalize_code, validate_code

from .registry import Column

_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_VN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
TRUE_WORDS = {"yes", "co", "true", "1", "x", "y"}
FALSE_WORDS = {"no", "khong", "false", "0", "n"}


class BadValue(ValueError):
    """A cell whose value does not fit its column; the message is for the user."""


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value) -> str:
    """Text of a cell: numbers typed where text is expected read as they look (123, not 123.0)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return nfc(str(value)).strip()


def parse_decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise BadValue(_("Expected a number."))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise BadValue(_("Expected a number."))
        return Decimal(repr(value))
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if not _NUMBER.match(text):
        raise BadValue(_("Expected a number (e.g. 12 or 12,5), not “%(value)s”.") % {"value": as_text(value)})
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern already guards
        raise BadValue(_("Expected a number.")) from exc


def parse_int(value) -> int:
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise BadValue(_("Expected a whole number, not “%(value)s”.") % {"value": as_text(value)})
    return int(number)


def parse_date(value) -> datetime.date:
    day = _read_date(value)
    try:
        check_day(day)  # the range every date input has, on pages too
    except ValidationError as exc:
        raise BadValue(exc.messages[0]) from exc
    return day


def _read_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = as_text(value)
    match = _ISO_DATE.match(text)
    try:
        if match:
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
        match = _VN_DATE.match(text)
        if match:
            return datetime.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError as exc:
        raise BadValue(_("“%(value)s” is not a real date.") % {"value": text}) from exc
    raise BadValue(_("Expected a date (dd/mm/yyyy or yyyy-mm-dd), not “%(value)s”.") % {"value": text})


def parse_code(value) -> str:
    """An organisation or member code: normalised as the models store it, refused when it holds other
    characters (a Cyrillic letter, an invisible one)."""
    if isinstance(value, str) and value.isascii():
        # NFC and NFKC leave ASCII as it is: what is left of the normalisation is strip and upper case.
        code = value.strip().upper()
        if CODE_PATTERN.match(code):
            return code
    code = normalize_code(as_text(value))
    try:
        validate_code(code)
    except ValidationError as exc:
        raise BadValue(exc.messages[0]) from exc
    return code


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = fold(as_text(value))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise BadValue(_("Expected yes/no (có/không, x or empty), not “%(value)s”.") % {"value": as_text(value)})


def _choice_lookup(column: Column) -> dict[str, str]:
    allowed = column.allowed()  # once: the choices of a table (cell types) are a query
    lookup = {}
    for value, label in allowed:
        lookup[fold(label)] = value
    for value, _label in allowed:
        lookup[fold(value)] = value  # the value itself wins over a label that folds the same
    return lookup


def parse_choice(value, column: Column, lookup: dict[str, str] | None = None) -> str:
    lookup = lookup if lookup is not None else _choice_lookup(column)
    text = as_text(value)
    found = lookup.get(fold(text))
    if found is None:
        allowed = ", ".join(v for v, _label in column.allowed())
        raise BadValue(_("“%(value)s” is not allowed; use one of: %(allowed)s.") % {"value": text, "allowed": allowed})
    return found


def parse_list(value, column: Column, lookup: dict[str, str] | None = None) -> tuple[str, ...]:
    parts = [part.strip() for part in re.split(r"[,;]", as_text(value)) if part.strip()]
    if not column.allowed():
        return tuple(parts)
    lookup = lookup if lookup is not None else _choice_lookup(column)
    return tuple(parse_choice(part, column, lookup) for part in parts)


# Column types whose cells repeat a few values (a status, a yes/no): each distinct value is parsed once.
_REMEMBERED = {Column.BOOL, Column.ANSWER, Column.CHOICE, Column.LIST}
# A column whose cells are all different would only fill the memory: beyond this many values, no more.
MAX_REMEMBERED = 1000


class ColumnParser:
    """Parses the cells of one column; choice lookups are built once per import, not per cell, and the
    cells of a choice or yes/no column are parsed once per distinct value."""

    def __init__(self, column: Column):
        self.column = column
        self.lookup = _choice_lookup(column) if column.type in (Column.CHOICE, Column.LIST) else None
        self._parse = self._parser_of(column.type)
        self._remembered: dict | None = {} if column.type in _REMEMBERED else None

    def _parser_of(self, kind: str):
        simple = {
            Column.TEXT: as_text,
            Column.INT: parse_int,
            Column.DECIMAL: parse_decimal,
            Column.DATE: parse_date,
            Column.CODE: parse_code,
            Column.BOOL: parse_bool,
        }
        if kind in simple:
            return simple[kind]
        if kind == Column.ANSWER:
            return lambda value: None if not as_text(value).strip() else parse_bool(value)
        if kind == Column.CHOICE:
            return lambda value: parse_choice(value, self.column, self.lookup)
        if kind == Column.LIST:
            return lambda value: parse_list(value, self.column, self.lookup)
        raise ValueError(f"unknown column type {kind!r}")

    def __call__(self, value):
        remembered = self._remembered
        if remembered is None:
            return self._parse(value)
        key = (type(value), value)  # 1, 1.0 and True are equal keys, and need not read the same
        try:
            return remembered[key]
        except KeyError:
            parsed = self._parse(value)  # a bad value raises BadValue each time: its message is per cell
            if len(remembered) < MAX_REMEMBERED:
                remembered[key] = parsed
            return parsed
