"""The trust holes a probe of the running product found (issue 22), each reproduced, then closed.

One class per hole, named by the hole's number in the issue. (Holes 1, 6 and 8 are tested beside the
meeting rights and sheets.)
"""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-good-password-123"


def _account(username: str):
    user = UserFactory(username=username)
    user.set_password(PASSWORD)
    user.save()
    return user


class TestHole2LoginPauses:
    """The pause counts failures per account and per account-and-address; an address alone pauses only
    after a much higher count; a good login clears only its own account's failures from its address."""

    @staticmethod
    def _login(client, username, password, address="10.0.0.1"):
        client.logout()
        return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)

    def test_another_accounts_good_login_does_not_reset_the_pause(self, client):
        _account("nhung")
        _account("lan")
        for _round in range(3):  # the probe's scenario: four wrong passwords, a colleague logs in, again
            for _ in range(settings.AXES_FAILURE_LIMIT - 1):
                self._login(client, "nhung", "wrong")
            assert self._login(client, "lan", PASSWORD).status_code == 302
        assert self._login(client, "nhung", PASSWORD).status_code == 429
        assert "_auth_user_id" not in client.session

    def test_one_person_mistyping_does_not_lock_the_whole_office(self, client):
        for name in ("nhung", "lan", "hoa"):
            _account(name)
        for _ in range(settings.AXES_FAILURE_LIMIT + 2):
            self._login(client, "nhung", "wrong")
        assert self._login(client, "nhung", PASSWORD).status_code == 429  # her account is paused
        assert self._login(client, "lan", PASSWORD).status_code == 302  # the office behind the router is not
        # Colleagues mistyping once each, many of them, still leave the address open.
        for n in range(settings.AXES_FAILURE_LIMIT * 2):
            self._login(client, f"colleague{n}", "wrong")
        assert self._login(client, "hoa", PASSWORD).status_code == 302

    def test_an_address_alone_is_paused_at_its_own_much_higher_limit(self, client):
        _account("lan")
        assert settings.CHIBO_LOGIN_ADDRESS_FAILURE_LIMIT >= 5 * settings.AXES_FAILURE_LIMIT
        for n in range(settings.CHIBO_LOGIN_ADDRESS_FAILURE_LIMIT):
            self._login(client, f"guess{n}", "wrong", address="10.6.6.6")  # one try per name: a spray
        assert self._login(client, "lan", PASSWORD, address="10.6.6.6").status_code == 429
        assert self._login(client, "lan", PASSWORD, address="10.6.6.7").status_code == 302

    def test_a_good_login_clears_its_own_failures_only(self, client):
        _account("nhung")
        _account("lan")
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            self._login(client, "lan", "wrong")
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            self._login(client, "nhung", "wrong")
        assert self._login(client, "nhung", PASSWORD).status_code == 302
        self._login(client, "nhung", "wrong")  # her count started again: one failure, no pause
        assert self._login(client, "nhung", PASSWORD).status_code == 302
        self._login(client, "lan", "wrong")  # Lan's four failures were kept: the fifth pauses her
        assert self._login(client, "lan", PASSWORD).status_code == 429


