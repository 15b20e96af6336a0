"""Workbook sheets of the campaign cycle (WORKBOOK.md): the imports campaigns, campaign_targets,
year_ratings, registrations, annual_results, and the exports campaign_results and targets."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cells import rights
from cells.models import CellType, Organization
from cells.scoping import Action
from cells.workbook import lookups
from cells.workbook.registry import (
    Change,
    Column,
    Export,
    ExportError,
    ImportSheet,
    register_export,
    register_import_sheet,
)
from cells.workbook.writer import WorkbookWriter
from criteria.models import Criterion
from criteria.rights import visible_by_code
from criteria.selectors import load_rubric

from . import services
from .models import (
    AnnualAnswer,
    Award,
    Campaign,
    CampaignTarget,
    Comparator,
    Registration,
    RegistrationStatus,
    YearRating,
)
from .selectors import result_rows, target_rows

PERCENT_METRICS = ("passed_share", "rated_share", "recognized_share")
ORG_LEVELS = (
    ("province", "Tỉnh"),
    ("district", "Huyện"),
    ("grassroots", "Đảng bộ cơ sở"),
    ("partial", "Đảng bộ bộ phận"),
    ("grassroots_cell", "Chi bộ cơ sở"),
    ("cell", "Chi bộ"),
)
RATINGS = (
    ("HTXSNV", "Hoàn thành xuất sắc nhiệm vụ"),
    ("HTTNV", "Hoàn thành tốt nhiệm vụ"),
    ("HTNV", "Hoàn thành nhiệm vụ"),
    ("KHTNV", "Không hoàn thành nhiệm vụ"),
)
METRICS = (
    ("recognized_new", "Công nhận mới"),
    ("recognized_total", "Tổng số được công nhận"),
    ("passed_share", "Tỷ lệ đạt (%)"),
    ("rated_share", "Tỷ lệ tổ chức đảng xếp loại năm từ mức (%)"),
    ("recognized_share", "Tỷ lệ tổ chức đảng được công nhận (%)"),
)
COMPARATORS = tuple((c, c) for c in Comparator.values)
STATUSES = (
    ("submitted", "Đã đăng ký"),
    ("approved", "Đã duyệt"),
    ("returned", "Trả lại"),
    ("rejected", "Không duyệt"),
    ("maintaining", "Duy trì"),
)


def _cell_types():
    return list(CellType.objects.values_list("code", "name"))


def _orgs(codes) -> dict[str, Organization]:
    return {o.code: o for o in Organization.objects.filter(code__in=set(codes)).select_related("cell_type")}


def _campaigns(codes) -> dict[str, Campaign]:
    return {c.code: c for c in Campaign.objects.filter(code__in=set(codes)).select_related("owner", "framework")}


def _org_in_scope(ctx, row, column, organization) -> bool:
    """Whether the row's organisation exists inside the importer's scope; one message when it does not."""
    if organization is None or not ctx.can_manage(organization.path):
        ctx.error(row, column, lookups.not_found("organization", row[column]))
        return False
    return True


def _registration_of(ctx, row, campaigns, orgs, registrations, missing: str):
    """The registration a row of an annual-results or awards sheet names, through the row's campaign and
    the organisation's scope; None (with the row's error said) when the row names none."""
    campaign = _campaign_of(ctx, row, campaigns)
    organization = orgs.get(row["org_code"])
    if campaign is None or not _org_in_scope(ctx, row, "org_code", organization):
        return None
    registration = registrations.get((campaign.pk, organization.pk))
    if registration is None:
        ctx.error(row, "org_code", missing)
    return registration


def _campaign_of(ctx, row, campaigns) -> Campaign | None:
    campaign = campaigns.get(row["campaign_code"])
    if campaign is None and ctx.row_failed("campaigns", row["campaign_code"]):
        return None
    if campaign is None or not ctx.can_manage(campaign.owner.path):
        ctx.error(row, "campaign_code", lookups.not_found("campaign", row["campaign_code"]))
        return None
    return campaign


# --- campaigns -----------------------------------------------------------------------------------

CAMPAIGN_COLUMNS = (
    "name",
    "year",
    "registration_deadline",
    "recognition_deadline",
    "min_year_rating",
    "eligibility_good_years",
    "eligibility_all_members_completed",
)


def plan_campaigns(ctx, rows):
    owners = _orgs(r["owner_code"] for r in rows)
    frameworks = visible_by_code(ctx.user, {r["framework_code"] for r in rows})
    existing = _campaigns(r["code"] for r in rows)
    changes = []
    for row in rows:
        owner = owners.get(row["owner_code"])
        if not _org_in_scope(ctx, row, "owner_code", owner):
            continue
        framework = frameworks.get(row["framework_code"])
        if framework is None:
            ctx.error(row, "framework_code", lookups.not_found("framework", row["framework_code"]))
            continue
        campaign = existing.get(row["code"])
        if framework != getattr(campaign, "framework", None) and (
            refused := rights.refusal(ctx.user, "framework.use", framework)
        ):
            ctx.error(row, "framework_code", refused[1])
            continue
        values = {
            "name": row["name"],
            "owner": owner,
            "framework": framework,
            "year": row["year"],
            "registration_deadline": row["registration_deadline"],
            "recognition_deadline": row["recognition_deadline"],
            "min_year_rating": row["min_year_rating"] or "",
            "eligibility_good_years": row["eligibility_good_years"] or 0,
            "eligibility_all_members_completed": bool(row["eligibility_all_members_completed"]),
        }
        values = {k: v for k, v in values.items() if k in ("owner", "framework") or k in ctx.columns_present}
        if campaign is not None:
            if not ctx.can_manage(campaign.owner.path):
                ctx.error(row, "code", lookups.code_taken(row["code"]))
                continue
            diff = {k: [str(getattr(campaign, k)), str(v)] for k, v in values.items() if getattr(campaign, k) != v}
            action = Change.UPDATE if diff else Change.UNCHANGED
            changes.append(Change.for_row(row, action, key=row["code"], details=diff, payload=(campaign, values)))
            continue
        candidate = Campaign(code=row["code"], **values)
        try:
            candidate.full_clean(validate_unique=False)
        except ValidationError as exc:
            ctx.add_validation_error(row, exc, {"owner": "owner_code", "framework": "framework_code"})
            continue
        changes.append(
            Change.for_row(row, Change.CREATE, key=row["code"], payload=(None, {"code": row["code"], **values}))
        )
    return changes


def apply_campaigns(ctx, changes):
    for change in changes:
        campaign, values = change.payload
        try:
            if campaign is None:
                services.plans.campaign_create(acting_user=ctx.user, **values)
            elif change.action == Change.UPDATE:
                services.plans.campaign_update(campaign=campaign, acting_user=ctx.user, **values)
        except ValidationError as exc:
            ctx.add_validation_error(change.row, exc)


# --- campaign_targets ----------------------------------------------------------------------------


def plan_targets(ctx, rows):
    campaigns = _campaigns(r["campaign_code"] for r in rows)
    types = {t.code: t for t in CellType.objects.all()}
    changes = []
    for row in rows:
        campaign = _campaign_of(ctx, row, campaigns)
        if campaign is None:
            continue
        cell_type = types.get(row["cell_type"]) if row["cell_type"] else None
        org_level = row["org_level"] or ""
        if row["metric"] == "rated_share" and not row["rating"]:
            ctx.error(row, "rating", _("Say which year rating an organisation must reach to count."))
            continue
        existing = CampaignTarget.objects.filter(
            campaign=campaign, metric=row["metric"], cell_type=cell_type, org_level=org_level
        ).first()
        same = (
            existing
            and existing.comparator == row["comparator"]
            and existing.value == row["value"]
            and existing.rating == (row["rating"] or "")
            and existing.due_year == row["due_year"]
        )
        action = Change.UNCHANGED if same else (Change.UPDATE if existing else Change.CREATE)
        changes.append(Change.for_row(row, action, payload=(campaign, cell_type, row)))
    return changes


def apply_targets(ctx, changes):
    for change in changes:
        if change.action == Change.UNCHANGED:
            continue
        campaign, cell_type, row = change.payload
        services.plans.target_set(
            campaign=campaign,
            metric=row["metric"],
            cell_type=cell_type,
            comparator=row["comparator"],
            value=row["value"],
            org_level=row["org_level"] or "",
            rating=row["rating"] or "",
            due_year=row["due_year"],
            acting_user=ctx.user,
        )


# --- year_ratings --------------------------------------------------------------------------------


def plan_ratings(ctx, rows):
    orgs = _orgs(r["org_code"] for r in rows)
    existing = {(y.organization_id, y.year): y for y in YearRating.objects.filter(organization__in=list(orgs.values()))}
    changes = []
    for row in rows:
        organization = orgs.get(row["org_code"])
        if not _org_in_scope(ctx, row, "org_code", organization):
            continue
        total, completed = row["members_total"], row["members_completed"]
        if total is not None and completed is not None and completed > total:
            ctx.error(row, "members_completed", _("Cannot be more than the members rated."))
            continue
        record = existing.get((organization.pk, row["year"]))
        new = (row["rating"], total, completed)
        if record and (record.rating, record.members_total, record.members_completed) == new:
            action = Change.UNCHANGED
        else:
            action = Change.UPDATE if record else Change.CREATE
        changes.append(Change.for_row(row, action, payload=(organization, row)))
    return changes


def apply_ratings(ctx, changes):
    for change in changes:
        if change.action == Change.UNCHANGED:
            continue
        organization, row = change.payload
        services.ratings.year_rating_set(
            organization=organization,
            year=row["year"],
            rating=row["rating"],
            members_total=row["members_total"],
            members_completed=row["members_completed"],
            acting_user=ctx.user,
        )


# --- registrations -------------------------------------------------------------------------------


def plan_registrations(ctx, rows):
    """Parse each row into the campaign, the organisation and the status; whether it may register or change
    is the registration service's answer (apply_registrations)."""
    campaigns = _campaigns(r["campaign_code"] for r in rows)
    orgs = _orgs(r["org_code"] for r in rows)
    existing = {
        (r.campaign_id, r.organization_id): r
        for r in Registration.objects.filter(
            campaign__in=list(campaigns.values()), organization__in=list(orgs.values())
        )
    }
    changes = []
    for row in rows:
        campaign = _campaign_of(ctx, row, campaigns)
        organization = orgs.get(row["org_code"])
        if campaign is None or not _org_in_scope(ctx, row, "org_code", organization):
            continue
        registration = existing.get((campaign.pk, organization.pk))
        status = row["status"] or RegistrationStatus.SUBMITTED
        same = (
            registration
            and registration.status == status
            and (not row["registered_on"] or registration.registered_on == row["registered_on"])
        )
        action = Change.UNCHANGED if same else (Change.UPDATE if registration else Change.CREATE)
        changes.append(Change.for_row(row, action, payload=(campaign, organization, registration, status, row)))
    return changes


