"""The one scoring function, to its boundaries. Pure: no database."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from criteria.scoring import (
    Answer,
    Rubric,
    RubricCriterion,
    RubricLevel,
    build_rubric,
    code_sort_key,
    level_for,
    score,
)

MEETING_LEVELS = (
    RubricLevel("tot", "Tốt", 1, D(90), require_key_full=True),
    RubricLevel("kha", "Khá", 2, D(70)),
    RubricLevel("trung_binh", "Trung bình", 3, D(50)),
    RubricLevel("kem", "Kém", 4, None),
)
PASS_FAIL_LEVELS = (
    RubricLevel("dat", "Đạt", 1, None, require_all_achieved=True, require_key_full=True),
    RubricLevel("khong_dat", "Không đạt", 2, None),
)


def C(code, parent=None, max_points=None, **kw):  # noqa: N802 - reads like a table row
    return RubricCriterion(
        id=None, code=code, parent_code=parent, max_points=None if max_points is None else D(max_points), **kw
    )


def meeting_rubric():
    """100 points in five groups; 3.1 is a key item."""
    return build_rubric(
        1,
        [
            C("1", title="Attendance"),
            C("1.1", "1", 20),
            C("2", title="Preparation"),
            C("2.1", "2", 15),
            C("3", title="Conduct"),
            C("3.1", "3", 30, is_key=True),
            C("3.2", "3", 15),
            C("4", title="Principles"),
            C("4.1", "4", 10),
            C("5", title="Previous resolution"),
            C("5.1", "5", 10),
        ],
        MEETING_LEVELS,
    )


def full(rubric, **override):
    answers = {c.code: Answer(points=c.max_points) for c in rubric.leaves() if c.is_scored}
    answers.update({code: Answer(points=p) for code, p in override.items()})
    return answers


# --- Totals and levels ---------------------------------------------------------------------------


def test_full_marks_with_key_items_full_are_tot():
    rubric = meeting_rubric()
    result = score(rubric, full(rubric))
    assert result.total == D(100)
    assert result.max_total == D(100)
    assert result.key_full
    assert result.level.code == "tot"


def test_90_points_exactly_is_tot_but_89_99_is_kha():
    rubric = meeting_rubric()
    assert score(rubric, full(rubric, **{"1.1": D(10)})).level.code == "tot"
    result = score(rubric, full(rubric, **{"1.1": D("9.99")}))
    assert result.total == D("89.99")
    assert result.level.code == "kha"


def test_key_criterion_short_of_full_marks_drops_tot_to_kha():
    rubric = meeting_rubric()
    result = score(rubric, full(rubric, **{"3.1": D("29.5")}))
    assert result.total == D("99.5")
    assert not result.key_full
    assert result.level.code == "kha"


def test_boundaries_of_kha_trung_binh_and_kem():
    rubric = meeting_rubric()
    cases = {D(70): "kha", D("69.99"): "trung_binh", D(50): "trung_binh", D("49.99"): "kem", D(0): "kem"}
    for total, expected in cases.items():
        # 3.1 at full (30), everything else placed in 1.1 (20), 3.2 (15), 2.1 (15), 4.1, 5.1.
        rest = total - 30 if total >= 30 else None
        if rest is None:
            answers = {"3.1": Answer(points=total)}
        else:
            answers = {"3.1": Answer(points=30)}
            for code, cap in (("1.1", 20), ("2.1", 15), ("3.2", 15), ("4.1", 10), ("5.1", 10)):
                take = min(rest, D(cap))
                answers[code] = Answer(points=take)
                rest -= take
        result = score(rubric, answers)
        assert result.total == total
        assert result.level.code == expected, total


def test_group_points_are_the_sum_of_their_children():
    rubric = meeting_rubric()
    result = score(rubric, {"3.1": Answer(points=20), "3.2": Answer(points="7,5")})
    assert result.points["3"] == D("27.5")
    assert result.points["1"] == D(0)


def test_unanswered_scored_leaf_counts_zero():
    rubric = meeting_rubric()
    answers = full(rubric)
    del answers["5.1"]
    result = score(rubric, answers)
    assert result.total == D(90)
    assert result.points["5.1"] == D(0)
    assert result.level.code == "tot"


def test_points_are_kept_within_zero_and_max():
    rubric = meeting_rubric()
    result = score(rubric, {"1.1": Answer(points=25), "2.1": Answer(points=-3)})
    assert result.points["1.1"] == D(20)
    assert result.points["2.1"] == D(0)


def test_no_scored_criteria_gives_no_total():
    rubric = build_rubric(1, [C("1"), C("1.1", "1")], PASS_FAIL_LEVELS)
    result = score(rubric, {"1.1": Answer(achieved=True)})
    assert result.total is None
    assert result.max_total is None
    assert result.level.code == "dat"


def test_no_level_matches_when_all_levels_have_unmet_conditions():
    rubric = build_rubric(1, [C("1", max_points=10)], (RubricLevel("tot", rank=1, min_points=D(9)),))
    assert score(rubric, {"1": Answer(points=5)}).level is None


def test_levels_are_tried_in_rank_order_whatever_order_they_are_given_in():
    levels = (RubricLevel("low", rank=2, min_points=None), RubricLevel("high", rank=1, min_points=D(5)))
    rubric = Rubric(1, (C("1", max_points=10),), levels)
    assert score(rubric, {"1": Answer(points=6)}).level.code == "high"
    assert score(rubric, {"1": Answer(points=4)}).level.code == "low"


# --- Pass/fail groups ----------------------------------------------------------------------------


def four_good_rubric():
    return build_rubric(
        2,
        [
            C("1", title="Tốt về chính trị tư tưởng"),
            C("1.1", "1"),
            C("1.2", "1"),
            C("2", title="Tốt về đoàn kết"),
            C("2.1", "2"),
            C("3", title="Tốt về lãnh đạo"),
            C("3.1", "3", comparator="<", target=D("1.0"), unit="%"),
            C("3.2", "3", comparator=">=", target=D(6), unit="đảng viên"),
            C("4", title="Tốt về xây dựng Đảng"),
            C("4.1", "4", is_key=True),
        ],
        PASS_FAIL_LEVELS,
    )


def all_good():
    return {
        "1.1": Answer(achieved=True),
        "1.2": Answer(achieved=True),
        "2.1": Answer(achieved=True),
        "3.1": Answer(actual="0.5"),
        "3.2": Answer(actual=6),
        "4.1": Answer(achieved=True),
    }


def test_every_group_achieved_is_dat():
    result = score(four_good_rubric(), all_good())
    assert result.failed_groups == ()
    assert result.all_achieved
    assert result.level.code == "dat"
    assert result.achieved == {
        "1": True,
        "1.1": True,
        "1.2": True,
        "2": True,
        "2.1": True,
        "3": True,
        "3.1": True,
        "3.2": True,
        "4": True,
        "4.1": True,
    }


def test_one_item_not_achieved_fails_its_group_and_the_result():
    answers = all_good() | {"1.2": Answer(achieved=False)}
    result = score(four_good_rubric(), answers)
    assert result.achieved["1"] is False
    assert result.failed_groups == ("1",)
    assert result.level.code == "khong_dat"


def test_unanswered_pass_fail_leaf_is_not_achieved():
    answers = all_good()
    del answers["2.1"]
    answers["1.1"] = Answer()
    result = score(four_good_rubric(), answers)
    assert result.failed_groups == ("1", "2")


def test_indicator_without_actual_is_not_achieved():
    answers = all_good() | {"3.2": Answer(target=5)}
    result = score(four_good_rubric(), answers)
    assert result.achieved["3.2"] is False
    assert result.failed_groups == ("3",)


def test_key_pass_fail_criterion_not_achieved_is_not_key_full():
    answers = all_good() | {"4.1": Answer(achieved=False)}
    result = score(four_good_rubric(), answers)
    assert not result.key_full


def test_failed_groups_are_in_natural_code_order():
    rubric = build_rubric(3, [C(str(n)) for n in (10, 2, 1)], PASS_FAIL_LEVELS)
    result = score(rubric, {})
    assert result.failed_groups == ("1", "2", "10")
    assert [c.code for c in rubric.criteria] == ["1", "2", "10"]


def test_a_mixed_group_is_achieved_by_its_pass_fail_children_and_sums_its_scored_ones():
    rubric = build_rubric(4, [C("1"), C("1.1", "1", 10), C("1.2", "1")], PASS_FAIL_LEVELS)
    result = score(rubric, {"1.1": Answer(points=4), "1.2": Answer(achieved=True)})
    assert result.achieved["1"] is True
    assert result.points["1"] == D(4)
    assert result.total == D(4)


def test_a_group_of_only_scored_children_is_never_a_failed_group():
    rubric = meeting_rubric()
    result = score(rubric, {})
    assert result.failed_groups == ()
    assert "1" not in result.achieved


# --- Indicators ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparator", "actual", "expected"),
    [
        (">=", "98.0", True),
        (">=", "97.99", False),
        (">", "68.01", True),
        (">", "68.0", False),
        ("<=", "0.4", True),
        ("<=", "0.41", False),
        ("<", "0.99", True),
        ("<", "1.0", False),
        ("=", "100", True),
        ("=", "99.9", False),
    ],
)
def test_indicator_compares_actual_with_the_framework_target(comparator, actual, expected):
    targets = {">=": "98.0", ">": "68.0", "<=": "0.4", "<": "1.0", "=": "100.0"}
    rubric = build_rubric(5, [C("1", comparator=comparator, target=D(targets[comparator]))], PASS_FAIL_LEVELS)
    assert score(rubric, {"1": Answer(actual=actual)}).achieved["1"] is expected


@pytest.mark.parametrize(
    ("comparator", "framework_target", "cell_target", "actual", "expected"),
    [
        (">=", "98", "95", "96", True),  # the cell's lower own target is met though the framework's is not
        (">=", "90", "95", "92", False),  # the cell's higher own target is not met though the framework's is
        (">", "68", "70", "69", False),
        ("<=", "0.4", "0.5", "0.45", True),
        ("<", "1.0", "0.5", "0.7", False),
        ("=", "100", "99", "99", True),
    ],
)
def test_a_cell_target_replaces_the_framework_target(comparator, framework_target, cell_target, actual, expected):
    rubric = build_rubric(6, [C("1", comparator=comparator, target=D(framework_target))], PASS_FAIL_LEVELS)
    assert score(rubric, {"1": Answer(actual=actual, target=cell_target)}).achieved["1"] is expected


def test_an_indicator_with_no_target_anywhere_is_not_achieved():
    rubric = build_rubric(7, [C("1", comparator=">=", target=None)], PASS_FAIL_LEVELS)
    assert score(rubric, {"1": Answer(actual=50)}).achieved["1"] is False
    assert score(rubric, {"1": Answer(actual=50, target=40)}).achieved["1"] is True


def test_a_scored_indicator_keeps_its_points_and_is_judged_too():
    rubric = build_rubric(8, [C("1", max_points=10, comparator=">=", target=D(90))], MEETING_LEVELS)
    result = score(rubric, {"1": Answer(points=10, actual=95)})
    assert result.total == D(10)
    assert result.achieved["1"] is True


# --- Applicability -------------------------------------------------------------------------------


def five_good_rubric():
    """Seed 002: two cell criteria for all types, three member criteria, one of them per cell type."""
    return build_rubric(
        9,
        [
            C("1"),
            C("1.1", "1"),
            C("1.2", "1"),
            C("2"),
            C("2.1", "2"),
            C("2.2", "2"),
            C("2.3a", "2", cell_types=frozenset({"public_service"})),
            C("2.3b", "2", cell_types=frozenset({"residential"})),
            C("3", cell_types=frozenset({"enterprise"})),
            C("3.1", "3", 10),
        ],
        PASS_FAIL_LEVELS,
    )


def test_a_criterion_for_another_cell_type_counts_nowhere():
    answers = {code: Answer(achieved=True) for code in ("1.1", "1.2", "2.1", "2.2", "2.3a")}
    result = score(five_good_rubric(), answers, cell_type="public_service")
    assert "2.3b" not in result.applicable
    assert "2.3b" not in result.achieved
    assert result.failed_groups == ()
    assert result.level.code == "dat"
    residential = score(five_good_rubric(), answers, cell_type="residential")
    assert residential.failed_groups == ("2",)


def test_children_of_a_criterion_that_does_not_apply_do_not_apply_either():
    result = score(five_good_rubric(), {"3.1": Answer(points=10)}, cell_type="residential")
    assert "3" not in result.applicable
    assert "3.1" not in result.applicable
    assert result.total is None
    enterprise = score(five_good_rubric(), {"3.1": Answer(points=10)}, cell_type="enterprise")
    assert enterprise.total == D(10)


def test_without_a_cell_type_every_criterion_applies():
    result = score(five_good_rubric(), {})
    assert {"2.3a", "2.3b", "3.1"} <= set(result.applicable)


def test_a_group_whose_children_all_do_not_apply_does_not_apply():
    rubric = build_rubric(10, [C("1"), C("1.1", "1", cell_types=frozenset({"enterprise"})), C("2")], PASS_FAIL_LEVELS)
    result = score(rubric, {"2": Answer(achieved=True)}, cell_type="residential")
    assert result.applicable == ("2",)
    assert result.level.code == "dat"


def test_criteria_restricted_to_an_org_level_apply_only_there():
    rubric = build_rubric(
        11,
        [
            C("2"),
            C("2.1", "2", org_levels=frozenset({"cell", "grassroots_cell"})),
            C("2.2", "2", org_levels=frozenset({"grassroots"})),
        ],
        PASS_FAIL_LEVELS,
    )
    cell = score(rubric, {"2.1": Answer(achieved=True)}, org_level="cell")
    assert cell.applicable == ("2", "2.1")
    assert cell.level.code == "dat"
    grassroots = score(rubric, {"2.1": Answer(achieved=True)}, org_level="grassroots")
    assert grassroots.applicable == ("2", "2.2")
    assert grassroots.level.code == "khong_dat"


def test_a_key_criterion_that_does_not_apply_does_not_block_key_full():
    rubric = build_rubric(
        12,
        [C("1", max_points=50), C("2", max_points=50, is_key=True, cell_types=frozenset({"enterprise"}))],
        MEETING_LEVELS,
    )
    result = score(rubric, {"1": Answer(points=50)}, cell_type="residential")
    assert result.key_full
    assert result.total == D(50)
    assert result.max_total == D(50)


# --- Derived frameworks (rubric as load_rubric builds it: inherited criteria flagged) --------------


def test_a_derived_rubric_scores_inherited_and_added_criteria_together():
    inherited = [C("1", inherited=True), C("1.1", "1", inherited=True)]
    added = [C("1.2", "1"), C("5"), C("5.1", "5", comparator="<", target=D("0.4"))]
    rubric = build_rubric(13, inherited + added, PASS_FAIL_LEVELS)
    assert rubric.by_code()["1"].children == ("1.1", "1.2")
    answers = {"1.1": Answer(achieved=True), "1.2": Answer(achieved=True), "5.1": Answer(actual="0.3")}
    assert score(rubric, answers).level.code == "dat"
    answers["1.2"] = Answer(achieved=False)
    assert score(rubric, answers).failed_groups == ("1",)


def test_a_rubric_built_by_hand_learns_its_children_from_parent_codes():
    rubric = Rubric(1, (C("1"), C("1.1", "1", 10), C("1.2", "1", 10)), MEETING_LEVELS)
    assert rubric.by_code()["1"].children == ("1.1", "1.2")
    assert score(rubric, {"1.1": Answer(points=5)}).total == D(5)


# --- level_for -----------------------------------------------------------------------------------


def test_level_for_applies_levels_to_an_average():
    rubric = meeting_rubric()
    assert level_for(rubric, D("90.00"), key_full=True, all_achieved=True).code == "tot"
    assert level_for(rubric, D("95"), key_full=False, all_achieved=True).code == "kha"
    assert level_for(rubric, D("89.995"), key_full=True, all_achieved=True).code == "kha"
    assert level_for(rubric, None, key_full=True, all_achieved=True).code == "kem"


def test_code_sort_key_is_natural():
    codes = ["10", "2.10", "2.2", "2", "1", "2.2.1", "a"]
    assert sorted(codes, key=code_sort_key) == ["1", "2", "2.2", "2.2.1", "2.10", "10", "a"]


# --- Properties ----------------------------------------------------------------------------------

points_st = st.decimals(min_value=0, max_value=30, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["1.1", "2.1", "3.1", "3.2", "4.1", "5.1"]), points_st))
def test_total_stays_between_zero_and_max_and_equals_the_groups_sum(given_points):
    rubric = meeting_rubric()
    result = score(rubric, {code: Answer(points=p) for code, p in given_points.items()})
    assert D(0) <= result.total <= result.max_total == D(100)
    assert result.total == sum(result.points[g] for g in ("1", "2", "3", "4", "5"))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["1.1", "2.1", "3.1", "3.2", "4.1", "5.1"]), points_st))
def test_level_follows_the_thresholds_and_the_key_rule(given_points):
    rubric = meeting_rubric()
    result = score(rubric, {code: Answer(points=p) for code, p in given_points.items()})
    expected = (
        "tot"
        if result.total >= 90 and result.key_full
        else "kha"
        if result.total >= 70
        else "trung_binh"
        if result.total >= 50
        else "kem"
    )
    assert result.level.code == expected
    assert result.key_full == (min(given_points.get("3.1", D(0)), D(30)) == D(30))


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["1.1", "1.2", "2.1", "4.1"]), st.booleans()),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=3, places=2)),
    st.one_of(st.none(), st.integers(min_value=0, max_value=12)),
)
def test_pass_fail_result_is_dat_exactly_when_every_leaf_is_achieved(flags, dropout, admitted):
    answers = {code: Answer(achieved=flag) for code, flag in flags.items()}
    answers["3.1"] = Answer(actual=dropout)
    answers["3.2"] = Answer(actual=admitted)
    result = score(four_good_rubric(), answers)
    every_leaf = (
        all(flags.get(code, False) for code in ("1.1", "1.2", "2.1", "4.1"))
        and dropout is not None
        and dropout < 1
        and admitted is not None
        and admitted >= 6
    )
    assert (result.level.code == "dat") == every_leaf
    assert (result.failed_groups == ()) == every_leaf


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([None, "residential", "public_service", "enterprise"]), st.data())
def test_criteria_that_do_not_apply_never_change_the_result(cell_type, data):
    rubric = five_good_rubric()
    codes = [c.code for c in rubric.leaves()]
    flags = data.draw(st.dictionaries(st.sampled_from(codes), st.booleans()))
    answers = {code: Answer(achieved=flag, points=10 if flag else 0) for code, flag in flags.items()}
    result = score(rubric, answers, cell_type=cell_type)
    trimmed = {code: a for code, a in answers.items() if code in result.applicable}
    again = score(rubric, trimmed, cell_type=cell_type)
    assert again == result
