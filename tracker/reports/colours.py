"""The reports' colours (RGB hex), shared by the workbook writer (``xlsx``) and the app's printout.

Plain constants with no spreadsheet library behind them, so the app can show a report without loading
openpyxl at start-up.
"""

RAG_FILLS = {"R": ("C00000", "FFFFFF"), "A": ("FFC000", "000000"), "G": ("00B050", "000000")}  # fill, font
OVERDUE_FILL = "FDE9E7"
OVERDUE_FONT = "9C0006"
HEADER_FILL = "1F3864"