def apply_registrations(ctx, changes):
    for change in changes:
        if change.action == Change.UNCHANGED:
            continue
        campaign, organization, existing, status, row = change.payload
        try:
            services.registration.registration_import(
                campaign=campaign,
                organization=organization,
                status=status,
                registered_on=row["registered_on"],
                registration=existing,
                reason=row.get("reason") or "",
                acting_user=ctx.user,
            )
        except ValidationError as exc:
            column = "status" if existing is not None else "org_code"
            ctx.add_validation_error(change.row, exc, {"organization": "org_code"}, default_column=column)
            ctx.mark_failed("registrations", (campaign.code, organization.code))


# --- annual_results ------------------------------------------------------------------------------

ANSWER_FIELDS = ("self_points", "self_achieved", "appraised_points", "appraised_achieved", "actual", "target")


def plan_annual(ctx, rows):
    """Parse each row into the participant, the leaf criterion of its framework and the values it gives;
    say which rows change what (an empty cell keeps what is stored). Whether a change is allowed is the
    service's answer (apply_annual)."""
    campaigns = _campaigns(r["campaign_code"] for r in rows)
    orgs = _orgs(r["org_code"] for r in rows)
    registrations = {
        (r.campaign_id, r.organization_id): r
        for r in Registration.objects.filter(
            campaign__in=list(campaigns.values()), organization__in=list(orgs.values())
        ).select_related("framework", "organization", "organization__cell_type", "campaign")
    }
    rubrics: dict[int, dict[str, object]] = {}
    answers = {
        (a.registration_id, a.criterion_id): a
        for a in AnnualAnswer.objects.filter(registration__in=list(registrations.values()))
    }
    changes = []
    for row in rows:
        registration = _registration_of(
            ctx,
            row,
            campaigns,
            orgs,
            registrations,
            _("The cell is not an approved or maintaining participant of this campaign."),
        )
        if registration is None:
            continue
        if registration.framework_id not in rubrics:
            rubric = load_rubric(registration.framework)
            rubrics[registration.framework_id] = {c.code: c for c in rubric.leaves()}
        criterion = rubrics[registration.framework_id].get(row["criterion_code"])
        if criterion is None:
            ctx.error(row, "criterion_code", _("No leaf criterion with this code in the cell's framework."))
            continue
        values = {key: row[key] for key in ANSWER_FIELDS if key in ctx.columns_present and row[key] is not None}
        answer = answers.get((registration.pk, criterion.id))
        changed = any(services.answers.imported_changes(answer, values))
        action = Change.UNCHANGED if not changed else (Change.UPDATE if answer else Change.CREATE)
        changes.append(
            Change.for_row(
                row,
                action,
                key=f"{registration.campaign.code} {registration.organization.code} {criterion.code}",
                details={k: str(v) for k, v in values.items()},
                payload=(registration, criterion.id, values),
            )
        )
    return changes


