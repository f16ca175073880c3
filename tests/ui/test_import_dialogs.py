"""Importing another council's workbook as a person sees it (issue 15, "Dialogs and long work"): the
preview in the registry's words with the whole change and its sides named, the result box with the
information icon and Undo import, and the conflict dialog naming its record."""

import threading

import openpyxl
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from tracker import services
from tracker.exchange import export_workbook, import_workbook
from tracker.services import conflicts, imports
from ui import exchange as ui_exchange
from ui import importpreview

from . import test_exchange_ui
from .test_exchange_ui import wait

asked = test_exchange_ui.asked  # the exchange dialogs' scripted answers, a fixture shared with those tests

REAL_RESULT_ASK = importpreview.ImportResult.__dict__["ask"]  # before any fixture replaces it
LONG = ("Book the main hall at Dagenham Civic Centre for the next tri-borough summit, with a crèche, step-free "
        "access, a hearing loop and space for the youth panel to present what the schools cluster found")


def _changed_copy(tmp_path):
    """An exported workbook whose first action has a long new description, another owner and a due date."""
    src = export_workbook(tmp_path / "share.xlsx").path
    wb = openpyxl.load_workbook(src)
    actions, people = wb["Actions"], wb["Stakeholders"]
    header = [c.value for c in actions[1]]
    uuid = actions.cell(row=2, column=header.index("ID") + 1).value
    action = services.actions.get(uuid)
    owner = next(s for s in services.stakeholders.page(0, 50) if s.kind == "person" and s.id != action.owner_id)
    actions.cell(row=2, column=header.index("Description") + 1).value = LONG
    actions.cell(row=2, column=header.index("Owner ID") + 1).value = str(owner.uuid)
    actions.cell(row=2, column=header.index("Owner") + 1).value = owner.name
    del people  # the owner is linked by ID; the sheet of people is as exported
    wb.save(tmp_path / "from-havering.xlsx")
    return tmp_path / "from-havering.xlsx", action, owner


def test_the_preview_speaks_in_records_and_fields_and_shows_the_whole_change(qtbot, window, tmp_path):
    path, action, owner = _changed_copy(tmp_path)
    report = import_workbook(path, dry_run=True)
    dialog = importpreview.ImportPreview(window, report)
    qtbot.addWidget(dialog)
    dialog.show()
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())]
    assert headers == ["What", "Record", "Name", "Changes: this database → the file"]
    assert "Sheet" not in headers and "Row" not in headers
    assert "this database" in dialog.findChild(QLabel, "sides").text()
    [row] = [r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 2).text() == importpreview._short(action.title)]
    assert [dialog.table.item(row, c).text() for c in range(2)] == ["Update", "Action"]
    line = dialog.table.item(row, 3).text()
    assert f"Owner: {action.owner.name} → {owner.name}" in line, "the field's name, not the column 'Owner ID'"
    assert "Owner ID" not in line and LONG not in line and "…" in line  # the list cuts the long text
    assert LONG in dialog.table.item(row, 3).toolTip(), "the tooltip holds the whole change"
    # Selecting the row (clicked, as a person does) shows the whole change below, each side named.
    rect = dialog.table.visualRect(dialog.table.model().index(row, 0))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    sides = [dialog.sides.horizontalHeaderItem(c).text() for c in range(3)]
    assert sides == ["Field", "This database (now)", "The file (from-havering.xlsx)"]
    whole = {dialog.sides.item(r, 0).text(): (dialog.sides.item(r, 1).text(), dialog.sides.item(r, 2).text())
             for r in range(dialog.sides.rowCount())}
    assert whole["Description"] == (action.description or "(empty)", LONG)
    assert whole["Owner"] == (action.owner.name, owner.name)
    caption = dialog.findChild(QLabel, "caption").text()
    assert action.title in caption and "row 2 of the file's sheet Actions" in caption


