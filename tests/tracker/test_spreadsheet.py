"""Shared workbook safety: text never becomes a formula, links are limited, saves are atomic."""

import errno

import openpyxl
import pytest
from openpyxl import Workbook

from tests.tracker.ooxml import ooxml_unescape
from tracker.spreadsheet import (WriteFailed, csv_safe, ooxml_escape, safe_link, save_atomically,
                                  text_cell)

NASTY = ["=cmd|' /C calc'!A0", "=1+1", "+44 20 7946 0000", "-3", "@SUM(A1)", "\tindent", "\rcarriage", "plain"]


def test_formula_looking_text_comes_back_byte_identical_as_text(tmp_path):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("S")
    ws.append([text_cell(ws, v) for v in NASTY])
    save_atomically(wb, tmp_path / "out.xlsx")
    row = next(openpyxl.load_workbook(tmp_path / "out.xlsx")["S"].iter_rows())
    assert [ooxml_unescape(c.value) for c in row] == NASTY
    assert all(c.data_type == "s" for c in row)
    assert [c.quotePrefix for c in row] == [True] * 7 + [False]


def test_safe_links_and_csv():
    assert safe_link(" https://www.lbbd.gov.uk ") == "https://www.lbbd.gov.uk"
    assert safe_link("mailto:a@example.org") == "mailto:a@example.org"
    assert safe_link("javascript:alert(1)") is None and safe_link("file:///etc/passwd") is None
    assert csv_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)" and csv_safe("ok") == "ok" and csv_safe(None) == ""


def test_failed_save_leaves_nothing_under_the_name(tmp_path, monkeypatch):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"previous version")
    wb = Workbook()

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(wb, "save", full_disk)
    with pytest.raises(WriteFailed, match="disk is full"):
        save_atomically(wb, target)
    assert target.read_bytes() == b"previous version"
    assert list(tmp_path.iterdir()) == [target]


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(WriteFailed, match="does not exist"):
        save_atomically(Workbook(), tmp_path / "no" / "x.xlsx")


@pytest.mark.parametrize("text", ["a\rb", "line\r\nbreak", "_x000D_ literally", "bell\x07", "\x00nul", "ünïcödé ✓",
                                  "_x005F_", "end_", " ", "\t", "\n \n"])
def test_ooxml_escape_round_trips(text):
    escaped = ooxml_escape(text)
    assert ooxml_unescape(escaped) == text
    assert not any(ord(ch) < 32 and ch not in "\t\n" for ch in escaped)


@pytest.mark.parametrize("text", [" ", "\t", "  two", "\n", "plain", "#N/A", "=1", "a\rb"])
def test_prepared_text_round_trips_through_calamine(tmp_path, text):
    from python_calamine import CalamineWorkbook

    from tracker.sheet_stream import CellSlot, cells_sheet

    wb = Workbook(write_only=True)
    ws = cells_sheet(wb, "S")
    ws.append([CellSlot(ws).put(text), CellSlot(ws).put("end")])
    save_atomically(wb, tmp_path / "t.xlsx")
    assert CalamineWorkbook.from_path(tmp_path / "t.xlsx").get_sheet_by_name("S").to_python()[0][0] == text