def apply_annual(ctx, changes):
    """Hand each participant's changed rows to ``annual_answers_import``, which goes through the self-assessment
    and appraisal pages' services (rights with their state rules, separation of duties, audit, the version,
    the score); a refused row is reported where it is."""
    by_registration: dict[int, tuple[Registration, list, dict]] = {}
    for change in changes:
        if change.action == Change.UNCHANGED:
            continue
        registration, criterion_id, values = change.payload
        _registration, rows, row_of = by_registration.setdefault(registration.pk, (registration, [], {}))
        rows.append((criterion_id, values))
        row_of[criterion_id] = change.row
    criteria = Criterion.objects.in_bulk([cid for _r, rows, _n in by_registration.values() for cid, _v in rows])
    for registration, rows, row_of in by_registration.values():
        try:
            services.answers.annual_answers_import(
                registration=registration,
                rows=[services.answers.ImportedAnswer(criteria[cid], values) for cid, values in rows],
                acting_user=ctx.user,
            )
        except services.answers.RowsRefused as exc:
            numbers = {criteria[cid].code: number for cid, number in row_of.items()}
            for code, column, message in exc.problems:
                ctx.error(numbers.get(code, min(row_of.values())), column, message)
        except ValidationError as exc:
            ctx.add_validation_error(min(row_of.values()), exc, default_column="org_code")


