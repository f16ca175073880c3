"""A :class:`~tracker.reports.rows.Report` as a workbook a manager can take to a board meeting.

Written with openpyxl in write-only (streaming) mode, which supports everything a printed report
needs: freeze panes, column widths and the sheet's fit-to-page flag (set before the first row is
written), row heights, autofilter, conditional formatting, print titles, page setup and
header/footer (written at the end).  Nothing here needs the slower in-memory mode.

Every text cell goes through :func:`tracker.spreadsheet.text_cell`, or for the report's rows through
:class:`tracker.sheet_stream.CellSlot`, which applies the same rules (never a formula, whatever the
data says), and the file through :func:`tracker.spreadsheet.save_atomically`.
"""

import contextlib
import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from tracker.dates import FINANCIAL_YEAR, MONTH, QUARTER, Period
from tracker.reports.colours import HEADER_FILL, OVERDUE_FILL, OVERDUE_FONT, RAG_FILLS
from tracker.sheet_stream import CellSlot, cells_sheet
from tracker.spreadsheet import WriteFailed, save_atomically, style_array, text_cell

PROGRESS_EVERY = 2000  # rows
TITLE_ROWS = 4  # title, filters, generated on/by, counts and notes
HEADER_ROW = TITLE_ROWS + 2  # a blank row, then the header
DATE_FORMAT = "dd/mm/yyyy"
FONT = "Arial"  # in Excel everywhere; LibreOffice has a metric twin (Liberation Sans)
CHARS_PER_WIDTH = 1.25  # 10-point Arial characters per unit of column width
WORD_BREAK_LOSS = 4  # characters a line loses, on average, by breaking between words
LINE_HEIGHT = 12.75  # points per line of 10-point text
_thin = Side(style="thin", color="BFBFBF")
GRID = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)


def _styles():
    top = Alignment(vertical="top")
    return [
        NamedStyle("Report title", font=Font(name=FONT, bold=True, size=16, color=HEADER_FILL)),
        NamedStyle("Report note", font=Font(name=FONT, size=10, color="404040")),
        NamedStyle("Report header", font=Font(name=FONT, bold=True, color="FFFFFF", size=10),
                   fill=PatternFill("solid", fgColor=HEADER_FILL), border=GRID,
                   alignment=Alignment(wrap_text=True, vertical="center")),
        NamedStyle("Report text", font=Font(name=FONT, size=10), border=GRID, alignment=top),
        NamedStyle("Report wrap", font=Font(name=FONT, size=10), border=GRID, alignment=Alignment(vertical="top", wrap_text=True)),
        NamedStyle("Report date", font=Font(name=FONT, size=10), border=GRID, alignment=top, number_format=DATE_FORMAT),
        NamedStyle("Report number", font=Font(name=FONT, size=10), border=GRID, alignment=top, number_format="0"),
        NamedStyle("Report RAG", font=Font(name=FONT, size=10, bold=True), border=GRID,
                   alignment=Alignment(horizontal="center", vertical="top")),
        NamedStyle("Report overdue date", font=Font(name=FONT, size=10, bold=True, color=OVERDUE_FONT), border=GRID,
                   alignment=top, number_format=DATE_FORMAT, fill=PatternFill("solid", fgColor=OVERDUE_FILL)),
        NamedStyle("Report overdue number", font=Font(name=FONT, size=10, bold=True, color=OVERDUE_FONT), border=GRID,
                   alignment=top, number_format="0", fill=PatternFill("solid", fgColor=OVERDUE_FILL)),
        NamedStyle("Report total", font=Font(name=FONT, size=10, bold=True), border=GRID, alignment=top),
    ]


CELL_STYLE = {"text": "Report text", "wrap": "Report wrap", "date": "Report date", "number": "Report number",
              "rag": "Report RAG"}
OVERDUE_STYLE = {"date": "Report overdue date", "number": "Report overdue number"}


