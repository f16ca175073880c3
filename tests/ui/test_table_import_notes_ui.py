"""The wizard's preview shows what the engine points out: a school's two contacts, someone erased on
request, an organisation only close to one held; and the held review offers that organisation."""

import os

import openpyxl
from PySide6.QtCore import Qt

from tracker import services
from tracker.models import HeldRow
from tracker.services import privacy
from ui import heldreview, tableimport_pages

from .test_table_import_ui import click_next, open_wizard


SHOTS = os.environ.get("TRACKER_SCREENSHOTS")


def write_schools(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Schools"
    ws.append(["School", "Headteacher", "Head email", "Second contact", "Second contact email", "Phone"])
    ws.append(["Eastbrook School", "Grace Adeyemi", "grace@eastbrook.example", "Tom Baker", "tom@eastbrook.example",
               "020 7946 0101"])
    ws.append(["Havering Sixth Form", "Ann Bell", "ann@hsf.example", None, None, None])
    ws.append(["Mayfield School", "Gill Gone", "gill@mayfield.example", None, None, None])
    wb.save(path)
    return path


def test_the_preview_shows_two_people_an_erased_row_and_a_doubtful_organisation(qtbot, window, chosen_file,
                                                                                 tmp_path, monkeypatch):
    s = services.stakeholders
    college = s.create(name="Havering Sixth Form College", kind="organisation", sector="education")
    privacy.erase(s.create(name="Gill Gone", kind="person", email="gill@mayfield.example"))
    chosen_file["path"] = str(write_schools(tmp_path / "schools.xlsx"))
    wizard = open_wizard(qtbot, window)
    qtbot.mouseClick(wizard.currentPage().browse_button, Qt.MouseButton.LeftButton)
    click_next(qtbot, wizard)
    click_next(qtbot, wizard)
    mapping = wizard.currentPage()
    assert mapping.chosen()["Second contact"] == "contact2_name"
    click_next(qtbot, wizard)
    preview = wizard.currentPage()
    assert isinstance(preview, tableimport_pages.PreviewPage)
    table = preview.table
    rows = [[table.item(r, c).text() for c in range(5)] for r in range(table.rowCount())]
    if SHOTS:
        preview.window().grab().save(os.path.join(SHOTS, "import-4-preview-notes.png"))
    # two people on one row, each shown with what their own new record will hold
    grace = next(r for r in rows if r[3] == "Grace Adeyemi")
    tom = next(r for r in rows if r[3] == "Tom Baker")
    assert grace[:3] == tom[:3] == ["New", "Schools", "2"]
    assert "Email: grace@eastbrook.example" in grace[4] and "Role: Headteacher" in grace[4]
    assert "Email: tom@eastbrook.example" in tom[4] and "grace@" not in tom[4]
    assert ["Erased: left out", "Schools", "4", "Gill Gone", "erased on request: not imported"] in rows
    held = next(r for r in rows if r[3] == "Ann Bell")
    assert held[0] == "Held for review" and held[4] == "maybe the organisation Havering Sixth Form College (83%)"
    assert preview.values["held"] == 1 and preview.values["added"] == 3  # Grace, Tom and their school
    click_next(qtbot, wizard)
    assert HeldRow.get().name == "Ann Bell"

    monkeypatch.setattr(heldreview.HeldReview, "exec", lambda self: 0)
    dialog = heldreview.HeldReview(window)
    qtbot.addWidget(dialog)
    assert dialog.candidates.item(0).text() == f"the organisation Havering Sixth Form College  (ID {college.id}, 83%)"
    assert dialog.link.text() == "&Link to this organisation"
    if SHOTS:
        dialog.show()
        dialog.grab().save(os.path.join(SHOTS, "held-review-organisation.png"))
    dialog.link.click()
    ann = s.find_by_name("Ann Bell")[0]
    assert ann.organisation.id == college.id and ann.email == "ann@hsf.example"
