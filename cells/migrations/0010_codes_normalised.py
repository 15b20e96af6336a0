"""Organisation and member codes: normalised, unique whatever the case (issue 22, look-alike codes).

Before the constraints, the stored codes are brought to the form every write now gives them (NFKC,
upper case). Two codes that differ only in case (or by full-width digits) would become one: the
migration then stops and names them, for an administrator to rename one of each pair first. Codes
with other characters (spaces, other alphabets) are left as they are: the next edit asks for a valid one.
"""

import cells.text
import django.db.models.functions.text
from django.db import migrations, models

from cells.text import normalize_code


def codes_that_would_clash(codes) -> dict[str, list[str]]:
    """The stored codes that normalise to one code: {normalised: [stored, ...]}."""
    by_normal: dict[str, list[str]] = {}
    for code in codes:
        by_normal.setdefault(normalize_code(code), []).append(code)
    return {normal: sorted(found) for normal, found in by_normal.items() if len(found) > 1}


def normalise_codes(apps, schema_editor) -> None:
    for model_name in ("Organization", "Member"):
        model = apps.get_model("cells", model_name)
        rows = list(model.objects.values_list("pk", "code"))
        clashes = codes_that_would_clash(code for _pk, code in rows)
        if clashes:
            listed = "; ".join(f"{normal}: {', '.join(codes)}" for normal, codes in sorted(clashes.items()))
            raise RuntimeError(
                f"{model_name} codes that differ only in case or width; rename one of each before migrating: {listed}"
            )
        for pk, code in rows:
            if normalize_code(code) != code:
                model.objects.filter(pk=pk).update(code=normalize_code(code))


class Migration(migrations.Migration):

    dependencies = [
        ('cells', '0009_client_writes'),
    ]

    operations = [
        migrations.RunPython(normalise_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='member',
            name='code',
            field=models.CharField(max_length=50, unique=True, validators=[cells.text.validate_code], verbose_name='member code'),
        ),
        migrations.AlterField(
            model_name='organization',
            name='code',
            field=models.CharField(max_length=50, unique=True, validators=[cells.text.validate_code], verbose_name='code'),
        ),
        migrations.AddConstraint(
            model_name='member',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Upper('code'), name='member_code_unique_any_case', violation_error_message='A member with this code (in any case) exists already.'),
        ),
        migrations.AddConstraint(
            model_name='organization',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Upper('code'), name='organization_code_unique_any_case', violation_error_message='An organisation with this code (in any case) exists already.'),
        ),
    ]
