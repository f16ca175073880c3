"""File → Import a spreadsheet… driven as a user drives it, and Edit → Review held matches…."""

import threading

import openpyxl
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QFileDialog, QProgressDialog, QPushButton

from tracker import services
from tracker.services import imports, tableimports
from tracker.tableimport import Options, apply_plan, plan_import
from ui import heldreview
from ui import tableimport as ui_tableimport
from ui import tableimport_mapping, tableimport_pages

from .conftest import choose
from .test_menus import menu_command

HEADER = ["Name", "Organisation", "Email", "Job title", "Extension"]


def sign_in_rows():
    return [
        ["Priya Shah", "Ben Kinsella Trust", "priya.shah@example.org", "Youth worker", "07700 900101"],
        ["Tom Baker", "Havering Council", "tom.baker@example.org", "Community safety officer", "07700 900102"],
        ["Grace Adeyemi", "Eastbrook School", "grace.adeyemi@example.org", "Head teacher", "07700 900103"],
        ["Priya Shah", "Ben Kinsella Trust", "priya.shah@example.org", "", ""],  # signed in twice
    ]


def write_xlsx(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sign-in"
    ws.append(["Serious Violence Summit — sign-in sheet"])
    ws.append([])
    ws.append(HEADER)
    for row in sign_in_rows():
        ws.append(row)
    wb.save(path)
    return path


def write_csv(path):
    lines = ["Serious Violence Summit — sign-in sheet;;;;", ";;;;", ";".join(HEADER)]
    lines += [";".join(r) for r in sign_in_rows()]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="cp1252")
    return path


@pytest.fixture
def held_person():
    """Grace is held already, without a role: the sheet fills it."""
    return services.stakeholders.create(name="Grace Adeyemi", kind="person", email="grace.adeyemi@example.org")


def open_wizard(qtbot, window):
    menu_command(window, "File", "Import a spreadsheet…").trigger()
    wizard = window.table_import.wizard
    qtbot.addWidget(wizard)
    qtbot.waitUntil(wizard.isVisible)
    # A user's keystrokes go to the window in front; the offscreen platform may leave no window active
    # after an earlier test closed its own (then F2, mnemonics and clicks reach nothing).
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    return wizard


def click_next(qtbot, wizard):
    page = wizard.currentPage()
    qtbot.mouseClick(wizard.next_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is not page, timeout=30_000)


