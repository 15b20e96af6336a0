"""Every write about cell meetings, one module per kind of work.

- ``recording``: a meeting's record, its self-assessed score, the appraisal that locks it, reopening;
- ``planning``: supervision teams and assignments, content guidance, model meetings, thematic plans;
- ``reminders``: the monthly reminder emails;
- ``summaries``: the meeting figures kept on write, which every service above updates after a change.

Each service validates, writes inside a transaction and leaves an audit entry (who, when, before,
after). Views, the workbook import and the demo builder all come through here.
"""

from . import minutes, planning, recording, reminders, summaries  # noqa: F401  (callers write services.recording.meeting_create)
