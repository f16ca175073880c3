"""The bad rows of a partner's table as a workbook to send back: the rows as they were written, the
bad cells highlighted, and a column saying why, so the partner can fix their sheet.

Every cell is written as text through ``tracker.spreadsheet.text_cell`` (never a formula, a quote
prefix on text that looks like one: the partner's own values come back to them unevaluated) and the
file through ``save_atomically``.  openpyxl is imported when a report is written, not with the module:
the wizard that offers the button is built at start-up, and openpyxl (with numpy, which it loads when
installed) would add a quarter of a second to every start.
"""

from tracker.records import MAX_TEXT
from tracker.tableimport.values import text_of

BAD_FILL = "FFC7CE"  # a bad cell's fill, Excel's own "bad" colours
BAD_FONT = "9C0006"


def write_report(plan, path):
    """Write the bad rows of ``plan`` to ``path`` (.xlsx); returns how many rows it holds."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, NamedStyle, PatternFill

    from tracker.spreadsheet import save_atomically, style_array, text_cell

    wb = Workbook(write_only=True)
    wb.add_named_style(NamedStyle(name="bad", fill=PatternFill("solid", fgColor=BAD_FILL), font=Font(color=BAD_FONT)))
    wb.add_named_style(NamedStyle(name="heading", font=Font(bold=True)))
    by_row = {}
    for problem in plan.problems:
        by_row.setdefault((problem.sheet, problem.row), []).append(problem)
    written = {(r.sheet, r.row): r.written for t in plan.tables for r in t.records}
    count = 0
    for table in plan.used:
        rows = sorted(row for sheet, row in by_row if sheet == table.name)
        if not rows:
            continue
        ws = wb.create_sheet(_sheet_title(table.name))
        bad, heading = style_array(ws, "bad"), style_array(ws, "heading")
        ws.append([text_cell(ws, "Row", heading)] + [text_cell(ws, _fit(h), heading) for h in table.headers]
                  + [text_cell(ws, "Why", heading)])
        for row in rows:
            problems = by_row[(table.name, row)]
            bad_columns = {p.column for p in problems}
            values = {**_as_written(plan, table, row), **written.get((table.name, row), {})}
            cells = [row] + [text_cell(ws, _fit(values.get(h, "")), bad if h in bad_columns else None)
                             for h in table.headers]
            cells.append(text_cell(ws, _fit("; ".join(f"{p.column}: {p.value!r} {p.reason}" for p in problems))))
            ws.append(cells)
            count += 1
    if count == 0:
        ws = wb.create_sheet("No bad rows")
        ws.append([text_cell(ws, "Every row of the file could be read.")])
    save_atomically(wb, path)
    return count


def _as_written(plan, table, row):
    """{header: text} of every column of the sheet's ``row``, ignored ones too (the engine keeps only the
    mapped columns' text): the partner gets their whole row back."""
    sheet = next((s for s in plan.source.sheets if s.name == table.name), None)
    index = row - sheet.first_row if sheet is not None else -1
    if not 0 <= index < len(sheet.rows if sheet is not None else ()):
        return {}
    cells = sheet.rows[index]
    return {h: text_of(cells[i]) for i, h in enumerate(table.headers) if i < len(cells) and cells[i] not in (None, "")}


def _fit(text):
    return str(text)[:MAX_TEXT // 2]  # MAX_TEXT: what one cell holds


def _sheet_title(name):
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'") or "Sheet"
    return cleaned[:31]
