"""Workbook sheets for meetings (filled below)."""
