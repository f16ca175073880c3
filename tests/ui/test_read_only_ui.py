"""The app on a database it cannot write (view-only mode, nothing created beside the file), and a ``--db``
path that names no file (asked before anything is created)."""

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.demo_data import copy_of_demo
from tests.read_only import read_only_copy
from tracker import services
from tracker.db import close_database, current_path, is_read_only
from ui import app as app_module
from ui import firstrun

REAL_MISSING_DATABASE_ASK = firstrun.MissingDatabase.__dict__["ask"]  # before the tests' stand-in replaces it


def start(qtbot, argv):
    window = app_module.start(argv)
    assert window is not None
    qtbot.addWidget(window)
    return window


def wal_demo(folder):
    Path(folder).mkdir(exist_ok=True)
    db = copy_of_demo(Path(folder) / "shared.db")
    assert db.read_bytes()[18:20] == b"\x02\x02"  # WAL mode, and no -wal/-shm beside it
    assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()
    return db


def files(folder):
    return {p.name: p.read_bytes() for p in Path(folder).iterdir() if p.is_file()}


def assert_view_only(window, qtbot):
    assert "(read-only)" in window.windowTitle()
    assert window.view_only.banner.isVisibleTo(window) and window.view_only.status.isVisibleTo(window)
    for view in ("stakeholders", "actions", "deleted", "home"):
        window.show_view(view)  # each view's own enabling (New on a list) is held back
        for key in ("new", "save", "delete", "revert", "restore", "import_sharing", "export_sharing", "import_table",
                    "undo_import", "undo_merge", "erase_person", "restore_backup", "find_duplicates"):
            assert not window.actions[key].isEnabled(), (view, key)
    page = window.show_view("actions")
    for key in ("find", "refresh", "report_action_log", "report_register", "settings", "view_actions"):
        assert window.actions[key].isEnabled(), key
    page.table.setCurrentIndex(page.model.index(0, 0))  # a record shown, not editable
    qtbot.waitUntil(lambda: page.editor.record is not None)
    assert page.editor.fields["title"].input.isReadOnly()
    assert not page.editor.fields["status"].input.isEnabled()
    assert not page.editor.save_button.isVisibleTo(page) and not page.editor.delete_button.isVisibleTo(page)
    assert not page.new_button.isVisibleTo(page)
    window.actions["save"].trigger()  # Ctrl+S does nothing
    window.actions["new"].trigger()
    assert page.editor.record is not None and not page.editor.dirty


@pytest.mark.slow
def test_a_database_in_a_read_only_folder_opens_view_only(qtbot, tmp_path):
    with read_only_copy(wal_demo(tmp_path)) as db:
        before = files(db.parent)
        window = start(qtbot, ["--db", str(db)])
        assert current_path() == db and is_read_only()
        assert window.pages["actions"].model.total == services.actions.count() > 10
        assert_view_only(window, qtbot)
        window.close()
        close_database()
        assert files(db.parent) == before  # no -wal, no -shm, not a byte changed


def test_read_only_can_be_asked_for(qtbot, tmp_path):
    db = wal_demo(tmp_path / "w")
    before = files(db.parent)
    window = start(qtbot, ["--db", str(db), "--read-only"])
    assert_view_only(window, qtbot)
    window.close()
    close_database()
    assert files(db.parent) == before


def test_leaving_a_read_only_database_leaves_view_only(qtbot, tmp_path, answers):
    db = wal_demo(tmp_path / "w")
    window = start(qtbot, ["--db", str(db), "--read-only"])
    answers.settings = {"name": "", "council": "", "database": str(tmp_path / "mine.db")}
    answers.first_run = False
    assert window.show_settings()
    assert not is_read_only() and "(read-only)" not in window.windowTitle()
    assert not window.view_only.banner.isVisibleTo(window)
    page = window.show_view("actions")
    assert window.actions["new"].isEnabled() and page.new_button.isVisibleTo(page)
    window.actions["new"].trigger()
    assert not page.editor.fields["title"].input.isReadOnly() and page.editor.save_button.isVisibleTo(page)


# ---- a --db path that names no file ---------------------------------------------------------------

def test_a_mistyped_path_is_asked_about_and_quitting_creates_nothing(qtbot, tmp_path, answers):
    typo = tmp_path / "Documnets" / "council" / "tracker.db"
    answers.missing_database = [firstrun.QUIT]
    assert app_module.start(["--db", str(typo)]) is None
    assert answers.asked == [("missing_database", str(typo))]
    assert not (tmp_path / "Documnets").exists()


def test_choosing_another_file_opens_it(qtbot, tmp_path, answers, saved_file):
    real = copy_of_demo(tmp_path / "tracker.db")
    saved_file["path"] = str(real)
    answers.missing_database = [firstrun.CHOOSE]
    window = start(qtbot, ["--db", str(tmp_path / "trakcer.db")])
    assert current_path() == real and window.pages["stakeholders"].model.total > 100
    # offered in the nearest folder that exists, under the name typed
    assert [asked[0] for asked in saved_file["asked"]] == [str(tmp_path / "trakcer.db")]
    assert not (tmp_path / "trakcer.db").exists()


def test_create_makes_the_folders_and_the_database(qtbot, tmp_path, answers):
    answers.first_run = False
    new = tmp_path / "Shared" / "Havering" / "tracker.db"
    start(qtbot, ["--db", str(new)])
    assert current_path() == new and new.is_file()
    assert sqlite3.connect(new).execute("SELECT count(*) FROM council").fetchone()[0] >= 3


def test_the_question_names_the_path_and_the_folders_to_create(qtbot, tmp_path, monkeypatch):
    shown = []

    def exec_box(box):  # what the user reads, then Choose another… clicked
        shown.append((box.text(), box.informativeText(), [b.text() for b in box.buttons()]))
        next(b for b in box.buttons() if "Choose" in b.text().replace("&", "")).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    typo = tmp_path / "Documnets" / "tracker.db"
    assert REAL_MISSING_DATABASE_ASK.__get__(None, firstrun.MissingDatabase)(None, typo) == firstrun.CHOOSE
    [(text, informative, buttons)] = shown
    assert str(typo) in text and f"The folder {tmp_path / 'Documnets'} does not exist either" in informative
    assert sorted(b.replace("&", "") for b in buttons) == ["Choose another…", "Create", "Quit"]
