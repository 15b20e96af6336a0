"""The cell types every province uses (codes fixed by the workbook contract). Boards may add more."""

from django.db import migrations

CELL_TYPES = [
    ("residential", "Chi bộ khu dân cư (thôn, bản, tổ dân phố)", 1),
    ("administrative", "Chi bộ cơ quan hành chính", 2),
    ("public_service", "Chi bộ đơn vị sự nghiệp (trường học, bệnh viện)", 3),
    ("enterprise", "Chi bộ doanh nghiệp", 4),
    ("armed_forces", "Chi bộ lực lượng vũ trang", 5),
    ("other", "Chi bộ loại hình khác", 6),
]


def add_cell_types(apps, schema_editor):
    CellType = apps.get_model("cells", "CellType")
    for code, name, order in CELL_TYPES:
        CellType.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("cells", "0001_initial")]
    operations = [migrations.RunPython(add_cell_types, migrations.RunPython.noop)]