class TestHole5NoServerErrors:
    """Every parameter is read with a clear Vietnamese message instead of a 500."""

    @pytest.fixture
    def staff_client(self, client, tree, people):
        client.raise_request_exception = False
        client.force_login(people.alice)
        return client

    @pytest.mark.parametrize("period", ["2000", "1999", "2000-Q1", "1990-01", "0000", "9999"])
    def test_the_ranking_and_its_export_answer_a_period_before_the_committee_with_a_message(
        self, staff_client, tree, period
    ):
        url = reverse("evaluations:meetings:ranking")
        with translation.override("vi"):
            page = staff_client.get(url, {"org": tree.district.pk, "period": period})
            export = staff_client.get(url, {"org": tree.district.pk, "period": period, "export": "xlsx"})
        assert page.status_code == 200 and export.status_code == 200
        body = page.content.decode()
        assert "không tồn tại" in body or "Năm phải" in body, body[:2000]

    def test_a_report_for_a_period_before_the_committee_is_refused_before_the_worker(self, tree, people):
        from django.core.exceptions import ValidationError

        from reports import services
        from reports.models import ReportRun

        with translation.override("vi"), pytest.raises(ValidationError) as refused:
            services.report_run_request(
                kind="quarterly", organization=tree.district, period="2000-Q1", acting_user=people.alice
            )
        assert "không tồn tại" in " ".join(refused.value.messages)
        assert not ReportRun.objects.exists()

    def test_the_report_page_says_why_a_period_is_refused(self, staff_client, tree):
        with translation.override("vi"):
            page = staff_client.post(
                reverse("reports:run_create"),
                {
                    "kind": "quarterly",
                    "organization": tree.district.pk,
                    "period": "1999-Q4",
                    "format": "pdf",
                    "issued_on": "2024-01-05",
                },
            )
        assert page.status_code == 200 and "không tồn tại" in page.content.decode()

    @pytest.mark.parametrize("year", ["9999", "0", "1899", "99999999999999999999"])
    def test_the_meeting_list_answers_a_year_out_of_range_with_a_message(self, staff_client, year):
        with translation.override("vi"):
            page = staff_client.get(reverse("evaluations:meetings:list"), {"year": year})
        assert page.status_code == 200
        assert "Năm phải" in page.content.decode()

    @pytest.mark.parametrize("value", ["NaN", "nan", "sNaN", "inf", "-Infinity"])
    def test_a_score_that_is_not_a_number_is_refused_on_every_score_page(self, client, tree, people, value):
        from tests.evaluations.meetings.helpers import assign_supervisor, make_framework, scored_meeting

        make_framework(tree.province)
        client.raise_request_exception = False
        draft = scored_meeting(tree.cell, submit=False)
        submitted = scored_meeting(tree.school)
        assign_supervisor(tree.school, people.sam)
        pages = [
            (people.sue, reverse("evaluations:meetings:assess", args=[draft.pk]), "c", draft),
            (people.sue, reverse("evaluations:meetings:preview", args=[draft.pk, "c"]), "c", draft),
            (people.sam, reverse("evaluations:meetings:appraise", args=[submitted.pk]), "a", submitted),
            (people.sam, reverse("evaluations:meetings:preview", args=[submitted.pk, "a"]), "a", submitted),
        ]
        for user, url, mode, meeting in pages:
            client.force_login(user)
            data = {f"{mode}_1_1": value, "r_1_1": "Lý do", "version": meeting.version}
            with translation.override("vi"):
                response = client.post(url, data)
            assert response.status_code == 200, (url, response.status_code)
            if "preview" not in url:
                assert "Nhập một số" in response.content.decode()
        draft.refresh_from_db()
        submitted.refresh_from_db()
        assert (draft.status, submitted.status) == ("draft", "submitted")

    def test_the_scoring_function_refuses_numbers_that_are_not_finite(self):
        from cells.workbook.values import BadValue, parse_decimal
        from criteria.scoring import to_decimal

        for value in ("NaN", "inf", float("nan"), float("inf")):
            with pytest.raises(ValueError):
                to_decimal(value)
        for value in (float("nan"), float("-inf")):
            with pytest.raises(BadValue):
                parse_decimal(value)


