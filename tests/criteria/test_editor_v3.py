"""The framework editor page edits what WORKBOOK v3 adds to a criterion: the meeting kinds it is for, what it
counts elsewhere, and the measure it is scored from with its bands, shown as a small table."""

import pytest
from django.urls import reverse

from criteria import services
from criteria.models import Criterion, Framework

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def rubric(tree, people):
    return services.framework_create(
        owner=tree.district, code="SH-2026", name="Sinh hoạt 2026", kind="meeting", acting_user=people.alice
    )


def _rows(*bands):
    data = {}
    for i, (op, value, points) in enumerate(bands):
        data.update({f"band_op_{i}": op, f"band_value_{i}": value, f"band_points_{i}": points})
    return data


def test_a_criterion_scored_from_the_facts_is_made_and_edited_on_the_page(client, people, rubric):
    client.force_login(people.alice)
    url = reverse("criteria:criterion_create", args=[rubric.pk])
    form = client.get(url, **HTMX).content.decode()
    assert 'name="band_op_5"' in form and 'name="measure"' in form and 'name="kinds"' in form
    data = {"code": "1", "title": "Tỷ lệ dự", "max_points": "5", "is_key": "on", "measure": "attendance_percent"}
    data.update(_rows((">=", "90", "4"), ("", "", ""), (">=", "80", "3")))
    data.update({"kinds": ["regular", "thematic"], "not_applicable": "full"})
    assert client.post(url, data, **HTMX).status_code == 200
    criterion = Criterion.objects.get(framework=rubric, code="1")
    assert (criterion.measure, criterion.bands) == ("attendance_percent", [[">=", "90", "4"], [">=", "80", "3"]])
    assert (criterion.kinds, criterion.not_applicable) == (["regular", "thematic"], "full")
    page = client.get(reverse("criteria:framework_detail", args=[rubric.pk])).content.decode()
    assert "≥ 90 → 4; ≥ 80 → 3" in page
    edit = reverse("criteria:criterion_edit", args=[criterion.pk])
    shown = client.get(edit, **HTMX).content.decode()
    assert 'name="band_value_1" id="id_band_value_1" value="80"' in shown
    changed = {**data, **_rows((">", "95", "5"), ("", "", ""), ("", "", ""))}
    client.post(edit, changed, **HTMX)
    criterion.refresh_from_db()
    assert criterion.bands == [[">", "95", "5"]]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (((">=", "90", ""),), "Hãy nhập đủ phép so sánh, giá trị và điểm"),  # a row half filled
        ((("", "", ""),), "Hãy nhập thang điểm để quy số liệu ra điểm."),  # a measure with no band
    ],
)
def test_bad_bands_keep_the_form_and_write_nothing(client, people, rubric, rows, message):
    client.force_login(people.alice)
    url = reverse("criteria:criterion_create", args=[rubric.pk])
    data = {"code": "1", "title": "Tỷ lệ dự", "max_points": "5", "measure": "attendance_percent", **_rows(*rows)}
    answer = client.post(url, {**data, "not_applicable": "none"}, **HTMX).content.decode()
    assert "<form" in answer and message in answer
    assert not Criterion.objects.filter(framework=rubric, code="1").exists()


def test_kinds_belong_to_meeting_rubrics_on_the_page_too(client, tree, people):
    four_good = services.framework_create(
        owner=tree.district, code="4T-2026", name="Bốn tốt", kind="four_good", acting_user=people.alice
    )
    client.force_login(people.alice)
    url = reverse("criteria:criterion_create", args=[four_good.pk])
    answer = client.post(url, {"code": "1", "title": "Tốt", "kinds": ["regular"], "not_applicable": "none"}, **HTMX)
    assert "Chỉ bộ tiêu chí chất lượng sinh hoạt" in answer.content.decode()
    assert not Criterion.objects.filter(framework=four_good).exists()
    assert Framework.objects.filter(code="4T-2026").exists()
