"""Handing rows to openpyxl's write-only sheets as ready cells: what a 100k-row workbook costs.

openpyxl stays the writer: it serialises every cell, the styles table and the package.  What is
ours is how a cell reaches it.  Given plain values, openpyxl's write-only ``append`` infers each
value's type (and for text, scans it for illegal characters and formulas), and given a styled
cell it takes it only after a failed conversion (an exception per cell), allocates a new spare
cell, and then looks the cell's style up in the workbook's style table (hashing the style array)
as it writes it.  For a report of 100k rows x 13 styled columns those steps cost more than
writing the XML.

Here each column has a :class:`CellSlot`: one reusable cell per style, whose type is set by the
slot and whose index in the workbook's style table is worked out once.  A row is a list of the
cells its slots return (or None for an empty cell); :func:`cells_sheet` makes a write-only sheet
that takes such a list as it is.  Text goes through the same rules as
:func:`tracker.spreadsheet.text_cell` (never a formula, OOXML-escaped, quote-prefixed when it
looks like one, refused when too long); anything that is not text, a number or a date falls back
to openpyxl's own conversion.

A slot's cell is reused for the next row, which is safe because ``append`` writes a row before
it returns: build one row, append it, then build the next.

This leans on openpyxl internals, all present in the pinned 3.1 series (``pyproject.toml``):
``WriteOnlyWorksheet._values_to_row`` (replaced per sheet), ``Workbook._cell_styles`` (the style
table, an ``IndexedList`` of ``StyleArray``), ``Cell._value`` and ``Cell._style``, and the cell
writer reading ``style_id``, ``has_style``, ``data_type``, ``_comment`` and ``hyperlink`` from the
cell.  ``tests/tracker/test_sheet_stream.py`` writes the same rows through this module and through
openpyxl's ordinary path and requires identical sheet XML and styles, so an openpyxl that changes
any of this fails there rather than writing a wrong file.
"""

import datetime as dt
from copy import copy
from types import MethodType

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.numbers import is_date_format
from openpyxl.worksheet.hyperlink import Hyperlink

from tracker.spreadsheet import _NEEDS_ESCAPE, FORMULA_TRIGGERS, MAX_CELL_TEXT, stored_text

_DATE_TYPES = (dt.datetime, dt.date, dt.time, dt.timedelta)


def cells_sheet(wb, title):
    """A write-only sheet of ``wb`` whose ``append`` takes rows of cells (and None) as they are.

    openpyxl's own ``append`` first tries each item as a value and takes a cell only after that
    fails (an exception per cell), then allocates a fresh spare cell.
    """
    ws = wb.create_sheet(title)
    ws._values_to_row = MethodType(_cells_to_row, ws)
    return ws


def _cells_to_row(ws, cells, row_idx):
    for col_idx, cell in enumerate(cells, 1):
        if cell is None:
            continue
        cell.column, cell.row = col_idx, row_idx
        if cell._hyperlink is not None:
            cell._hyperlink.ref = cell.coordinate
        yield cell


class PreparedCell(Cell):
    """A cell whose style-table index is fixed when it is made (the writer asks for it per cell)."""

    __slots__ = ("style_id", "has_style")

    def __init__(self, ws, style):
        super().__init__(ws, row=1, column=1, style_array=style)
        self.style_id = ws.parent._cell_styles.add(self._style)
        self.has_style = any(self._style)


class CellSlot:
    """The cells of one column in one style (a ``StyleArray``, or None for no style).

    ``put(value)`` returns the slot's reusable cell holding ``value``: text as text (never a
    formula; a quote-prefixed copy of the style when it looks like one), numbers as numbers, dates
    as dates (the style must have a date format).  Anything else gets a fresh ordinary cell in the
    same style, converted by openpyxl.
    """

    def __init__(self, ws, style=None):
        self.ws = ws
        self.style = copy(style) if style is not None else StyleArray()
        # Made when first needed, so the workbook lists only the styles it uses, in the order of use.
        self.cell = self.quoted = None
        self.dates = is_date_format(self.fresh().number_format)  # may hold dates as they are

    def put(self, value):
        t = type(value)
        if t is str:
            return self.text(value)
        if t is int or t is float:
            cell = self.cell or self._plain()
            cell._value, cell.data_type = value, "n"
            return cell
        return self._other(value)

    def text(self, value):
        """``value`` (a str) as text, as :func:`tracker.spreadsheet.text_cell` stores it."""
        if (value.startswith(FORMULA_TRIGGERS) or value.isspace() or len(value) > MAX_CELL_TEXT
                or _NEEDS_ESCAPE.search(value)):
            stored, quoted = stored_text(value)
            cell = (self.quoted or self._quoted()) if quoted else (self.cell or self._plain())
            cell._value, cell.data_type = stored, "s"
            return cell
        cell = self.cell or self._plain()
        cell._value, cell.data_type = value, "s"
        return cell

    def link(self, value, target):
        """Text ``value`` in a new cell that links to ``target`` (already checked with ``safe_link``)."""
        stored, quoted = stored_text(value)
        cell = self.fresh()
        cell._value, cell.data_type = stored, "s"
        if quoted:
            cell.quotePrefix = True
        cell._hyperlink = Hyperlink(ref="", target=target)
        return cell

    def _plain(self):
        self.cell = PreparedCell(self.ws, self.style)
        return self.cell

    def _quoted(self):
        style = copy(self.style)
        style.quotePrefix = 1
        self.quoted = PreparedCell(self.ws, style)
        return self.quoted

    def fresh(self):
        """A new ordinary cell in this slot's style (for what is not reused row after row)."""
        cell = WriteOnlyCell(self.ws)
        cell._style = copy(self.style)
        return cell

    def _other(self, value):
        if isinstance(value, str):  # a str subclass
            return self.text(str(value))
        if self.dates and isinstance(value, _DATE_TYPES):
            cell = self.cell or self._plain()
            cell._value, cell.data_type = value, "d"
            return cell
        cell = self.fresh()
        cell.value = value  # openpyxl's own conversion (and its own date format, if the style has none)
        return cell

