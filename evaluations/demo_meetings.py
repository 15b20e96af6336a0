"""Demo data for meetings (filled below)."""
