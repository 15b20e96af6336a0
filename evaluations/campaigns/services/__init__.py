"""Every write of the campaign cycle, one module per stage of the year.

- ``plans``: the campaign, carry-over of last year's recognized cells, targets, milestones, steering;
- ``ratings``: organisations' year-end ratings (inputs to eligibility and results);
- ``registration``: eligibility, registering, the board's decision, registrations from a workbook;
- ``answers``: self-assessment with evidence, appraisal, scoring, confirmation and reopening;
- ``recognition``: recognition decisions and awards.

Each service validates, writes in a transaction and leaves an audit entry (cells.services.audit_record).
The rules themselves (eligibility, result, status, targets) are in :mod:`evaluations.campaigns.rules`.
"""

from . import answers, plans, proposals, ratings, recognition, registration, summaries  # noqa: F401  (services.plans.campaign_create)
