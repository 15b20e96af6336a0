"""The home page's briefing for leadership and staff: their committee's own figures first.

For one committee and one year: meeting quality this year against the year before (a chart), each
current campaign's targets with their progress, the cells needing attention in the last quarter and
why, the recognition proposals waiting for a decision, and the latest reports. Every number carries
the link to its rows. A fixed number of queries whatever the size of the subtree (pinned by a test).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import get_language

from cells.models import Organization
from cells.periods import Period, last_ended
from evaluations.campaigns import rules
from evaluations.campaigns.models import Registration
from evaluations.meetings.ranking_cache import cached_ranking, ranking_stamp

from .dashboard import _levels, _targets, rows_url, subtree_figures
from .kinds.meetings import attention_reasons
from .selectors import runs_visible_to

ATTENTION_LIMIT = 10
# The attention list reads a whole quarter's ranking: it is cached under the stamp of what that ranking reads,
# so a change shows at once; the timeout only lets unused lists go.
ATTENTION_CACHE_SECONDS = 24 * 3600


@dataclass
class Briefing:
    organization: Organization
    year: int
    period: Period  # the quarter the attention list reads
    quality: list[dict] = field(default_factory=list)  # per level: label, this year, last year, links
    meetings: dict = field(default_factory=dict)  # year -> scored meetings
    targets: list[dict] = field(default_factory=list)
    attention: list[dict] = field(default_factory=list)
    attention_total: int = 0
    proposals: list[dict] = field(default_factory=list)
    runs: list = field(default_factory=list)

    def chart_data(self) -> dict:
        """What static/js/dashboard.js draws in #chart-compare: levels, one series per year."""
        return {
            "compare": {
                "labels": [row["label"] for row in self.quality],
                "series": [
                    {
                        "label": str(year),
                        "data": [row["counts"][year] for row in self.quality],
                        "links": [row["links"][year] for row in self.quality],
                    }
                    for year in (self.year - 1, self.year)
                ],
            }
        }


def briefing(user, organization: Organization, year: int, today: datetime.date) -> Briefing:
    period = last_ended("quarter", today) if year == today.year else Period.parse(f"{year}-Q4")
    board = Briefing(organization=organization, year=year, period=period)
    _quality(board)
    board.targets = [_with_percent(target) for target in _targets(organization, year)]
    _attention(board)
    _proposals(board)
    board.runs = list(runs_visible_to(user, organization)[:5])
    return board


def _quality(board: Briefing) -> None:
    years = (board.year - 1, board.year)
    # Each year's meetings of the organisations of that year's subtree (history rule), as the dashboard's
    # figures and rows behind them count them, read from the figures kept on write (drafts with a level in).
    rows = subtree_figures(board.organization, years, "year", "final_level")
    board.meetings = {year: sum(n for y, _level, n in rows if y == year) for year in years}
    for code, label in _levels({level for _y, level, _n in rows}):
        board.quality.append(
            {
                "code": code,
                "label": label,
                "counts": {year: sum(n for y, level, n in rows if y == year and level == code) for year in years},
                "links": {year: rows_url(board.organization, year, figure="quality", level=code) for year in years},
            }
        )


def _with_percent(target: dict) -> dict:
    value, actual = float(target["value"] or 0), float(target["actual"] or 0)
    target["percent"] = 100 if target["met"] else (min(100, round(100 * actual / value)) if value else 0)
    return target


def _attention(board: Briefing) -> None:
    flagged = cache.get_or_set(_attention_key(board), lambda: _flagged(board), ATTENTION_CACHE_SECONDS)
    board.attention_total = len(flagged)
    board.attention = flagged[:ATTENTION_LIMIT]


def _attention_key(board: Briefing) -> str:
    """The cached list's key: the committee, the quarter, the stamp of everything its ranking reads
    (``ranking_cache.ranking_stamp``: the subtree's figures version for the year, moved in the same transaction
    as any meeting or tree change under it, and the tree's, frameworks' and cell types' stamps) and the
    language the reasons are written in."""
    stamp = hashlib.sha256(repr(ranking_stamp(board.organization, board.period)).encode()).hexdigest()[:32]
    return f"briefing-attention:{board.organization.pk}:{board.period.code}:{stamp}:{get_language()}"


def _flagged(board: Briefing) -> list[dict]:
    """Every cell of the quarter's full ranking with a reason for attention (reports.kinds.meetings)."""
    result = cached_ranking(board.organization, board.period)
    flagged = []
    for row in result.rows:
        reasons = attention_reasons(row, board.period.kind)
        if reasons:
            flagged.append(
                {
                    "name": row.name,
                    "reasons": [str(reason) for reason in reasons],
                    "link": reverse("cells:organization_detail", args=[row.organization_id]),
                }
            )
    return flagged


def _proposals(board: Briefing) -> None:
    """Cells whose annual result is confirmed as passed and that no recognition decision names yet."""
    waiting = (
        Registration.objects.filter(
            campaign__owner__path__startswith=board.organization.path,
            campaign__year=board.year,
            confirmed_at__isnull=False,
            result=rules.DAT,
            decisions__isnull=True,
        )
        .values("campaign_id", "campaign__name")
        .annotate(n=Count("pk"))
        .order_by("campaign__name")
    )
    board.proposals = [
        {
            "campaign": row["campaign__name"],
            "count": row["n"],
            "link": reverse("evaluations:campaign_recognition", args=[row["campaign_id"]]),
        }
        for row in waiting
    ]
