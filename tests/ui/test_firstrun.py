"""First start: who the user is (the panel, Settings, the settings file the command shares), and column
widths that fit the data once there is some."""

import random

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from tests.ui.conftest import choose
from tracker import services
from tracker import settings as shared
from tracker.demo import load_demo
from tracker.reports.rows import action_log
from ui import app as app_module
from ui import dialogs, firstrun, settings
from ui.mainwindow import MainWindow


def start(qtbot, argv):
    window = app_module.start(argv)
    assert window is not None
    qtbot.addWidget(window)
    return window


def add_action(qtbot, window, title):
    """File → New on the Actions list, the title typed, File → Save: the new action."""
    window.show_view("actions")
    window.actions["new"].trigger()
    page = window.pages["actions"]
    qtbot.keyClicks(page.editor.fields["title"].input, title)
    window.actions["save"].trigger()
    assert page.editor.record is not None and page.editor.record.title == title
    return page.editor.record


def test_the_panel_asks_who_you_are_without_blocking(qtbot, tmp_path, monkeypatch, answers):
    answers.first_run = False  # no demo data loading meanwhile
    monkeypatch.setenv(firstrun.FIRST_RUN_ENV, "1")  # asked for, under the offscreen platform
    window = start(qtbot, ["--db", str(tmp_path / "new.db")])
    panel = window.who
    assert panel.isVisibleTo(window) and QApplication.activeModalWidget() is None
    # The window works behind it: a new action can be started.
    window.show_view("actions")
    window.actions["new"].trigger()
    assert window.pages["actions"].editor.record is None and panel.isVisibleTo(window)

    assert not panel.save_button.isEnabled()  # a name first
    panel.name.setFocus()
    qtbot.keyClicks(panel.name, "Priya Shah")
    choose(qtbot, panel.council, "Havering")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert not panel.isVisibleTo(window)
    assert shared.user_name() == "Priya Shah" and shared.home_council() == "Havering"  # kept in the shared file
    assert "Priya Shah (Havering)" in window.statusBar().currentMessage()

    window.pages["actions"].editor.forget_edits()
    action = add_action(qtbot, window, "Light the Heathway underpass")
    assert action.reference == "HAV-A0001"
    assert {entry.user for entry in services.history(action.uuid)} == {"Priya Shah"}
    assert action_log().generated_text.endswith("by Priya Shah (Havering)")  # the report footers' line


def test_the_panel_is_not_shown_under_the_offscreen_platform_nor_once_answered(qtbot, tmp_path, monkeypatch):
    window = start(qtbot, ["--db", str(tmp_path / "new.db")])
    assert not window.who.isVisibleTo(window)  # tests, scripts and screenshots are not asked
    window.close()
    monkeypatch.setenv(firstrun.FIRST_RUN_ENV, "1")
    shared.save_user("Priya Shah", "")
    window = start(qtbot, ["--db", str(tmp_path / "new.db")])
    assert not window.who.isVisibleTo(window)  # answered already


def test_not_now_hides_the_panel_until_the_next_start(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv(firstrun.FIRST_RUN_ENV, "1")
    window = start(qtbot, ["--db", str(tmp_path / "new.db")])
    qtbot.mouseClick(window.who.later_button, Qt.MouseButton.LeftButton)
    assert not window.who.isVisibleTo(window) and shared.user_name() == ""
    window.close()
    window = start(qtbot, ["--db", str(tmp_path / "new.db")])
    assert window.who.isVisibleTo(window)


def test_settings_change_who_you_are(qtbot, window, monkeypatch):
    shared.save_user("Priya Shah", "Havering")
    settings.apply_actor()

    def ask(cls, parent, name, council, database):  # the real dialog, typed into and OK clicked
        dialog = dialogs.SettingsDialog(parent, name, council, database)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.name.text() == "Priya Shah" and dialog.council.currentText() == "Havering"
        dialog.name.setFocus()
        dialog.name.selectAll()
        qtbot.keyClicks(dialog.name, "Ben Patel")
        choose(qtbot, dialog.council, "Redbridge")
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        return dialog.values() if dialog.result() == QDialog.DialogCode.Accepted else None

    monkeypatch.setattr(dialogs.SettingsDialog, "ask", classmethod(ask))
    window.actions["settings"].trigger()
    assert shared.user_name() == "Ben Patel" and shared.home_council() == "Redbridge"
    assert services.current_actor().user == "Ben Patel"
    action = add_action(qtbot, window, "Fund the youth forum")
    assert action.reference.startswith("RED-A")
    assert {entry.user for entry in services.history(action.uuid)} == {"Ben Patel"}
    assert {entry.council for entry in services.history(action.uuid)} == {"Redbridge"}


def test_the_settings_file_is_read_and_written_alike_by_qsettings(tmp_path):
    rng = random.Random(11)
    alphabet = 'ab ,;="\\@\t\n\x01\x00é日%/[]#x0F'
    values = {f"user/v{n}": "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10))) for n in range(300)}
    path = tmp_path / "written_by_qt.ini"
    qt = QSettings(str(path), QSettings.Format.IniFormat)
    for key, value in values.items():
        qt.setValue(key, value)
    qt.setValue("window/geometry", b"\x00\x01ab\xff")
    qt.sync()
    del qt
    assert {k: v for k, v in shared.read(path).items() if k.startswith("user/")} == values  # Qt -> tracker

    path = tmp_path / "written_by_tracker.ini"
    qt = QSettings(str(path), QSettings.Format.IniFormat)
    qt.setValue("window/geometry", b"\x00\x01ab\xff")
    qt.sync()
    del qt
    shared.write(values, path)
    qt = QSettings(str(path), QSettings.Format.IniFormat)
    assert {key: qt.value(key) for key in values} == values  # tracker -> Qt
    assert bytes(qt.value("window/geometry")) == b"\x00\x01ab\xff"  # what tracker did not write is as it was


def test_column_widths_fitted_on_an_empty_database_adapt_to_data(qtbot, db):
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    table = first.pages["actions"].table
    header = table.horizontalHeader()
    # the owner column: a key column sized to its contents (the title column stretches with the window)
    title = next(c for c in range(header.count()) if first.pages["actions"].model.headerData(c, Qt.Orientation.Horizontal)
                 == "Owner")
    empty_width = header.sectionSize(title)
    assert not table.widths_settled
    first.close()  # saved: nothing, the widths fit the headings only
    assert QSettings(str(settings.settings_file()), QSettings.Format.IniFormat).value("window/actions/columns") is None

    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    table = second.pages["actions"].table
    load_demo()  # the data arrive (announced): the columns are fitted to them
    qtbot.waitUntil(lambda: second.pages["actions"].model.rowCount() > 0)
    assert table.widths_settled and table.horizontalHeader().sectionSize(title) > empty_width
    fitted = table.horizontalHeader().sectionSize(title)
    second.close()

    third = MainWindow()
    qtbot.addWidget(third)
    third.show()
    assert third.pages["actions"].table.horizontalHeader().sectionSize(title) == fitted  # kept from now on
    assert third.pages["actions"].table.widths_settled


def test_widths_the_user_set_on_an_empty_list_are_kept(qtbot, db):
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    first.pages["events"].table.horizontalHeader().resizeSection(0, 333)
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    assert second.pages["events"].table.horizontalHeader().sectionSize(0) == 333
