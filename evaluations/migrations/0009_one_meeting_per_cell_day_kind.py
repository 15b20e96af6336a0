"""One meeting per cell, day and kind: the key a workbook names a meeting by (issue 22, hole 6).

Meetings recorded before the rule may break it (two thematic meetings of a cell on one day). The rows
cannot be merged by a migration (each has its own minutes, attendance and score), so the migration
stops and names them; a staff member then moves one of each pair to its real date (or deletes a
duplicate) and runs the migration again."""

from django.db import migrations, models
from django.db.models import Count


def refuse_duplicates(apps, schema_editor):
    Meeting = apps.get_model("evaluations", "Meeting")
    duplicates = (
        Meeting.objects.values("organization__code", "date", "kind")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("organization__code", "date", "kind")
    )
    if duplicates:
        listed = "; ".join(f"{d['organization__code']} {d['date']:%d/%m/%Y} {d['kind']} ({d['n']})" for d in duplicates)
        raise RuntimeError(
            "Several meetings of one cell share a day and kind; give each its real date first: " + listed
        )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0008_meeting_self_assessors"),
    ]

    operations = [
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.UniqueConstraint(
                fields=("organization", "date", "kind"), name="one_meeting_per_cell_day_kind"
            ),
        ),
    ]
