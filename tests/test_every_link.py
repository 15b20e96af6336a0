"""Every demo persona follows every link it can reach, and every page speaks the officers' language.

The demo province `make run` loads (cells.demo + every app's extension, and the reports it queues) is
built once for the module. Each persona of the demo starts at the home page and follows the links of
each page it reaches (GET, this site only, a bounded number of each kind of page). The test fails on:

- any error status (4xx, 5xx) of a page or a download it links to;
- a rule code in a page's visible text: the values of the product's choices (levels, ratings, statuses,
  outcomes, metrics, meeting kinds...), the codes of the rating and roll-up levels of the frameworks, the
  cell types and the report kinds — collected from the models and tables, not listed by hand;
- an English word of the product's own msgids that no translation uses;
- an ISO date (2026-12-07) or a period code (2026-Q3, Q1–Q4, 2026-H1, 2026-12).

Codes may appear where a user edits them (the framework editor, the workbook's help), marked as such:
the text of an element with a ``data-code`` attribute is not checked (``<code data-code>...</code>``).
"""

import datetime
import html
import re
from collections import Counter, defaultdict
from urllib.parse import urldefrag, urlsplit

import polib
import pytest
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from django.urls import Resolver404, resolve
from lxml import html as lxml_html

from cells.demo import SMALL_USERS, build_small_province, run_extensions
from reports.services import report_runs_queue_demo
from tests.conftest import built_once
from tests.factories import ensure_migration_data
from tests.test_i18n import PO

# How many pages of one kind (URL name, with or without a query) each persona opens: the first two are
# enough to catch a template that prints a code, and keep the module's run short.
PER_KIND = 2
PER_PERSONA = 400
# Where the crawler does not go: the superuser's admin (Django's, for developers) and the static files.
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/")
# Links that are not pages to read: leaving, and the installable app's own files.
SKIPPED_NAMES = {"logout", "service_worker", "manifest"}

URL = re.compile(r"https?://\S+")
PLACEHOLDER = re.compile(r"\{\w+\}")
ISO_DATE = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")
PERIOD_CODE = re.compile(r"(?<![\w-])(?:\d{4}-(?:Q[1-4]|H[12]|\d{2})|Q[1-4](?:\s*[–-]\s*Q[1-4])?|H[12])(?![\w-])")
WORD = re.compile(r"[^\W\d_]+(?:_[^\W\d_]+)*|[<>]=?|=", re.UNICODE)


WRITTEN_AS_PEOPLE_DO: set[str] = set()


def _choice_codes() -> set[str]:
    """The values of every choices class of the product's models (levels, statuses, kinds...)."""
    codes = set()
    seen = set()

    def visit(cls):
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                if sub.__module__.split(".")[0] in {"cells", "criteria", "evaluations", "reports", "ops"}:
                    # A value that is its own label (the signs > < =) is what people write, not a code.
                    codes.update(str(value) for value, label in sub.choices if str(value) != str(label))
                visit(sub)

    visit(models.Choices)
    return codes - WRITTEN_AS_PEOPLE_DO


def _written_as_people_do() -> set[str]:
    """Values of choices that are the officers' own words, not codes: the year ratings' abbreviations
    (HTXSNV, HTTNV... as the Party's documents write them, DOMAIN.md) and the file formats (PDF, Excel)."""
    from evaluations.campaigns.models import YearRatingCode
    from reports.models import ReportFormat

    return {str(value) for value in [*YearRatingCode.values, *ReportFormat.values]}


def _table_codes() -> set[str]:
    from cells.models import CellType
    from criteria.models import RatingLevel, RollupLevel
    from reports.registry import all_kinds

    codes = set(RatingLevel.objects.values_list("code", flat=True))
    codes |= set(RollupLevel.objects.values_list("code", flat=True))
    codes |= set(CellType.objects.values_list("code", flat=True))
    codes |= {kind.code for kind in all_kinds()}
    return codes


