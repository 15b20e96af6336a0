"""The names a Party document prints for its issuer (Hướng dẫn 36-HD/VPTW, II.1.2), from the tree.

An organisation is stored under its party organisation's name ("Đảng bộ tỉnh Lào Cai", "Đảng bộ phường
Nguyễn Thái Học", "Chi bộ Thôn Khe Cả") or, in some trees, its committee's ("Tỉnh ủy Lào Cai", "Đảng ủy
phường Một"). A document is issued by the committee: "TỈNH ỦY LÀO CAI", "THÀNH ỦY YÊN BÁI", "HUYỆN ỦY
VĂN YÊN", "ĐẢNG ỦY PHƯỜNG …", "CHI BỘ …"; under a committee below the province, the line above names the
party organisation it belongs to ("ĐẢNG BỘ TỈNH LÀO CAI"). These are rules of the Vietnamese names
themselves (the data), so they are written in Vietnamese here, not translated.
"""

from __future__ import annotations

import datetime
import re

from cells.models import CELL_LEVELS, Level, Organization, OrganizationInterval
from cells.text import nfc

# Administrative unit of a province- or district-level party organisation -> its committee's name.
_UNIT_COMMITTEE = (
    ("tỉnh", "Tỉnh ủy"),
    ("thành phố", "Thành ủy"),
    ("huyện", "Huyện ủy"),
    ("quận", "Quận ủy"),
    ("thị xã", "Thị ủy"),
)
_PARTY = re.compile(r"^đảng bộ\s+", re.IGNORECASE)
_COMMITTEE = re.compile(r"^(tỉnh|thành|huyện|quận|thị|đảng)\s+(ủy|uỷ)\b\s*", re.IGNORECASE)
_COMMITTEE_UNIT = {"tỉnh": "tỉnh", "thành": "thành phố", "huyện": "huyện", "quận": "quận", "thị": "thị xã"}


def _split(name: str) -> tuple[str, str]:
    """("party" | "committee" | "", the rest of the name after "Đảng bộ" / "… ủy")."""
    name = nfc(name).strip()
    match = _PARTY.match(name)
    if match:
        return "party", name[match.end() :]
    match = _COMMITTEE.match(name)
    if match:
        first = match.group(1).lower()
        if first == "đảng":
            return "committee", name[match.end() :]
        return "committee", f"{_COMMITTEE_UNIT[first]} {name[match.end() :]}"
    return "", name


def committee_name(name: str, level: str) -> str:
    """The committee that issues the documents of the organisation named ``name`` at ``level``."""
    if level in CELL_LEVELS:
        return nfc(name).strip()
    form, rest = _split(name)
    if not form:
        return nfc(name).strip()
    if level in (Level.PROVINCE, Level.DISTRICT):
        lowered = rest.lower()
        for unit, committee in _UNIT_COMMITTEE:
            if lowered.startswith(unit + " "):
                return f"{committee} {rest[len(unit) + 1 :]}"
    return f"Đảng ủy {rest}"


def party_name(name: str) -> str:
    """The party organisation ("Đảng bộ …") of an organisation named ``name`` (its own or its committee's name)."""
    form, rest = _split(name)
    return f"Đảng bộ {rest}" if form else nfc(name).strip()


def _stood(organization: Organization, on: datetime.date):
    return OrganizationInterval.objects.filter(organization=organization).on(on).select_related("parent").first()


def header_bodies(organization: Organization, on: datetime.date) -> tuple[str, str]:
    """(line above, issuing body) of the document header, upper case, as the tree stood on ``on``: a province
    committee alone ("TỈNH ỦY LÀO CAI"); any other under the party organisation it belongs to."""
    stood = _stood(organization, on)
    name = stood.name if stood else organization.name
    level = stood.level if stood else organization.level
    parent = stood.parent if stood else organization.parent
    issuing = committee_name(name, level).upper()
    if parent is None or level == Level.PROVINCE:
        return "", issuing
    return party_name(parent.name_on(on)).upper(), issuing


def standing_committee(organization: Organization, on: datetime.date) -> str:
    """Who decides for the organisation: "Ban Thường vụ Tỉnh ủy Lào Cai"; "Đảng ủy phường …" below the
    district level (a grassroots committee decides as a whole), "Chi bộ …" for a cell."""
    stood = _stood(organization, on)
    name = stood.name if stood else organization.name
    level = stood.level if stood else organization.level
    committee = committee_name(name, level)
    if level in (Level.PROVINCE, Level.DISTRICT):
        return f"Ban Thường vụ {committee}"
    return committee