def test_the_import_result_has_the_information_icon_and_undo_import_undoes_it(qtbot, window, asked, tmp_path,
                                                                              monkeypatch, no_blocking_dialogs):
    path, action, owner = _changed_copy(tmp_path)
    monkeypatch.setattr(ui_exchange.ImportResult, "ask", REAL_RESULT_ASK)  # the real box
    seen = {}

    def press_undo():  # in the result box, while it is open (modal): what a person sees, then Undo import
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press_undo)
            return
        seen.update(icon=box.icon(), text=box.text(), more=box.informativeText())
        [undo] = [b for b in box.buttons() if b.text() == "&Undo import"]
        qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)

    asked["file"] = str(path)
    window.actions["import_sharing"].trigger()
    wait(qtbot, window)  # the preview (answered: import)
    QTimer.singleShot(0, press_undo)
    wait(qtbot, window)  # the import, then its result box
    qtbot.waitUntil(lambda: window.sharing.last_operation.done and bool(no_blocking_dialogs["info"]), timeout=30_000)
    assert seen["icon"] == QMessageBox.Icon.Information
    assert seen["text"].startswith("Imported from-havering.xlsx: 0 added, 1 updated")
    assert "Edit → Undo import" in seen["more"] and "tracker undo-import" not in seen["more"] + seen["text"]
    assert services.actions.get(action.id).owner_id == action.owner_id, "undone: the owner is back"
    assert services.actions.get(action.id).description == action.description
    assert imports.imports()[0].undone_at is not None
    assert "was undone" in no_blocking_dialogs["info"][-1] and no_blocking_dialogs["messages"] == []
    # The words point to a real command: Edit → Undo import… is there and enabled.
    undo_action = window.actions["undo_import"]
    assert undo_action in window.menus["edit"].actions() and undo_action.isEnabled()
    assert undo_action.text() == "&Undo import…"


def test_a_result_box_with_nothing_imported_offers_no_undo(qtbot, window, tmp_path):
    report = import_workbook(export_workbook(tmp_path / "same.xlsx").path)
    box, undo = importpreview.ImportResult.box(window, report)
    qtbot.addWidget(box)
    assert box.icon() == QMessageBox.Icon.Information and undo is None
    assert "Nothing was changed" in box.text()


def test_the_conflict_dialog_names_its_record(qtbot, window, tmp_path):
    path, action, owner = _changed_copy(tmp_path)
    services.actions.update(services.actions.get(action.id), description="Changed here meanwhile")
    import_workbook(path)
    [conflict] = conflicts.pending_conflicts()
    dialog = ui_exchange.ConflictDialog(window, conflict, conflicts.conflict_sides(conflict))
    qtbot.addWidget(dialog)
    named = dialog.findChild(QLabel, "record").text()
    assert f"Action: {action.title}" in named and f"({action.reference})" in named
    assert dialog.windowTitle() == f"Review a conflict: action {action.title}"
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(4)]
    assert headers[1] == "This database (mine)" and headers[2].startswith("The file (theirs")

    window.resize(683, 384)  # a 1366x768 screen at 200%: the dialog opens no wider than the window
    qtbot.waitUntil(lambda: window.width() == 683)
    small = ui_exchange.ConflictDialog(window, conflict, conflicts.conflict_sides(conflict))
    qtbot.addWidget(small)
    small.show()
    qtbot.waitExposed(small)
    assert small.width() <= 683 and small.minimumSizeHint().width() <= 683


def test_the_preview_opens_on_top_with_no_progress_box_left(qtbot, window, asked, tmp_path, monkeypatch):
    """"Comparing with this database 40%" shows while the file is read; then the preview opens: it is the active
    modal window and the progress box no longer exists (it cannot come back over it)."""
    from shiboken6 import isValid

    from ui import worker

    path, _action, _owner = _changed_copy(tmp_path)
    monkeypatch.setattr(worker, "PROGRESS_DIALOG_DELAY_MS", 0)
    made, labels, shown = [], set(), threading.Event()

    class Watched(worker.ProgressBox):
        def __init__(self, *args):
            super().__init__(*args)
            made.append(self)

    def watch():
        for box in made:
            if isValid(box) and box.isVisible():
                labels.add(box.labelText())
                if box.labelText().startswith("Comparing with this database"):
                    shown.set()

    real = ui_exchange.import_workbook

    def slow(path, dry_run=False, progress=None):
        report = real(path, dry_run=dry_run, progress=progress)
        shown.wait(20)  # until the box was seen saying the reading's last words
        return report

    seen = {}

    def preview_ask(cls, parent, report):
        seen["alive"] = [box for box in made if isValid(box)]
        dialog = seen["dialog"] = importpreview.ImportPreview(parent, report)
        dialog.open()
        return False

    monkeypatch.setattr(worker, "ProgressBox", Watched)
    monkeypatch.setattr(ui_exchange, "import_workbook", slow)
    monkeypatch.setattr(ui_exchange.ImportPreview, "ask", classmethod(preview_ask))
    timer = QTimer()
    timer.timeout.connect(watch)
    timer.start(10)
    asked["file"] = str(path)
    window.actions["import_sharing"].trigger()
    wait(qtbot, window)
    timer.stop()
    assert shown.is_set() and any(label.startswith("Comparing with this database") for label in labels), labels
    assert seen["alive"] == [], "the progress box was gone before the preview opened"
    dialog = seen["dialog"]
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is dialog, timeout=5_000)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5_000)
    assert not any(isValid(box) for box in made)
    dialog.reject()