def map_by_keyboard(qtbot, page, header, field):
    table = page.table
    [row] = [r for r in range(table.rowCount()) if table.item(r, 0).text() == header]
    table.setFocus()
    table.setCurrentCell(row, 2)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    # The editor F2 opened (found as the table's child: which widget has focus depends on whether the
    # offscreen platform made the wizard the active window, which an earlier test can change).
    # (an editor closed before is hidden, waiting for its deleteLater: the open one is the visible one)
    def open_editor():
        return next((c for c in table.viewport().findChildren(QComboBox) if c.isVisible()), None)
    qtbot.waitUntil(lambda: open_editor() is not None)
    editor = open_editor()
    choose(qtbot, editor, field)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert table.item(row, 2).text() == field


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_sign_in_sheet_imports_through_the_wizard(qtbot, window, chosen_file, held_person, tmp_path, kind):
    path = write_xlsx(tmp_path / "sign-in.xlsx") if kind == "xlsx" else write_csv(tmp_path / "sign-in.csv")
    chosen_file["path"] = str(path)
    before = services.stakeholders.count()
    wizard = open_wizard(qtbot, window)
    first = wizard.currentPage()
    qtbot.mouseClick(first.browse_button, Qt.MouseButton.LeftButton)
    assert first.path.text() == str(path)
    assert "*.xlsx" in chosen_file["asked"][0][1] and "*.csv" in chosen_file["asked"][0][1]
    click_next(qtbot, wizard)

    read = wizard.currentPage()
    assert isinstance(read, tableimport_pages.ReadPage)
    assert read.header_row.text() == "As detected (row 3)"
    if kind == "csv":
        assert "Windows-1252" in read.read_as.text() and "semicolon" in read.read_as.text()
    click_next(qtbot, wizard)

    mapping = wizard.currentPage()
    assert isinstance(mapping, tableimport_mapping.MappingPage)
    assert mapping.chosen()["Job title"] == "role" and mapping.chosen()["Extension"] is None
    samples = [mapping.table.item(r, 1).text() for r in range(mapping.table.rowCount())]
    assert "Priya Shah · Tom Baker · Grace Adeyemi" in samples
    map_by_keyboard(qtbot, mapping, "Extension", "Phone")
    qtbot.keyClicks(mapping.preset_name, "Summit sign-in")
    click_next(qtbot, wizard)

    preview = wizard.currentPage()
    assert isinstance(preview, tableimport_pages.PreviewPage)
    assert preview.values == {"added": 3, "matched": 1, "updated": 1, "unchanged": 0, "held": 0, "rejected": 0}
    assert services.stakeholders.count() == before, "the preview changed nothing"
    assert wizard.next_button().text() == "&Import"
    click_next(qtbot, wizard)

    done = wizard.currentPage()
    assert isinstance(done, tableimport_pages.DonePage) and wizard.import_id is not None
    assert services.stakeholders.count() == before + 3  # Priya, Tom, and Grace's school (the trust is held)
    [priya] = services.stakeholders.page(0, 5, search="priya.shah@example.org")
    assert priya.phone == "07700 900101" and priya.role == "Youth worker"
    assert priya.organisation.name == "Ben Kinsella Trust"
    assert services.stakeholders.get(held_person.id).role == "Head teacher"
    [preset] = tableimports.presets("stakeholders")
    assert preset.name == "Summit sign-in" and '"Extension": "phone"' in preset.mapping
    qtbot.mouseClick(done.undo, Qt.MouseButton.LeftButton)
    assert wizard.undone and services.stakeholders.count() == before
    assert services.stakeholders.get(held_person.id).role == ""


def test_a_refused_file_is_told_in_a_sentence(qtbot, window, chosen_file, tmp_path, no_blocking_dialogs):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600)
    wizard = open_wizard(qtbot, window)
    wizard.currentPage().path.setText(str(path))
    qtbot.mouseClick(wizard.next_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(no_blocking_dialogs["messages"]), timeout=30_000)
    assert isinstance(wizard.currentPage(), tableimport_pages.FilePage)
    assert "old.xls was not imported" in no_blocking_dialogs["messages"][-1]
    assert no_blocking_dialogs["errors"] == [], "no traceback"


def test_cancel_during_the_import_changes_nothing(qtbot, window, chosen_file, held_person, tmp_path, monkeypatch,
                                                   no_blocking_dialogs):
    chosen_file["path"] = str(write_xlsx(tmp_path / "sign-in.xlsx"))
    before = services.stakeholders.count()
    wizard = open_wizard(qtbot, window)
    wizard.currentPage().browse()
    for _ in range(3):
        click_next(qtbot, wizard)
    assert isinstance(wizard.currentPage(), tableimport_pages.PreviewPage)
    started, go_on = threading.Event(), threading.Event()
    real = ui_tableimport.apply_plan

    def slow(plan, progress=None):
        def held_back(percent, text):
            if percent >= 40:
                started.set()
                go_on.wait(10)
            return progress(percent, text)
        return real(plan, held_back)

    monkeypatch.setattr(ui_tableimport, "apply_plan", slow)

    def press_cancel():  # on the progress dialog, once it shows
        dialogs = [d for d in wizard.findChildren(QProgressDialog) if d.isVisible()]
        if started.is_set() and dialogs:
            timer.stop()
            qtbot.mouseClick(dialogs[0].findChild(QPushButton), Qt.MouseButton.LeftButton)
            go_on.set()

    timer = QTimer()
    timer.timeout.connect(press_cancel)
    timer.start(50)
    qtbot.mouseClick(wizard.next_button(), Qt.MouseButton.LeftButton)
    timer.stop()
    assert isinstance(wizard.currentPage(), tableimport_pages.PreviewPage), "still on the preview"
    assert any("cancelled; nothing was changed" in m for m in no_blocking_dialogs["info"])
    assert services.stakeholders.count() == before and imports.imports() == []
    assert services.stakeholders.get(held_person.id).role == ""


