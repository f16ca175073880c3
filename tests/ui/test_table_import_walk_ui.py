"""File → Import a spreadsheet… in the acceptance walk of issue 13: a person linked to a held record in
the preview is matched, not doubtful, when the same file comes back; a sheet LibreOffice saved as .ods
with one organisation merged over two people gives both of them that organisation."""

import os
import shutil
import subprocess

import openpyxl
import pytest
from PySide6.QtCore import Qt

from tracker import services
from tracker.services import tableimports
from ui import tableimport_pages

from tests.tracker.table_import_helpers import doubtful_forum

from .conftest import choose
from .test_table_import_choices_ui import go_to_preview, row_of
from .test_table_import_ui import click_next, open_wizard

SHOTS = os.environ.get("TRACKER_WALK_SHOTS")  # a folder: each step's screenshot is saved there to be looked at


def _shot(widget, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        widget.grab().save(os.path.join(SHOTS, f"{name}.png"))


def test_a_person_linked_in_the_preview_is_matched_when_the_file_comes_back(qtbot, window, chosen_file, tmp_path):
    (jon, _, _), path = doubtful_forum(tmp_path)
    wizard = go_to_preview(qtbot, window, chosen_file, path)
    preview = wizard.currentPage()
    assert preview.values["held"] == 3
    table = preview.table
    wizard.activateWindow()  # (the offscreen platform activates a window only when asked)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    table.setCurrentCell(row_of(table, "Jonathon Whitfeld", 3), 0)
    qtbot.keyClick(table, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)  # Link to best match
    qtbot.waitUntil(lambda: preview.values["held"] == 2)
    click_next(qtbot, wizard)
    assert isinstance(wizard.currentPage(), tableimport_pages.DonePage)
    assert services.stakeholders.get(jon.id).role == "Chair"
    assert sorted(h.name for h in tableimports.held_rows()) == ["Margret Oyelaren", "Olusegun Adebayoh"]
    wizard.close()

    again = go_to_preview(qtbot, window, chosen_file, path)  # the same file, another day
    preview = again.currentPage()
    assert preview.values["held"] == 2 and preview.values["matched"] == 1, preview.values
    _shot(again, "preview-linked-before")
    table = preview.table
    jonathon = table.item(row_of(table, "Jonathon Whitfeld", 3), 0)
    assert jonathon.text() == "Matched, unchanged" and jonathon.data(tableimport_pages.KEY) is None  # not doubtful
    details = table.item(row_of(table, "Jonathon Whitfeld", 3), 4).text()
    assert details == f"linked to Jonathan Whitfield before (ID {jon.id}): matched, not held again"
    again.close()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_libreoffice_ods_with_a_merged_organisation_through_the_wizard(qtbot, window, chosen_file, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cluster"
    for row in (["Cluster contacts — spring term"], [], ["Name", "School", "Email"],
                ["Zoë Brennan", "Mayfield Walk School", "zoe@mws.example"], ["Olu Adebayo", None, "olu@mws.example"],
                ["Kim Li", "Redbridge Walk Primary", "kim@rwp.example"]):
        ws.append(row)
    ws.merge_cells("B4:B5")
    wb.save(tmp_path / "cluster.xlsx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "ods",
                    "--outdir", str(tmp_path), str(tmp_path / "cluster.xlsx")], check=True, capture_output=True,
                   timeout=180)
    wizard = go_to_preview(qtbot, window, chosen_file, tmp_path / "cluster.ods")
    preview = wizard.currentPage()
    assert preview.values["added"] == 5 and preview.values["rejected"] == 0, preview.values  # 3 people, 2 schools
    _shot(wizard, "preview-ods")
    details = {preview.table.item(r, 3).text(): preview.table.item(r, 4).text() for r in range(preview.table.rowCount())}
    assert details["Olu Adebayo"] == "Organisation: Mayfield Walk School; Email: olu@mws.example"  # the merged cell
    click_next(qtbot, wizard)
    [olu] = services.stakeholders.page(0, 5, search="olu@mws.example")
    assert olu.organisation is not None and olu.organisation.name == "Mayfield Walk School"
    [zoe] = services.stakeholders.page(0, 5, search="zoe@mws.example")
    assert zoe.organisation_id == olu.organisation_id
    _shot(wizard, "done-ods")
    wizard.close()


def test_a_csv_encoding_chosen_wrong_is_told_and_can_be_put_back(qtbot, window, chosen_file, tmp_path,
                                                                  no_blocking_dialogs):
    """Windows-1252 detected and shown; UTF-8 chosen instead cannot read the file: a sentence, the wizard
    stays on the step; back to "As detected", the file imports with its accents."""
    path = tmp_path / "contacts.csv"
    path.write_bytes("Name;Organisation;Email\r\nZoë Brennan;Café “Mayfield” Club;zoe@cafe.example\r\n"
                     .encode("cp1252"))
    chosen_file["path"] = str(path)
    wizard = open_wizard(qtbot, window)
    wizard.currentPage().browse()
    click_next(qtbot, wizard)
    read = wizard.currentPage()
    assert isinstance(read, tableimport_pages.ReadPage)
    assert "Windows-1252" in read.read_as.text() and "semicolon" in read.read_as.text()
    assert read.encoding.currentText() == "As detected: Windows-1252"
    _shot(wizard, "read-csv")
    choose(qtbot, read.encoding, "UTF-8 (with BOM)")
    qtbot.mouseClick(wizard.next_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(no_blocking_dialogs["messages"]), timeout=30_000)
    assert "cannot be read as utf-8" in no_blocking_dialogs["messages"][-1]
    assert no_blocking_dialogs["errors"] == [], "no traceback"
    assert wizard.currentPage() is read
    choose(qtbot, read.encoding, "As detected: Windows-1252")
    for _ in range(3):
        click_next(qtbot, wizard)
    assert isinstance(wizard.currentPage(), tableimport_pages.DonePage)
    [zoe] = services.stakeholders.page(0, 5, search="zoe@cafe.example")
    assert zoe.name == "Zoë Brennan" and zoe.organisation.name == "Café “Mayfield” Club"
    wizard.close()
