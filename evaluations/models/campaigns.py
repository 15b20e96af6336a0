"""Campaigns (yearly plans), registration, year-end evaluation and recognition."""

__all__: list[str] = []
