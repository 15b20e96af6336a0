"""Rating levels, roll-up levels and criteria obey the same rules, with the same audit, through the page and the sheet.

Both come through criteria.services (rating_levels_save, rollup_levels_save): each case below runs once
through the framework page's editor and once through a workbook's sheet, and expects the same refusal
(same field, same message) or the same audit entry."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from cells.models import AuditEntry
from cells.services import ItemsRefused
from cells.workbook.importer import run_import
from criteria import services
from criteria.models import Criterion, Framework, FrameworkStatus, RatingLevel, RollupLevel
from tests.criteria.view_cases import _draft
from tests.workbook.conftest import make_book

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
CHANNELS = ["page", "sheet"]
LEVEL_FORM = ["code", "label", "rank", "min_points", "require_key_full", "require_all_achieved", "needs_attention"]
ROLLUP_FORM = [
    "period", "code", "label", "rank", "min_meetings", "all_at_least", "count_level", "min_count", "min_average",
    "basis",
]  # fmt: skip
# The page's form field and the sheet's column for the same value.
SHEET_COLUMN = {"code": "level"}


@pytest.fixture
def draft(tree, people):
    return _draft(tree, people)


def _post(client, url: str, fields: list[str], values: dict) -> dict[str, list[str]]:
    """Post the editor form as a browser would (every field; unchecked boxes left out); the form's errors."""
    data = {key: values[key] for key in fields if values.get(key) is not None and values.get(key) is not False}
    data = {key: ("on" if value is True else value) for key, value in data.items()}
    response = client.post(url, data, **HTMX)
    assert response.status_code == 200
    form = response.context.get("form")
    return {} if form is None else {key: list(messages) for key, messages in form.errors.items()}


def _import(user, tmp_path, sheet: str, header: list[str], values: dict) -> dict[str, list[str]]:
    """Import one row of ``sheet``; its errors by column (named as the page's fields)."""
    row = [values.get({v: k for k, v in SHEET_COLUMN.items()}.get(column, column)) for column in header]
    path = make_book(tmp_path / "levels.xlsx", {sheet: [header, row]})
    with translation.override("vi"):
        result = run_import(path, user=user)
    errors: dict[str, list[str]] = {}
    for error in result.errors:
        assert (error.sheet, error.row) == (sheet, 2), error
        field = {v: k for k, v in SHEET_COLUMN.items()}.get(error.column, error.column)
        errors.setdefault(field, []).append(error.message)
    return errors


def save_level(channel, client, user, tmp_path, framework, values: dict, level: RatingLevel | None = None):
    """Create (or, given ``level``, change) a rating level of ``framework`` through ``channel``."""
    if channel == "page":
        client.force_login(user)
        url = (
            reverse("criteria:level_edit", args=[level.pk])
            if level
            else reverse("criteria:level_create", args=[framework.pk])
        )
        return _post(client, url, LEVEL_FORM, values)
    header = ["framework_code", "level", *[key for key in LEVEL_FORM if key != "code"]]
    return _import(user, tmp_path, "rating_levels", header, {"framework_code": framework.code, **values})


def save_rollup(channel, client, user, tmp_path, framework, values: dict, rollup: RollupLevel | None = None):
    if channel == "page":
        client.force_login(user)
        url = (
            reverse("criteria:rollup_edit", args=[rollup.pk])
            if rollup
            else reverse("criteria:rollup_create", args=[framework.pk])
        )
        return _post(client, url, ROLLUP_FORM, values)
    header = ["framework_code", "period", "level", *[key for key in ROLLUP_FORM if key not in ("code", "period")]]
    return _import(user, tmp_path, "rollup_levels", header, {"framework_code": framework.code, **values})


