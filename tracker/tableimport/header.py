"""Where a table starts, and which of its rows are records.

Partners' sheets open with a title, a logo's empty cells, a note ("Please return by Friday"), then
the header.  :func:`find_header` looks at the first :data:`LOOK_ROWS` rows and takes the one that
reads most like a header for the import: most headers recognised as fields (``mapping.guess``),
then most text cells; a row qualifies only with at least two text cells, mostly text (a row of
numbers or dates is data), and at least one non-empty row below it.

:func:`row_kind` says what a row below the header is: ``blank``; a ``section`` ("— Havering —",
"Redbridge schools": one text cell in a table of several columns); a ``footer`` ("Total attendees",
a count: the first text cell starts with "total", "count" or "grand total", or the row holds only
numbers); else a ``record``.
"""

import datetime as dt
import re

from tracker.tableimport.mapping import guess

LOOK_ROWS = 30
_DECORATED = re.compile(r"^\s*[-\u2013\u2014=*#]+.*[-\u2013\u2014=*#]+\s*$")
_FOOTER = re.compile(r"^\s*(grand\s+)?(total|totals|count|sum|number of)\b", re.IGNORECASE)


def is_empty(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _is_text(value):
    return isinstance(value, str) and value.strip() != "" and not _looks_numeric(value)


def _looks_numeric(text):
    try:
        float(text.replace(",", ""))
        return True
    except ValueError:
        return False


def find_header(rows, kind):
    """(index into ``rows`` of the header row, why none) — one of them None."""
    best, best_score = None, None
    last = min(len(rows), LOOK_ROWS)
    for i in range(last):
        row = rows[i]
        filled = [v for v in row if not is_empty(v)]
        texts = [v for v in filled if _is_text(v)]
        if len(texts) < 2 or len(texts) < 0.7 * len(filled):
            continue
        if any(isinstance(v, (dt.date, dt.datetime)) for v in filled):
            continue
        if not any(any(not is_empty(v) for v in later) for later in rows[i + 1:i + 50]):
            continue
        recognised = len({guess(kind, v) for v in texts} - {None})
        distinct = len({str(v).strip().casefold() for v in texts})
        score = (recognised, distinct)
        if best_score is None or score > best_score:
            best, best_score = i, score
    if best is None:
        if not any(any(not is_empty(v) for v in row) for row in rows):
            return None, "the sheet is empty"
        return None, (f"no header row was found in its first {LOOK_ROWS} rows (a row of at least two column "
                      f"names above the records)")
    return best, None


def row_kind(row, width, key_columns=()):
    """``blank``, ``section``, ``footer`` or ``record`` (see the module's docstring).  ``key_columns``:
    the columns naming a record (its name, email or title); a lone value there is a record unless it
    is set between dashes ("— Havering —")."""
    # not is_empty(v); a str's class tested first (cells are mostly text)
    filled = [v for v in row if v is not None and (v.__class__ is not str and not isinstance(v, str) or v.strip())]
    if not filled:
        return "blank"
    if len(filled) > 2 and len(filled) > width // 2:  # most rows: too many values for a footer's words or a section
        if width <= 2 or filled[0].__class__ is str:  # (text first: not numbers only, without a generator)
            return "record"
        return "footer" if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in filled) else "record"
    first_text = next((v for v in filled if isinstance(v, str)), None)
    if first_text is not None and _FOOTER.match(first_text) and len(filled) <= max(2, width // 2):
        return "footer"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in filled) and width > 2:
        return "footer"
    if len(filled) == 1 and width >= 3 and isinstance(filled[0], str):
        column = next(i for i, v in enumerate(row) if not is_empty(v))
        if column not in key_columns or _DECORATED.match(filled[0]):
            return "section"
    return "record"