def _english_words() -> set[str]:
    """Words of the msgids (English) that no Vietnamese translation uses: seen on a page, they leaked."""
    catalogue = polib.pofile(str(PO))
    english, vietnamese = set(), set()
    for entry in catalogue:
        if entry.obsolete:
            continue
        ids = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        strs = [entry.msgstr, *entry.msgstr_plural.values()]
        for text in ids:
            english.update(w.lower() for w in re.findall(r"[A-Za-z]{3,}", re.sub(r"%\(\w+\)s|\{\w+\}", "", text)))
        for text in strs:
            vietnamese.update(w.lower() for w in re.findall(r"[^\W\d_]+", re.sub(r"%\(\w+\)s|\{\w+\}|--\w+", "", text)))
    return english - vietnamese


class Forbidden:
    def __init__(self):
        global WRITTEN_AS_PEOPLE_DO
        WRITTEN_AS_PEOPLE_DO = _written_as_people_do()
        codes = {c for c in _choice_codes() | _table_codes() if c}
        self.codes = {c.lower() for c in codes}
        self.english = _english_words() - self.codes

    def findings(self, text: str) -> list[str]:
        # An address shown to copy is no prose; nor is a {field} of a template a user writes (the minutes').
        text = PLACEHOLDER.sub(" ", URL.sub(" ", text))
        found = []
        for token in WORD.findall(text):
            low = token.lower()
            if low in self.codes:
                found.append(f"code {token!r}")
            elif low in self.english:
                found.append(f"English {token!r}")
        found += [f"ISO date {m!r}" for m in ISO_DATE.findall(text)]
        found += [f"period code {m!r}" for m in PERIOD_CODE.findall(text)]
        return found


def visible_text(document) -> str:
    """The text a reader sees: no scripts, styles, templates, hidden inputs or elements marked data-code;
    with the values of the text fields and the placeholders, which a reader sees too."""
    for element in document.xpath("//script|//style|//template|//noscript|//*[@data-code]|//head"):
        element.drop_tree() if element.getparent() is not None else None
    parts = [document.text_content()]
    for field in document.xpath("//input[not(@type) or @type='text' or @type='search' or @type='number']"):
        parts.append(field.get("value") or "")
        parts.append(field.get("placeholder") or "")
    for element in document.xpath("//*[@title]|//*[@aria-label]"):
        parts.append(element.get("title") or "")
        parts.append(element.get("aria-label") or "")
    title = document.xpath("//title")
    return "\n".join(parts) + ("\n" + title[0].text_content() if title else "")


def _kind(url: str) -> tuple:
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return (parts.path,)
    return (match.view_name, bool(parts.query))


def _links(document, base: str) -> list[str]:
    links = []
    for href in document.xpath("//a/@href"):
        href = urldefrag(html.unescape(href.strip()))[0]
        if not href or href.startswith(("mailto:", "tel:", "javascript:")):
            continue
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            if parts.netloc not in {"testserver", ""}:
                continue
            href = parts.path + (f"?{parts.query}" if parts.query else "")
        elif not href.startswith("/"):
            href = base.rsplit("/", 1)[0] + "/" + href if not href.startswith("?") else urlsplit(base).path + href
        links.append(href)
    return links


def crawl(client: Client, forbidden: Forbidden) -> tuple[list[str], int]:
    problems: list[str] = []
    seen: set[str] = set()
    per_kind: Counter = Counter()
    queue = ["/"]
    opened = 0
    while queue and opened < PER_PERSONA:
        url = queue.pop(0)
        if url in seen or url.startswith(SKIPPED_PREFIXES):
            continue
        seen.add(url)
        kind = _kind(url)
        if kind[0] in SKIPPED_NAMES or per_kind[kind] >= PER_KIND:
            continue
        per_kind[kind] += 1
        response = client.get(url)
        opened += 1
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        if response.status_code >= 400:
            problems.append(f"{url}: status {response.status_code}")
            continue
        if response.streaming:
            b"".join(response.streaming_content)  # read to the end: the test client then closes the file
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            continue  # a download: its status is what is checked
        document = lxml_html.document_fromstring(response.content.decode())
        queue.extend(link for link in _links(document, url) if link not in seen)
        for finding in dict.fromkeys(forbidden.findings(visible_text(document))):
            problems.append(f"{url}: {finding}")
    return problems, opened


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    def build():
        ensure_migration_data()  # a transactional test that ran before in this process flushed it
        context = build_small_province()
        run_extensions(context)
        report_runs_queue_demo(province=context.province)
        return context

    with built_once(django_db_blocker, build) as context:
        yield context


