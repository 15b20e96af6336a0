"""Yearly campaigns (plans) under a framework: year ratings, registration, the annual
self-assessment and its appraisal, recognition and awards."""
