"""Pages of a meeting: the lists and the appraisal queue, recording, the self-assessed score, the
appraisal, reopening and the minutes file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cells import idempotency, rights
from cells.audit_history import entries_about, history_lines
from cells.dates import parse_year
from cells.drafts import mark_saved
from cells.forms import show_validation_error
from cells.models import Organization
from cells.people import SUPERVISING_ROLES
from cells.scoping import Action
from cells.selectors import cell_officer_users, current_role_users
from cells.selectors import roster as roster_of
from criteria.scoring import facts_read_by

from ...evidence import ALLOWED_MIME, detect_mime
from .. import selectors, services
from ..forms import (
    AgendaFormSet,
    FactsForm,
    MeetingForm,
    ReasonForm,
    ScoreForm,
)
from ..models import (
    Meeting,
    MeetingStatus,
    Presence,
    SupervisionAssignment,
    meeting_kinds_for,
)
from .lookups import meeting_or_404, organization_or_404
from .minutes import detail_context


def _supervisors_of(cell: Organization):
    """Users who may be recorded as the attending supervisor: those assigned to the cell, and current staff and
    supervisors above. Ended roles, leadership and the cell's own officers are not offered."""
    assigned = SupervisionAssignment.objects.current().filter(organization=cell)
    above = Organization.objects.filter(pk__in=[int(p) for p in cell.path.strip("/").split("/") if p])
    return (
        get_user_model()
        .objects.filter(
            Q(supervision_assignments__in=assigned)
            | Q(supervision_teams__assignments__in=assigned)
            | Q(pk__in=current_role_users(above, roles=SUPERVISING_ROLES).values("pk")),
            is_active=True,
        )
        .exclude(pk__in=cell_officer_users(cell))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


# --- Lists ---------------------------------------------------------------------------------------


@login_required
def meeting_list(request):
    """The user's meetings: the cells they record for, and what they may see."""
    try:
        year = parse_year(request.GET.get("year"), default=timezone.localdate().year)
    except ValueError as exc:
        messages.error(request, str(exc))
        year = timezone.localdate().year
    page = selectors.page_of(selectors.meetings_for(request.user, year=year), request.GET.get("page"))
    selectors.label_levels(page.rows)
    context = {
        "meetings": page.rows,
        "page": page,
        "year": year,
        # A secretary's own cell gets its buttons; staff, who may record anywhere below, see the first few
        # as on the home page (fifty buttons helped nobody and cost most of the page).
        "cells": selectors.recordable_cells(request.user)[:5],
        "queue_count": selectors.appraisal_queue(request.user).count(),
    }
    return render(request, "evaluations/meetings/meeting_list.html", context)


def _queue_month(value: str) -> tuple[int, int] | None:
    """A month as the month picker sends it ("2026-11") or as people type it ("11/2026"); ValueError else."""
    value = (value or "").strip()
    if not value:
        return None
    if "/" in value:
        month, _sep, year = value.partition("/")
    else:
        year, _sep, month = value.partition("-")
    if not (year.isdigit() and month.isdigit() and 1 <= int(month) <= 12 and 1930 <= int(year) <= 2100):
        raise ValueError(
            _("The month “%(value)s” cannot be read: choose a month, for example 11/2026.") % {"value": value}
        )
    return int(year), int(month)


@login_required
def appraisal_queue(request):
    """The meetings waiting for the user's appraisal (and, filtered, those appraised): newest waiting first,
    filtered by cell, month and status, with how long each has waited."""
    status = request.GET.get("status") if request.GET.get("status") in selectors.QUEUE_STATUSES else "waiting"
    cell = request.GET.get("cell") or ""
    cell = cell if cell.isdigit() else ""
    try:
        month = _queue_month(request.GET.get("month", ""))
    except ValueError as exc:
        messages.error(request, str(exc))
        month = None
    oldest_first = request.GET.get("order") == "oldest"
    cell_name = request.GET.get("cell_name", "").strip()[:100]
    queryset = selectors.appraisal_list(
        request.user, status=status, cell_id=int(cell) if cell else None, cell_name=cell_name, month=month,
        oldest_first=oldest_first,
    )  # fmt: skip
    page = selectors.page_of(queryset, request.GET.get("page"))
    today = timezone.localdate()
    labels = selectors.level_labels(page.rows)
    for meeting in page.rows:
        meeting.waited = selectors.waited_days(meeting, today)
        meeting.self_level_label = labels.get((meeting.framework_id, meeting.self_level), "")
        meeting.final_level_label = labels.get((meeting.framework_id, meeting.final_level), "")
    filters = {
        "status": status,
        "cell": cell,
        "cell_name": cell_name,
        "month": f"{month[0]:04d}-{month[1]:02d}" if month else "",
        "order": "oldest" if oldest_first else "",
    }
    context = {
        "meetings": page.rows,
        "page": page,
        "filters": filters,
        "query": urlencode({key: value for key, value in filters.items() if value}),
        # The order links keep every other filter (the status even when it is the default).
        "query_but_order": urlencode(
            {key: value for key, value in filters.items() if value and key != "order"} | {"status": status}
        ),
        "cells": selectors.appraisal_cells(request.user),
        "statuses": [
            ("waiting", MeetingStatus.SUBMITTED.label),
            ("appraised", MeetingStatus.APPRAISED.label),
            ("all", _("All")),
        ],
    }
    return render(request, "evaluations/meetings/queue.html", context)


# --- Recording -----------------------------------------------------------------------------------


def _attendance_from_post(request, roster) -> dict[int, str]:
    result = {}
    for member in roster:
        value = request.POST.get(f"presence_{member.pk}", Presence.PRESENT)
        result[member.pk] = value if value in Presence.values else Presence.PRESENT
    return result


def _counts(request, roster) -> tuple[int, int, int, int] | None:
    """The attendance counts of the posted taps (exempt members left out), for the form's checks."""
    if request.method != "POST":
        return None
    return services.recording.attendance_counts(
        _attendance_from_post(request, roster), {m.pk for m in roster if m.exempt}
    )


def _agenda_lines(formset) -> list[services.recording.AgendaLine]:
    lines = []
    for form in formset:
        data = form.cleaned_data
        if data.get("title"):
            lines.append(
                services.recording.AgendaLine(
                    data["title"],
                    data.get("votes_for") or 0,
                    data.get("votes_against") or 0,
                    data.get("votes_abstain") or 0,
                )
            )
    return lines


def _render_meeting_form(request, cell, form, formset, roster, presence, meeting=None):
    date = form.initial.get("date") if not form.is_bound else None
    date = date or (meeting.date if meeting else timezone.localdate())
    if isinstance(date, str):
        date = timezone.localdate()
    context = {
        "cell": cell,
        "form": form,
        "formset": formset,
        "roster": [(m, presence.get(m.pk, Presence.PRESENT)) for m in roster],
        "presence_choices": Presence.choices,
        "meeting": meeting,
        "guidance": selectors.guidance_for_cell(cell, date.year, date.month),
        "month_taken": selectors.regular_meeting_exists(
            cell, date.year, date.month, exclude_pk=meeting.pk if meeting else None
        ),
        "month_label": f"{date.month:02d}/{date.year}",
    }
    return render(request, "evaluations/meetings/meeting_form.html", context)


def _already_recorded(request, cell) -> Meeting | None:
    """The meeting this very record already made, when the same draft is sent again."""
    key = request.POST.get("client_key", "").strip()[:64] if request.method == "POST" else ""
    if not key:
        return None
    return Meeting.objects.for_user(request.user, Action.RECORD).filter(organization=cell, client_key=key).first()


@login_required
def meeting_create(request, cell_pk: int):
    cell = organization_or_404(request, cell_pk, Action.RECORD)
    if not meeting_kinds_for(cell):
        raise Http404
    roster = list(roster_of(cell))
    form = MeetingForm(
        request.POST or None,
        request.FILES or None,
        cell=cell,
        supervisors=_supervisors_of(cell),
        counts=_counts(request, roster),
    )
    formset = AgendaFormSet(request.POST or None, prefix="agenda")
    presence = _attendance_from_post(request, roster) if request.method == "POST" else {}
    already = _already_recorded(request, cell)
    if already is not None:
        messages.success(request, idempotency.already_saved_message())
        return mark_saved(redirect("evaluations:meetings:assess", pk=already.pk), request, "meeting-new", cell)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("minutes_file", "version")}
        data["client_key"] = data.get("client_key") or None
        try:
            meeting = services.recording.meeting_create(
                organization=cell,
                attendance=presence if cell.is_cell else None,
                agenda=_agenda_lines(formset),
                minutes_file=form.cleaned_data.get("minutes_file"),
                acting_user=request.user,
                **data,
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Meeting recorded. Now score it."))
            return mark_saved(redirect("evaluations:meetings:assess", pk=meeting.pk), request, "meeting-new", cell)
    return _render_meeting_form(request, cell, form, formset, roster, presence)


@login_required
def meeting_edit(request, pk: int):
    meeting = meeting_or_404(request, pk, Action.RECORD)
    if meeting.is_locked:
        messages.warning(request, _("This meeting has been appraised and is locked. Staff can reopen it."))
        return redirect("evaluations:meetings:detail", pk=meeting.pk)
    cell = meeting.organization
    roster = list(roster_of(cell))
    form = MeetingForm(
        request.POST or None,
        request.FILES or None,
        instance=meeting,
        cell=cell,
        supervisors=_supervisors_of(cell),
        counts=_counts(request, roster),
    )
    initial_agenda = [
        {"title": a.title, "votes_for": a.votes_for, "votes_against": a.votes_against, "votes_abstain": a.votes_abstain}
        for a in meeting.agenda.all()
    ]
    formset = AgendaFormSet(request.POST or None, prefix="agenda", initial=initial_agenda)
    if request.method == "POST":
        presence = _attendance_from_post(request, roster)
    else:
        presence = dict(meeting.attendance.values_list("member_id", "presence"))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        meeting.refresh_from_db()
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("minutes_file", "version", "client_key")}
        try:
            services.recording.meeting_update(
                meeting=meeting,
                expected_version=form.cleaned_data.get("version"),
                attendance=presence if cell.is_cell else None,
                agenda=_agenda_lines(formset),
                minutes_file=form.cleaned_data.get("minutes_file"),
                acting_user=request.user,
                **data,
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return mark_saved(redirect("evaluations:meetings:detail", pk=meeting.pk), request, "meeting", meeting)
    return _render_meeting_form(request, cell, form, formset, roster, presence, meeting=meeting)


@login_required
def meeting_detail(request, pk: int):
    meeting = meeting_or_404(request, pk)
    rubric = services.recording.meeting_rubric(meeting)
    scores = {row.code: row for row in meeting.scores.all()}
    rows = []
    if rubric:
        result = services.recording.score_meeting(
            meeting, services.recording.answers_from_scores(scores.values(), final=True), rubric
        )
        recorded = services.recording.score_meeting(
            meeting, services.recording.answers_from_scores(scores.values(), final=False), rubric, final=False
        )
        for criterion in rubric.criteria:
            if criterion.code in result.applicable:
                computed = None
                if criterion.code in result.measured:
                    computed = {
                        "measured": result.measured[criterion.code],
                        "self_points": recorded.points.get(criterion.code),
                    }
                rows.append((criterion, scores.get(criterion.code), result.points.get(criterion.code), computed))
    history = history_lines(entries_about([meeting])[:30])
    labels = {level.code: level.label or level.code for level in rubric.levels} if rubric else {}
    meeting.self_level_label = labels.get(meeting.self_level, meeting.self_level)
    meeting.final_level_label = labels.get(meeting.final_level, meeting.final_level)
    context = {
        "meeting": meeting,
        "rubric": rubric,
        "rows": rows,
        "corrections": _corrections(meeting),
        "attendance": meeting.attendance.select_related("member").order_by("member__full_name_folded"),
        "agenda": meeting.agenda.all(),
        "history": history,
        "can_record": rights.allowed(request.user, "meeting.record", meeting),
        "can_appraise": rights.allowed(request.user, "meeting.appraise", meeting),
        "can_reopen": rights.allowed(request.user, "meeting.reopen", meeting),
        **detail_context(request, meeting),
    }
    return render(request, "evaluations/meetings/meeting_detail.html", context)


def _corrections(meeting: Meeting) -> list[tuple]:
    """(fact label, corrected value as shown, reason) for each fact the appraiser corrected."""
    final = meeting.final_facts()
    shown = []
    for name, correction in (meeting.fact_corrections or {}).items():
        value = final.get(name)
        text = "—" if value is None else (value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else str(value))
        shown.append((Meeting._meta.get_field(name).verbose_name, text, correction.get("reason", "")))
    return shown


@login_required
def minutes_download(request, pk: int):
    """The uploaded minutes, served only to users who may see the meeting (private storage)."""
    meeting = meeting_or_404(request, pk)
    if not meeting.minutes_file:
        raise Http404
    stored = meeting.minutes_file.open("rb")
    head = stored.read(8192)
    stored.seek(0)
    # The type the upload check accepts, read from the stored bytes: never the name the file came with.
    content_type = detect_mime(head)
    if content_type not in ALLOWED_MIME:
        content_type = None
    stem = meeting.minutes_file.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    name = stem + ALLOWED_MIME[content_type] if content_type else stem
    return FileResponse(
        stored, as_attachment=True, filename=name, content_type=content_type or "application/octet-stream"
    )


# --- Scores --------------------------------------------------------------------------------------


def _score_form(request, meeting: Meeting, mode: str, data=None) -> ScoreForm:
    rubric = services.recording.meeting_rubric(meeting)
    rows = list(meeting.scores.all())
    answers = services.recording.answers_from_scores(rows, final=(mode == "a"))
    result = services.recording.score_meeting(meeting, answers, rubric, final=(mode == "a"))
    # Computed items (scored from the facts) and items counted full for this kind of meeting take no value.
    applicable = set(result.applicable) - set(result.measured) - result.full_by_kind
    initial = {code: (a.points if a.points is not None else a.achieved) for code, a in answers.items()}
    self_display = {}
    for row in rows:
        if row.self_points is not None:
            self_display[row.code] = format(row.self_points.normalize(), "f")
        elif row.self_achieved is not None:
            self_display[row.code] = _("yes") if row.self_achieved else _("no")
    return ScoreForm(
        data,
        rubric=rubric,
        applicable=applicable,
        initial_values=initial,
        mode=mode,
        self_display=self_display,
        version=meeting.version,
    )


def _summary(meeting: Meeting, values: dict, *, final: bool, facts: dict | None = None) -> dict:
    """The running total and level, and the computed items, for the values typed so far: the one scoring
    function, with the meeting's facts (as recorded for the self-assessment, corrected for the appraisal;
    ``facts``: the appraiser's typed corrections)."""
    from criteria.scoring import Answer

    rubric = services.recording.meeting_rubric(meeting)
    answers = {
        code: Answer(points=value) if not isinstance(value, bool) else Answer(achieved=value)
        for code, value in values.items()
        if value is not None
    }
    typed_facts = services.recording.MeetingFacts(date=meeting.date, **facts) if facts is not None else None
    result = services.recording.score_meeting(meeting, answers, rubric, final=final, facts=typed_facts)
    return {"result": result, **computed_items(rubric, result)}


def computed_items(rubric, result) -> dict:
    """For the pages: the computed items (criterion, measured value, points) and the items counted full for
    this kind of meeting, in rubric order."""
    if rubric is None or result is None:
        return {"computed": [], "full_items": []}
    computed = [
        {"criterion": c, "measured": result.measured[c.code], "points": result.points.get(c.code)}
        for c in rubric.leaves()
        if c.code in result.measured
    ]
    full_items = [c for c in rubric.leaves() if c.code in result.full_by_kind and c.code in result.applicable]
    return {"computed": computed, "full_items": full_items}


@login_required
def meeting_assess(request, pk: int):
    """The secretary's self-assessment: every item with its points, a live total and level."""
    meeting = meeting_or_404(request, pk, Action.RECORD)
    if meeting.framework_id is None:
        messages.error(request, _("No meeting-quality framework applies to this cell for this year."))
        return redirect("evaluations:meetings:detail", pk=meeting.pk)
    if meeting.is_locked:
        return redirect("evaluations:meetings:detail", pk=meeting.pk)
    if idempotency.already_saved(request, "meeting-score", meeting):
        # The same save sent again (an outbox resending after a lost answer): saved once, said so.
        messages.success(request, idempotency.already_saved_message())
        return mark_saved(redirect("evaluations:meetings:detail", pk=meeting.pk), request, "score", meeting)
    form = _score_form(request, meeting, "c", request.POST or None)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            with transaction.atomic():
                services.recording.meeting_self_assess(
                    meeting=meeting,
                    values=form.values(),
                    submit=submit,
                    acting_user=request.user,
                    expected_version=form.cleaned_data.get("version"),
                )
                idempotency.remember(request, "meeting-score", meeting)
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Submitted for appraisal.") if submit else _("Draft saved."))
            return mark_saved(redirect("evaluations:meetings:detail", pk=meeting.pk), request, "score", meeting)
    values = (
        form.values()
        if form.is_bound and form.is_valid()
        else {c.code: form[f.name].value() for c, f, _r, _s in form.rows()}
    )
    context = {"meeting": meeting, "form": form, "mode": "c", **_summary(meeting, _coerce(form, values), final=False)}
    return render(request, "evaluations/meetings/score_form.html", context)


def _coerce(form: ScoreForm, values: dict) -> dict:
    from criteria.scoring import to_decimal

    out = {}
    for criterion in form.leaves:
        raw = values.get(criterion.code)
        if criterion.is_scored:
            try:
                out[criterion.code] = to_decimal(raw) if not isinstance(raw, bool) else None
            except ValueError:
                out[criterion.code] = None
        else:
            out[criterion.code] = raw in (True, "on", "true", "1")
    return out


def _facts_form(meeting: Meeting, data=None) -> FactsForm:
    rubric = services.recording.meeting_rubric(meeting)
    return FactsForm(data, meeting=meeting, facts=facts_read_by(rubric) if rubric else ())


@login_required
@require_POST
def score_preview(request, pk: int, mode: str):
    """htmx: the running total and level, and the computed items, for the values typed so far (and, on the
    appraisal, the facts corrected so far), from the one scoring function."""
    action = Action.RECORD if mode == "c" else Action.APPRAISE
    meeting = meeting_or_404(request, pk, action)
    if meeting.framework_id is None or mode not in ("c", "a"):
        raise Http404
    form = _score_form(request, meeting, mode, request.POST)
    raw = {c.code: request.POST.get(f.html_name) for c, f, _r, _s in form.rows()}
    facts = _facts_form(meeting, request.POST).typed_facts() if mode == "a" else None
    context = _summary(meeting, _coerce(form, raw), final=(mode == "a"), facts=facts)
    return render(request, "evaluations/meetings/_score_preview.html", {"meeting": meeting, **context})


@login_required
def meeting_appraise(request, pk: int):
    """The assigned supervisor sees the self-assessment, changes items with a reason, corrects the facts the
    computed items read (with a reason), and confirms."""
    meeting = meeting_or_404(request, pk, Action.APPRAISE)
    refused = rights.refusal(request.user, "meeting.appraise", meeting)
    if refused and refused[0] == "scope":
        raise Http404  # a grassroots organisation's own office: its meetings are appraised from above
    if refused:
        messages.warning(request, refused[1])
        return redirect("evaluations:meetings:detail", pk=meeting.pk)
    form = _score_form(request, meeting, "a", request.POST or None)
    facts_form = _facts_form(meeting, request.POST or None)
    self_values = {row.code: row for row in meeting.scores.all()}
    if request.method == "POST" and form.is_valid() and facts_form.is_valid():
        reasons = form.reasons()
        changes = {
            code: services.recording.AppraisalChange(value if value is not None else 0, reasons[code])
            for code, value in form.values().items()
        }
        facts = {
            name: services.recording.AppraisalChange(value, reason)
            for name, (value, reason) in facts_form.changes().items()
        }
        try:
            services.recording.meeting_appraise(
                meeting=meeting,
                changes=changes,
                facts=facts,
                note=request.POST.get("note", ""),
                acting_user=request.user,
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            _show_appraisal_error(form, facts_form, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("Appraisal confirmed. The meeting is locked."))
            return redirect("evaluations:meetings:queue")
    raw = {c.code: form[f.name].value() for c, f, _r, _s in form.rows()}
    context = {
        "meeting": meeting,
        "form": form,
        "facts_form": facts_form,
        "mode": "a",
        "self_values": self_values,
        **_summary(meeting, _coerce(form, raw), final=True, facts=facts_form.typed_facts()),
    }
    return render(request, "evaluations/meetings/score_form.html", context)


def _show_appraisal_error(form, facts_form, exc: ValidationError) -> None:
    """A refused fact under its own field (``f_<fact>``); the rest on the score form."""
    if hasattr(exc, "error_dict"):
        facts = {name: msgs for name, msgs in exc.message_dict.items() if name in facts_form.facts}
        for name, msgs in facts.items():
            for message in msgs:
                facts_form.add_error(f"f_{name}", message)
        rest = {name: msgs for name, msgs in exc.message_dict.items() if name not in facts}
        if rest:
            show_validation_error(form, ValidationError(rest))
        return
    show_validation_error(form, exc)


@login_required
@require_POST
def record_preview(request, cell_pk: int):
    """htmx on the record page: the computed items of the rubric this meeting will be scored on, from the
    facts typed so far (duration, attendance taps, speakers, the documents' and minutes' days). Saves nothing."""
    cell = organization_or_404(request, cell_pk, Action.RECORD)
    kinds = meeting_kinds_for(cell)
    if not kinds:
        raise Http404
    roster = list(roster_of(cell))
    counts = _counts(request, roster)
    form = MeetingForm(request.POST, cell=cell, supervisors=get_user_model().objects.none(), counts=counts)
    form.is_valid()  # only to read what can be read: nothing is saved
    data = form.cleaned_data
    if not cell.is_cell:  # a committee's own meeting: its counts are typed, not ticked
        counts = (data.get("members_total") or 0, data.get("members_present") or 0, 0, 0)
    kind = data.get("kind") or kinds[0]
    date = data.get("date") or timezone.localdate()
    framework = services.recording.framework_for(cell, kind, date.year, data.get("designation"))
    if framework is None:
        return render(request, "evaluations/meetings/_computed_items.html", {"computed": [], "full_items": []})
    total, present, _excused, _unexcused = counts
    meeting = Meeting(organization=cell, kind=kind, date=date, framework=framework)
    facts = {
        "duration_minutes": data.get("duration_minutes"),
        "members_total": total,
        "members_present": present,
        "members_spoke": data.get("members_spoke"),
        "documents_sent_on": data.get("documents_sent_on"),
        "minutes_filed_on": data.get("minutes_filed_on"),
    }
    context = _summary(meeting, {}, final=False, facts=facts)
    return render(request, "evaluations/meetings/_computed_items.html", {"live": True, **context})


@login_required
def meeting_reopen(request, pk: int):
    meeting = meeting_or_404(request, pk, Action.MANAGE)
    refused = rights.refusal(request.user, "meeting.reopen", meeting)
    if refused and refused[0] == "scope":
        raise Http404  # a grassroots organisation's own office does not reopen what the committee above appraised
    form = ReasonForm(request.POST or None, submit_label=_("Reopen"))
    if request.method == "POST" and form.is_valid():
        try:
            services.recording.meeting_reopen(
                meeting=meeting, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("The meeting is open for appraisal again."))
            return redirect("evaluations:meetings:detail", pk=meeting.pk)
    return render(
        request,
        "evaluations/meetings/form.html",
        {"form": form, "title": _("Reopen the appraised meeting %s") % meeting, "back": meeting.get_absolute_url()},
    )