@pytest.fixture(scope="module")
def forbidden(demo, django_db_blocker):
    with django_db_blocker.unblock():
        return Forbidden()


def test_the_forbidden_lists_hold_what_they_must(forbidden):
    """The lists come from the models: the codes the issue saw on pages are in them, Vietnamese is not."""
    assert {"kha", "tot", "trung_binh", "dat", "khong_dat", "recognized_new", "passed_share"} <= forbidden.codes
    assert {"level", "criterion", "eligible"} <= forbidden.english
    text = "92,20 · kha — Quý IV/2026, 2026-Q3, Q1–Q4, 07/12/2026, 2026-12-07, Chi bộ Tổ dân phố"
    assert forbidden.findings(text) == [
        "code 'kha'",
        "ISO date '2026-12-07'",
        "period code '2026-Q3'",
        "period code 'Q1–Q4'",
    ]
    document = lxml_html.document_fromstring(
        "<html><body><p>Mức <code data-code>kha</code> Khá</p><script>var x='dat'</script></body></html>"
    )
    assert forbidden.findings(visible_text(document)) == []


@pytest.mark.parametrize("username", [username for username, *_rest in SMALL_USERS])
def test_every_page_a_persona_reaches_speaks_vietnamese(username, demo, forbidden, db):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    problems, opened = crawl(client, forbidden)
    assert opened > 5, f"{username} reached only {opened} pages"
    by_page = defaultdict(list)
    for problem in problems:
        page, _sep, finding = problem.rpartition(": ")
        by_page[page].append(finding)
    assert not problems, f"{username}: {len(by_page)} pages\n" + "\n".join(
        f"{page}: {', '.join(findings)}" for page, findings in by_page.items()
    )


# --- The reports: every kind's document (what the PDF prints and the Excel sheets hold) -------------------


def _document_text(document) -> str:
    """The document's words: header, headings, paragraphs, captions, column titles and cells (a table's sheet
    name is the Excel tab's, not prose)."""
    parts = [document.header.doc_type, document.header.title, document.header.subtitle]
    for section in document.sections:
        parts.append(section.heading)
        for block in section.blocks:
            if hasattr(block, "text"):
                parts.append(block.text)
                continue
            parts += [block.caption, block.empty_text, *(str(column.title) for column in block.columns)]
            for row in [*block.rows, *([block.total] if block.total else [])]:
                parts += [str(cell) for cell in row if isinstance(cell, str)]
    return "\n".join(str(part) for part in parts)


def test_every_report_kind_prints_labels_not_codes(demo, forbidden, db):
    """Each kind, for the province and a city, for a period of its first kind that holds the demo's data."""
    from django.utils import translation

    from cells.models import RoleAssignment
    from cells.periods import last_ended
    from reports.building import build_document
    from reports.registry import all_kinds

    today = datetime.date.today()
    problems = []
    staff = RoleAssignment.objects.filter(user__username__in=["canbo.tinh", "canbo.thanhpho"], valid_to=None)
    for organization in {assignment.organization for assignment in staff.select_related("organization")}:
        code = organization.code
        for kind in all_kinds():
            if not kind.applies_to(organization):
                continue
            period = last_ended(kind.periods[0], today)
            with translation.override("vi"):
                document = build_document(kind_code=kind.code, organization=organization, period=period, fields={})
                text = _document_text(document)
            problems += [f"{kind.code} {code} {period.code}: {f}" for f in dict.fromkeys(forbidden.findings(text))]
    assert not problems, "\n".join(problems)
