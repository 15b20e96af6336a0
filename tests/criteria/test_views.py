"""The staff pages: build, publish, derive, version, compare, read on a phone; the freeze rule through the UI."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cells.demo import build_small_province
from criteria import services
from criteria.demo import build_demo_frameworks
from criteria.models import Criterion, Framework, FrameworkStatus, RatingLevel
from criteria.selectors import load_rubric
from tests.criteria.factories import meeting_framework
from tests.criteria.view_cases import _draft

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def draft(tree, people):
    return _draft(tree, people)


def test_a_staff_user_builds_a_framework_in_the_browser(client, tree, people):
    client.force_login(people.alice)
    response = client.post(
        reverse("criteria:framework_create"),
        {"code": "SH-NEW", "name": "Khung mới", "kind": "meeting", "owner": tree.district.pk},
    )
    framework = Framework.objects.get(code="SH-NEW")
    assert response.status_code == 302
    assert framework.status == FrameworkStatus.DRAFT
    url = reverse("criteria:criterion_create", args=[framework.pk])
    response = client.post(url, {"code": "1", "title": "Chuẩn bị"}, **HTMX)
    assert response.status_code == 200
    assert 'id="criteria-panel" hx-swap-oob="true"' in response.content.decode()
    group = Criterion.objects.get(framework=framework, code="1")
    client.post(url, {"code": "1.1", "title": "Dự thảo", "max_points": "60", "parent": group.pk}, **HTMX)
    client.post(
        url, {"code": "1.2", "title": "Nguyên tắc", "max_points": "40", "is_key": "on", "parent": group.pk}, **HTMX
    )
    client.post(
        reverse("criteria:level_create", args=[framework.pk]), {"code": "tot", "label": "Tốt", "rank": 1}, **HTMX
    )
    second = Criterion.objects.get(framework=framework, code="1.2")
    client.post(reverse("criteria:criterion_move", args=[second.pk]), {"direction": "up"}, **HTMX)
    assert [c.code for c in load_rubric(framework).criteria] == ["1", "1.2", "1.1"]
    response = client.post(reverse("criteria:framework_publish", args=[framework.pk]))
    framework.refresh_from_db()
    assert framework.status == FrameworkStatus.PUBLISHED
    page = client.get(reverse("criteria:framework_detail", args=[framework.pk])).content.decode()
    assert "100 points in all" in page or "100 điểm" in page


def test_a_bad_criterion_shows_the_form_again_with_its_error(client, people, draft):
    client.force_login(people.alice)
    url = reverse("criteria:criterion_create", args=[draft.framework.pk])
    response = client.post(url, {"code": "2", "title": "Chỉ tiêu", "comparator": ">="}, **HTMX)
    assert response.status_code == 200
    assert "<form" in response.content.decode()
    assert not Criterion.objects.filter(framework=draft.framework, code="2").exists()


def test_the_ui_refuses_to_edit_a_published_frameworks_criteria(client, people, draft):
    services.framework_publish(framework=draft.framework, acting_user=people.alice)
    client.force_login(people.alice)
    response = client.post(
        reverse("criteria:criterion_edit", args=[draft.item.pk]),
        {"code": "1.1", "title": "Sửa", "max_points": "5"},
        **HTMX,
    )
    assert "new version" in response.content.decode() or "phiên bản mới" in response.content.decode()
    client.post(reverse("criteria:criterion_delete", args=[draft.item.pk]), **HTMX)
    client.post(reverse("criteria:criterion_move", args=[draft.item.pk]), {"direction": "up"}, **HTMX)
    item = Criterion.objects.get(pk=draft.item.pk)
    assert (item.title, item.max_points) == ("Mục một", Decimal(10))


def test_the_ui_refuses_to_edit_a_framework_in_use(client, people, draft):
    from criteria.models import register_usage_check, unregister_usage_check

    services.framework_publish(framework=draft.framework, acting_user=people.alice)

    def used(framework):
        return True

    register_usage_check(used)
    try:
        client.force_login(people.alice)
        response = client.post(
            reverse("criteria:framework_edit", args=[draft.framework.pk]), {"name": "Tên khác", "basis": ""}
        )
        assert response.status_code == 200
        assert Framework.objects.get(pk=draft.framework.pk).name == "Khung sinh hoạt"
    finally:
        unregister_usage_check(used)


def test_new_version_and_compare_side_by_side(client, people, draft):
    services.framework_publish(framework=draft.framework, acting_user=people.alice)
    client.force_login(people.alice)
    response = client.post(reverse("criteria:framework_new_version", args=[draft.framework.pk]), {"code": "SH-D1-V2"})
    copy = Framework.objects.get(code="SH-D1-V2")
    assert response.url == reverse("criteria:framework_detail", args=[copy.pk])
    services.criterion_create(framework=copy, code="2", title="Nhóm mới", acting_user=people.alice)
    page = client.get(reverse("criteria:framework_compare", args=[copy.pk])).content.decode()
    assert "Nhóm mới" in page and "table-success" in page


def test_a_committee_derives_a_framework_that_shows_inherited_and_added_criteria(client, tree, people, draft):
    services.framework_publish(framework=draft.framework, acting_user=people.alice)
    client.force_login(people.alice)
    response = client.post(
        reverse("criteria:framework_derive", args=[draft.framework.pk]),
        {"owner": tree.grassroots.pk, "code": "SH-G1", "name": "Khung của phường"},
    )
    child = Framework.objects.get(code="SH-G1")
    assert response.status_code == 302 and child.parent == draft.framework
    client.post(
        reverse("criteria:criterion_create", args=[child.pk]),
        {"code": "1.2", "title": "Thêm của phường", "max_points": "5", "parent": draft.group.pk},
        **HTMX,
    )
    page = client.get(reverse("criteria:framework_detail", args=[child.pk])).content.decode()
    assert "criterion-inherited" in page
    assert "Thêm của phường" in page


def test_a_secretary_reads_the_provinces_rubric_on_her_phone_but_not_a_district_draft(client, tree, people, draft):
    rubric = meeting_framework(tree.province, code="SH-TINH")
    client.force_login(people.sue)
    response = client.get(reverse("criteria:framework_read", args=[rubric.pk]))
    assert response.status_code == 200
    assert "Tiêu chí" in response.content.decode()
    assert client.get(reverse("criteria:framework_read", args=[draft.framework.pk])).status_code == 404
    listing = client.get(reverse("criteria:framework_list")).content.decode()
    assert "SH-TINH" in listing and "SH-D1" not in listing
    assert client.get(reverse("criteria:framework_edit", args=[rubric.pk])).status_code == 404


def test_the_outsider_gets_404_on_a_draft_in_thanh_uy_mot(client, people, draft):
    client.force_login(people.charlie)
    assert client.get(reverse("criteria:framework_detail", args=[draft.framework.pk])).status_code == 404
    assert client.get(reverse("criteria:framework_export", args=[draft.framework.pk])).status_code == 404


def test_the_list_runs_a_fixed_number_of_queries(client, tree, people, django_assert_num_queries):
    """Pinned: the count does not grow with the frameworks (scope providers of other apps add a few of their own)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people.alice)

    def count() -> int:
        client.get(reverse("criteria:framework_list"))  # warm the session and content types
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("criteria:framework_list"))
        return len(queries)

    meeting_framework(tree.province, code="SH-0")
    few = count()
    for n in range(1, 6):
        meeting_framework(tree.province, code=f"SH-{n}")
        meeting_framework(tree.district, code=f"SH-D-{n}")
    assert count() == few
    with django_assert_num_queries(few):
        client.get(reverse("criteria:framework_list"))


