"""Generic CSV/XLSX import: dry run, row-by-row French errors, all-or-nothing commit."""
