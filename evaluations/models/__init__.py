"""Models of the evaluations app, one module per part of the work:

- ``meetings``: monthly cell meetings, their scores and appraisal, supervision, content guidance,
  model meetings and thematic plans;
- ``campaigns``: yearly plans, year-end ratings, registration, annual self-assessment, appraisal and
  recognition.
"""

from .campaigns import *  # noqa: F403
from .meetings import *  # noqa: F403
