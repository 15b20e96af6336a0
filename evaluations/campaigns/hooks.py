"""The campaign part of the evaluations app hooks itself up here (imported from EvaluationsConfig.ready):
its workbook sheets, its demo data, its Celery tasks, and the check that freezes a framework a campaign uses."""

from django.utils.translation import gettext_lazy as _

from cells.audit_history import Change, register_audit_key, register_audit_summary
from cells.models import CellType
from cells.summaries import register_rebuilder
from cells.templatetags.labels import number_text
from criteria.models import Comparator, register_usage_check
from criteria.selectors import LEVEL_LABELS

from . import demo, demo_grassroots, four_good, rights, sheets, tasks  # noqa: F401
from .models import Outcome, TargetMetric, YearRatingCode
from .rules import TargetProgress
from .selectors import target_label


@register_usage_check
def framework_used_by_campaigns(framework) -> bool:
    from .models import Campaign, Registration

    return (
        Campaign.objects.filter(framework=framework).exists()
        or Registration.objects.filter(framework=framework).exists()
    )


# --- How the campaign's audit entries read (cells/audit_history.py) --------------------------------


def _target_summary(before: dict, after: dict) -> list[Change]:
    """ "chỉ tiêu “Tỷ lệ chi bộ tham gia đạt (%) ≥ 90”", from what it was when it was set before."""
    metric = after.get("metric", "")
    try:
        names = dict(CellType.objects.values_list("code", "name")) if after.get("cell_type") else {}
        label = target_label(
            TargetProgress(
                metric=metric,
                cell_type=after.get("cell_type") or "",
                comparator=after.get("comparator", ""),
                value=0,
                actual=0,
                met=False,
                org_level=after.get("org_level") or "",
                rating=after.get("rating") or "",
                due_year=after.get("due_year"),
            ),
            names,
        )
    except ValueError:  # a metric or level no longer known reads by its code, as stored
        label = metric

    def words(values: dict) -> str:
        if not values.get("comparator"):
            return ""
        sign = dict(Comparator.choices).get(values["comparator"], values["comparator"])
        return f"{label} {sign} {number_text(values.get('value', ''))}".strip()

    return [Change(field=str(_("target")), before=words(before), after=words(after))]


register_audit_summary("campaign.target", _target_summary)
register_audit_key("level", _("level"), LEVEL_LABELS, action="annual.confirm")
register_audit_key("status", _("recognition status"), dict(Outcome.choices), action="annual.confirm")
register_audit_key("year_rating", _("year-end rating"), dict(YearRatingCode.choices))
register_audit_key("metric", _("target"), dict(TargetMetric.choices))
register_audit_key("criterion", _("criterion"))
register_audit_key("campaign", _("plan"))
register_audit_key("cells", _("cells recognized"), action="recognition.decide")
register_audit_key("decided_by", _("signed by"), action="recognition.decide")
register_audit_key("eligible", _("meets the conditions to register"))
register_audit_key("maintaining", _("cells keeping the title"))
register_audit_key("from", _("carried over from"))
register_audit_key("self_achieved", _("achieved (self-assessed)"))
register_audit_key("actual", _("result reached"))


# --- The campaigns' summaries in `manage.py rebuild_summaries` (cells/summaries.py) -------------------


def _rebuild_campaign_summaries() -> str:
    from .services.summaries import campaign_summaries_rebuild

    return f"{campaign_summaries_rebuild()} campaigns' standings"


register_rebuilder("campaign standings", _rebuild_campaign_summaries)
