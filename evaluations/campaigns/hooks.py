"""The campaign part of the evaluations app hooks itself up here (imported from EvaluationsConfig.ready):
its workbook sheets, its demo data, its Celery tasks, and the check that freezes a framework a campaign uses."""

from criteria.models import register_usage_check

from . import demo, demo_grassroots, four_good, rights, sheets, tasks  # noqa: F401


@register_usage_check
def framework_used_by_campaigns(framework) -> bool:
    from .models import Campaign, Registration

    return (
        Campaign.objects.filter(framework=framework).exists()
        or Registration.objects.filter(framework=framework).exists()
    )
