"""The one registry of audit labels: how every audited action reads on a page, in the user's language.

Every code an ``audit_record`` (or a bulk audit) writes has its label here; ``tests/test_audit_labels.py``
reads the source for the codes and fails on one without a label. Codes built from a value
(``f"registration.{decision}"``) list their values in :data:`FAMILY_VALUES`.
"""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTION_LABELS: dict[str, str] = {
    # The tree, rosters, officers and roles
    "organization.create": _("Organisation created"),
    "organization.update": _("Organisation changed"),
    "organization.rename": _("Organisation renamed"),
    "organization.move": _("Organisation moved"),
    "organization.merge": _("Organisation merged"),
    "organization.dissolve": _("Organisation dissolved"),
    "member.create": _("Member added"),
    "member.update": _("Member changed"),
    "members.import": _("Members imported from a workbook"),
    "officer.appoint": _("Officer appointed"),
    "officer.end": _("Officer's term ended"),
    "role.assign": _("Role assigned"),
    "role.end": _("Role ended"),
    # Accounts
    "auth.login": _("Logged in"),
    "auth.login_failed": _("Failed login"),
    "auth.password_change": _("Password changed"),
    "auth.unlock": _("Account unlocked"),
    # Criteria frameworks
    "framework.create": _("Criteria framework created"),
    "framework.update": _("Criteria framework changed"),
    "framework.publish": _("Criteria framework published"),
    "framework.retire": _("Criteria framework retired"),
    "framework.delete": _("Criteria framework deleted"),
    "framework.new_version": _("New version of a criteria framework"),
    "criterion.create": _("Criterion added"),
    "criterion.update": _("Criterion changed"),
    "criterion.move": _("Criterion moved up or down"),
    "criterion.reparent": _("Criterion moved under another"),
    "criterion.delete": _("Criterion deleted"),
    "rating_level.create": _("Rating level added"),
    "rating_level.update": _("Rating level changed"),
    "rating_level.delete": _("Rating level deleted"),
    "rollup_level.create": _("Roll-up level added"),
    "rollup_level.update": _("Roll-up level changed"),
    "rollup_level.delete": _("Roll-up level deleted"),
    # Meetings, supervision, guidance
    "meeting.create": _("Meeting recorded"),
    "meeting.update": _("Meeting changed"),
    "meeting.self_assess": _("Meeting self-assessed"),
    "meeting.submit": _("Meeting submitted for appraisal"),
    "meeting.appraise": _("Meeting appraised"),
    "meeting.reopen": _("Meeting reopened"),
    "meeting.import_scores": _("Meeting scores imported from a workbook"),
    "meeting.prepare": _("Meeting preparation steps ticked"),
    "meeting.minutes": _("Meeting minutes written"),
    "meeting.minutes_filed": _("Signed meeting minutes attached"),
    "meeting.votes": _("Votes on the meeting's items recorded"),
    "meeting.agenda_add": _("Items put in the meeting's draft resolution"),
    "preparation_step.save": _("Meeting preparation step saved"),
    "preparation_step.remove": _("Meeting preparation step removed"),
    "minutes_template.save": _("Wording of the minutes changed"),
    "supervision.assign": _("Supervisor assigned"),
    "supervision.end": _("Supervision ended"),
    "supervision_team.create": _("Supervision team created"),
    "guidance.send_up": _("Content guidance sent up to the committee above"),
    "guidance.issue": _("Meeting-content guidance issued"),
    "model_meeting.designate": _("Cell designated for a model meeting"),
    "thematic_plan.add": _("Thematic meeting planned"),
    "thematic_plan.remove": _("Thematic meeting removed from the plan"),
    # Campaigns, registrations, annual results, recognition
    "campaign.create": _("Yearly plan created"),
    "campaign.update": _("Yearly plan changed"),
    "campaign.target": _("Target set"),
    "campaign.milestone": _("Milestone added"),
    "campaign.milestone_done": _("Milestone done"),
    "campaign.steering": _("Steering committee member added"),
    "campaign.carry_over": _("Cells recognized last year carried over"),
    "year_rating.set": _("Year-end rating recorded"),
    "registration.submit": _("Registration submitted"),
    "registration.resubmit": _("Registration submitted again"),
    "registration.approve": _("Registration approved"),
    "registration.return": _("Registration returned for completion"),
    "registration.reject": _("Registration rejected"),
    "registration.import": _("Registration imported from a workbook"),
    "registration.propose": _("Registrations proposed by the grassroots committee"),
    "registration.approve_list": _("Grassroots committee's list of registrations approved"),
    "annual.self": _("Self-assessment of a criterion"),
    "annual.self_submit": _("Self-assessment submitted"),
    "annual.evidence": _("Evidence uploaded"),
    "annual.appraise": _("Criterion appraised"),
    "annual.confirm": _("Annual result confirmed"),
    "annual.reopen": _("Annual result reopened"),
    "annual.import": _("Annual result imported from a workbook"),
    "recognition.decide": _("Recognition decision recorded"),
    "award.commendation": _("Commendation recorded"),
    "award.reward": _("Reward recorded"),
    "award.support": _("Support for the cultural house recorded"),
    # Reports
    "report.request": _("Report requested"),
    "report.retry": _("Report queued again"),
}

# Action codes built from a value: the values each family takes (checked against the labels above).
FAMILY_VALUES: dict[str, tuple[str, ...]] = {
    "registration.": ("approve", "return", "reject"),
    "award.": ("commendation", "reward", "support"),
}


def action_label(code: str) -> str:
    """The label of ``code``; a code without one shows as itself (the test keeps that from happening)."""
    return str(AUDIT_ACTION_LABELS.get(code, code))


def action_choices() -> list[tuple[str, str]]:
    """(code, label) pairs for a filter's drop-down, sorted by label."""
    return sorted(((code, str(label)) for code, label in AUDIT_ACTION_LABELS.items()), key=lambda pair: pair[1])
