"""WORKBOOK v3 in the one scoring function, by hand: bands (every operator at its boundary, the first band
that holds, missing facts give 0, points capped at max_points), the five measures, ``kinds`` with
``not_applicable`` ``none`` and ``full``, and a key computed item keeping a meeting from the top level.

Pure tests (no database): bin/mutation runs them against criteria/scoring.py."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from criteria.scoring import (
    Answer,
    Band,
    BandError,
    MeetingFacts,
    RubricCriterion,
    RubricLevel,
    band_points,
    bands_from_json,
    bands_to_json,
    build_rubric,
    format_bands,
    measure_value,
    parse_bands,
    score,
)

D = Decimal
DAY = datetime.date(2024, 3, 10)


# --- Reading and writing bands ---------------------------------------------------------------------


def test_bands_read_every_operator_and_write_back_the_same():
    bands = parse_bands(">=90:4; >80:3;<=2:5 ; <1,5:2.5;=0:1;")
    assert bands == (
        Band(">=", D(90), D(4)),
        Band(">", D(80), D(3)),
        Band("<=", D(2), D(5)),
        Band("<", D("1.5"), D("2.5")),
        Band("=", D(0), D(1)),
    )
    assert format_bands(bands) == ">=90:4; >80:3; <=2:5; <1.5:2.5; =0:1"
    assert parse_bands(format_bands(bands)) == bands
    assert bands_from_json(bands_to_json(bands)) == bands
    assert bands_to_json(bands)[3] == ["<", "1.5", "2.5"]


def test_bands_keep_spaces_and_trailing_zeros_out_of_what_they_write():
    assert format_bands(parse_bands(" >= 90.00 : 4.0 ")) == ">=90:4"
    assert format_bands(parse_bands(">=100:0")) == ">=100:0"
    assert parse_bands("") == () and parse_bands(None) == () and parse_bands(" ; ") == ()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("90:4", "Cannot read the band 90:4"),
        (">=90", "Cannot read the band >=90"),
        (">=x:4", ">=x:4: A band is written"),
        (">=90:y", ">=90:y: A band is written"),
        (">=90:-1", ">=90:-1: A band's points cannot be negative"),
        (">=90:4; =>80:3", "=>80:3: A band is written"),
    ],
)
def test_unreadable_bands_say_which_item(text, words):
    with translation.override("en"), pytest.raises(BandError) as exc:
        parse_bands(text)
    with translation.override("en"):
        assert str(exc.value).startswith(words)


def test_stored_bands_are_checked_like_typed_ones():
    with pytest.raises(BandError):
        bands_from_json([["=>", "1", "2"]])
    with pytest.raises(BandError):
        bands_from_json([[">=", "1"]])
    with pytest.raises(BandError):
        bands_from_json(["x"])
    assert bands_from_json(None) == ()


# --- Each operator at its boundary ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bands", "value", "points"),
    [
        (">=90:4", "90", 4),
        (">=90:4", "89.99", 0),
        (">90:4", "90", 0),
        (">90:4", "90.01", 4),
        ("<=2:5", "2", 5),
        ("<=2:5", "2.01", 0),
        ("<2:5", "2", 0),
        ("<2:5", "1.99", 5),
        ("=1:3", "1", 3),
        ("=1:3", "0.99", 0),
        ("=1:3", "1.01", 0),
    ],
)
def test_each_operator_at_its_boundary(bands, value, points):
    assert band_points(parse_bands(bands), D(value), D(5)) == D(points)


def test_the_first_band_that_holds_gives_the_points_in_the_order_written():
    stepped = parse_bands(">=90:4; >=80:3; >=70:2")
    assert [band_points(stepped, D(v), D(5)) for v in (100, 90, 89, 80, 79.9, 70, 69)] == [4, 4, 3, 3, 2, 2, 0]
    # Written the other way round, the wider band comes first and wins.
    assert band_points(parse_bands(">=80:3; >=90:4"), D(95), D(5)) == D(3)


def test_no_band_holding_or_no_fact_gives_zero_and_points_are_capped_at_the_maximum():
    bands = parse_bands(">=90:6; >=50:2")
    assert band_points(bands, None, D(5)) == D(0)
    assert band_points(bands, D(10), D(5)) == D(0)
    assert band_points(bands, D(95), D(5)) == D(5)  # 6 capped at 5
    assert band_points(bands, D(60), D(5)) == D(2)
    assert band_points(bands, D(60), D("1.5")) == D("1.5")
    assert band_points((), D(60), D(5)) == D(0)


# --- The measures -----------------------------------------------------------------------------------


def test_the_five_measures_read_the_meeting_facts():
    facts = MeetingFacts(
        date=DAY,
        duration_minutes=95,
        members_total=10,
        members_present=9,
        members_spoke=3,
        documents_sent_on=datetime.date(2024, 3, 8),
        minutes_filed_on=datetime.date(2024, 3, 12),
    )
    assert measure_value("duration_minutes", facts) == D(95)
    assert measure_value("attendance_percent", facts) == D(90)
    assert measure_value("speakers_percent", facts) == D(100) / D(3)  # 3 of 9 present: 33.33...
    assert measure_value("documents_days_before", facts) == D(2)
    assert measure_value("minutes_days_after", facts) == D(2)


def test_a_fact_not_recorded_gives_no_value():
    nothing = MeetingFacts(date=DAY, members_total=0, members_present=0)
    for measure in ("duration_minutes", "attendance_percent", "speakers_percent"):
        assert measure_value(measure, nothing) is None
    assert measure_value("documents_days_before", nothing) is None
    assert measure_value("minutes_days_after", nothing) is None
    # Speakers over nobody present, attendance over nobody expected: not recorded either.
    assert measure_value("speakers_percent", MeetingFacts(members_present=0, members_spoke=0)) is None
    assert measure_value("attendance_percent", MeetingFacts(members_total=0, members_present=0)) is None
    assert measure_value("attendance_percent", MeetingFacts(members_total=4, members_present=0)) == D(0)
    # Dates without the meeting's own date.
    assert measure_value("documents_days_before", MeetingFacts(documents_sent_on=DAY)) is None
    assert measure_value("minutes_days_after", MeetingFacts(minutes_filed_on=DAY)) is None
    assert measure_value("duration_minutes", None) is None
    assert measure_value("duration_minutes", MeetingFacts(duration_minutes=0)) == D(0)
    with pytest.raises(ValueError):
        measure_value("members_count", MeetingFacts())


def test_documents_on_the_day_are_zero_days_before_and_minutes_the_same_day_zero_after():
    facts = MeetingFacts(date=DAY, documents_sent_on=DAY, minutes_filed_on=DAY)
    assert measure_value("documents_days_before", facts) == D(0)
    assert measure_value("minutes_days_after", facts) == D(0)


# --- A 2025 provincial rubric, scored from the facts --------------------------------------------------


def rubric():
    """A (attendance, key), D (duration), S (speakers), P (documents), M (minutes, key) are computed; T is
    for thematic meetings only (not_applicable none), R for regular ones only (full), X is typed."""
    items = [
        RubricCriterion(None, "1", order=1),
        RubricCriterion(
            None,
            "A",
            parent_code="1",
            max_points=D(5),
            is_key=True,
            measure="attendance_percent",
            bands=parse_bands(">=90:4; >=80:3; >=70:2"),
            order=1,
        ),
        RubricCriterion(
            None, "D", parent_code="1", max_points=D(5), measure="duration_minutes", bands=parse_bands(">=90:5; >=60:3")
        ),
        RubricCriterion(
            None, "S", parent_code="1", max_points=D(5), measure="speakers_percent", bands=parse_bands(">50:5; >=30:3")
        ),
        RubricCriterion(
            None, "P", parent_code="1", max_points=D(5), measure="documents_days_before", bands=parse_bands(">=1:5")
        ),
        RubricCriterion(
            None,
            "M",
            parent_code="1",
            max_points=D(5),
            is_key=True,
            measure="minutes_days_after",
            bands=parse_bands("<=2:5; <=5:3"),
        ),
        RubricCriterion(None, "2", order=2),
        RubricCriterion(None, "T", parent_code="2", max_points=D(10), kinds=frozenset({"thematic"})),
        RubricCriterion(
            None, "R", parent_code="2", max_points=D(10), kinds=frozenset({"regular"}), not_applicable="full"
        ),
        RubricCriterion(None, "X", parent_code="2", max_points=D(55)),
    ]
    levels = [
        RubricLevel("tot", rank=1, min_points=D(90), require_key_full=True),
        RubricLevel("kha", rank=2, min_points=D(70)),
        RubricLevel("kem", rank=3),
    ]
    return build_rubric(None, items, levels)


GOOD = MeetingFacts(
    date=DAY,
    duration_minutes=90,
    members_total=10,
    members_present=10,
    members_spoke=6,
    documents_sent_on=datetime.date(2024, 3, 9),
    minutes_filed_on=datetime.date(2024, 3, 12),
)


def test_a_regular_meeting_is_scored_from_its_facts():
    result = score(rubric(), {"R": Answer(points=10), "X": Answer(points=55)}, meeting_kind="regular", facts=GOOD)
    # A 100% → 4 (the best band is 4 of 5), D 90 → 5, S 6/10 = 60% → 5, P 1 day → 5, M 2 days → 5; R 10, X 55.
    assert result.points["A"] == D(4)
    assert [result.points[c] for c in ("D", "S", "P", "M", "R", "X")] == [5, 5, 5, 5, 10, 55]
    assert result.points["1"] == D(24)
    # T is for thematic meetings and counts nowhere: the maximum is 90 (25 + 10 + 55), not 100.
    assert "T" not in result.applicable and "T" not in result.points
    assert (result.total, result.max_total) == (D(89), D(90))
    assert result.measured["A"] == D(100) and result.measured["M"] == D(2)
    assert result.key_full is False  # A, a key item, has 4 of 5
    assert result.level_code == "kha"


def test_typed_points_for_a_computed_item_are_ignored():
    half = MeetingFacts(date=DAY, members_total=10, members_present=5)
    result = score(rubric(), {"A": Answer(points=5), "D": Answer(points=5)}, meeting_kind="regular", facts=half)
    assert (result.points["A"], result.points["D"]) == (D(0), D(0))


def test_missing_facts_give_zero_and_no_facts_at_all_give_zero():
    nothing = score(rubric(), {}, meeting_kind="regular", facts=MeetingFacts(date=DAY))
    assert [nothing.points[c] for c in ("A", "D", "S", "P", "M")] == [0, 0, 0, 0, 0]
    assert nothing.measured == {"A": None, "D": None, "S": None, "P": None, "M": None}
    assert score(rubric(), {}, meeting_kind="regular").points["A"] == D(0)


def test_kinds_with_not_applicable_full_count_at_full_marks_and_none_count_nowhere():
    thematic = score(
        rubric(),
        {"T": Answer(points=7), "R": Answer(points=2), "X": Answer(points=55)},
        meeting_kind="thematic",
        facts=GOOD,
    )
    # R is for regular meetings only and counts full (10, whatever was typed); T counts as typed (7).
    assert (thematic.points["R"], thematic.points["T"]) == (D(10), D(7))
    assert thematic.full_by_kind == frozenset({"R"})
    assert thematic.points["2"] == D(72)
    assert (thematic.total, thematic.max_total) == (D(96), D(100))
    regular = score(rubric(), {"T": Answer(points=7), "R": Answer(points=2)}, meeting_kind="regular", facts=GOOD)
    assert (regular.points["R"], "T" in regular.points, regular.full_by_kind) == (D(2), False, frozenset())


def test_kinds_are_not_applied_when_the_kind_is_not_given():
    result = score(rubric(), {"T": Answer(points=7), "R": Answer(points=2)}, facts=GOOD)
    assert (result.points["T"], result.points["R"], result.max_total) == (D(7), D(2), D(100))


def test_a_group_left_out_by_kind_counts_its_whole_subtree_at_full_marks():
    items = [
        RubricCriterion(None, "1", kinds=frozenset({"thematic", "model"}), not_applicable="full", is_key=True),
        RubricCriterion(None, "1.1", parent_code="1", max_points=D(6)),
        RubricCriterion(None, "1.2", parent_code="1"),  # pass/fail: achieved
        RubricCriterion(
            None, "1.3", parent_code="1", max_points=D(4), measure="duration_minutes", bands=parse_bands(">=1:4")
        ),
        RubricCriterion(None, "2", max_points=D(10)),
    ]
    levels = [RubricLevel("tot", rank=1, min_points=D(20), require_key_full=True), RubricLevel("kem", rank=2)]
    result = score(build_rubric(None, items, levels), {"2": Answer(points=10)}, meeting_kind="regular")
    assert result.points == {"1.1": D(6), "1.3": D(4), "1": D(10), "2": D(10)}
    assert result.achieved == {"1.2": True, "1": True}
    assert result.full_by_kind == frozenset({"1", "1.1", "1.2", "1.3"})
    assert result.measured == {}  # counted full: the facts are not read
    assert (result.total, result.key_full, result.level_code) == (D(20), True, "tot")
    # In a thematic meeting the group applies and is scored as usual.
    thematic = score(build_rubric(None, items, levels), {"2": Answer(points=10)}, meeting_kind="thematic")
    assert (thematic.total, thematic.key_full, thematic.level_code) == (D(10), False, "kem")


def test_a_group_left_out_by_kind_with_none_takes_its_subtree_out():
    items = [
        RubricCriterion(None, "1", kinds=frozenset({"thematic"})),
        RubricCriterion(None, "1.1", parent_code="1", max_points=D(6), not_applicable="full"),
        RubricCriterion(None, "2", max_points=D(10)),
    ]
    result = score(build_rubric(None, items, []), {"1.1": Answer(points=6)}, meeting_kind="regular")
    assert (result.applicable, result.max_total) == (("2",), D(10))


def test_a_key_computed_item_short_of_full_keeps_the_meeting_from_the_top_level():
    items = [
        RubricCriterion(
            None, "A", max_points=D(5), is_key=True, measure="attendance_percent", bands=parse_bands(">=95:5; >=90:4")
        ),
        RubricCriterion(None, "X", max_points=D(95)),
    ]
    levels = [
        RubricLevel("tot", rank=1, min_points=D(90), require_key_full=True),
        RubricLevel("kha", rank=2, min_points=D(70)),
    ]
    r = build_rubric(None, items, levels)
    answers = {"X": Answer(points=95)}
    at_95 = score(r, answers, meeting_kind="regular", facts=MeetingFacts(members_total=20, members_present=19))
    assert (at_95.total, at_95.key_full, at_95.level_code) == (D(100), True, "tot")
    at_90 = score(r, answers, meeting_kind="regular", facts=MeetingFacts(members_total=20, members_present=18))
    # 99 points, well above 90, but the key attendance item has 4 of 5.
    assert (at_90.total, at_90.key_full, at_90.level_code) == (D(99), False, "kha")


# --- Edges found by mutation testing (bin/mutation scoring) -------------------------------------------


def test_messages_of_bands_that_cannot_be_read_say_what_is_wrong():
    with translation.override("en"):
        with pytest.raises(BandError, match=r"^Unknown operator =>: use >=, >, <=, < or =\.$"):
            bands_from_json([["=>", "1", "2"]])
        with pytest.raises(BandError, match=r"^A band is written OP VALUE:POINTS, with numbers, e\.g\. >=90:4\.$"):
            bands_from_json([[">=", "1"]])
        with pytest.raises(BandError, match=r"^A band is written OP VALUE:POINTS"):
            bands_from_json([[">=", "x", "4"]])  # only the value is not a number
        with pytest.raises(BandError, match=r"^A band is written OP VALUE:POINTS"):
            bands_from_json([[">=", "4", "x"]])  # only the points are not numbers
    with pytest.raises(ValueError, match="unknown measure: 'members_count'"):
        measure_value("members_count", MeetingFacts())


def test_empty_items_before_a_band_are_skipped_and_zero_is_written_plainly():
    assert parse_bands(" ; ;>=1:2") == (Band(">=", D(1), D(2)),)
    assert format_bands(parse_bands(">=-0:0.00; <=0.50:1.0")) == ">=0:0; <=0.5:1"
