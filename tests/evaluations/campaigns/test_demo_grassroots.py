"""The demo's grassroots organisation (issue 23): its office's account, a year of committee meetings and two
general meetings appraised from above, and the current year's four-good plan taking cells and grassroots
organisations."""

import pytest
from django.utils import timezone

from cells.demo import build_small_province, run_extensions
from cells.models import Level, RoleAssignment
from evaluations.campaigns.demo_grassroots import OFFICE_USERNAME
from evaluations.campaigns.models import Campaign
from evaluations.campaigns.selectors import dashboard
from evaluations.meetings import selectors
from evaluations.meetings.models import Meeting, MeetingStatus
from tests.factories import ensure_migration_data


@pytest.fixture
def demo(db):
    ensure_migration_data()  # a transactional test that ran before in this process flushed it
    context = build_small_province()
    run_extensions(context)
    return context


def test_the_ward_office_has_a_year_of_meetings_appraised_from_above(demo):
    office = demo.users[OFFICE_USERNAME]
    assert OFFICE_USERNAME in demo.passwords
    ward = RoleAssignment.objects.get(user=office).organization
    assert ward.level == Level.GRASSROOTS
    meetings = list(Meeting.objects.filter(organization=ward))
    committee = [m for m in meetings if m.kind == "committee"]
    general = [m for m in meetings if m.kind == "general"]
    assert (len(committee), len(general)) == (12, 2)
    assert all(m.created_by == office and m.submitted_by == office for m in meetings)
    appraised = [m for m in meetings if m.status == MeetingStatus.APPRAISED]
    assert len(appraised) == 13 and all(m.appraised_by not in (None, office) for m in appraised)
    # The one left waiting is in the queue of the committee above, not in the office's.
    waiting = next(m for m in meetings if m.status == MeetingStatus.SUBMITTED)
    assert waiting in selectors.appraisal_queue(appraised[0].appraised_by)
    assert waiting not in selectors.appraisal_queue(office)


def test_the_current_four_good_plan_takes_cells_and_grassroots_organisations(demo):
    campaign = Campaign.objects.get(code=f"KH-TU-4T-{timezone.localdate().year}")
    levels = set(campaign.registrations.values_list("organization__level", flat=True))
    assert levels == {"grassroots", "cell"}
    targets = {(t.metric, t.org_level): t for t in dashboard(campaign).targets}
    # The ward's year is self-assessed in full and rated HTTNV: its result passes, it counts newly recognized.
    assert targets[("recognized_new", "grassroots")].actual == 1