def _workbook_bytes(rows, title="organizations") -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _move_sheet_part(data: bytes, new_name: str) -> bytes:
    """The same workbook with its sheet stored at ``new_name`` (the relationships and content types say
    where): a valid package that Excel and openpyxl open, whose sheet is not under xl/worksheets/."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            name = info.filename
            if name == "xl/worksheets/sheet1.xml":
                name = new_name
            elif name == "xl/_rels/workbook.xml.rels":
                content = content.replace(b'Target="/xl/worksheets/sheet1.xml"', f'Target="/{new_name}"'.encode())
                content = content.replace(b'Target="worksheets/sheet1.xml"', f'Target="/{new_name}"'.encode())
            elif name == "[Content_Types].xml":
                content = content.replace(b"/xl/worksheets/sheet1.xml", f"/{new_name}".encode())
            target.writestr(name, content)
    return out.getvalue()


class TestHole3ImportsDoNotHoldAWebWorker:
    """Whether an import runs in the background follows the workbook's own relationships to its sheets,
    wherever they lie; the cells and the problems read are capped."""

    ROWS = [["code", "name", "parent_code", "level", "cell_type"]] + [
        [f"N{n}", f"Tổ chức {n}", "D1", "grassroots", None] for n in range(300)
    ]

    def test_a_sheet_part_stored_elsewhere_is_counted(self, tmp_path):
        import zipfile

        from cells.workbook import reader

        path = tmp_path / "moved.xlsx"
        path.write_bytes(_move_sheet_part(_workbook_bytes(self.ROWS), "data/hidden/rows.xml"))
        assert "data/hidden/rows.xml" in zipfile.ZipFile(path).namelist()
        assert not any(n.startswith("xl/worksheets/") for n in zipfile.ZipFile(path).namelist())
        assert len(reader.read_workbook(path).sheets[0].rows) == 300  # a real workbook: openpyxl reads it
        assert reader.estimate_rows(path) == 301

    def test_such_an_upload_goes_to_the_background(self, tmp_path, monkeypatch, tree, people):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from cells.workbook import services

        monkeypatch.setattr(services, "LARGE_IMPORT_ROWS", 100)
        data = _move_sheet_part(_workbook_bytes(self.ROWS), "xl/elsewhere/sheet9.xml")
        job = services.import_job_create(upload=SimpleUploadedFile("moved.xlsx", data), acting_user=people.alice)
        assert job.run_in_background and job.progress_total == 301

    def test_a_wide_sheet_counts_by_its_cells_too(self, tmp_path):
        from cells.workbook import reader

        wide = [["code", "name"] + [f"x{n}" for n in range(200)]] + [[f"N{r}"] + ["v"] * 201 for r in range(100)]
        path = tmp_path / "wide.xlsx"
        path.write_bytes(_workbook_bytes(wide))
        assert reader.estimate_rows(path) > 1000  # 101 rows of 202 cells weigh as 20,000 cells

    def test_a_column_without_a_header_is_one_problem_not_one_per_value(self, tmp_path):
        from cells.workbook import reader

        rows = [["code", "name", "parent_code", "level", "cell_type"]] + [
            [f"N{n}", f"Tổ chức {n}", "D1", "grassroots", None, f"junk {n}"] for n in range(5000)
        ]
        path = tmp_path / "junk.xlsx"
        path.write_bytes(_workbook_bytes(rows))
        data = reader.read_workbook(path)
        headerless = [e for e in data.errors if e.column == "F"]
        assert len(headerless) == 1 and headerless[0].row == 2
        assert len(data.errors) == 1

    def test_the_problems_read_are_capped_and_reading_stops(self, tmp_path, monkeypatch):
        from cells.workbook import reader

        monkeypatch.setattr(reader, "MAX_READ_ERRORS", 50)
        rows = [["code", "name", "parent_code", "level", "cell_type"]] + [
            [f"N{n}", f"Tổ chức {n}", "D1", "no-such-level", None] for n in range(2000)
        ]
        path = tmp_path / "bad.xlsx"
        path.write_bytes(_workbook_bytes(rows))
        data = reader.read_workbook(path)
        assert len(data.errors) == 51
        assert "dừng" in data.errors[-1].message or "stopped" in data.errors[-1].message
        assert data.sheets[0].rows_read < 100

    def test_the_cells_read_are_capped(self, tmp_path, monkeypatch):
        from cells.workbook import reader

        monkeypatch.setattr(reader, "MAX_CELLS", 1000)
        path = tmp_path / "many.xlsx"
        path.write_bytes(_workbook_bytes(self.ROWS))  # 301 rows of 5 cells
        with pytest.raises(reader.WorkbookRejected):
            reader.read_workbook(path)


class TestHole4QueuedWorkIsLimited:
    """A user's queued report builds and imports are capped; an identical pending request returns the run
    already waiting; checked uploads nobody confirms are deleted after a day; "Hủy" deletes the upload."""

    def _request(self, people, tree, period, **fields):
        from reports import services

        return services.report_run_request(
            kind="ranking", organization=tree.district, period=period, acting_user=people.alice, **fields
        )

    def test_an_identical_pending_report_request_returns_the_first_run(self, tree, people):
        from reports.models import ReportRun

        first = self._request(people, tree, "2024")
        second = self._request(people, tree, "2024")
        assert second.pk == first.pk and ReportRun.objects.count() == 1
        other = self._request(people, tree, "2024", number="12-BC/TU")  # another document: another run
        assert other.pk != first.pk

    def test_a_user_may_not_queue_more_report_builds_than_the_limit(self, tree, people, settings):
        from django.core.exceptions import ValidationError

        from reports.models import ReportRun

        settings.CHIBO_MAX_QUEUED_REPORTS = 3
        for year in (2021, 2022, 2023):
            self._request(people, tree, str(year))
        with translation.override("vi"), pytest.raises(ValidationError) as refused:
            self._request(people, tree, "2024")
        assert "đang chờ" in " ".join(refused.value.messages)
        assert ReportRun.objects.count() == 3
        ReportRun.objects.filter(period="2021").update(status="done")
        self._request(people, tree, "2024")  # one finished: room for one more

    def _upload(self, data: bytes, name="w.xlsx"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return SimpleUploadedFile(name, data)

    def test_an_identical_pending_import_returns_the_first_job_and_the_queue_is_capped(
        self, tree, people, settings, monkeypatch
    ):
        from django.core.exceptions import ValidationError

        from cells.workbook import services
        from cells.workbook.models import ImportJob

        monkeypatch.setattr(services, "LARGE_IMPORT_ROWS", 0)  # every import waits for a worker
        settings.CHIBO_MAX_QUEUED_IMPORTS = 2
        rows = [["code", "name", "parent_code", "level", "cell_type"], ["N1", "Đảng bộ mới", "D1", "grassroots", None]]
        data = _workbook_bytes(rows)
        first = services.import_job_create(upload=self._upload(data), acting_user=people.alice)
        again = services.import_job_create(upload=self._upload(data, "copy.xlsx"), acting_user=people.alice)
        assert again.pk == first.pk and ImportJob.objects.count() == 1
        services.import_job_create(
            upload=self._upload(_workbook_bytes(rows + [["N2", "Khác", "D1", "grassroots"]])), acting_user=people.alice
        )
        with translation.override("vi"), pytest.raises(ValidationError) as refused:
            services.import_job_create(upload=self._upload(_workbook_bytes(rows[:1])), acting_user=people.alice)
        assert "đang chờ" in " ".join(refused.value.messages)
        assert ImportJob.objects.count() == 2

    def test_the_upload_page_says_why_an_import_is_refused(self, client, tree, people, settings, monkeypatch):
        from cells.workbook import services
        from cells.workbook.models import ImportJob

        monkeypatch.setattr(services, "LARGE_IMPORT_ROWS", 0)
        settings.CHIBO_MAX_QUEUED_IMPORTS = 1
        client.force_login(people.alice)
        rows = [["code", "name", "parent_code", "level", "cell_type"]]
        client.post(
            reverse("workbook:index"), {"file": self._upload(_workbook_bytes(rows + [["A1", "a", "D1", "grassroots"]]))}
        )
        with translation.override("vi"):
            page = client.post(reverse("workbook:index"), {"file": self._upload(_workbook_bytes(rows))})
        assert page.status_code == 200 and "đang chờ" in page.content.decode()
        assert ImportJob.objects.count() == 1

    def _checked_job(self, people):
        from cells.workbook import services

        rows = [["code", "name", "parent_code", "level", "cell_type"], ["N1", "Đảng bộ mới", "D1", "grassroots", None]]
        job = services.import_job_create(upload=self._upload(_workbook_bytes(rows)), acting_user=people.alice)
        services.import_job_start(job)
        job.refresh_from_db()
        assert job.status == "checked" and job.file
        return job

    def test_unconfirmed_uploads_are_deleted_after_a_day_by_a_periodic_task(self, tree, people):
        import datetime
        from pathlib import Path

        from django.utils import timezone

        from cells.workbook.models import ImportJob
        from cells.workbook.tasks import forget_unconfirmed_imports

        old, recent = self._checked_job(people), self._checked_job(people)
        ImportJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(hours=25))
        old_path = Path(old.file.path)
        assert forget_unconfirmed_imports() == 1
        old.refresh_from_db()
        recent.refresh_from_db()
        assert not old.file and not old_path.exists() and not old.can_confirm
        assert recent.file and recent.can_confirm
        entry = settings.CELERY_BEAT_SCHEDULE["workbook-forget-unconfirmed"]
        assert entry["task"] == "cells.workbook.tasks.forget_unconfirmed_imports"

    def test_cancel_is_a_post_that_deletes_the_upload(self, client, tree, people):
        from pathlib import Path

        job = self._checked_job(people)
        path = Path(job.file.path)
        client.force_login(people.alice)
        url = reverse("workbook:job_cancel", args=[job.pk])
        assert client.get(url).status_code == 405
        page = client.get(reverse("workbook:job_detail", args=[job.pk])).content.decode()
        assert f'action="{url}"' in page and 'method="post"' in page
        assert client.post(url).status_code == 302
        job.refresh_from_db()
        assert not job.file and not path.exists() and not job.can_confirm
        assert client.post(reverse("workbook:job_confirm", args=[job.pk])).status_code == 302
        job.refresh_from_db()
        assert job.phase == "check"  # nothing left to import


class TestHole9PreviewTransferAndContentType:
    def test_the_import_preview_shows_each_change_as_before_and_after(self, client, tree, people, tmp_path):
        import datetime

        from cells.workbook.importer import run_import
        from cells.workbook.models import ImportJob
        from tests.evaluations.meetings.helpers import make_framework, scored_meeting

        make_framework(tree.province)
        scored_meeting(tree.cell, submit=False, date=datetime.date(2024, 3, 10))
        path = tmp_path / "scores.xlsx"
        header = ["org_code", "date", "kind", "criterion_code", "self_points", "appraised_points"]
        path.write_bytes(
            _workbook_bytes([header, ["C1", "10/03/2024", "regular", "1.1", 8, None]], title="meeting_scores")
        )
        result = run_import(path, user=people.alice, dry_run=True)
        assert not result.errors, result.errors
        job = ImportJob.objects.create(
            user=people.alice, original_name="scores.xlsx", status="checked", report=result.as_dict()
        )
        client.force_login(people.alice)
        with translation.override("vi"):
            page = client.get(reverse("workbook:job_detail", args=[job.pk])).content.decode()
        row = page[page.index("C1 10/03/2024 1.1") :]
        row = row[: row.index("</tr>")]
        assert "10 → 8" in row, row
        assert "→ —" not in row and "N → o" not in row and "1 → 0" not in row

    def test_a_member_moved_by_import_is_a_transfer_audited_under_both_cells(self, tree, people, tmp_path):
        from cells.models import AuditEntry, MemberTransfer
        from cells.workbook.importer import run_import
        from tests.factories import MemberFactory

        member = MemberFactory(organization=tree.cell, code="DV777", full_name="Lê Văn Chuyển")
        path = tmp_path / "members.xlsx"
        path.write_bytes(
            _workbook_bytes(
                [["org_code", "member_code", "full_name"], ["C2", "DV777", "Lê Văn Chuyển"]], title="members"
            )
        )
        result = run_import(path, user=people.alice)
        assert not result.errors, result.errors
        member.refresh_from_db()
        assert member.organization == tree.school
        transfer = MemberTransfer.objects.get(member=member)
        assert (transfer.from_organization, transfer.to_organization) == (tree.cell, tree.school)
        audited_under = set(
            AuditEntry.objects.filter(action__startswith="member").values_list("organization", flat=True)
        )
        assert {tree.cell.pk, tree.school.pk} <= audited_under

    def test_minutes_are_served_with_the_type_their_content_has(self, client, tree, people):
        import datetime

        from django.core.files.base import ContentFile

        from tests.evaluations.meetings.helpers import make_meeting

        meeting = make_meeting(tree.cell, date=datetime.date(2024, 3, 10))
        meeting.minutes_file.save("bien-ban.html", ContentFile(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"))
        client.force_login(people.sue)
        response = client.get(reverse("evaluations:meetings:minutes", args=[meeting.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert ".pdf" in response["Content-Disposition"] and ".html" not in response["Content-Disposition"]
        meeting.minutes_file.save("trick.pdf", ContentFile(b"<html><script>alert(1)</script></html>"))
        response = client.get(reverse("evaluations:meetings:minutes", args=[meeting.pk]))
        assert response["Content-Type"] == "application/octet-stream"


class TestHole7LookAlikeCodesAndDates:
    """Organisation and member codes are normalised (NFKC, upper case) and hold only A–Z, 0–9, ".", "_"
    and "-", unique whatever the case; dates lie in a sensible range, on pages and in imports alike."""

    LOOK_ALIKES = [
        "P-NTH-TDP1\u200b",  # a zero-width space
        "\u0420-NTH-TDP1",  # a Cyrillic Р
        "\u200fP-NTH-TDP1",  # a right-to-left mark
        "P NTH",  # a space
    ]

    def _create(self, client, tree, code):
        from cells.models import CellType

        residential = CellType.objects.get(code="residential").pk
        return client.post(
            reverse("cells:organization_create", args=[tree.grassroots.pk]),
            {
                "code": code,
                "name": "Chi bộ mới",
                "level": "cell",
                "cell_type": residential,
                "committee_size": 0,
                "deputy_slots": 0,
            },
        )

    def test_look_alike_organisation_codes_are_refused_on_the_page(self, client, tree, people):
        from cells.models import Organization

        client.force_login(people.alice)
        for code in self.LOOK_ALIKES:
            with translation.override("vi"):
                page = self._create(client, tree, code)
            assert page.status_code == 200 and "Mã chỉ gồm" in page.content.decode(), code
        assert not Organization.objects.filter(name="Chi bộ mới").exists()

    def test_full_width_digits_and_lower_case_are_normalised_and_duplicates_refused_whatever_the_case(
        self, client, tree, people
    ):
        from cells.models import Organization

        client.force_login(people.alice)
        assert self._create(client, tree, "p-nth-tdp\uff11").status_code == 302  # a full-width 1
        assert Organization.objects.filter(code="P-NTH-TDP1").exists()
        page = self._create(client, tree, "P-nth-TDP1")
        assert page.status_code == 200
        assert Organization.objects.filter(code__iexact="p-nth-tdp1").count() == 1

    def test_member_codes_are_normalised_by_the_service_and_the_import(self, tree, people, tmp_path):
        from django.core.exceptions import ValidationError

        from cells import services
        from cells.models import Member
        from cells.workbook.importer import run_import

        member = Member(organization=tree.cell, code="dv-0０1", full_name="Nguyễn Văn Mã")
        services.member_save(member=member, acting_user=people.alice)
        assert member.code == "DV-001"
        with pytest.raises(ValidationError):
            services.member_save(
                member=Member(organization=tree.cell, code="DV\u200b-002", full_name="Lê Thị Lạ"), acting_user=None
            )
        path = tmp_path / "members.xlsx"
        path.write_bytes(
            _workbook_bytes(
                [
                    ["org_code", "member_code", "full_name"],
                    ["c1", "dv-001", "Nguyễn Văn Mã"],  # the same member, in lower case: unchanged
                    ["C1", "\u0414V-003", "Trần Văn Kirin"],  # a Cyrillic Д
                ],
                title="members",
            )
        )
        result = run_import(path, user=people.alice)
        messages = [(e.row, e.column) for e in result.errors]
        assert messages == [(3, "member_code")], result.errors
        assert Member.objects.filter(code__iexact="dv-001").count() == 1

    def test_the_migration_normalises_stored_codes_and_stops_on_codes_equal_but_for_case(self, tree):
        import importlib

        from django.apps import apps

        from cells.models import Organization

        migration = importlib.import_module("cells.migrations.0010_codes_normalised")
        Organization.objects.filter(pk=tree.school.pk).update(code="c2-old")
        migration.normalise_codes(apps, None)
        tree.school.refresh_from_db()
        assert tree.school.code == "C2-OLD"
        # Stored before the constraint existed, two such codes stop the migration with their names.
        assert migration.codes_that_would_clash(["C2-OLD", "c2-Old", "D\uff11", "D1", "X"]) == {
            "C2-OLD": ["C2-OLD", "c2-Old"],
            "D1": ["D1", "D\uff11"],
        }

    def test_a_meeting_dated_year_0001_is_refused_on_the_page_and_in_an_import(self, client, tree, people, tmp_path):
        from cells.workbook.values import BadValue, parse_date
        from evaluations.meetings.models import Meeting

        client.force_login(people.sue)
        with translation.override("vi"):
            page = client.post(
                reverse("evaluations:meetings:create", args=[tree.cell.pk]),
                {
                    "kind": "regular",
                    "date": "0001-01-01",
                    "duration_minutes": "90",
                    "agenda-TOTAL_FORMS": "0",
                    "agenda-INITIAL_FORMS": "0",
                },
            )
        assert page.status_code == 200 and "Ngày phải trong khoảng" in page.content.decode()
        assert not Meeting.objects.exists()
        for text in ("01/01/0001", "0001-01-01", "31/12/9999"):
            with pytest.raises(BadValue):
                parse_date(text)
