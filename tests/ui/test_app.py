"""Start-up (first run, last database, --db), settings, remembered window state, errors."""

import sys

from peewee import OperationalError
from PySide6.QtWidgets import QApplication

from tracker import services
from tracker.db import close_database, current_path
from tracker.logs import log_file
from tracker.paths import data_dir
from ui import app as app_module
from ui import errors, settings
from ui.mainwindow import MainWindow


def start(qtbot, argv):
    window = app_module.start(argv)
    assert window is not None
    qtbot.addWidget(window)
    return window


def test_first_run_creates_the_database_and_offers_the_demo(qtbot, answers):
    window = start(qtbot, [])
    assert current_path() == data_dir() / "tracker.db"
    assert answers.asked[0][0] == "first_run"
    with qtbot.waitSignal(window.background.finished, timeout=30_000):
        pass  # the demo loads on a worker thread, then every view is refreshed
    assert services.stats()["stakeholders"] > 100
    assert log_file().is_file()  # the log goes to the data folder
    assert window.pages["actions"].model.total == services.actions.count()
    window.close()
    close_database()

    answers.asked.clear()
    window = start(qtbot, [])  # a later run opens the same database and asks nothing
    assert current_path() == data_dir() / "tracker.db" and answers.asked == []


def test_declining_the_demo_leaves_an_empty_database(qtbot, answers, tmp_path):
    answers.first_run = False
    start(qtbot, ["--db", str(tmp_path / "mine.db")])
    assert current_path() == tmp_path / "mine.db"
    assert services.stats()["stakeholders"] == 0
    assert settings.last_database() == str(tmp_path / "mine.db")


def test_last_database_is_reopened(qtbot, tmp_path, answers):
    start(qtbot, ["--db", str(tmp_path / "first.db")]).close()
    close_database()
    start(qtbot, [])
    assert current_path() == tmp_path / "first.db"


def test_a_bad_database_is_a_message_not_a_crash(qtbot, tmp_path, no_blocking_dialogs):
    bad = tmp_path / "notes.db"
    bad.write_text("not a database")
    assert app_module.start(["--db", str(bad)]) is None
    assert "not a Stakeholder Tracker database" in no_blocking_dialogs["messages"][0]


def test_settings_set_the_audit_actor_and_persist(window, answers):
    answers.settings = {"name": "Priya Shah", "council": "Havering", "database": str(current_path())}
    assert window.show_settings()
    assert services.current_actor().user == "Priya Shah" and services.current_actor().council == "Havering"
    assert (data_dir() / "settings.ini").is_file()
    assert settings.user_name() == "Priya Shah" and settings.home_council() == "Havering"
    page = window.show_view("actions")
    page.new_record()
    page.editor.fields["title"].set("Ring the venue")
    assert page.save()
    assert page.editor.record.reference.startswith("HAV-A")
    assert services.history(page.editor.record.uuid)[0].user == "Priya Shah"


def test_settings_can_move_to_another_database(window, answers, tmp_path):
    answers.settings = {"name": "", "council": "", "database": str(tmp_path / "other.db")}
    answers.first_run = False
    assert window.show_settings()
    assert current_path() == tmp_path / "other.db"
    assert window.pages["stakeholders"].model.total == 0
    assert settings.last_database() == str(tmp_path / "other.db")
    assert "other.db" in window.windowTitle()


def test_window_remembers_view_splitters_and_columns(qtbot, demo_db):
    first = MainWindow()
    qtbot.addWidget(first)
    first.resize(790, 560)  # the offscreen screen is 800x600; restoring clamps to it
    first.show()
    first.show_view("commitments")
    page = first.pages["commitments"]
    # A column the user can drag (the title stretches to the room the others leave: not draggable)
    column = next(c for c, col in enumerate(page.model.columns)
                  if not col.elastic and not page.table.horizontalHeader().isSectionHidden(c))
    page.table.horizontalHeader().resizeSection(column, 321)
    page.splitter.setSizes([100, 700])  # the default gives the list more room than the editor
    first.close()

    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    assert second.current_view() == "commitments"
    assert second.pages["commitments"].table.horizontalHeader().sectionSize(column) == 321
    table, editor = second.pages["commitments"].splitter.sizes()
    assert table < editor
    assert second.size().height() == 560  # not the default (85% of the screen)
    assert second.size().width() >= 790


def test_unexpected_errors_get_the_friendly_dialog(window, no_blocking_dialogs):
    errors.install_excepthook()
    try:
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = sys.__excepthook__
    assert "RuntimeError: boom" in no_blocking_dialogs["errors"][0]
    errors.show_exception(window, OperationalError("database is locked"))
    assert "busy" in no_blocking_dialogs["messages"][-1] and "Traceback" not in no_blocking_dialogs["messages"][-1]


def test_error_dialog_copies_details(qtbot):
    dialog = errors.ErrorDialog(None, "Something went wrong", "Traceback: details here")
    qtbot.addWidget(dialog)
    assert dialog.details.isHidden()
    dialog.toggle.click()
    assert not dialog.details.isHidden()
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == "Traceback: details here"


def test_a_locked_database_on_save_is_a_clear_message(window, no_blocking_dialogs, monkeypatch):
    page = window.show_view("actions")
    page.new_record()
    page.editor.fields["title"].set("Blocked by a lock")

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services.actions, "create", locked)
    assert not page.save()
    assert "busy" in no_blocking_dialogs["messages"][-1]


def test_the_app_starts_without_loading_the_spreadsheet_writer():
    """openpyxl (and numpy, which it loads when installed) is loaded when a file is written, not at every start;
    rapidfuzz's numpy when names are matched.  (The dashboard's charts are painted with QPainter: no charting
    library; matplotlib, no longer a dependency, is listed so that it is never brought back into the start.)"""
    import os
    import subprocess
    import sys

    code = ("import sys, ui.mainwindow; "
            "print(sorted(m for m in ('openpyxl', 'numpy', 'python_calamine', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == "[]"