def test_every_demo_framework_page_renders(client, db):
    context = build_small_province()
    build_demo_frameworks(context)
    user = context.users["canbo.tinh"]
    client.force_login(user)
    for framework in Framework.objects.all():
        for name in ("criteria:framework_detail", "criteria:framework_read", "criteria:framework_compare"):
            assert client.get(reverse(name, args=[framework.pk])).status_code == 200
    secretary = context.users["bithu.thcs"]
    client.force_login(secretary)
    school = Framework.objects.get(code="4T-THCSBT-2024")
    page = client.get(reverse("criteria:framework_read", args=[school.pk])).content.decode()
    assert "Tỷ lệ học sinh vào lớp 10 công lập" in page


def test_export_button_downloads_the_workbook_and_import_page_reads_it(client, people, draft, tmp_path):
    client.force_login(people.alice)
    response = client.get(reverse("criteria:framework_export", args=[draft.framework.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    path = tmp_path / "fw.xlsx"
    path.write_bytes(content)
    Framework.objects.filter(pk=draft.framework.pk).delete()
    with path.open("rb") as handle:
        response = client.post(reverse("criteria:framework_import"), {"file": handle})
    assert response.status_code == 200
    framework = Framework.objects.get(code="SH-D1")
    assert [c.code for c in load_rubric(framework).criteria] == ["1", "1.1"]
    assert RatingLevel.objects.filter(framework=framework).count() == 1


def test_the_detail_page_runs_the_same_queries_whatever_the_number_of_criteria(client, tree, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cells.models import CellType
    from criteria.selectors import forget_rubrics

    framework = meeting_framework(tree.district, code="SH-Q")
    client.force_login(people.alice)
    url = reverse("criteria:framework_detail", args=[framework.pk])

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    school = CellType.objects.get(code="public_service")
    group = Criterion.objects.get(framework=framework, code="5")
    for n in range(2, 8):
        extra = Criterion.objects.create(framework=framework, parent=group, code=f"5.{n}", title="Thêm", max_points=1)
        extra.cell_types.add(school)
    forget_rubrics()  # the criteria were added behind the services' back, to a published framework
    assert count() == few + 1  # the names of the cell types, once


def test_editing_and_reparenting_a_criterion_answer_with_the_tree(client, people, draft):
    client.force_login(people.alice)
    response = client.post(
        reverse("criteria:criterion_edit", args=[draft.item.pk]),
        {"code": "1.1", "title": "Mục một đã sửa", "max_points": "12", "cell_types": [], "org_levels": []},
        **HTMX,
    )
    assert "Mục một đã sửa" in response.content.decode()
    assert Criterion.objects.get(pk=draft.item.pk).max_points == Decimal(12)
    form = client.get(reverse("criteria:criterion_reparent", args=[draft.item.pk]), **HTMX).content.decode()
    assert "<form" in form
    response = client.post(reverse("criteria:criterion_reparent", args=[draft.item.pk]), {"parent": ""}, **HTMX)
    assert response.status_code == 200
    assert Criterion.objects.get(pk=draft.item.pk).parent is None
    response = client.post(reverse("criteria:criterion_reparent", args=[draft.group.pk]), {"parent": draft.group.pk})
    assert response.status_code == 200  # cannot sit under itself: the form again
    assert Criterion.objects.get(pk=draft.group.pk).parent is None


def test_without_htmx_the_editor_is_a_page_and_success_goes_back_to_the_framework(client, people, draft):
    client.force_login(people.alice)
    url = reverse("criteria:criterion_create", args=[draft.framework.pk])
    page = client.get(url).content.decode()
    assert "<html" in page and "<form" in page
    response = client.post(url, {"code": "2", "title": "Nhóm hai"})
    assert response.url == reverse("criteria:framework_detail", args=[draft.framework.pk])


def test_a_large_framework_workbook_goes_through_the_background_import_job(
    client, people, draft, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    from cells.workbook import services as import_jobs
    from cells.workbook.models import ImportJob

    client.force_login(people.alice)
    content = b"".join(client.get(reverse("criteria:framework_export", args=[draft.framework.pk])).streaming_content)
    path = tmp_path / "fw.xlsx"
    path.write_bytes(content)
    Framework.objects.filter(pk=draft.framework.pk).delete()
    monkeypatch.setattr(import_jobs, "LARGE_IMPORT_ROWS", 0)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, path.open("rb") as handle:
        response = client.post(reverse("criteria:framework_import"), {"file": handle})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("workbook:job_detail", args=[job.pk])
    assert len(callbacks) == 1  # queued after commit, for the worker
    job.refresh_from_db()
    assert job.run_in_background and job.status == "checked" and job.user == people.alice
    assert not Framework.objects.filter(code="SH-D1").exists()  # checked, not yet confirmed
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workbook:job_confirm", args=[job.pk]))
    assert Framework.objects.filter(code="SH-D1").exists()
