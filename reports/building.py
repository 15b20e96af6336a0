"""Assembling a report: the kind's body inside the header, signature and recipients of a Party document."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from cells.models import COMMITTEE_LEVELS, Level, Organization, OrganizationInterval
from cells.periods import Period, report_as_of

from .document import Document, Header, Signature
from .party_names import committee_name, header_bodies
from .registry import BuildContext, ProgressCallback, get_kind

# Left for the office to fill in by hand when the number is not known yet ("Số       -BC/TU").
NUMBER_BLANK = "\u00a0" * 10


def on_behalf_default(organization: Organization) -> str:
    """Who the signer signs for, by the issuing organisation's level."""
    if organization.level in (Level.PROVINCE, Level.DISTRICT):
        return _("ON BEHALF OF THE STANDING COMMITTEE")
    if organization.level in (Level.GRASSROOTS, Level.PARTIAL):
        return _("ON BEHALF OF THE PARTY COMMITTEE")
    return _("ON BEHALF OF THE CELL")


def document_defaults(organization: Organization, on: datetime.date | None = None) -> dict:
    """What the request form proposes for the document's fields: place, the usual signature, recipients."""
    on = on or timezone.localdate()
    # The committee above it on that day: a 2024 report of a ward reports to the city it stood under.
    stood = OrganizationInterval.objects.filter(organization=organization).on(on).select_related("parent").first()
    parent = stood.parent if stood else organization.parent
    recipients = []
    if parent is not None:
        recipients.append(_("%(name)s (to report)") % {"name": committee_name(parent.name_on(on), parent.level)})
    elif organization.level == Level.PROVINCE:
        recipients.append(_("The Central Organizing Commission (to report)"))
    if organization.level in COMMITTEE_LEVELS:
        recipients.append(_("The subordinate party organisations"))
    recipients.append(_("Filed at the office"))
    # The header's bodies are not proposed: left empty, the build names them as the tree stood in the
    # report's period (reports.party_names), which the form cannot know before the period is chosen.
    return {
        "place": organization.document_place(),
        "signer_on_behalf": on_behalf_default(organization),
        "signer_position": organization.signer_position or _("SECRETARY"),
        "signer_name": organization.signer_name,
        "recipients": "\n".join(recipients),
        "issued_on": on,
    }


def build_document(
    *,
    kind_code: str,
    organization: Organization,
    period: Period,
    fields: dict,
    progress: ProgressCallback | None = None,
    today: datetime.date | None = None,
) -> Document:
    """Build the whole document of one report. ``fields`` are the document's typed fields (see ReportRun)."""
    kind = get_kind(kind_code)
    today = today or timezone.localdate()
    context = BuildContext(
        organization=organization, period=period, as_of=report_as_of(period, today), progress=progress
    )
    body = kind.build(context)
    # The issuer and the committee above it as the tree stood in the period: a 2024 report of a ward is
    # issued under the city it stood under then.
    defaults = document_defaults(organization, context.as_of)
    number = (fields.get("number") or "").strip()
    if number.lower().startswith("số "):
        number = number[3:].strip()
    parent_body, issuing_body = header_bodies(organization, context.as_of)
    header = Header(
        parent_body=fields.get("parent_body") or parent_body,
        issuing_body=fields.get("issuing_body") or issuing_body,
        number=number or f"{NUMBER_BLANK}-{kind.number_kind}/{organization.sign}",
        place=fields.get("place") or defaults["place"],
        issued_on=fields.get("issued_on") or today,
        doc_type=body.doc_type or str(kind.doc_type) or _("REPORT"),
        title=body.title,
        subtitle="",
    )
    signature = Signature(
        on_behalf=fields.get("signer_on_behalf") or defaults["signer_on_behalf"],
        position=fields.get("signer_position") or defaults["signer_position"],
        name=fields.get("signer_name") or defaults["signer_name"],
    )
    recipients = fields.get("recipients")
    if isinstance(recipients, str):
        recipients = recipients.splitlines()
    return Document(
        header=header,
        sections=body.sections,
        signature=signature,
        recipients=list(recipients or defaults["recipients"].splitlines()),
        party_name=_("COMMUNIST PARTY OF VIETNAM"),
        recipients_label=_("Recipients:"),
        draft_label=_("DRAFT") if fields.get("draft") or body.draft else "",
    )


def date_line(place: str, day: datetime.date) -> str:
    """ "Yên Bái, ngày 05 tháng 4 năm 2024": day and months 1–2 with a leading zero, as the guidance asks."""
    day_text = f"{day.day:02d}"
    month_text = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("%(place)s, day %(day)s month %(month)s year %(year)s") % {
        "place": place or "…………",
        "day": day_text,
        "month": month_text,
        "year": day.year,
    }
