"""The dialogs behind the ask() hooks: each answer maps to what the caller expects."""

import pytest
from PySide6.QtWidgets import QMessageBox

from tracker import services
from ui import dialogs

# The autouse ``answers`` fixture replaces ask(); these tests call the real ones.
REAL_UNSAVED = dialogs.UnsavedChanges.ask.__func__
REAL_STALE = dialogs.StaleEdit.ask.__func__
REAL_FIRST_RUN = dialogs.FirstRun.ask.__func__


@pytest.mark.parametrize("button, expected", [(QMessageBox.StandardButton.Save, dialogs.SAVE),
                                              (QMessageBox.StandardButton.Discard, dialogs.DISCARD),
                                              (QMessageBox.StandardButton.Cancel, dialogs.CANCEL)])
def test_unsaved_changes_answers(qapp, monkeypatch, button, expected):
    shown = []

    def fake_exec(box):
        shown.append(box.text())
        return button.value

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    assert REAL_UNSAVED(dialogs.UnsavedChanges, None, "action “BD-A0001 Book the venue”") == expected
    assert shown == ["You have unsaved changes to action “BD-A0001 Book the venue”."]


@pytest.mark.parametrize("press, expected", [("Reload their version", dialogs.RELOAD),
                                             ("Keep editing", dialogs.KEEP)])
def test_stale_edit_answers(qapp, monkeypatch, press, expected):
    def fake_exec(box):
        button = next(b for b in box.buttons() if b.text() == press)
        button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    assert REAL_STALE(dialogs.StaleEdit, None, "This action was changed by someone else") == expected


def test_first_run_offer(qapp, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert REAL_FIRST_RUN(dialogs.FirstRun, None, "/tmp/x.db") is True
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert REAL_FIRST_RUN(dialogs.FirstRun, None, "/tmp/x.db") is False


def test_settings_dialog_fields(qtbot, db, tmp_path):
    dialog = dialogs.SettingsDialog(None, "Sam Patel", "Redbridge", tmp_path / "x.db")
    qtbot.addWidget(dialog)
    assert dialog.council.currentText() == "Redbridge"
    assert [dialog.council.itemText(i) for i in range(1, dialog.council.count())] == [
        c.name for c in services.councils.all_councils()]
    dialog.name.setText("  Priya Shah ")
    dialog.council.setCurrentIndex(0)
    dialog.database.setText(str(tmp_path / "other.db"))
    assert dialog.values() == {"name": "Priya Shah", "council": "", "database": str(tmp_path / "other.db")}
    assert dialog.name.accessibleName() == "Your name"
