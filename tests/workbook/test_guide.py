"""docs/workbook.md, the users' guide to the workbook: linked from the workbook page, read on the product's own
page, and naming every sheet of WORKBOOK v3."""

import re

from django.urls import reverse

from cells.workbook.registry import import_sheets
from cells.workbook.views import GUIDE

# The sheets of WORKBOOK.md version 3: those an import reads, then those an export writes.
WORKBOOK_V3_SHEETS = (
    "organizations", "members", "frameworks", "criteria", "rating_levels", "campaigns", "campaign_targets",
    "year_ratings", "registrations", "meetings", "meeting_scores", "annual_results", "awards", "rollup_levels",
    "reorganizations", "ranking", "campaign_results", "targets",
)  # fmt: skip


def _sections() -> dict[str, str]:
    """Each sheet's section of the guide (from its ``### `key``` heading to the next heading), by key."""
    text = GUIDE.read_text(encoding="utf-8")
    parts = re.split(r"^### `([a-z_]+)`\s*$", text, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1].split("\n## ")[0] for i in range(1, len(parts), 2)}


def test_the_guide_has_a_section_for_every_sheet_of_workbook_v3_with_its_columns_and_an_example():
    sections = _sections()
    assert list(sections) == list(WORKBOOK_V3_SHEETS)
    # Every sheet the product reads is explained, column by column, with an example table.
    for sheet in import_sheets():
        section = sections[sheet.name]
        missing = [column.key for column in sheet.columns if f"`{column.key}`" not in section]
        assert not missing, (sheet.name, missing)
        example = section.split("Ví dụ")[1]
        header = next(line for line in example.splitlines() if line.startswith("|"))
        assert [key.strip() for key in header.strip("|").split("|")][0] in {c.key for c in sheet.columns}
        assert "Lỗi hay gặp" in section, sheet.name


def test_the_workbook_page_links_to_the_guide_which_staff_read_in_the_product(client, people):
    client.force_login(people.alice)
    page = client.get(reverse("workbook:index")).content.decode()
    assert f'href="{reverse("workbook:guide")}"' in page
    guide = client.get(reverse("workbook:guide"))
    assert guide.status_code == 200
    html = guide.content.decode()
    # Rendered, not shown as markdown: headings and tables, in Vietnamese.
    assert "<h3><code data-code>meeting_scores</code></h3>" in html and "<table data-code>" in html
    assert "Tệp này cũng có điểm tự chấm của buổi sinh hoạt" in html


def test_a_secretary_does_not_reach_the_staff_guide(client, people):
    client.force_login(people.sue)
    assert client.get(reverse("workbook:guide")).status_code == 404