def _audit(model) -> list[tuple]:
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model)).order_by("pk")
    return [(e.action, e.actor_id, e.before, e.after) for e in entries]


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"code": "kha", "rank": 1}, {"rank": ["Hai mức tot và kha trùng thứ bậc."]}),
        ({"code": "kha", "rank": 0}, {"rank": ["Mức cao nhất có thứ bậc 1."]}),
    ],
    ids=["rank-taken", "rank-zero"],
)
def test_a_rating_level_is_refused_alike(channel, client, people, draft, tmp_path, values, expected):
    before = _audit(RatingLevel)
    errors = save_level(channel, client, people.alice, tmp_path, draft.framework, values)
    assert errors == expected
    assert list(draft.framework.levels.values_list("code", flat=True)) == ["tot"]
    assert _audit(RatingLevel) == before


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"period": "year", "code": "tot", "rank": 2, "count_level": "tot"},
            {"min_count": ["Nhập cả mức được đếm và số buổi, hoặc để trống cả hai."]},
        ),
        (
            {"period": "quarter", "code": "kem", "rank": 1},
            {"code": ["kem không phải là mức xếp loại của bộ tiêu chí này (tot)."]},
        ),
    ],
    ids=["count-without-number", "unknown-level"],
)
def test_a_rollup_level_is_refused_alike(channel, client, people, draft, tmp_path, values, expected):
    before = _audit(RollupLevel)
    errors = save_rollup(channel, client, people.alice, tmp_path, draft.framework, values, rollup=None)
    assert errors == expected
    assert RollupLevel.objects.filter(framework=draft.framework).count() == 1
    assert _audit(RollupLevel) == before


@pytest.mark.parametrize("channel", CHANNELS)
def test_two_rollup_levels_of_one_period_may_not_share_a_rank(channel, client, people, draft, tmp_path):
    """The sheet had no such check of its own (the database refused, in English): now one rule, one message."""
    services.rating_level_save(level=RatingLevel(framework=draft.framework, code="kha", rank=2), acting_user=None)
    values = {"period": "year", "code": "kha", "rank": 1, "min_meetings": 10}
    errors = save_rollup(channel, client, people.alice, tmp_path, draft.framework, values)
    assert errors == {"rank": ["Hai mức tot và kha trùng thứ bậc."]}
    # The same rank in the other period is another ladder: allowed.
    assert save_rollup(channel, client, people.alice, tmp_path, draft.framework, {**values, "period": "quarter"}) == {}


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_published_frameworks_levels_are_refused_alike(channel, client, people, draft, tmp_path):
    services.framework_publish(framework=draft.framework, acting_user=people.alice)
    message = "SH-D1 đã ban hành: không thể thay đổi tiêu chí. Muốn thay đổi, hãy tạo phiên bản mới (new version)."
    errors = save_level(channel, client, people.alice, tmp_path, draft.framework, {"code": "kha", "rank": 2})
    field = "__all__" if channel == "page" else "framework_code"
    assert errors == {field: [message]}
    rollup = {"period": "quarter", "code": "tot", "rank": 1}
    assert save_rollup(channel, client, people.alice, tmp_path, draft.framework, rollup) == {field: [message]}
    assert list(draft.framework.levels.values_list("code", flat=True)) == ["tot"]
    assert RollupLevel.objects.filter(framework=draft.framework).count() == 1


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_change_is_audited_alike(channel, client, people, draft, tmp_path):
    """The same change through either door leaves the same audit entry: who, the values before and after."""
    start = len(_audit(RatingLevel)), len(_audit(RollupLevel))
    values = {"code": "tot", "label": "Tốt lắm", "rank": 3, "min_points": 90, "require_key_full": True}
    assert save_level(channel, client, people.alice, tmp_path, draft.framework, values, level=draft.level) == {}
    rollup = {"period": "year", "code": "tot", "label": "Năm tốt", "rank": 2, "min_meetings": 10}
    assert save_rollup(channel, client, people.alice, tmp_path, draft.framework, rollup, rollup=draft.rollup) == {}
    level_before = {
        "code": "tot", "label": "", "rank": 1, "min_points": None, "require_key_full": False,
        "require_all_achieved": False, "needs_attention": False,
    }  # fmt: skip
    level_after = {**level_before, "label": "Tốt lắm", "rank": 3, "min_points": "90", "require_key_full": True}
    rollup_before = {
        "period": "year", "code": "tot", "label": "", "rank": 1, "min_meetings": 12, "all_at_least": "",
        "count_level": "", "min_count": None, "min_average": None, "basis": "",
    }  # fmt: skip
    rollup_after = {**rollup_before, "label": "Năm tốt", "rank": 2, "min_meetings": 10}
    alice = people.alice.pk
    assert _audit(RatingLevel)[start[0] :] == [("rating_level.update", alice, level_before, level_after)]
    assert _audit(RollupLevel)[start[1] :] == [("rollup_level.update", alice, rollup_before, rollup_after)]


