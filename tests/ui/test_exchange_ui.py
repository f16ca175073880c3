"""Sharing in the app: export, import with a preview first, conflicts side by side, undo import."""

import threading

import openpyxl
import pytest
from PySide6.QtWidgets import QPushButton

from tracker import services
from tracker.exchange import export_workbook
from tracker.services import conflicts, imports
from ui import exchange as ui_exchange
from ui import importpreview


@pytest.fixture
def asked(monkeypatch, tmp_path):
    """Scripted answers for the exchange dialogs, and what each was asked."""
    answers = {"export": None, "file": None, "preview": True, "conflict": [], "undo": None, "result": None,
               "seen": []}

    def export_ask(cls, parent):
        answers["seen"].append("export")
        return answers["export"]

    def file_ask(cls, parent):
        return answers["file"]

    def preview_ask(cls, parent, report):
        answers["seen"].append(("preview", report))
        return answers["preview"]

    def conflict_ask(cls, parent, conflict, sides):
        answers["seen"].append(("conflict", sides))
        return answers["conflict"].pop(0) if answers["conflict"] else None

    def result_ask(cls, parent, report):
        answers["seen"].append(("result", report))
        return answers["result"]

    def undo_ask(cls, parent, runs):
        answers["seen"].append(("undo", [r.id for r in runs]))
        return answers["undo"] if answers["undo"] is not None else runs[0].id

    monkeypatch.setattr(ui_exchange.ExportDialog, "ask", classmethod(export_ask))
    monkeypatch.setattr(ui_exchange.ImportFile, "ask", classmethod(file_ask))
    monkeypatch.setattr(ui_exchange.ImportPreview, "ask", classmethod(preview_ask))
    monkeypatch.setattr(ui_exchange.ConflictDialog, "ask", classmethod(conflict_ask))
    monkeypatch.setattr(ui_exchange.UndoImport, "ask", classmethod(undo_ask))
    monkeypatch.setattr(ui_exchange.ImportResult, "ask", classmethod(result_ask))
    return answers


def wait(qtbot, window):
    op = window.sharing.last_operation
    if not op.done:
        with qtbot.waitSignal(op.finished, timeout=30_000):
            pass
    return op


def test_menus_have_the_sharing_entries(window):
    texts = [a.text() for a in window.menus["file"].actions()]
    assert "E&xport for sharing…" in texts and "&Import from another council…" in texts
    edit = [a.text() for a in window.menus["edit"].actions()]
    assert "&Undo import…" in edit and "Review &conflicts…" in edit


def test_export_for_sharing_runs_in_the_background(qtbot, window, asked, tmp_path, no_blocking_dialogs):
    out = tmp_path / "share.xlsx"
    asked["export"] = {"path": str(out), "personal_data": False, "since": None}
    window.actions["export_sharing"].trigger()
    op = wait(qtbot, window)
    assert op.error is None and out.exists()
    about = {r[0].value: r[1].value for r in openpyxl.load_workbook(out)["About"].iter_rows() if r[0].value}
    assert about["Personal data"].startswith("left out")
    assert any("Exported to" in m for m in no_blocking_dialogs["info"]), "a success, with the information icon"
    assert no_blocking_dialogs["messages"] == []


def test_cancelled_export_writes_no_file(qtbot, window, asked, tmp_path, monkeypatch, no_blocking_dialogs):
    out = tmp_path / "share.xlsx"
    asked["export"] = {"path": str(out), "personal_data": True, "since": None}
    pressed = threading.Event()
    real = ui_exchange.export_workbook

    def held_until_cancel(*args, **kwargs):
        pressed.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(ui_exchange, "export_workbook", held_until_cancel)
    window.actions["export_sharing"].trigger()
    op = window.sharing.last_operation
    op.cancel()
    pressed.set()
    wait(qtbot, window)
    assert op.was_cancelled and not out.exists()
    assert not list(tmp_path.glob("*.partial"))
    assert any("cancelled" in m for m in no_blocking_dialogs["info"])


def _edited_copy(tmp_path):
    src = export_workbook(tmp_path / "share.xlsx").path
    wb = openpyxl.load_workbook(src)
    ws = wb["Actions"]
    header = [c.value for c in ws[1]]
    status = ws.cell(row=2, column=header.index("Status") + 1)
    status.value = "Blocked" if status.value == "Done" else "Done"
    uuid = ws.cell(row=2, column=header.index("ID") + 1).value
    new = [None] * len(header)
    new[header.index("Title")] = "Book the hall for the next summit"
    new[header.index("Priority")] = "High"
    new[header.index("Status")] = "Open"
    ws.append(new)
    wb.save(tmp_path / "edited.xlsx")
    return tmp_path / "edited.xlsx", uuid, status.value


