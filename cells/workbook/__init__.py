"""Excel workbooks in and out, on the contract of WORKBOOK.md: one machinery, sheets registered by each app."""