register_import_sheet(
    ImportSheet(
        name="campaigns",
        label="Kế hoạch",
        columns=(
            Column("code", "Mã kế hoạch", required=True),
            Column("name", "Tên kế hoạch", required=True),
            Column("owner_code", "Mã cấp ủy", required=True),
            Column("framework_code", "Mã bộ tiêu chí", required=True),
            Column("year", "Năm", Column.INT, required=True),
            Column("registration_deadline", "Hạn đăng ký", Column.DATE),
            Column("recognition_deadline", "Hạn công nhận", Column.DATE),
            Column("min_year_rating", "Xếp loại tối thiểu", Column.CHOICE, choices=RATINGS[:3]),
            Column("eligibility_good_years", "Số năm HTTNV trở lên", Column.INT),
            Column("eligibility_all_members_completed", "100% đảng viên HTNV trở lên", Column.BOOL),
        ),
        key=("code",),
        plan=plan_campaigns,
        apply=apply_campaigns,
        description="Kế hoạch xây dựng chi bộ kiểu mẫu, bốn tốt, 5 tốt của cấp ủy theo năm.",
    )
)
register_import_sheet(
    ImportSheet(
        name="campaign_targets",
        label="Chỉ tiêu kế hoạch",
        columns=(
            Column("campaign_code", "Mã kế hoạch", required=True),
            Column("metric", "Chỉ tiêu", Column.CHOICE, required=True, choices=METRICS),
            Column("cell_type", "Loại hình chi bộ", Column.CHOICE, choices=_cell_types),
            Column("comparator", "So sánh", Column.CHOICE, required=True, choices=COMPARATORS),
            Column("value", "Giá trị", Column.DECIMAL, required=True),
            Column("org_level", "Cấp tổ chức", Column.CHOICE, choices=ORG_LEVELS, help="để trống: chi bộ"),
            Column("rating", "Xếp loại năm từ", Column.CHOICE, choices=RATINGS[:3], help="bắt buộc với rated_share"),
            Column("due_year", "Năm hoàn thành", Column.INT),
        ),
        key=("campaign_code", "metric", "cell_type", "org_level"),
        plan=plan_targets,
        apply=apply_targets,
        description="Chỉ tiêu công nhận mới, tổng số, tỷ lệ đạt theo loại hình chi bộ.",
    )
)
register_import_sheet(
    ImportSheet(
        name="year_ratings",
        label="Xếp loại cuối năm",
        columns=(
            Column("org_code", "Mã tổ chức", required=True),
            Column("year", "Năm", Column.INT, required=True),
            Column("rating", "Xếp loại", Column.CHOICE, required=True, choices=RATINGS),
            Column("members_total", "Số đảng viên được xếp loại", Column.INT),
            Column("members_completed", "Số đảng viên HTNV trở lên", Column.INT),
        ),
        key=("org_code", "year"),
        plan=plan_ratings,
        apply=apply_ratings,
        description="Xếp loại chất lượng tổ chức đảng và đảng viên cuối năm.",
    )
)
register_import_sheet(
    ImportSheet(
        name="registrations",
        label="Đăng ký",
        columns=(
            Column("campaign_code", "Mã kế hoạch", required=True),
            Column("org_code", "Mã chi bộ", required=True),
            Column("registered_on", "Ngày đăng ký", Column.DATE),
            Column("status", "Trạng thái", Column.CHOICE, choices=STATUSES),
            Column("reason", "Lý do quyết định"),
        ),
        key=("campaign_code", "org_code"),
        plan=plan_registrations,
        apply=apply_registrations,
        description="Chi bộ đăng ký tham gia kế hoạch.",
    )
)
register_import_sheet(
    ImportSheet(
        name="annual_results",
        label="Kết quả năm",
        columns=(
            Column("campaign_code", "Mã kế hoạch", required=True),
            Column("org_code", "Mã chi bộ", required=True),
            Column("criterion_code", "Mã tiêu chí", required=True),
            Column("self_points", "Điểm tự chấm", Column.DECIMAL),
            Column("self_achieved", "Tự đánh giá đạt", Column.ANSWER),
            Column("appraised_points", "Điểm thẩm định", Column.DECIMAL),
            Column("appraised_achieved", "Thẩm định đạt", Column.ANSWER),
            Column("actual", "Kết quả thực hiện", Column.DECIMAL),
            Column("target", "Chỉ tiêu của chi bộ", Column.DECIMAL),
        ),
        key=("campaign_code", "org_code", "criterion_code"),
        plan=plan_annual,
        apply=apply_annual,
        description="Tự đánh giá và thẩm định từng tiêu chí của chi bộ trong năm.",
    )
)