def check_folder(path):
    """Refuse a target whose folder is missing before any work is done (and before a streaming
    workbook is half-built: one abandoned mid-write leaves its sheet writers dangling)."""
    path = Path(path)
    if not path.parent.is_dir():
        raise WriteFailed(f"Cannot write {path}: the folder {path.parent} does not exist.")
    return path


def write_report(report, path, progress=None):
    """Write ``report`` (its rows sheet and a Summary sheet) to ``path`` atomically; returns the path.

    ``progress(done, total)`` is called every few thousand rows; if it raises (the app's Cancel),
    nothing is written under ``path`` and the half-built workbook is cleaned up.
    """
    check_folder(path)
    wb = Workbook(write_only=True)
    try:
        for style in _styles():
            wb.add_named_style(style)
        _write_rows_sheet(wb, report, progress)
        _write_summary_sheet(wb, report)
    except BaseException:
        _abandon(wb)
        raise
    return save_atomically(wb, path)


def _abandon(wb):
    """Finish and delete the temporary files of a write-only workbook that will never be saved."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        with contextlib.suppress(Exception):
            ws.close()
        if writer is not None:
            with contextlib.suppress(OSError):
                os.remove(writer.out)


def _print_setup(ws, report, title_rows=None):
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.left.text = _footer_text(report.title)
    ws.oddFooter.left.size = 8
    ws.oddFooter.center.text = "Page &P of &N"
    ws.oddFooter.center.size = 8
    ws.oddFooter.right.text = _footer_text(report.generated_text)
    ws.oddFooter.right.size = 8


def _footer_text(text):
    return text.replace("&", "&&")  # "&" starts a header/footer code


def _title_block(ws, report, notes):
    ws.row_dimensions[1].height = 24
    for value, style in ((report.title, "Report title"), (report.filters_text, "Report note"),
                         (report.generated_text, "Report note"), (notes, "Report note")):
        ws.append([text_cell(ws, value, style)])
    ws.append([])


def _write_rows_sheet(wb, report, progress=None):
    ws = cells_sheet(wb, report.title)
    columns = report.columns
    last_col = get_column_letter(len(columns))
    # Before the first row: views, column widths and the fit-to-page flag go at the top of the sheet XML.
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    for n, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(n)].width = column.width
    ws.row_dimensions[HEADER_ROW].height = 30
    _print_setup(ws, report, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    _title_block(ws, report, report.notes)
    ws.append([text_cell(ws, c.header, "Report header") for c in columns])

    # One slot per column and style: each cell's type and style index are worked out once, not per cell.
    style_of = _StyleArrays(ws)
    plain = [_slot_put(ws, style_of[CELL_STYLE[c.kind]], c.kind) for c in columns]
    overdue = [_slot_put(ws, style_of[OVERDUE_STYLE[c.kind]], c.kind) if c.highlight else None for c in columns]
    marked = [c for c in columns if c.highlight]
    positive = any(c.highlight == "positive" for c in columns)  # else only overdue rows are marked
    keys = [c.key for c in columns]
    wrapped = [(c.key, max(4, c.width * CHARS_PER_WIDTH - WORD_BREAK_LOSS)) for c in columns if c.kind == "wrap"]
    heights = _RowHeights()
    total = len(report.rows)
    for n_row, row in enumerate(report.rows, start=HEADER_ROW + 1):
        if progress is not None and n_row % PROGRESS_EVERY == 0:
            progress(n_row - HEADER_ROW, total)
        # Spreadsheet programs do not grow rows to fit wrapped text they did not type themselves.
        lines = max((_lines(row.get(key), per_line) for key, per_line in wrapped), default=1)
        if lines > 1:
            ws.row_dimensions[n_row] = heights[lines]
        puts = plain
        if (row.get("overdue") or positive) and any(report.highlighted(row, c) for c in marked):
            puts = [o if o is not None and report.highlighted(row, c) else p
                    for c, p, o in zip(columns, plain, overdue)]
        ws.append([None if (value := row.get(key)) is None else put(value) for key, put in zip(keys, puts)])

    first, last = HEADER_ROW + 1, HEADER_ROW + max(len(report.rows), 1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last}"
    rag = get_column_letter(keys.index("rag") + 1)
    for letter, (fill, font) in RAG_FILLS.items():
        # A live rule, so a RAG edited in the spreadsheet recolours; the letter stays for black-and-white.
        ws.conditional_formatting.add(
            f"{rag}{first}:{rag}{last}",
            CellIsRule(operator="equal", formula=[f'"{letter}"'], fill=PatternFill("solid", fgColor=fill, bgColor=fill),
                       font=Font(name=FONT, bold=True, color=font)))


def _slot_put(ws, style, kind):
    slot = CellSlot(ws, style)
    return _periods_too(slot) if kind == "date" else slot.put


def period_format(period):
    """The number format showing a Period's last day as the period ("Mar 2019", "Q2 2019", "2019", "FY 2019/20"):
    the cell stays a real date, which sorts and filters with the others."""
    if period.precision == MONTH:
        return "mmm yyyy"
    if period.precision == QUARTER:
        return f'"Q{period.month // 3}" yyyy'
    if period.precision == FINANCIAL_YEAR:  # a date token (yy: the year it ends in), so it stays a date
        return f'"FY {period.year - 1}/"yy'
    return "yyyy"


def _periods_too(slots):
    """``put`` for a date column: a Period in a fresh cell of its own format, any other date as the slot puts it."""
    put = slots.put

    def put_date(value):
        if value.__class__ is not Period:
            return put(value)
        cell = slots.fresh()
        cell.value = value.last_day
        cell.number_format = period_format(value)
        return cell
    return put_date


class _RowHeights(dict):
    """{lines: the <row> attributes for that many lines of text}, shared by every such row.

    The write-only writer only reads a row's attributes (``dict(row_dimensions.get(r, {}))``);
    a ready dict per height costs a fraction of a RowDimension per row at 100k rows.
    """

    def __missing__(self, lines):
        self[lines] = {"ht": f"{LINE_HEIGHT * lines + 2:g}", "customHeight": "1"}
        return self[lines]


class _StyleArrays(dict):
    """{named style: its style array}, worked out once per sheet (not by name for every cell)."""

    def __init__(self, ws):
        super().__init__()
        self.ws = ws

    def __missing__(self, name):
        self[name] = style_array(self.ws, name)
        return self[name]


def _lines(text, per_line):
    """About how many lines ``text`` takes wrapped at ``per_line`` characters (cheap: 100k rows)."""
    if not text or (len(text) <= per_line and "\n" not in text):
        return 1
    return sum(max(1, -(-len(part) // int(per_line))) for part in str(text).split("\n"))


def _write_summary_sheet(wb, report):
    ws = cells_sheet(wb, "Summary")
    width = max(len(summary.headers) for _, summary in report.summaries)
    ws.column_dimensions["A"].width = 48
    for n in range(2, width + 1):
        ws.column_dimensions[get_column_letter(n)].width = 11
    _print_setup(ws, report)
    _title_block(ws, report, f"Summary of the {report.title.lower()}. {report.notes}")
    style_of = _StyleArrays(ws)  # a group per owner: thousands of rows at 100k actions
    body = [CellSlot(ws, style_of["Report wrap" if n == 0 else "Report text"]).put for n in range(width)]
    totals = [CellSlot(ws, style_of["Report total"]).put for _ in range(width)]
    for heading, summary in report.summaries:
        ws.append([text_cell(ws, heading, "Report title")])
        ws.append([text_cell(ws, h, "Report header") for h in summary.headers])
        table = summary.table()
        for n, values in enumerate(table):
            puts = totals if n == len(table) - 1 else body
            ws.append([put(v) for put, v in zip(puts, values)])
        ws.append([])
