"""Prepared cells write exactly what openpyxl's ordinary path writes (and fail here, not in a user's file,
if a future openpyxl changes the internals they rely on: see tracker/sheet_stream.py)."""

import datetime as dt
import re
import zipfile
from copy import copy
from decimal import Decimal

import openpyxl
import pytest
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

from tracker.sheet_stream import CellSlot, cells_sheet
from tests.tracker.ooxml import ooxml_unescape
from tracker.spreadsheet import CellTooLong, MAX_CELL_TEXT, looks_like_formula, text_cell

TEXTS = ["plain", "=cmd|' /C calc'!A0", "+44 20 7946 0000", "-3", "@SUM(A1)", "\tindent", "\rcarriage", "a\rb",
         "bell\x07", "_x000D_ literally", " ", "\n \n", "  leading and trailing  ", "#N/A", "", "ünïcödé ✓", "=",
         "x" * MAX_CELL_TEXT]
OTHERS = [0, 7, -3, 2.5, 1e-9, True, Decimal("1.25"), dt.date(2026, 6, 1), dt.date(1900, 1, 15),
          dt.datetime(2026, 6, 1, 13, 45, 10), dt.datetime(2026, 6, 1, 13, 45, 10, 500000), None]
LINKS = [("https://example.org/a?b=1", "https://example.org/a?b=1"), ("=evil@example.org", "mailto:=evil@example.org")]


def _styles(wb):
    """Style arrays as the writers make them: from named styles, and from style attributes."""
    grid = Border(*(Side(style="thin", color="BFBFBF"),) * 4)
    wb.add_named_style(NamedStyle("Text", font=Font(name="Arial", size=10), border=grid,
                                  alignment=Alignment(vertical="top", wrap_text=True)))
    wb.add_named_style(NamedStyle("Date", font=Font(name="Arial", bold=True, color="9C0006"), border=grid,
                                  number_format="dd/mm/yyyy", fill=PatternFill("solid", fgColor="FDE9E7")))
    probe = wb.create_sheet("probe")
    arrays = {}
    for name in ("Text", "Date"):
        cell = WriteOnlyCell(probe)
        cell.style = name
        arrays[name] = copy(cell._style)
    cell = WriteOnlyCell(probe)
    cell.number_format = "DD/MM/YYYY HH:MM:SS"
    arrays["stamp"] = copy(cell._style)
    cell = WriteOnlyCell(probe)
    cell.font = Font(color="0563C1", underline="single")
    arrays["link"] = copy(cell._style)
    arrays[None] = None
    return arrays


def _ordinary(ws, value, style):
    """openpyxl's ordinary path: a new cell per value, styled, then given its value."""
    if isinstance(value, str):
        return text_cell(ws, value, style)
    cell = WriteOnlyCell(ws)
    if style is not None:
        cell._style = copy(style)
    cell.value = value
    return cell


def _write(path, prepared):
    wb = Workbook(write_only=True)
    arrays = _styles(wb)
    ws = cells_sheet(wb, "S") if prepared else wb.create_sheet("S")
    columns = [None, "Text", "Date", "stamp"]  # a style per column
    slots = [CellSlot(ws, arrays[s]) for s in columns]
    link_slot = CellSlot(ws, arrays["link"])
    values = TEXTS + OTHERS
    for n in range(len(values)):  # each value in each column, rows differing so reused cells must change
        row = [values[(n + k) % len(values)] for k in range(len(columns))]
        if prepared:
            cells = [None if v is None else slot.put(v) for v, slot in zip(row, slots)]
        else:
            cells = [None if v is None else _ordinary(ws, v, arrays[s]) for v, s in zip(row, columns)]
        text, target = LINKS[n % len(LINKS)]
        if prepared:
            cells.append(link_slot.link(text, target))
        else:
            link = text_cell(ws, text, arrays["link"])
            if looks_like_formula(text):
                link.quotePrefix = True
            link.hyperlink = target
            cells.append(link)
        ws.append(cells)
    wb.save(path)
    return values


def _canonical(path):
    """The sheet XML with each style index replaced by the style it stands for, and the hyperlink targets."""
    with zipfile.ZipFile(path) as z:
        styles = z.read("xl/styles.xml").decode()
        xfs = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", styles.split("<cellXfs", 1)[1].split("</cellXfs>", 1)[0])
        sheet = next(n for n in z.namelist() if n.startswith("xl/worksheets/sheet") and n.endswith(".xml")
                     and b"<hyperlink" in z.read(n))
        xml = re.sub(r' s="(\d+)"', lambda m: f" s={xfs[int(m.group(1))]!r}", z.read(sheet).decode())
        rels = z.read(sheet.replace("worksheets/", "worksheets/_rels/") + ".rels").decode()
    return xml, rels, styles.split("<cellXfs", 1)[0]


def test_prepared_cells_write_the_same_xml_as_openpyxls_ordinary_path(tmp_path):
    _write(tmp_path / "ordinary.xlsx", prepared=False)
    _write(tmp_path / "prepared.xlsx", prepared=True)
    ordinary, prepared = _canonical(tmp_path / "ordinary.xlsx"), _canonical(tmp_path / "prepared.xlsx")
    assert prepared[0] == ordinary[0]  # every cell: reference, type, value, style
    assert prepared[1] == ordinary[1]  # hyperlink targets
    assert prepared[2] == ordinary[2]  # fonts, fills, borders, number formats


def test_prepared_cells_read_back_as_the_values_and_styles_given(tmp_path):
    values = _write(tmp_path / "prepared.xlsx", prepared=True)
    ws = openpyxl.load_workbook(tmp_path / "prepared.xlsx")["S"]
    rows = list(ws.iter_rows(values_only=False))
    for n, row in enumerate(rows):
        expected = values[n % len(values)]
        got = row[0]
        if expected is None:
            assert got.value is None
        elif isinstance(expected, str):
            assert got.data_type in ("s", "inlineStr") and ooxml_unescape(got.value or "") == expected
            assert got.quotePrefix == looks_like_formula(expected)
        elif isinstance(expected, (int, float, Decimal)):
            assert got.value == expected
        assert got.font.name == "Calibri" and got.border.left.style is None  # column A: no style
        text, date = row[1], row[2]
        if values[(n + 1) % len(values)] is not None:
            assert text.font.name == "Arial" and text.alignment.wrap_text and text.border.left.style == "thin"
        if values[(n + 2) % len(values)] is not None:
            assert date.number_format == "dd/mm/yyyy" and date.font.b and date.fill.fgColor.rgb == "00FDE9E7"
    assert rows[0][4].hyperlink.target == "https://example.org/a?b=1" and rows[0][4].font.u == "single"
    assert rows[1][4].hyperlink.target == "mailto:=evil@example.org" and rows[1][4].quotePrefix
    assert rows[1][4].data_type in ("s", "inlineStr") and rows[1][4].value == "=evil@example.org"


def test_a_text_too_long_for_a_cell_is_refused():
    wb = Workbook(write_only=True)
    slot = CellSlot(cells_sheet(wb, "S"))
    with pytest.raises(CellTooLong):
        slot.put("x" * (MAX_CELL_TEXT + 1))
    with pytest.raises(CellTooLong):
        slot.put("\x07" * (MAX_CELL_TEXT // 6))  # short, but each character takes 7 once escaped