def test_import_shows_the_preview_first_and_applies_only_when_confirmed(qtbot, window, asked, tmp_path):
    path, uuid, new = _edited_copy(tmp_path)
    before = services.actions.get(uuid).status
    assert before != new.lower()
    asked["file"] = str(path)
    asked["preview"] = False
    window.actions["import_sharing"].trigger()
    wait(qtbot, window)
    [(_, report)] = [s for s in asked["seen"] if s[0] == "preview"]
    assert (report.added, report.updated, report.conflicts) == (1, 1, 0) and report.dry_run
    change = next(d for d in report.details if d.kind == "updated")
    assert ("Status", services.actions.get(uuid).status.replace("_", " ").capitalize(), new) in change.changes
    assert services.actions.get(uuid).status == before, "declined: nothing changed"
    asked["preview"] = True
    window.actions["import_sharing"].trigger()
    wait(qtbot, window)
    wait(qtbot, window)  # the import itself, started after the preview was confirmed
    assert services.actions.get(uuid).status == new.lower()
    assert services.actions.page(0, 5, search="Book the hall")
    assert imports.imports()[0].added == 1
    # Edit > Undo import puts it back
    window.actions["undo_import"].trigger()
    wait(qtbot, window)
    assert services.actions.get(uuid).status == before
    assert not services.actions.page(0, 5, search="Book the hall")


def test_refused_file_shows_its_problems_and_changes_nothing(qtbot, window, asked, tmp_path):
    path, uuid, _ = _edited_copy(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Actions"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("Due date") + 1).value = "31/02/2019"
    wb.save(path)
    asked["file"] = str(path)
    window.actions["import_sharing"].trigger()
    wait(qtbot, window)
    [(_, report)] = [s for s in asked["seen"] if s[0] == "preview"]
    assert report.refused and "sheet Actions, row 2, column Due date" in report.details[0].message
    assert window.sharing.last_operation.result is report, "no import was started after a refusal"
    assert imports.imports() == []


def test_conflicts_are_reviewed_side_by_side(qtbot, window, asked, tmp_path):
    path, uuid, new = _edited_copy(tmp_path)
    services.actions.update(services.actions.get(uuid), status="in_progress")  # changed here too
    asked["file"] = str(path)
    asked["conflict"] = [("theirs", None)]
    window.actions["import_sharing"].trigger()
    wait(qtbot, window)
    wait(qtbot, window)
    [(_, sides)] = [s for s in asked["seen"] if s[0] == "conflict"]
    assert sides == [("status", "Status", "In progress", new)]
    assert services.actions.get(uuid).status == new.lower() and conflicts.pending_conflicts() == []


def test_conflict_dialog_edit_result(qtbot, window, tmp_path, no_blocking_dialogs):
    path, uuid, new = _edited_copy(tmp_path)
    services.actions.update(services.actions.get(uuid), status="in_progress")
    from tracker.exchange import import_workbook

    import_workbook(path)
    [conflict] = conflicts.pending_conflicts()
    sides = conflicts.conflict_sides(conflict)
    dialog = ui_exchange.ConflictDialog(window, conflict, sides)
    qtbot.addWidget(dialog)
    assert [dialog.table.item(0, c).text() for c in range(4)] == ["Status", "In progress", new, "In progress"]
    [use_result] = [b for b in dialog.findChildren(QPushButton) if b.text() == "Use the &result"]
    dialog.table.item(0, 3).setText("Finished")
    use_result.click()
    assert dialog.result() != dialog.DialogCode.Accepted and "is not one of" in no_blocking_dialogs["messages"][-1]
    dialog.table.item(0, 3).setText("cancelled")
    use_result.click()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.choice == ui_exchange.EDITED
    assert dialog.values == {"status": "cancelled"}
    conflicts.resolve_conflict(conflict, ui_exchange.EDITED, edited=dialog.values)
    assert services.actions.get(uuid).status == "cancelled"


def test_conflict_dialog_says_when_the_files_row_was_edited_in_a_spreadsheet(qtbot, window, tmp_path):
    from PySide6.QtWidgets import QLabel

    from tracker.exchange import import_workbook

    path, uuid, new = _edited_copy(tmp_path)
    services.actions.update(services.actions.get(uuid), status="in_progress")  # not the state exported
    import_workbook(path)
    [conflict] = conflicts.pending_conflicts()
    assert conflicts.edited_in_a_spreadsheet(conflict)
    sides = conflicts.conflict_sides(conflict)
    dialog = ui_exchange.ConflictDialog(window, conflict, sides)
    qtbot.addWidget(dialog)
    note = dialog.findChild(QLabel, "note").text()
    assert "edited.xlsx" in note and "edited in a spreadsheet after it was exported" in note
    conflict.exported_hash = ""  # as a conflict between two councils' own changes is held
    plain = ui_exchange.ConflictDialog(window, conflict, sides)
    qtbot.addWidget(plain)
    assert "spreadsheet" not in plain.findChild(QLabel, "note").text()


def test_preview_dialog_lists_changes(qtbot, window, tmp_path):
    path, uuid, new = _edited_copy(tmp_path)
    from tracker.exchange import import_workbook

    report = import_workbook(path, dry_run=True)
    dialog = ui_exchange.ImportPreview(window, report)
    qtbot.addWidget(dialog)
    rows = [[dialog.table.item(r, c).text() for c in range(4)] for r in range(dialog.table.rowCount())]
    assert ["New", "Action", "Book the hall for the next summit", "a new action from the file"] in rows
    title = services.actions.get(uuid).title
    assert any(r[:3] == ["Update", "Action", importpreview._short(title)] and "Status:" in r[3] and f"→ {new}" in r[3] for r in rows)
