"""Monthly cell meetings: recording, self-assessment and appraisal of their scores, supervision,
content guidance, model meetings, thematic plans, rankings and reminders."""