# --- awards (support and commendation, Y7, Y8, B4) ------------------------------------------------

AWARD_KINDS = (
    ("commendation", "Khen thưởng"),
    ("reward", "Tặng thưởng"),
    ("support", "Hỗ trợ nhà văn hóa"),
)
AWARD_COLUMNS = (
    Column("campaign_code", "Mã kế hoạch", required=True),
    Column("org_code", "Mã chi bộ", required=True),
    Column("kind", "Hình thức", Column.CHOICE, required=True, choices=AWARD_KINDS),
    Column("description", "Nội dung khen thưởng, hỗ trợ", required=True),
    Column("amount", "Số tiền (đồng)", Column.DECIMAL),
    Column("granted_on", "Ngày quyết định", Column.DATE, required=True),
    Column("reference", "Số quyết định"),
)


def plan_awards(ctx, rows):
    """Parse each row into the cell's registration in the campaign and the award; whether it may be granted
    (recognized first, by the board) is the service's answer (apply_awards). A row already recorded (same
    cell, kind, what, day) is unchanged, so importing a sheet twice grants nothing twice."""
    campaigns = _campaigns(r["campaign_code"] for r in rows)
    orgs = _orgs(r["org_code"] for r in rows)
    registrations = {
        (r.campaign_id, r.organization_id): r
        for r in Registration.objects.filter(
            campaign__in=list(campaigns.values()), organization__in=list(orgs.values())
        ).select_related("campaign__owner", "organization__cell_type")
    }
    existing = set(
        Award.objects.filter(registration__in=list(registrations.values())).values_list(
            "registration_id", "kind", "description", "granted_on"
        )
    )
    changes = []
    for row in rows:
        registration = _registration_of(
            ctx, row, campaigns, orgs, registrations, _("This cell is not registered in the campaign.")
        )
        if registration is None:
            continue
        same = (registration.pk, row["kind"], (row["description"] or "").strip(), row["granted_on"]) in existing
        changes.append(Change.for_row(row, Change.UNCHANGED if same else Change.CREATE, payload=(registration, row)))
    return changes


