"""Load benchmark: the last evening of the month, when every secretary of a province submits at once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chibo_load REDIS_URL=redis://127.0.0.1:6379/4 \\
        flock /tmp/chibo-heavy.lock .venv/bin/python bench/bench_load.py          # 5,000 cells, 200 secretaries
    ... bench/bench_load.py --quick                                             # under two minutes

On PostgreSQL and Redis, with gunicorn as deploy/ runs it (production settings, as many workers as the
machine has cores) and a make_demo province (the database, whose name must start with chibo_, is
dropped and built again unless --reuse):

- SECRETARIES secretaries at once each open the login page, log in, open the meeting form of their cell,
  record this month's regular meeting (attendance of the whole roster), open the score form and submit
  the self-assessed score (every item at its maximum);
- SUPERVISORS supervisors, each responsible for the cells of one grassroots organisation among them,
  log in and appraise the meetings as they arrive in their queue;
- STAFF organizing staff log in and open the meeting list, the ranking, the campaign page and the
  dashboard, round after round, while the secretaries work.

Every answer is checked (status, redirect target, the page being the expected one); a refused form
counts as an error. Afterwards the database must hold exactly the meetings recorded and appraised.
Prints p50/p95 per step, requests per second, the load average, and ends with one line
``load: N requests, E errors, p95 X ms, R req/s``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from httpbench import (  # noqa: E402
    BENCH_PASSWORD,
    Client,
    FormParser,
    Recorder,
    Server,
    build_database,
    loadavg,
    percentile,
    require_postgres,
)

APPRAISE_LINK = re.compile(r'href="/evaluations/meetings/(\d+)/appraise/"')
ERROR_TEXT = re.compile(r'class="(?:alert alert-danger|invalid-feedback)[^"]*"[^>]*>(.*?)</', re.S)


@dataclass
class Plan:
    """Who does what: cells with their secretaries, the supervisors and their cells, staff, the campaign."""

    cells: list[tuple[int, str]]  # (cell id, secretary username)
    supervisors: dict[str, set[int]]  # username -> cell ids among those above
    staff: list[str]
    campaign: int


def make_plan(secretaries: int, supervisors: int, staff: int) -> Plan:
    """Grassroots organisations whose cells have no regular meeting yet this month, with their people."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    from django.db.models import Count

    from cells.models import Level, Organization, Role, RoleAssignment
    from evaluations.campaigns.models import Campaign
    from evaluations.meetings.models import Meeting, MeetingKind

    today = datetime.date.today()
    taken = Meeting.objects.filter(year=today.year, month=today.month, kind=MeetingKind.REGULAR).values("organization")
    per_supervisor = -(-secretaries // supervisors)
    cells: list[tuple[int, str]] = []
    chosen: dict[str, set[int]] = {}
    grassroots = Organization.objects.filter(level=Level.GRASSROOTS, code__startswith="BM-").order_by("code")
    for committee in grassroots:
        free = list(
            Organization.objects.filter(parent=committee, level=Level.CELL)
            .exclude(pk__in=taken)
            .order_by("code")
            .values_list("pk", "code")[:per_supervisor]
        )
        if len(free) < per_supervisor:
            continue
        supervisor = f"bm.sup.{committee.code.lower()}"
        chosen[supervisor] = set()
        for pk, code in free[: secretaries - len(cells)]:
            cells.append((pk, f"bm.sec.{code.lower()}"))
            chosen[supervisor].add(pk)
        if len(cells) >= secretaries or len(chosen) >= supervisors:
            break
    if len(cells) < secretaries:
        sys.exit(f"only {len(cells)} cells without this month's meeting under {len(chosen)} supervisors")
    staff_users = ["bm.staff"] + list(
        RoleAssignment.objects.filter(
            role=Role.STAFF, organization__level=Level.DISTRICT, user__username__startswith="bm."
        )
        .order_by("organization__code")
        .values_list("user__username", flat=True)[: max(staff - 1, 0)]
    )
    campaign = Campaign.objects.annotate(n=Count("registrations")).order_by("-n").values_list("pk", flat=True)[0]
    return Plan(cells, chosen, staff_users[:staff], campaign)


# --- The people ------------------------------------------------------------------------------------


class Person:
    def __init__(self, port: int, username: str, recorder: Recorder):
        self.client = Client(port)
        self.username = username
        self.recorder = recorder

    def step(self, name: str, method: str, path: str, data: dict | None = None, *, expect: int, to: str = ""):
        try:
            response = self.client.get(path) if method == "GET" else self.client.post(path, data or {})
        except Exception as exc:  # noqa: BLE001 - a dropped connection is an error to count, not a crash
            self.recorder.error(name, f"{self.username}: {type(exc).__name__}: {exc}")
            return None
        self.recorder.add(name, response.ms)
        problem = ""
        if response.status != expect:
            found = ERROR_TEXT.findall(response.body)
            problem = f"{response.status} (expected {expect}) {' | '.join(s.strip() for s in found)[:200]}"
        elif to and to not in response.location:
            problem = f"redirected to {response.location}, expected {to}"
        if problem:
            self.recorder.error(name, f"{self.username} {method} {path}: {problem}")
            return None
        return response

    def login(self) -> bool:
        if self.step("login page", "GET", "/login/", expect=200) is None:
            return False
        return (
            self.step("log in", "POST", "/login/", {"username": self.username, "password": BENCH_PASSWORD}, expect=302)
            is not None
        )


def _form(html: str, form_id: str) -> tuple[dict, dict]:
    parser = FormParser(form_id)
    parser.feed(html)
    return dict(parser.fields), parser.maxima


def secretary(port: int, cell: int, username: str, recorder: Recorder, start: threading.Barrier) -> None:
    person = Person(port, username, recorder)
    start.wait()
    if not person.login():
        return
    form_page = person.step("meeting form", "GET", f"/evaluations/meetings/record/{cell}/", expect=200)
    if form_page is None:
        return
    fields, _maxima = _form(form_page.body, "meeting-form")
    today = datetime.date.today()
    fields.update(
        {
            "kind": "regular",
            "date": today.isoformat(),
            "subject": f"Sinh hoạt thường kỳ tháng {today.month:02d}/{today.year}",
            "duration_minutes": "90",
            "minutes_text": "Chi bộ quán triệt nghị quyết, đánh giá công việc tháng, biểu quyết nhiệm vụ tháng tới.",
            "agenda-0-title": "Nhiệm vụ tháng tới",
            "agenda-0-votes_for": "12",
        }
    )
    recorded = person.step(
        "record meeting", "POST", f"/evaluations/meetings/record/{cell}/", fields, expect=302, to="/assess/"
    )
    if recorded is None:
        return
    score_path = recorded.location
    score_page = person.step("score form", "GET", score_path, expect=200)
    if score_page is None:
        return
    fields, maxima = _form(score_page.body, "score-form")
    for name, maximum in maxima.items():
        fields[name] = maximum  # every item at full marks
    fields["submit"] = "1"
    person.step("submit score", "POST", score_path, fields, expect=302)
    person.client.close()


def supervisor(
    port: int, username: str, expected: int, recorder: Recorder, start: threading.Barrier, deadline: float
) -> None:
    person = Person(port, username, recorder)
    start.wait()
    if not person.login():
        return
    appraised: set[str] = set()
    while len(appraised) < expected and time.monotonic() < deadline:
        queue = person.step("appraisal queue", "GET", "/evaluations/meetings/queue/", expect=200)
        waiting = [pk for pk in APPRAISE_LINK.findall(queue.body) if pk not in appraised] if queue else []
        if not waiting:
            time.sleep(2)
            continue
        for pk in waiting:
            path = f"/evaluations/meetings/{pk}/appraise/"
            page = person.step("appraisal form", "GET", path, expect=200)
            if page is None:
                continue
            fields, _maxima = _form(page.body, "score-form")
            fields["note"] = "Buổi sinh hoạt đúng quy trình."
            if person.step("appraise", "POST", path, fields, expect=302) is not None:
                appraised.add(pk)
    if len(appraised) < expected:
        recorder.error("appraise", f"{username}: appraised {len(appraised)} of {expected} before the deadline")
    person.client.close()


def staff(port: int, username: str, plan: Plan, recorder: Recorder, start: threading.Barrier, done) -> None:
    person = Person(port, username, recorder)
    start.wait()
    if not person.login():
        return
    pages = [
        ("meeting list", "/evaluations/meetings/"),
        ("ranking", "/evaluations/meetings/ranking/"),
        ("campaign page", f"/evaluations/campaigns/{plan.campaign}/"),
        ("dashboard", "/reports/dashboard/"),
    ]
    for _round in range(50):  # bounded; stops when the secretaries are done
        for name, path in pages:
            person.step(name, "GET", path, expect=200)
        if done.is_set():
            break
    person.client.close()


# --- The run ---------------------------------------------------------------------------------------


def check_database(plan: Plan) -> tuple[int, int]:
    from evaluations.meetings.models import Meeting, MeetingStatus

    today = datetime.date.today()
    mine = Meeting.objects.filter(organization_id__in=[c for c, _u in plan.cells], year=today.year, month=today.month)
    return mine.count(), mine.filter(status=MeetingStatus.APPRAISED).count()


def run(plan: Plan, port: int) -> tuple[Recorder, float]:
    recorder = Recorder()
    people = len(plan.cells) + len(plan.supervisors) + len(plan.staff)
    start = threading.Barrier(people + 1)
    secretaries_done = threading.Event()
    deadline = time.monotonic() + 15 * 60
    threads = [
        threading.Thread(target=secretary, args=(port, cell, user, recorder, start)) for cell, user in plan.cells
    ]
    helpers = [
        threading.Thread(target=supervisor, args=(port, username, len(cells), recorder, start, deadline))
        for username, cells in plan.supervisors.items()
    ] + [threading.Thread(target=staff, args=(port, u, plan, recorder, start, secretaries_done)) for u in plan.staff]
    for thread in threads + helpers:
        thread.start()
    start.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join()
    secretaries_done.set()
    for thread in helpers:
        thread.join()
    return recorder, time.monotonic() - started


STEPS = [
    "login page", "log in", "meeting form", "record meeting", "score form", "submit score",
    "appraisal queue", "appraisal form", "appraise", "meeting list", "ranking", "campaign page", "dashboard",
]  # fmt: skip


def report(recorder: Recorder, elapsed: float) -> None:
    print(f"{'step':<16} {'requests':>8} {'p50 ms':>9} {'p95 ms':>9} {'errors':>6}")
    for step in STEPS:
        times = recorder.times.get(step, [])
        print(
            f"{step:<16} {len(times):8d} {percentile(times, 50):9.0f} {percentile(times, 95):9.0f} "
            f"{len(recorder.errors.get(step, [])):6d}"
        )
    for step, errors in recorder.errors.items():
        for error in errors[:3]:
            print(f"  error in {step}: {error}")
    total = recorder.requests
    print(
        f"load: {total} requests, {recorder.error_count} errors, p95 {percentile(recorder.all_times(), 95):.0f} ms, "
        f"{total / elapsed:.1f} req/s"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="500 cells, 40 secretaries, 4 supervisors, 2 staff")
    parser.add_argument("--cells", type=int, default=5000)
    parser.add_argument("--secretaries", type=int, default=200)
    parser.add_argument("--supervisors", type=int, default=20)
    parser.add_argument("--staff", type=int, default=5)
    parser.add_argument("--port", type=int, default=8116)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--reuse", action="store_true", help="keep the database (its cells must be free this month)")
    args = parser.parse_args()
    if args.quick:
        args.cells, args.secretaries, args.supervisors, args.staff = 500, 40, 4, 2
    url = require_postgres()
    print(f"load average at the start: {loadavg()}")
    if not args.reuse:
        seconds = build_database(url, cells=args.cells)
        print(f"built a {args.cells}-cell province in {seconds:.0f} s")
    plan = make_plan(args.secretaries, args.supervisors, args.staff)
    server = Server(args.port, args.workers).start()
    try:
        print(
            f"gunicorn: {args.workers} workers. {len(plan.cells)} secretaries, {len(plan.supervisors)} supervisors, "
            f"{len(plan.staff)} staff, all at once"
        )
        recorder, elapsed = run(plan, args.port)
    finally:
        server.stop()
    recorded, appraised = check_database(plan)
    print(f"in {elapsed:.1f} s; load average at the end: {loadavg()}")
    print(f"database: {recorded} of {len(plan.cells)} meetings recorded, {appraised} appraised")
    if recorded != len(plan.cells) or appraised != len(plan.cells):
        recorder.error("database", f"{recorded} recorded and {appraised} appraised of {len(plan.cells)}")
    report(recorder, elapsed)
    return 0 if recorder.error_count == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
