"""score() at its edges: a key criterion that is a group, points out of range, bad numbers, levels at
their exact minimum."""

from decimal import Decimal

import pytest

from criteria.scoring import Answer, RubricCriterion, RubricLevel, build_rubric, level_for, score, to_decimal

# A key GROUP (1, made of 1.1 and 1.2) and a plain one (2).
RUBRIC = build_rubric(
    None,
    [
        RubricCriterion(None, "1", is_key=True, order=1),
        RubricCriterion(None, "1.1", parent_code="1", max_points=Decimal(30), order=1),
        RubricCriterion(None, "1.2", parent_code="1", max_points=Decimal(20), order=2),
        RubricCriterion(None, "2", order=2),
        RubricCriterion(None, "2.1", parent_code="2", max_points=Decimal(50), order=1),
    ],
    [
        RubricLevel("tot", rank=1, min_points=Decimal(90), require_key_full=True),
        RubricLevel("kha", rank=2, min_points=Decimal(70)),
        RubricLevel("kem", rank=3),
    ],
)


def test_a_key_group_is_full_only_when_all_its_points_are_there():
    full = score(RUBRIC, {"1.1": Answer(points=30), "1.2": Answer(points=20), "2.1": Answer(points=50)})
    assert (full.total, full.key_full, full.level_code) == (Decimal(100), True, "tot")
    short = score(RUBRIC, {"1.1": Answer(points=30), "1.2": Answer(points=19), "2.1": Answer(points=50)})
    # 99 points, but the key group has 49 of 50: not the top level.
    assert (short.total, short.key_full, short.level_code) == (Decimal(99), False, "kha")


def test_a_key_pass_fail_group_is_full_only_when_achieved():
    rubric = build_rubric(
        None,
        [
            RubricCriterion(None, "1", is_key=True),
            RubricCriterion(None, "1.1", parent_code="1"),
            RubricCriterion(None, "1.2", parent_code="1"),
        ],
        [RubricLevel("dat", rank=1, require_key_full=True), RubricLevel("khong_dat", rank=2)],
    )
    assert score(rubric, {"1.1": Answer(achieved=True), "1.2": Answer(achieved=True)}).level_code == "dat"
    half = score(rubric, {"1.1": Answer(achieved=True), "1.2": Answer(achieved=False)})
    assert (half.key_full, half.failed_groups, half.level_code) == (False, ("1",), "khong_dat")


def test_points_are_kept_within_zero_and_the_maximum():
    result = score(RUBRIC, {"1.1": Answer(points=45), "1.2": Answer(points=-5), "2.1": Answer(points="12,5")})
    assert result.points == {
        "1.1": Decimal(30),
        "1.2": Decimal(0),
        "1": Decimal(30),
        "2.1": Decimal("12.5"),
        "2": Decimal("12.5"),
    }
    assert result.total == Decimal("42.5")


@pytest.mark.parametrize("bad", ["mười", "1.2.3", "12,5,1", "--1"])
def test_a_bad_number_is_refused_not_read_as_zero(bad):
    with pytest.raises(ValueError):
        to_decimal(bad)
    with pytest.raises(ValueError):
        score(RUBRIC, {"2.1": Answer(points=bad)})


def test_a_level_holds_from_its_exact_minimum():
    assert level_for(RUBRIC, Decimal("90"), key_full=True, all_achieved=True).code == "tot"
    assert level_for(RUBRIC, Decimal("89.99"), key_full=True, all_achieved=True).code == "kha"
    assert level_for(RUBRIC, Decimal("70.00"), key_full=False, all_achieved=True).code == "kha"
    assert level_for(RUBRIC, Decimal("69.99"), key_full=True, all_achieved=True).code == "kem"
    assert level_for(RUBRIC, None, key_full=True, all_achieved=True).code == "kem"
