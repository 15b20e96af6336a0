"""Every write to frameworks, criteria and rating levels.

The freeze rule lives here and only here: the pages, the admin, the workbook import and the demo all
come through these functions.

- A draft may change freely.
- A published (or retired) framework never changes its criteria or levels: a change is a new version.
- A framework in use (an evaluation or a published derived framework uses it) changes nothing but
  its status (it may be retired).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cells.models import CellType, Organization
from cells.services import ItemsRefused, audit_record, audit_snapshot
from cells.text import nfc

from .models import Criterion, Framework, FrameworkStatus, RatingLevel, RollupLevel
from .scoring import BandError, bands_from_json, bands_to_json

FRAMEWORK_FIELDS = [
    "code",
    "name",
    "kind",
    "owner",
    "basis",
    "description",
    "valid_from_year",
    "valid_to_year",
    "version",
    "status",
    "parent",
    "previous_version",
    "meeting_kind",
    "org_levels",
]
# What a published framework that nothing uses yet may still change.
PUBLISHED_EDITABLE = {"name", "basis", "description", "valid_from_year", "valid_to_year"}
CRITERION_FIELDS = [
    "code",
    "parent",
    "title",
    "guidance",
    "order",
    "max_points",
    "is_key",
    "evidence_required",
    "org_levels",
    "unit",
    "comparator",
    "target",
    "target_settable_by_cell",
    "kinds",
    "not_applicable",
    "measure",
    "bands",
]
LEVEL_FIELDS = ["code", "label", "rank", "min_points", "require_key_full", "require_all_achieved", "needs_attention"]
ROLLUP_FIELDS = [
    "period", "code", "label", "rank", "min_meetings", "all_at_least", "count_level", "min_count", "min_average",
    "basis",
]  # fmt: skip


# --- The freeze rule ------------------------------------------------------------------------------


def ensure_criteria_editable(framework: Framework, published_now: Collection[int] = ()) -> None:
    """Refuse any change to the criteria or levels of a framework that is not a draft.

    ``published_now``: the frameworks the caller itself published earlier in the same transaction (a
    workbook publishes a framework once its criteria and levels are in, and its later sheets, such as
    ``rollup_levels``, may still add to it: nothing outside the transaction has seen it published)."""
    if framework.status != FrameworkStatus.DRAFT and framework.pk not in published_now:
        raise ValidationError(
            _("%(framework)s is published: its criteria cannot change. Make a new version to change them.")
            % {"framework": framework.code}
        )


def ensure_framework_editable(framework: Framework, fields: Iterable[str] = ()) -> None:
    """Refuse changes to a framework in use, and structural changes to a published one."""
    if framework.pk is None:
        return
    stored = Framework.objects.get(pk=framework.pk)
    if stored.status == FrameworkStatus.DRAFT:
        return
    if framework_is_in_use(stored):
        raise ValidationError(
            _("%(framework)s is in use by evaluations and cannot be edited. Make a new version to change it.")
            % {"framework": stored.code}
        )
    structural = set(fields) - PUBLISHED_EDITABLE
    if structural:
        raise ValidationError(
            _("%(framework)s is published: only its name, basis, description and years can change.")
            % {"framework": stored.code}
        )


def framework_is_in_use(framework: Framework) -> bool:
    return framework.is_in_use()


def _audit(action: str, instance, framework: Framework, acting_user, before=None, after=None) -> None:
    audit_record(
        acting_user=acting_user,
        action=action,
        instance=instance,
        organization=framework.owner,
        before=before,
        after=after,
    )


# --- Frameworks -----------------------------------------------------------------------------------


@transaction.atomic
def framework_create(
    *,
    owner: Organization,
    code: str,
    name: str,
    kind: str,
    basis: str = "",
    description: str = "",
    valid_from_year: int | None = None,
    valid_to_year: int | None = None,
    meeting_kind: str = "",
    org_levels: Iterable[str] = (),
    parent: Framework | None = None,
    acting_user,
) -> Framework:
    """Create a draft framework (derived from ``parent`` when given: it inherits the parent's criteria)."""
    framework = Framework(
        owner=owner,
        code=(code or "").strip(),
        name=nfc(name).strip(),
        kind=kind,
        basis=nfc(basis).strip(),
        description=nfc(description).strip(),
        valid_from_year=valid_from_year,
        valid_to_year=valid_to_year,
        meeting_kind=meeting_kind or "",
        org_levels=list(org_levels or []),
        parent=parent,
        status=FrameworkStatus.DRAFT,
    )
    if parent is not None and parent.kind != kind:
        raise ValidationError({"kind": _("A derived framework has the kind of the one it derives from.")})
    framework.full_clean()
    framework.save()
    _audit("framework.create", framework, framework, acting_user, after=audit_snapshot(framework, FRAMEWORK_FIELDS))
    return framework


@transaction.atomic
def framework_update(*, framework: Framework, acting_user, **changes) -> Framework:
    """Change a framework's attributes: anything on a draft; name, basis and years on a published one that
    nothing uses; nothing on one in use."""
    allowed = set(FRAMEWORK_FIELDS) - {"version", "status", "previous_version"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"framework_update cannot change {sorted(unknown)}")
    changed = {key for key, value in changes.items() if getattr(framework, key) != value}
    if not changed:
        return framework
    if "owner" in changed:
        raise ValidationError({"owner": _("A framework keeps the committee that issued it; make a new framework.")})
    ensure_framework_editable(framework, changed)
    before = audit_snapshot(framework, FRAMEWORK_FIELDS)
    for key in changed:
        value = changes[key]
        setattr(framework, key, nfc(value).strip() if isinstance(value, str) and key != "meeting_kind" else value)
    framework.full_clean()
    framework.save(update_fields=[*changed, "updated_at"])
    _audit("framework.update", framework, framework, acting_user, before, audit_snapshot(framework, FRAMEWORK_FIELDS))
    return framework


def framework_problems(framework: Framework) -> list[str]:
    """Why a draft cannot be published yet (empty when it can)."""
    from .selectors import load_rubric

    rubric = load_rubric(framework)
    problems = []
    if not rubric.criteria:
        problems.append(_("It has no criteria."))
    if not rubric.levels:
        problems.append(_("It has no rating levels."))
    if framework.parent_id and framework.parent.status == FrameworkStatus.DRAFT:
        problems.append(_("The framework it derives from is not published."))
    for criterion in rubric.criteria:
        if criterion.is_indicator and criterion.target is None and not criterion.target_settable_by_cell:
            problems.append(_("Indicator %(code)s has no target.") % {"code": criterion.code})
        if criterion.is_computed and not criterion.is_leaf:
            problems.append(
                _("%(code)s is scored from the meeting's facts: it cannot have criteria below it.")
                % {"code": criterion.code}
            )
    return problems


@transaction.atomic
def framework_publish(*, framework: Framework, acting_user) -> Framework:
    """Publish a draft: from now on its criteria and levels never change."""
    Framework.objects.select_for_update().filter(pk=framework.pk).first()
    framework.refresh_from_db()
    if framework.status != FrameworkStatus.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    problems = framework_problems(framework)
    if problems:
        raise ValidationError(problems)
    framework.status = FrameworkStatus.PUBLISHED
    framework.published_at = timezone.now()
    framework.save(update_fields=["status", "published_at", "updated_at"])
    _audit("framework.publish", framework, framework, acting_user, after={"status": framework.status})
    return framework


@transaction.atomic
def framework_retire(*, framework: Framework, acting_user) -> Framework:
    """Retire a published framework: it stays readable (and scores what used it) but applies no more."""
    Framework.objects.select_for_update().filter(pk=framework.pk).first()
    framework.refresh_from_db()
    if framework.status != FrameworkStatus.PUBLISHED:
        raise ValidationError(_("Only a published framework can be retired."))
    framework.status = FrameworkStatus.RETIRED
    framework.save(update_fields=["status", "updated_at"])
    _audit("framework.retire", framework, framework, acting_user, {"status": "published"}, {"status": "retired"})
    return framework


@transaction.atomic
def framework_status_set(*, framework: Framework, status: str, acting_user) -> Framework:
    """Bring a framework to ``status`` (the workbook's ``status`` column): a draft is published, a published
    one retired, the same status changes nothing. Nothing goes back: a published or retired framework
    never becomes a draft again, nor a retired one published (a change is a new version)."""
    if status == framework.status:
        return framework
    if status == FrameworkStatus.PUBLISHED and framework.status == FrameworkStatus.DRAFT:
        return framework_publish(framework=framework, acting_user=acting_user)
    if status == FrameworkStatus.RETIRED:
        return framework_retire(framework=framework, acting_user=acting_user)
    raise ValidationError({"status": _("A published framework cannot go back to draft; make a new version.")})


@transaction.atomic
def framework_delete(*, framework: Framework, acting_user) -> None:
    """Delete a draft nobody derives from; published frameworks are retired, never deleted."""
    if framework.status != FrameworkStatus.DRAFT:
        raise ValidationError(_("Only a draft can be deleted; retire a published framework instead."))
    if framework.derived.exists() or framework.is_in_use():
        raise ValidationError(_("Other frameworks or evaluations use this draft."))
    _audit("framework.delete", framework, framework, acting_user, before=audit_snapshot(framework, FRAMEWORK_FIELDS))
    framework.delete()


def next_version_code(framework: Framework) -> str:
    """``SH-2024`` → ``SH-2024-V2``; ``SH-2024-V2`` → ``SH-2024-V3`` (first free one)."""
    base = re.sub(r"-V\d+$", "", framework.code, flags=re.IGNORECASE)
    version = framework.version + 1
    while Framework.objects.filter(code=f"{base}-V{version}").exists():
        version += 1
    return f"{base}-V{version}"


@transaction.atomic
def framework_new_version(*, framework: Framework, acting_user, code: str | None = None) -> Framework:
    """Copy a framework (its own criteria, levels and attributes) into a draft with version + 1."""
    copy = Framework(
        code=(code or next_version_code(framework)).strip(),
        name=framework.name,
        kind=framework.kind,
        owner=framework.owner,
        basis=framework.basis,
        description=framework.description,
        valid_from_year=framework.valid_from_year,
        valid_to_year=framework.valid_to_year,
        version=framework.version + 1,
        status=FrameworkStatus.DRAFT,
        parent=framework.parent,
        previous_version=framework,
        meeting_kind=framework.meeting_kind,
        org_levels=list(framework.org_levels or []),
    )
    copy.full_clean()
    copy.save()
    _copy_contents(framework, copy)
    _audit(
        "framework.new_version",
        copy,
        copy,
        acting_user,
        {"from": framework.code},
        audit_snapshot(copy, FRAMEWORK_FIELDS),
    )
    return copy


def _copy_contents(source: Framework, target: Framework) -> None:
    """Copy ``source``'s own criteria (keeping the tree; links to inherited criteria stay), rating levels and
    roll-up levels."""
    own = list(Criterion.objects.filter(framework=source).prefetch_related("cell_types").order_by("pk"))
    new_ids: dict[int, Criterion] = {}
    pending = list(own)
    # Parents first: a criterion is copied once its parent (if it is one of ``own``) has been.
    own_ids = {c.pk for c in own}
    while pending:
        rest = []
        for criterion in pending:
            if criterion.parent_id in own_ids and criterion.parent_id not in new_ids:
                rest.append(criterion)
                continue
            clone = Criterion.objects.create(
                framework=target,
                parent=new_ids.get(criterion.parent_id) if criterion.parent_id in own_ids else criterion.parent,
                **{f: getattr(criterion, f) for f in CRITERION_FIELDS if f != "parent"},
            )
            clone.cell_types.set(criterion.cell_types.all())
            new_ids[criterion.pk] = clone
        if len(rest) == len(pending):
            raise ValidationError(_("The criteria tree has a loop."))
        pending = rest
    RatingLevel.objects.bulk_create(
        RatingLevel(framework=target, **{f: getattr(level, f) for f in LEVEL_FIELDS})
        for level in RatingLevel.objects.filter(framework=source)
    )
    # The quarter's and year's levels are the framework's too: a new version without them would rate a
    # cell's year by its average instead (WORKBOOK rollup_levels).
    RollupLevel.objects.bulk_create(
        RollupLevel(framework=target, **{f: getattr(rollup, f) for f in ROLLUP_FIELDS})
        for rollup in RollupLevel.objects.filter(framework=source)
    )


@transaction.atomic
def framework_derive(
    *,
    parent: Framework,
    owner: Organization,
    code: str,
    name: str,
    basis: str = "",
    valid_from_year: int | None = None,
    valid_to_year: int | None = None,
    acting_user,
) -> Framework:
    """A lower committee's or a cell's draft that inherits everything of the published ``parent``.

    It points at that exact (published, so frozen) version: later drafts of the parent's next version
    are never pushed into it."""
    if parent.status != FrameworkStatus.PUBLISHED:
        raise ValidationError(_("A framework can only derive from a published framework."))
    return framework_create(
        owner=owner,
        code=code,
        name=name,
        kind=parent.kind,
        basis=basis,
        valid_from_year=valid_from_year if valid_from_year is not None else parent.valid_from_year,
        valid_to_year=valid_to_year if valid_to_year is not None else parent.valid_to_year,
        meeting_kind=parent.meeting_kind,
        org_levels=parent.org_levels,
        parent=parent,
        acting_user=acting_user,
    )


# --- Criteria -------------------------------------------------------------------------------------


def _inherited_codes(framework: Framework) -> set[str]:
    ancestors = [f.pk for f in framework.lineage()[1:]]
    if not ancestors:
        return set()
    return set(Criterion.objects.filter(framework_id__in=ancestors).values_list("code", flat=True))


def _would_loop(criterion: Criterion, parent: Criterion | None) -> bool:
    seen = set()
    node = parent
    while node is not None and node.pk not in seen:
        if criterion.pk is not None and node.pk == criterion.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


@transaction.atomic
def criterion_save(
    *,
    criterion: Criterion,
    acting_user,
    cell_types: Iterable[CellType] | None = None,
    published_now: Collection[int] = (),
) -> Criterion:
    """Create or update one criterion of a draft (``cell_types``: None keeps them, a list replaces them;
    ``published_now`` as :func:`ensure_criteria_editable` says)."""
    framework = criterion.framework
    ensure_criteria_editable(Framework.objects.get(pk=framework.pk), published_now)
    creating = criterion.pk is None
    before = {} if creating else audit_snapshot(Criterion.objects.get(pk=criterion.pk), CRITERION_FIELDS)
    criterion.code = (criterion.code or "").strip()
    criterion.title = nfc(criterion.title).strip()
    criterion.guidance = nfc(criterion.guidance).strip()
    criterion.unit = nfc(criterion.unit).strip()
    criterion.kinds = list(dict.fromkeys(criterion.kinds or []))
    try:  # bands are kept as WORKBOOK writes them, so an export reads back unchanged
        criterion.bands = bands_to_json(bands_from_json(criterion.bands))
    except BandError:
        pass  # full_clean says why
    if criterion.code in _inherited_codes(framework):
        raise ValidationError(
            {"code": _("Code %(code)s is already used by an inherited criterion.") % {"code": criterion.code}}
        )
    if _would_loop(criterion, criterion.parent):
        raise ValidationError({"parent": _("A criterion cannot sit under itself.")})
    if creating and not criterion.order:
        siblings = Criterion.objects.filter(framework__in=[f.pk for f in framework.lineage()], parent=criterion.parent)
        criterion.order = (siblings.aggregate(m=Max("order"))["m"] or 0) + 1
    criterion.full_clean()
    criterion.save()
    if cell_types is not None:
        criterion.cell_types.set(list(cell_types))
    _audit(
        "criterion.create" if creating else "criterion.update",
        criterion,
        framework,
        acting_user,
        before,
        audit_snapshot(criterion, CRITERION_FIELDS),
    )
    return criterion


@transaction.atomic
def criterion_create(*, framework: Framework, acting_user, cell_types=None, **fields) -> Criterion:
    return criterion_save(
        criterion=Criterion(framework=framework, **fields), acting_user=acting_user, cell_types=cell_types
    )


@transaction.atomic
def criterion_move(*, criterion: Criterion, direction: str, acting_user) -> Criterion:
    """Swap a criterion with its previous (``up``) or next (``down``) sibling within the framework."""
    ensure_criteria_editable(criterion.framework)
    siblings = list(Criterion.objects.filter(framework=criterion.framework_id, parent=criterion.parent_id))
    from .scoring import code_sort_key

    siblings.sort(key=lambda c: (c.order, code_sort_key(c.code)))
    index = next(i for i, c in enumerate(siblings) if c.pk == criterion.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return criterion
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.order != position:
            sibling.order = position
            sibling.save(update_fields=["order"])
    _audit("criterion.move", criterion, criterion.framework, acting_user, after={"direction": direction})
    criterion.refresh_from_db()
    return criterion


@transaction.atomic
def criterion_reparent(*, criterion: Criterion, new_parent: Criterion | None, acting_user) -> Criterion:
    """Move a criterion (with its subtree) under another criterion, or to the top level."""
    ensure_criteria_editable(criterion.framework)
    if new_parent is not None and _would_loop(criterion, new_parent):
        raise ValidationError({"parent": _("A criterion cannot sit under itself.")})
    before = {"parent": criterion.parent_id}
    criterion.parent = new_parent
    lineage = [f.pk for f in criterion.framework.lineage()]
    siblings = Criterion.objects.filter(framework__in=lineage, parent=new_parent)
    criterion.order = (siblings.exclude(pk=criterion.pk).aggregate(m=Max("order"))["m"] or 0) + 1
    criterion.full_clean()
    criterion.save(update_fields=["parent", "order"])
    _audit("criterion.reparent", criterion, criterion.framework, acting_user, before, {"parent": criterion.parent_id})
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion, acting_user) -> None:
    """Delete a criterion of a draft, and everything below it."""
    ensure_criteria_editable(criterion.framework)
    _audit("criterion.delete", criterion, criterion.framework, acting_user, audit_snapshot(criterion, CRITERION_FIELDS))
    criterion.delete()


# --- Rating levels and roll-up levels: one way to save them -------------------------------------
# The page saves one level at a time, the workbook a sheet of them; both come through _levels_save, so
# the checks (full_clean, the codes a roll-up names, the inherited ranks, one code and one rank per
# level in the final state), the reordering and the audit are the same.


def _level_group(level) -> tuple:
    """What a level's code and rank are unique within, besides its framework: a roll-up level's period."""
    return (level.period,) if isinstance(level, RollupLevel) else ()


def _check_rating_level(framework: Framework, level: RatingLevel) -> None:
    inherited = RatingLevel.objects.filter(framework__in=[f.pk for f in framework.lineage()[1:]], rank=level.rank)
    if inherited.exclude(code=level.code).exists():
        raise ValidationError({"rank": _("An inherited level already has this rank.")})


def _check_rollup_level(framework: Framework, rollup: RollupLevel) -> None:
    """A roll-up level names levels of its framework's own rating levels (inherited ones included)."""
    from .selectors import load_rubric

    codes = {level.code for level in load_rubric(framework).levels}
    errors = {}
    for field in ("code", "all_at_least", "count_level"):
        value = getattr(rollup, field)
        if value and value not in codes:
            errors[field] = _("%(code)s is not a rating level of this framework (%(codes)s).") % {
                "code": value,
                "codes": ", ".join(sorted(codes)) or "—",
            }
    if errors:
        raise ValidationError(errors)


def _final_duplicates(levels: list, stored: dict[int, object]) -> dict[int, ValidationError]:
    """Refusals for the given levels whose code or rank another level will also have once they are saved
    (the stored levels they do not replace, and each other), so ranks may be swapped in one go."""
    batch_pks = {level.pk for level in levels if level.pk is not None}
    final = [(None, level) for pk, level in stored.items() if pk not in batch_pks]
    final += list(enumerate(levels))
    errors: dict[int, ValidationError] = {}
    for field in ("code", "rank"):
        first: dict[tuple, object] = {}
        for index, level in final:
            key = (*_level_group(level), getattr(level, field))
            if key not in first:
                first[key] = level
                continue
            if index is None:  # pragma: no cover - stored levels come first and were unique
                continue
            if field == "code":
                message = _("Another level already has the code %(code)s.") % {"code": level.code}
            else:
                message = _("Levels %(a)s and %(b)s have the same rank.") % {"a": first[key].code, "b": level.code}
            errors.setdefault(index, ValidationError({field: message}))
    return errors


def _levels_save(
    *, framework: Framework, levels: list, fields: list[str], acting_user, published_now: Collection[int]
) -> list:
    """Create or change several levels (all rating levels, or all roll-up levels) of one draft at once.

    All or nothing: each level is checked (its model's full_clean, the kind's own check), and the codes
    and ranks they will have with the stored ones must stay one per level; any refusal raises
    :class:`ItemsRefused` and writes nothing. Ranks may be swapped by one call: the levels whose rank
    changes are first moved to free ranks above all others (the database keeps ranks unique at every
    step), then saved with their own. Each created or changed level is audited with its values before
    and after (the moves in between are not states anyone sees)."""
    framework = Framework.objects.select_related("parent", "owner").get(pk=framework.pk)
    ensure_criteria_editable(framework, published_now)
    if not levels:
        return []
    model = type(levels[0])
    check = _check_rollup_level if model is RollupLevel else _check_rating_level
    stored = {level.pk: level for level in model.objects.filter(framework=framework)}
    refused: dict[int, ValidationError] = {}
    for index, level in enumerate(levels):
        level.framework = framework
        level.label = nfc(level.label).strip()
        if model is RollupLevel:
            level.basis = nfc(level.basis).strip()
        try:
            check(framework, level)
            # Uniqueness is the final state's (below): the stored rows may be about to swap their ranks.
            level.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            refused[index] = exc
    for index, error in _final_duplicates(levels, stored).items():
        refused.setdefault(index, error)
    if refused:
        raise ItemsRefused(refused)
    before = {level.pk: audit_snapshot(stored[level.pk], fields) for level in levels if level.pk is not None}
    moving = [stored[level.pk] for level in levels if level.pk is not None and stored[level.pk].rank != level.rank]
    free = max([lv.rank for lv in stored.values()] + [lv.rank for lv in levels]) + 1
    for offset, level in enumerate(moving):
        level.rank = free + offset
        level.save(update_fields=["rank"])
    for level in levels:
        creating = level.pk is None
        level.save()
        after = audit_snapshot(level, fields)
        if creating or before[level.pk] != after:
            if model is RollupLevel:
                action = "rollup_level.create" if creating else "rollup_level.update"
            else:
                action = "rating_level.create" if creating else "rating_level.update"
            _audit(action, level, framework, acting_user, before.get(level.pk, {}), after)
    return levels


def _one_level(levels_save, level, acting_user):
    """A page's single level through the many-levels service; its refusal as the level's own error."""
    try:
        return levels_save(framework=level.framework, levels=[level], acting_user=acting_user)[0]
    except ItemsRefused as exc:
        raise exc.by_index[0] from None


@transaction.atomic
def rating_levels_save(
    *, framework: Framework, levels: list[RatingLevel], acting_user, published_now: Collection[int] = ()
) -> list[RatingLevel]:
    """Create or change rating levels of a draft together (the workbook's sheet; ranks may be swapped)."""
    return _levels_save(
        framework=framework, levels=levels, fields=LEVEL_FIELDS, acting_user=acting_user, published_now=published_now
    )


@transaction.atomic
def rating_level_save(*, level: RatingLevel, acting_user) -> RatingLevel:
    """Create or change one rating level of a draft (the page)."""
    return _one_level(rating_levels_save, level, acting_user)


@transaction.atomic
def rating_level_move(*, level: RatingLevel, direction: str, acting_user) -> RatingLevel:
    """Swap a level's rank with the framework's own level just above it (``up``) or below it (``down``):
    the page's reorder, through rating_levels_save like the workbook's (checked, audited before and after).
    At either end it changes nothing."""
    own = list(RatingLevel.objects.filter(framework_id=level.framework_id).order_by("rank"))
    index = next(i for i, lv in enumerate(own) if lv.pk == level.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(own):
        return level
    own[index].rank, own[other].rank = own[other].rank, own[index].rank
    rating_levels_save(framework=level.framework, levels=[own[index], own[other]], acting_user=acting_user)
    return own[index]


@transaction.atomic
def rating_level_delete(*, level: RatingLevel, acting_user) -> None:
    ensure_criteria_editable(level.framework)
    _audit("rating_level.delete", level, level.framework, acting_user, audit_snapshot(level, LEVEL_FIELDS))
    level.delete()


# --- Roll-up levels (WORKBOOK v2) -----------------------------------------------------------------


@transaction.atomic
def rollup_levels_save(
    *, framework: Framework, levels: list[RollupLevel], acting_user, published_now: Collection[int] = ()
) -> list[RollupLevel]:
    """Create or change roll-up levels of a draft together (the workbook's sheet; ranks may be swapped).
    Their level codes must be codes of the framework's own rating levels (inherited ones included)."""
    return _levels_save(
        framework=framework, levels=levels, fields=ROLLUP_FIELDS, acting_user=acting_user, published_now=published_now
    )


@transaction.atomic
def rollup_level_save(*, rollup: RollupLevel, acting_user) -> RollupLevel:
    """Create or change one roll-up level of a draft (the page)."""
    return _one_level(rollup_levels_save, rollup, acting_user)


@transaction.atomic
def rollup_level_delete(*, rollup: RollupLevel, acting_user) -> None:
    ensure_criteria_editable(rollup.framework)
    _audit("rollup_level.delete", rollup, rollup.framework, acting_user, audit_snapshot(rollup, ROLLUP_FIELDS))
    rollup.delete()