def apply_awards(ctx, changes):
    for change in changes:
        if change.action == Change.UNCHANGED:
            continue
        registration, row = change.payload
        try:
            services.recognition.award_add(
                registration=registration,
                kind=row["kind"],
                description=row["description"],
                amount=row["amount"],
                granted_on=row["granted_on"],
                reference=row["reference"] or "",
                acting_user=ctx.user,
            )
        except ValidationError as exc:
            ctx.add_validation_error(change.row, exc, {}, default_column="granted_on")


register_import_sheet(
    ImportSheet(
        name="awards",
        label="Khen thưởng, hỗ trợ",
        columns=AWARD_COLUMNS,
        key=("campaign_code", "org_code", "kind", "description", "granted_on"),
        plan=plan_awards,
        apply=apply_awards,
        description="Khen thưởng, tặng thưởng chi bộ đã được công nhận, hỗ trợ nhà văn hóa (sau quyết định công nhận).",
    )
)


# --- Exports -------------------------------------------------------------------------------------

RESULT_KEYS = [
    "org_code", "name", "org_level", "cell_type", "total_points", "level", "year_rating", "result", "failed", "status",
]  # fmt: skip
TARGET_KEYS = ["metric", "cell_type", "org_level", "comparator", "value", "rating", "actual", "met"]


def _number(value: Decimal | None):
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else value


def write_campaign_results(book, campaign: Campaign) -> None:
    sheet = book.sheet("campaign_results", RESULT_KEYS)
    for row in result_rows(campaign):
        sheet.append(
            [
                row.org_code,
                row.name,
                row.org_level,
                row.cell_type,
                _number(row.total_points),
                row.level,
                row.year_rating,
                row.result,
                row.failed,
                row.status,
            ]
        )


def write_targets(book, campaign: Campaign) -> None:
    sheet = book.sheet("targets", TARGET_KEYS)
    for target in target_rows(campaign):
        sheet.append(
            [
                target.metric,
                target.cell_type,
                target.org_level,
                target.comparator,
                _number(target.value),
                target.rating,
                target.actual if target.metric in PERCENT_METRICS else _number(target.actual),
                "yes" if target.met else "no",
            ]
        )


EXPORTS = {"campaign_results": write_campaign_results, "targets": write_targets}


def export_bytes(campaign: Campaign, names: list[str]) -> bytes:
    book = WorkbookWriter()
    for name in names:
        EXPORTS[name](book, campaign)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _campaign_for(request) -> Campaign:
    campaign = (
        Campaign.objects.for_user(request.user, Action.VIEW)
        .select_related("framework", "owner")
        .filter(code=request.campaign or "")
        .first()
    )
    if campaign is None:
        raise ExportError(_("No campaign with code %(code)s in your scope.") % {"code": request.campaign or ""})
    return campaign


register_export(
    Export(
        name="campaign_results",
        label="Kết quả đánh giá chi bộ của kế hoạch",
        requires=("campaign",),
        write=lambda request, book: write_campaign_results(book, _campaign_for(request)),
    )
)
register_export(
    Export(
        name="targets",
        label="Tiến độ chỉ tiêu của kế hoạch",
        requires=("campaign",),
        write=lambda request, book: write_targets(book, _campaign_for(request)),
    )
)
