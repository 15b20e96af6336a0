"""The minutes (biên bản) of a meeting, produced from its record (seed 001 L4), and the reads around them:
the preparation checklist (L2) and the cell's four-good progress before the meeting (seed 004 B5).

:func:`minutes_of` gathers what the minutes say: the cell and the committee above it as they were named on
the day, date, time and place, the chair and the secretary of the meeting, the attendance with the names
of the absent, the agenda with the vote on each item, the discussion and the conclusions. The wording
around them is the committee's :class:`MinutesTemplate` (or the built-in one). Two renderers read the same
:class:`Minutes`: :func:`minutes_pdf` (WeasyPrint, Hướng dẫn 36-HD/VPTW layout, to print and sign) and
:func:`minutes_docx` (python-docx, to edit in Word).
"""

from __future__ import annotations

import datetime
import io
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from cells.history import stood_in_period
from cells.models import Organization
from cells.text import nfc

from .minutes_models import MinutesTemplate, PreparationStep
from .models import Meeting, MeetingStatus, Presence

# WeasyPrint logs every layout step at INFO; a worker's log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

PLACEHOLDERS = ("cell", "kind", "date", "month", "year", "time", "place")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def unknown_placeholders(text: str) -> list[str]:
    """The names in braces that the minutes cannot fill."""
    return sorted({name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with each known {placeholder} replaced (nothing else is evaluated: no attribute access)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


# --- The checklist -----------------------------------------------------------------------------------


def meeting_steps(meeting: Meeting) -> list[PreparationStep]:
    """The checklist of a meeting: the active steps of its rubric, else of the nearest rubric it derives
    from, and any retired step this meeting already ticked."""
    framework = meeting.framework
    steps: list[PreparationStep] = []
    while framework is not None and not steps:
        steps = list(PreparationStep.objects.filter(framework=framework, is_active=True))
        framework = framework.parent
    ticked = PreparationStep.objects.filter(ticks__meeting=meeting).exclude(pk__in=[s.pk for s in steps])
    return sorted([*steps, *ticked], key=lambda s: (s.order, s.pk))


@dataclass
class ChecklistLine:
    step: PreparationStep
    done_on: datetime.date | None
    in_time: bool | None  # against the step's "N days before"; None without such a rule or not done


def checklist(meeting: Meeting) -> list[ChecklistLine]:
    ticks = {tick.step_id: tick.done_on for tick in meeting.preparation.all()}
    lines = []
    for step in meeting_steps(meeting):
        day = ticks.get(step.pk)
        in_time = None
        if day is not None and step.days_before is not None:
            in_time = (meeting.date - day).days >= step.days_before
        lines.append(ChecklistLine(step, day, in_time))
    return lines


# --- The wording -------------------------------------------------------------------------------------


def default_wording() -> dict[str, str]:
    """The built-in wording (Hướng dẫn 36-HD/VPTW's minutes), in the user's language."""
    return {
        "title": _("MINUTES"),
        "heading": _("{kind} meeting, {month}/{year}"),
        "opening": _("At {time} on {date}, at {place}, {cell} held its {kind} meeting."),
        "closing": _(
            "The meeting ended the same day. The minutes were read to the meeting and adopted by the members present."
        ),
        "chair_label": _("CHAIR"),
        "secretary_label": _("MINUTES SECRETARY"),
    }


def template_for(cell: Organization) -> MinutesTemplate | None:
    """The wording the cell's minutes use: the nearest committee above it that keeps one."""
    ids = [int(part) for part in cell.path.strip("/").split("/") if part]
    found = {t.owner_id: t for t in MinutesTemplate.objects.filter(owner_id__in=ids)}
    for org_id in reversed(ids):
        if org_id in found:
            return found[org_id]
    return None


def wording_for(cell: Organization) -> dict[str, str]:
    template = template_for(cell)
    if template is None:
        return default_wording()
    return {name: getattr(template, name) for name in default_wording()}


# --- What the minutes say ----------------------------------------------------------------------------


@dataclass
class VoteLine:
    order: int
    title: str
    votes_for: int
    votes_against: int
    votes_abstain: int
    adopted: bool


@dataclass
class Minutes:
    parent_body: str
    issuing_body: str
    date_line: str
    title: str
    heading: str
    opening: str
    attendance: str
    absent_excused: list[str]
    absent_unexcused: list[str]
    guests: str
    chair: str
    recorder: str
    agenda: list[VoteLine]
    discussion: str
    conclusions: str
    score: str
    closing: str
    chair_label: str
    secretary_label: str
    party_name: str = ""
    labels: dict[str, str] = field(default_factory=dict)


def _vn_date(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def date_line(place: str, day: datetime.date) -> str:
    """ "Yên Bái, ngày 05 tháng 4 năm 2026" (day and months 1–2 with a leading zero, as the guidance asks)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("%(place)s, day %(day)s month %(month)s year %(year)s") % {
        "place": place or "…………",
        "day": f"{day.day:02d}",
        "month": month,
        "year": day.year,
    }


def _names(meeting: Meeting) -> tuple[str, str]:
    """The cell's name and its parent's, as they stood on the day of the meeting (the history rule)."""
    day = meeting.date
    stood = stood_in_period([meeting.organization_id], day, day + datetime.timedelta(days=1))
    cell = stood.get(meeting.organization_id)
    cell_name = cell.name if cell else meeting.organization.name
    parent_id = cell.parent_id if cell else meeting.organization.parent_id
    parent_name = ""
    if parent_id:
        parent = stood_in_period([parent_id], day, day + datetime.timedelta(days=1)).get(parent_id)
        parent_name = parent.name if parent else Organization.objects.get(pk=parent_id).name
    return cell_name, parent_name


def _points(value: Decimal | None) -> str:
    if value is None:
        return "–"
    return format(value.normalize(), "f").replace(".", ",")


def minutes_of(meeting: Meeting) -> Minutes:
    """Everything the minutes print, from the record, in the cell committee's wording."""
    cell_name, parent_name = _names(meeting)
    wording = wording_for(meeting.organization)
    kind = meeting.get_kind_display().lower()
    values = {
        "cell": cell_name,
        "kind": kind,
        "date": _vn_date(meeting.date),
        "month": f"{meeting.date.month:02d}",
        "year": str(meeting.date.year),
        "time": meeting.started_at.strftime("%H:%M") if meeting.started_at else "……",
        "place": meeting.place or "…………",
    }
    rows = list(meeting.attendance.select_related("member").order_by("member__full_name_folded"))
    excused = [row.member.full_name for row in rows if row.presence == Presence.EXCUSED]
    unexcused = [row.member.full_name for row in rows if row.presence == Presence.UNEXCUSED]
    attendance = _(
        "Members expected: %(total)s; present: %(present)s; absent with leave: %(excused)s; "
        "absent without leave: %(unexcused)s."
    ) % {
        "total": meeting.members_total,
        "present": meeting.members_present,
        "excused": meeting.members_excused,
        "unexcused": meeting.members_unexcused,
    }
    agenda = [
        VoteLine(i, a.title, a.votes_for, a.votes_against, a.votes_abstain, a.adopted)
        for i, a in enumerate(meeting.agenda.all(), 1)
    ]
    score = ""
    if meeting.status != MeetingStatus.DRAFT and meeting.self_total is not None:
        score = _("Self-assessed score: %(total)s points.") % {"total": _points(meeting.self_total)}
    place = meeting.organization.document_place()
    return Minutes(
        parent_body=nfc(parent_name).upper(),
        issuing_body=nfc(cell_name).upper(),
        date_line=date_line(place, meeting.date),
        title=nfc(fill(wording["title"], values)),
        heading=nfc(fill(wording["heading"], values)),
        opening=nfc(fill(wording["opening"], values)),
        attendance=attendance,
        absent_excused=[nfc(n) for n in excused],
        absent_unexcused=[nfc(n) for n in unexcused],
        guests=nfc(meeting.guests),
        chair=nfc(meeting.chair.full_name) if meeting.chair_id else "",
        recorder=nfc(meeting.recorder.full_name) if meeting.recorder_id else "",
        agenda=agenda,
        discussion=nfc(meeting.minutes_text),
        conclusions=nfc(meeting.conclusions),
        score=score,
        closing=nfc(fill(wording["closing"], values)),
        chair_label=nfc(fill(wording["chair_label"], values)),
        secretary_label=nfc(fill(wording["secretary_label"], values)),
        party_name=_("COMMUNIST PARTY OF VIETNAM"),
        labels=_labels(),
    )


def _labels() -> dict[str, str]:
    return {
        "composition": _("I. ATTENDANCE"),
        "chair": _("Chair:"),
        "recorder": _("Secretary of the meeting:"),
        "excused": _("Absent with leave:"),
        "unexcused": _("Absent without leave:"),
        "guests": _("Guests:"),
        "content": _("II. CONTENT"),
        "agenda": _("Items and votes"),
        "item": _("Item"),
        "for": _("For"),
        "against": _("Against"),
        "abstain": _("Abstain"),
        "adopted": _("Adopted"),
        "not_adopted": _("Not adopted"),
        "discussion": _("Discussion"),
        "conclusions": _("III. CONCLUSIONS"),
        "none": _("none"),
    }


# --- The two renderers -------------------------------------------------------------------------------

_font_config = None


def _fonts():
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def minutes_html(minutes: Minutes) -> str:
    return render_to_string("evaluations/meetings/minutes_pdf.html", {"m": minutes})


def minutes_pdf(meeting: Meeting) -> bytes:
    """The minutes as a PDF to print and sign (A4, Times-compatible serif, Hướng dẫn 36-HD/VPTW)."""
    from weasyprint import CSS, HTML

    font_config = _fonts()
    stylesheet = CSS(string=render_to_string("evaluations/meetings/minutes_print.css"), font_config=font_config)
    buffer = io.BytesIO()
    HTML(string=minutes_html(minutes_of(meeting))).write_pdf(buffer, stylesheets=[stylesheet], font_config=font_config)
    return buffer.getvalue()


def minutes_docx(meeting: Meeting) -> bytes:
    """The same minutes as a Word document the cell edits (python-docx)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    m = minutes_of(meeting)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)

    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.text = ""
    _centered(left.paragraphs[0], m.parent_body, size=13)
    _centered(left.add_paragraph(), m.issuing_body, bold=True, size=13)
    _centered(left.add_paragraph(), "*")
    _centered(right.paragraphs[0], m.party_name, bold=True, underline=True)
    _centered(right.add_paragraph(), m.date_line, italic=True)

    _centered(doc.add_paragraph(), m.title, bold=True, size=15)
    _centered(doc.add_paragraph(), m.heading, bold=True)
    doc.add_paragraph(m.opening)
    doc.add_paragraph().add_run(m.labels["composition"]).bold = True
    doc.add_paragraph(m.attendance)
    doc.add_paragraph(f"{m.labels['excused']} {', '.join(m.absent_excused) or m.labels['none']}.")
    doc.add_paragraph(f"{m.labels['unexcused']} {', '.join(m.absent_unexcused) or m.labels['none']}.")
    if m.guests:
        doc.add_paragraph(f"{m.labels['guests']} {m.guests}")
    doc.add_paragraph(f"{m.labels['chair']} {m.chair or '…………'}")
    doc.add_paragraph(f"{m.labels['recorder']} {m.recorder or '…………'}")
    doc.add_paragraph().add_run(m.labels["content"]).bold = True
    if m.agenda:
        doc.add_paragraph().add_run(m.labels["agenda"]).italic = True
        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells,
            [m.labels["item"], m.labels["for"], m.labels["against"], m.labels["abstain"], ""],
            strict=True,
        ):
            cell.text = text
        for line in m.agenda:
            cells = table.add_row().cells
            cells[0].text = f"{line.order}. {line.title}"
            cells[1].text, cells[2].text, cells[3].text = (
                str(line.votes_for),
                str(line.votes_against),
                str(line.votes_abstain),
            )
            cells[4].text = m.labels["adopted"] if line.adopted else m.labels["not_adopted"]
    if m.discussion:
        doc.add_paragraph().add_run(m.labels["discussion"]).italic = True
        for text in m.discussion.splitlines():
            if text.strip():
                doc.add_paragraph(text.strip())
    doc.add_paragraph().add_run(m.labels["conclusions"]).bold = True
    for text in (m.conclusions or "…………").splitlines():
        if text.strip():
            doc.add_paragraph(text.strip())
    if m.score:
        doc.add_paragraph(m.score)
    doc.add_paragraph(m.closing)

    sign = doc.add_table(rows=1, cols=2)
    for cell, label, name in zip(
        sign.rows[0].cells, (m.secretary_label, m.chair_label), (m.recorder, m.chair), strict=True
    ):
        _centered(cell.paragraphs[0], label, bold=True)
        for _blank in range(3):
            cell.add_paragraph()
        _centered(cell.add_paragraph(), name, bold=True)
    for paragraph in doc.paragraphs:
        paragraph.alignment = paragraph.alignment or WD_ALIGN_PARAGRAPH.JUSTIFY
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _centered(paragraph, text: str, *, bold=False, italic=False, underline=False, size: int | None = None) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