def test_a_sheet_swaps_ranks_in_one_go_and_audits_each_level_before_and_after(people, draft, tmp_path):
    """Ranks swapped by a file go through the service's reorder: no rank is ever shared, no raw update, and
    the audit keeps each level's rank before and after (not the free rank it passed through)."""
    services.rating_level_save(level=RatingLevel(framework=draft.framework, code="kha", rank=2), acting_user=None)
    start = len(_audit(RatingLevel))
    path = make_book(
        tmp_path / "swap.xlsx",
        {"rating_levels": [["framework_code", "level", "rank"], ["SH-D1", "tot", 2], ["SH-D1", "kha", 1]]},
    )
    result = run_import(path, user=people.alice)
    assert result.ok, result.errors
    assert dict(draft.framework.levels.values_list("code", "rank")) == {"kha": 1, "tot": 2}
    changes = [
        (action, before["code"], before["rank"], after["rank"])
        for action, _, before, after in _audit(RatingLevel)[start:]
    ]
    assert sorted(changes) == [("rating_level.update", "kha", 2, 1), ("rating_level.update", "tot", 1, 2)]
    # The same file again changes nothing and audits nothing.
    assert run_import(path, user=people.alice).ok
    assert len(_audit(RatingLevel)) == start + 2


def test_the_service_reorders_levels_and_refuses_a_shared_rank_in_the_final_state(people, draft):
    kha = services.rating_level_save(level=RatingLevel(framework=draft.framework, code="kha", rank=2), acting_user=None)
    tot, kha = RatingLevel.objects.get(pk=draft.level.pk), RatingLevel.objects.get(pk=kha.pk)
    tot.rank, kha.rank = 2, 2
    with pytest.raises(ItemsRefused) as refused:
        services.rating_levels_save(framework=draft.framework, levels=[tot, kha], acting_user=people.alice)
    assert list(refused.value.by_index) == [1]
    assert dict(draft.framework.levels.values_list("code", "rank")) == {"tot": 1, "kha": 2}
    kha.rank = 1
    services.rating_levels_save(framework=draft.framework, levels=[tot, kha], acting_user=people.alice)
    assert dict(draft.framework.levels.values_list("code", "rank")) == {"tot": 2, "kha": 1}


# --- The frameworks sheet's status column: the services' status rule -----------------------------------


def test_a_published_framework_never_goes_back_to_draft(people, draft, tmp_path):
    services.framework_publish(framework=draft.framework, acting_user=people.alice)
    with pytest.raises(ValidationError) as refused:
        services.framework_status_set(framework=draft.framework, status=FrameworkStatus.DRAFT, acting_user=None)
    assert list(refused.value.error_dict) == ["status"]
    path = make_book(
        tmp_path / "back.xlsx",
        {"frameworks": [["code", "name", "kind", "status"], ["SH-D1", "Khung sinh hoạt", "meeting", "draft"]]},
    )
    with translation.override("vi"):
        result = run_import(path, user=people.alice)
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("frameworks", 2, "status")]
    assert Framework.objects.get(pk=draft.framework.pk).status == FrameworkStatus.PUBLISHED


def test_a_draft_cannot_be_retired_from_a_sheet_either(people, draft, tmp_path):
    path = make_book(
        tmp_path / "retire.xlsx",
        {"frameworks": [["code", "name", "kind", "status"], ["SH-D1", "Khung sinh hoạt", "meeting", "retired"]]},
    )
    result = run_import(path, user=people.alice)
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("frameworks", 2, "code")]
    assert Framework.objects.get(pk=draft.framework.pk).status == FrameworkStatus.DRAFT


def test_a_framework_published_by_a_workbook_takes_its_rollup_levels_further_down(people, tree, tmp_path):
    """rollup_levels comes after the meetings in a workbook: a framework the same workbook published still
    takes them (nothing outside the import saw it published), and is published once, audited once."""
    path = make_book(
        tmp_path / "new.xlsx",
        {
            "frameworks": [
                ["code", "name", "kind", "owner_code", "status"],
                ["NEW", "Mới", "meeting", "D1", "published"],
            ],
            "criteria": [["framework_code", "code", "title", "max_points"], ["NEW", "1", "Một", 100]],
            "rating_levels": [["framework_code", "level", "rank"], ["NEW", "tot", 1], ["NEW", "kha", 2]],
            "rollup_levels": [["framework_code", "period", "level", "rank"], ["NEW", "year", "tot", 1]],
        },
    )
    result = run_import(path, user=people.alice)
    assert result.ok, result.errors
    framework = Framework.objects.get(code="NEW")
    assert framework.status == FrameworkStatus.PUBLISHED
    assert framework.rollup_levels.get().code == "tot"
    actions = [a for a, *_ in _audit(Framework)]
    assert actions.count("framework.publish") == 1