def _held_plan(tmp_path):
    """Two rows held for review: close spellings of people held at the same organisation."""
    org = services.stakeholders.create(name="Redbridge Youth Forum", kind="organisation", sector="other")
    one = services.stakeholders.create(name="Jonathan Whitfield", kind="person", organisation=org,
                                       email="j.whitfield@example.org")
    two = services.stakeholders.create(name="Margaret Oyelaran", kind="person", organisation=org,
                                       email="m.oyelaran@example.org")
    path = tmp_path / "forum.csv"
    path.write_text("Name,Organisation\nJonathon Whitfeld,Redbridge Youth Forum\n"
                    "Margret Oyelaren,Redbridge Youth Forum\n", encoding="utf-8")
    plan = plan_import(path, Options(kind="stakeholders"))
    assert plan.counts()["held"] == 2, plan.as_json()
    apply_plan(plan)
    return one, two


def test_held_rows_are_linked_or_created_in_the_review(qtbot, window, tmp_path, monkeypatch):
    one, two = _held_plan(tmp_path)
    before = services.stakeholders.count()
    shown = []
    monkeypatch.setattr(heldreview.HeldReview, "exec", lambda self: shown.append(self.rows.rowCount()) or 0)
    menu_command(window, "Edit", "Review held matches…").trigger()
    assert shown == [2], "the menu command shows the review"
    dialog = heldreview.HeldReview(window)  # (the one shown was deleted with its exec)
    qtbot.addWidget(dialog)
    assert dialog.rows.rowCount() == 2
    assert dialog.rows.item(0, 0).text() == "Jonathon Whitfeld"
    assert "Jonathan Whitfield" in dialog.rows.item(0, 4).text()
    assert dialog.rows.item(0, 1).text() == "Redbridge Youth Forum"
    assert dialog.candidates.currentItem().text().startswith(
        "Jonathan Whitfield — Redbridge Youth Forum, j.whitfield@example.org")
    qtbot.mouseClick(dialog.link, Qt.MouseButton.LeftButton)
    assert dialog.rows.rowCount() == 1 and dialog.rows.item(0, 0).text() == "Margret Oyelaren"
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.create.setFocus()
    qtbot.waitUntil(dialog.create.hasFocus)
    qtbot.keyClick(dialog.create, Qt.Key.Key_Space)  # Create new, from the keyboard
    assert dialog.rows.rowCount() == 0 and not dialog.create.isEnabled()
    assert services.stakeholders.count() == before + 1
    assert [r.resolution for r in tableimports.held_rows(include_resolved=True)] == ["linked", "created"]
    assert services.stakeholders.page(0, 5, search="Margret Oyelaren")


def test_rows_with_problems_are_named_and_left_out_only_when_asked(qtbot, window, chosen_file, tmp_path, monkeypatch,
                                                                    no_blocking_dialogs):
    path = tmp_path / "contacts.csv"
    path.write_text("Name,Email,Borough\nRuth Ellis,ruth.ellis@example.org,Havering\n"
                    "Sam Cole,sam.cole@example.org,Narnia\n", encoding="utf-8")
    chosen_file["path"] = str(path)
    before = services.stakeholders.count()
    wizard = open_wizard(qtbot, window)
    wizard.currentPage().browse()
    for _ in range(3):
        click_next(qtbot, wizard)
    preview = wizard.currentPage()
    assert preview.values["rejected"] == 1 and preview.values["added"] == 1
    problem = [[preview.table.item(r, c).text() for c in range(5)] for r in range(preview.table.rowCount())
               if preview.table.item(r, 0).text() == "Problem"]
    assert problem and problem[0][1:4] == ["contacts", "3", "Narnia"] and "column 'Borough'" in problem[0][4]
    assert not wizard.next_button().isEnabled(), "a file with problems is not imported whole"
    report = tmp_path / "to fix.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(report), "")))
    qtbot.mouseClick(preview.report, Qt.MouseButton.LeftButton)
    assert report.exists() and "1 row with problems saved" in no_blocking_dialogs["info"][-1]
    preview.skip_bad.click()
    assert wizard.next_button().isEnabled()
    click_next(qtbot, wizard)
    assert services.stakeholders.count() == before + 1
    assert services.stakeholders.page(0, 5, search="ruth.ellis@example.org")
    assert not services.stakeholders.page(0, 5, search="sam.cole@example.org")


