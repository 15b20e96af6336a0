from django.db import migrations, models

# The codes the reports tested by name before the flag existed: stored levels keep the same behaviour.
FORMER_ATTENTION_CODES = ("trung_binh", "kem", "khong_dat")


def flag_former_codes(apps, schema_editor):
    apps.get_model("criteria", "RatingLevel").objects.filter(code__in=FORMER_ATTENTION_CODES).update(
        needs_attention=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("criteria", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="ratinglevel",
            name="needs_attention",
            field=models.BooleanField(
                default=False,
                help_text="Reports list the results at this level for follow-up.",
                verbose_name="needs attention",
            ),
        ),
        migrations.RunPython(flag_former_codes, migrations.RunPython.noop),
    ]