def test_the_page_refuses_a_second_level_with_the_same_code(client, people, draft, tmp_path):
    """(A sheet matches its rows to the stored levels by code: the same code there changes the level.)"""
    errors = save_level("page", client, people.alice, tmp_path, draft.framework, {"code": "tot", "rank": 2})
    assert errors == {"code": ["Đã có một mức khác mang mã tot."]}
    assert dict(draft.framework.levels.values_list("code", "rank")) == {"tot": 1}


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_reorder_is_the_same_through_the_pages_move_and_the_sheet(channel, client, people, draft, tmp_path):
    """Moving Khá above Tốt on the page, or swapping their ranks in a file: one service, the same result
    and the same audit (each level's values before and after; no entry for the free rank in between)."""
    kha = services.rating_level_save(level=RatingLevel(framework=draft.framework, code="kha", rank=2), acting_user=None)
    start = len(_audit(RatingLevel))
    if channel == "page":
        client.force_login(people.alice)
        response = client.post(reverse("criteria:level_move", args=[kha.pk]), {"direction": "up"}, **HTMX)
        assert response.status_code == 200
    else:
        path = make_book(
            tmp_path / "swap.xlsx",
            {"rating_levels": [["framework_code", "level", "rank"], ["SH-D1", "tot", 2], ["SH-D1", "kha", 1]]},
        )
        assert run_import(path, user=people.alice).ok
    assert dict(draft.framework.levels.values_list("code", "rank")) == {"kha": 1, "tot": 2}
    entries = sorted(
        (action, actor, before["code"], before["rank"], after["rank"])
        for action, actor, before, after in _audit(RatingLevel)[start:]
    )
    alice = people.alice.pk
    assert entries == [("rating_level.update", alice, "kha", 2, 1), ("rating_level.update", alice, "tot", 1, 2)]


def test_the_page_refuses_to_move_a_published_frameworks_levels(client, people, draft):
    kha = services.rating_level_save(level=RatingLevel(framework=draft.framework, code="kha", rank=2), acting_user=None)
    services.framework_publish(framework=draft.framework, acting_user=people.alice)
    client.force_login(people.alice)
    response = client.post(reverse("criteria:level_move", args=[kha.pk]), {"direction": "up"}, **HTMX)
    assert "đã ban hành" in response.content.decode()
    assert dict(draft.framework.levels.values_list("code", "rank")) == {"tot": 1, "kha": 2}


# --- Criteria rows: the same service as the page's tree editor ------------------------------------------


def save_criterion(channel, client, user, tmp_path, framework, values: dict):
    if channel == "page":
        client.force_login(user)
        fields = ["code", "title", "max_points", "comparator", "target"]
        return _post(client, reverse("criteria:criterion_create", args=[framework.pk]), fields, values)
    header = ["framework_code", "code", "parent_code", "title", "max_points", "comparator", "target"]
    return _import(user, tmp_path, "criteria", header, {"framework_code": framework.code, **values})


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_criterion_is_refused_alike(channel, client, people, draft, tmp_path):
    before = _audit(Criterion)
    errors = save_criterion(
        channel, client, people.alice, tmp_path, draft.framework, {"code": "2", "title": "Chỉ tiêu", "comparator": ">="}
    )
    assert errors == {"target": ["Chỉ tiêu định lượng cần có mức chỉ tiêu, hoặc cho phép chi bộ tự đặt."]}
    services.framework_publish(framework=draft.framework, acting_user=people.alice)
    values = {"code": "2", "title": "Nhóm hai"}
    field = "__all__" if channel == "page" else "framework_code"
    message = "SH-D1 đã ban hành: không thể thay đổi tiêu chí. Muốn thay đổi, hãy tạo phiên bản mới (new version)."
    assert save_criterion(channel, client, people.alice, tmp_path, draft.framework, values) == {field: [message]}
    assert not Criterion.objects.filter(framework=draft.framework, code="2").exists()
    assert _audit(Criterion) == before