def test_sheets_are_chosen_and_attendance_recorded_for_the_event(qtbot, window, chosen_file, tmp_path):
    wb = openpyxl.Workbook()
    for n, (title, people) in enumerate((("Havering", ["Ruth Ellis", "Sam Cole"]), ("Redbridge", ["Ada Byrne"]))):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = title
        ws.append(["Name", "Email", "Attendance"])
        for name in people:
            ws.append([name, name.lower().replace(" ", ".") + "@example.org", "Attended"])
    path = tmp_path / "registrations.xlsx"
    wb.save(path)
    chosen_file["path"] = str(path)
    event = services.events.page(0, 1, sort="date")[0]
    wizard = open_wizard(qtbot, window)
    first = wizard.currentPage()
    first.browse()
    choose(qtbot, first.kind, "Attendance at an event")
    assert first.event.isVisible()
    first.event.setCurrentIndex(first.event.findData(str(event.id)))
    click_next(qtbot, wizard)
    read = wizard.currentPage()
    assert [read.sheets.item(r, 0).checkState() for r in range(2)] == [Qt.CheckState.Checked] * 2
    read.sheets.setFocus()
    read.sheets.setCurrentCell(1, 0)
    qtbot.keyClick(read.sheets, Qt.Key.Key_Space)  # Redbridge left out
    assert read.sheets.item(1, 0).checkState() == Qt.CheckState.Unchecked
    click_next(qtbot, wizard)
    assert wizard.options.sheets == ("Havering",)
    click_next(qtbot, wizard)
    preview = wizard.currentPage()
    shown = [preview.table.item(r, 0).text() for r in range(preview.table.rowCount())]
    assert shown.count("Attended") == 2 and "Ada Byrne" not in str(
        [preview.table.item(r, 3).text() for r in range(preview.table.rowCount())])
    click_next(qtbot, wizard)
    attending = {a.stakeholder.name for a in services.attendance.attendees(event)}
    assert {"Ruth Ellis", "Sam Cole"} <= attending and "Ada Byrne" not in attending


def test_a_match_changed_after_the_preview_refuses_the_import_in_a_sentence(qtbot, window, chosen_file, held_person,
                                                                            tmp_path, no_blocking_dialogs):
    """Someone fills Grace's role (here in a second process, the `tracker` command on the same file) while the
    officer looks at the preview: Import changes nothing and says which record and what to do."""
    import subprocess
    import sys

    from tracker.db import current_path

    chosen_file["path"] = str(write_xlsx(tmp_path / "sign-in.xlsx"))
    before = services.stakeholders.count()
    wizard = open_wizard(qtbot, window)
    wizard.currentPage().browse()
    for _ in range(3):  # the file, how it was read, the mapping
        click_next(qtbot, wizard)
    assert isinstance(wizard.currentPage(), tableimport_pages.PreviewPage)
    other = tmp_path / "other.csv"
    other.write_text("Name,Email,Job title\nGrace Adeyemi,grace.adeyemi@example.org,Deputy head\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "tracker", "--db", str(current_path()), "import-table", str(other),
                           "--as", "stakeholders"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    qtbot.mouseClick(wizard.next_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(no_blocking_dialogs["messages"]), timeout=30_000)
    message = no_blocking_dialogs["messages"][-1]
    assert "Grace Adeyemi" in message and "changed by someone else after the preview" in message
    assert "Preview the file again" in message and no_blocking_dialogs["errors"] == []
    assert wizard.import_id is None and services.stakeholders.count() == before
    assert services.stakeholders.get(held_person.id).role == "Deputy head"  # theirs, not overwritten
