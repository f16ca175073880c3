"""A damaged database in the app: at start-up and mid-session the same dialog, the newest sound backup
offered with its date and counts, nothing more written to the damaged file, and never the generic
"Something unexpected went wrong".  The damage is real: pages overwritten (tests/tracker/damage.py)."""

import dataclasses
import hashlib
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.demo_data import copy_of_demo
from tests.tracker.damage import damage_table
from tracker import backups, services
from tracker.damage import current_damage
from tracker.db import close_database, current_path
from tracker.errors import DamagedDatabaseError
from tracker.opening import open_database
from ui import app as app_module
from ui import damage, errors, safety, settings
from ui.mainwindow import MainWindow


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def live_counts():
    stats = services.stats()
    return {kind: stats[kind] for kind in ("stakeholders", "events", "commitments", "actions")}


def demo_file(tmp_path, name="work.db", extra=0):
    """A demo database with ``extra`` more stakeholders and a backup of it (returned with its counts); closed."""
    path = copy_of_demo(tmp_path / name)
    open_database(path)
    for n in range(extra):
        services.stakeholders.create(name=f"Added later {n}")
    counts = live_counts()
    backup = backups.backup_before("import")
    close_database()
    return path, backup, counts


class Asked:
    """Scripted answers to the damage dialog (and the questions it leads to); what it was told."""

    def __init__(self):
        self.answers = []  # default QUIT
        self.reports = []
        self.over_a_window = []  # for each question: was a main window showing?
        self.open_another = None
        self.choose = None  # a function of the offered backups
        self.while_asked = None  # run while the dialog is "open" (what a timer or a click could do then)

    def dialog(self, parent, report):
        self.reports.append(dataclasses.replace(report))  # as it was when asked
        self.over_a_window.append(any(isinstance(w, MainWindow) and w.isVisible()
                                      for w in QApplication.topLevelWidgets()))
        if self.while_asked is not None:
            self.while_asked()
        return self.answers.pop(0) if self.answers else damage.QUIT


@pytest.fixture
def asked(monkeypatch):
    a = Asked()
    monkeypatch.setattr(damage.DamagedDatabaseDialog, "ask", classmethod(lambda cls, p, r: a.dialog(p, r)))
    monkeypatch.setattr(damage.OpenAnotherDatabase, "ask", classmethod(lambda cls, p, folder: a.open_another))
    monkeypatch.setattr(safety.ChooseBackup, "ask", classmethod(lambda cls, p, found: a.choose(found)))
    return a


def started(qtbot, path):
    window = app_module.start(["--db", str(path)])
    if window is not None:
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.daily_backup.done, timeout=20_000)
    return window


def kept_aside(path):
    return [b.path for b in backups.list_backups(path) if b.reason == "damaged"]


# ---- at start-up ---------------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["opening", "building the window"])
def test_at_start_the_dialog_offers_the_newest_sound_backup_and_restoring_it_shows_it(
        qtbot, tmp_path, asked, no_blocking_dialogs, where):
    path, backup, counts = demo_file(tmp_path)
    if where == "opening":
        damage_table(path, "council", "root")  # read while the database opens
    else:
        damage_table(path, "action_item", "leaves")  # opens; the overview and the Actions list read it
    damaged = digest(path)
    asked.answers = [damage.RESTORE]
    window = started(qtbot, path)
    (report,) = asked.reports
    assert asked.over_a_window == [False]  # the dialog came before the window
    assert report.path == path and "cannot be read" in report.reason and "malformed" in report.reason
    assert report.newest.backup.path == backup and report.newest.counts == counts
    assert no_blocking_dialogs["errors"] == [] and no_blocking_dialogs["messages"] == []
    assert window is not None and window.isVisible() and current_path() == path
    assert live_counts() == counts and current_damage() is None
    assert window.pages["actions"].model.total == counts["actions"]
    assert window.pages["stakeholders"].model.total == counts["stakeholders"]
    (kept,) = kept_aside(path)
    assert digest(kept) == damaged


def test_at_start_quit_leaves_the_file_as_it_was(qtbot, tmp_path, asked, no_blocking_dialogs):
    path, _, _ = demo_file(tmp_path)
    damage_table(path, "stakeholder", "root")
    damaged = digest(path)
    asked.answers = [damage.QUIT]
    assert started(qtbot, path) is None
    assert len(asked.reports) == 1 and no_blocking_dialogs["errors"] == []
    assert digest(path) == damaged and kept_aside(path) == []
    assert app_module.main(["--db", str(path)]) == 1  # the command line's exit status when quitting there


def test_at_start_another_database_can_be_opened_instead(qtbot, tmp_path, asked, no_blocking_dialogs):
    path, _, _ = demo_file(tmp_path)
    other, _, other_counts = demo_file(tmp_path, "other.db", extra=2)
    damage_table(path, "stakeholder", "root")
    damaged = digest(path)
    asked.answers = [damage.OPEN_ANOTHER]
    asked.open_another = str(other)
    window = started(qtbot, path)
    assert window is not None and current_path() == other and live_counts() == other_counts
    assert window.pages["stakeholders"].model.total == other_counts["stakeholders"]
    assert settings.last_database() == str(other)
    assert digest(path) == damaged and no_blocking_dialogs["errors"] == []


def test_choosing_a_damaged_file_again_says_so_and_asks_again(qtbot, tmp_path, asked, no_blocking_dialogs):
    path, backup, counts = demo_file(tmp_path)
    damage_table(path, "stakeholder", "root")
    asked.answers = [damage.OPEN_ANOTHER, damage.RESTORE]
    asked.open_another = str(path)  # the damaged file itself
    window = started(qtbot, path)
    first, second = asked.reports
    assert second.problem.startswith(f"{path} could not be opened: The database {path} is damaged")
    assert window is not None and live_counts() == counts


def test_an_older_backup_can_be_chosen(qtbot, tmp_path, asked, no_blocking_dialogs):
    path, older, older_counts = demo_file(tmp_path)
    open_database(path)
    services.stakeholders.create(name="After the first backup")
    newer = backups.backup_before("import")
    close_database()
    damage_table(path, "stakeholder", "root")
    asked.answers = [damage.CHOOSE]
    asked.choose = lambda found: found[0]
    window = started(qtbot, path)
    (report,) = asked.reports
    assert report.newest.backup.path == newer and [b.path for b in report.others] == [older]
    assert window is not None and live_counts() == older_counts


def test_a_damaged_newer_backup_is_passed_over(qtbot, tmp_path, asked, no_blocking_dialogs):
    path, sound, counts = demo_file(tmp_path)
    open_database(path)
    copy = backups.backup_before("import")
    close_database()
    damage_table(copy, "stakeholder", "leaves")
    damage_table(path, "stakeholder", "root")
    started(qtbot, path)  # answered Quit
    (report,) = asked.reports
    assert report.newest.backup.path == sound and report.newest.counts == counts
    assert report.others == []  # the newer one was checked and is damaged: not offered


def test_without_any_backup_the_dialog_says_so(qtbot, tmp_path, asked, no_blocking_dialogs):
    path, backup, _ = demo_file(tmp_path)
    backup.unlink()
    damage_table(path, "stakeholder", "root")
    assert started(qtbot, path) is None
    (report,) = asked.reports
    assert report.newest is None and report.others == [] and report.unsound == 0


# ---- mid-session -------------------------------------------------------------------------------------

def damage_underneath(path, table="action_item"):
    """Damage the open database's file between two statements, as a failing disk would."""
    close_database()  # every connection closed, the WAL checkpointed: the file is the database
    damage_table(path, table, "leaves")
    open_database(path)
    return digest(path)


def test_mid_session_the_same_dialog_nothing_more_is_written_and_quit_closes(qtbot, tmp_path, asked,
                                                                             no_blocking_dialogs):
    path, _, counts = demo_file(tmp_path)
    window = started(qtbot, path)
    newest = backups.list_backups(path)[0].path  # today's, taken at start
    damaged = damage_underneath(path)
    editor = window.show_view("stakeholders").editor
    editor.new()
    qtbot.keyClicks(editor.fields["name"].input, "Typed before the damage")
    assert editor.dirty
    refused = []

    def meanwhile():  # the dialog is up: a second refresh, a save: neither may reach the file
        window.refresh()
        try:
            services.stakeholders.create(name="Saved while the dialog is up")
        except DamagedDatabaseError:
            refused.append("create")
        refused.append(window.pages["stakeholders"].save())

    asked.while_asked = meanwhile
    window.show_view("actions")
    window.refresh()  # F5: reads the actions, meets the damaged pages
    (report,) = asked.reports  # once: the refresh inside did not ask again
    assert asked.over_a_window == [True]
    assert report.path == path and report.newest.backup.path == newest and report.newest.counts == counts
    assert report.unsaved  # the typed name could not be saved, and the dialog says so
    assert refused == ["create", False]
    assert not window.isVisible() and not editor.dirty  # quit: closed without asking about the edit
    assert no_blocking_dialogs["errors"] == []
    close_database()
    assert digest(path) == damaged


def test_mid_session_restore_shows_the_restored_data(qtbot, qtlog, tmp_path, asked, no_blocking_dialogs):
    path, backup, counts = demo_file(tmp_path)
    window = started(qtbot, path)
    damaged = damage_underneath(path)
    asked.answers = [damage.RESTORE]
    window.show_view("actions")
    window.refresh()
    assert len(asked.reports) == 1 and window.isVisible()
    assert live_counts() == counts and window.pages["actions"].model.total == counts["actions"]
    assert "Restored the backup" in window.statusBar().currentMessage()
    # the list whose refresh met the damage ended its reset before it was shown again
    assert not [r for r in qtlog.records if "endResetModel" in r.message]
    (kept,) = kept_aside(path)
    assert digest(kept) == damaged
    assert window.pages["stakeholders"].editor.service.create(name="Saved after the restore").id
    assert no_blocking_dialogs["errors"] == [] and no_blocking_dialogs["messages"] == []


def test_a_background_operation_that_meets_the_damage_goes_to_the_same_dialog(qtbot, tmp_path, asked,
                                                                              no_blocking_dialogs):
    from ui.worker import run_in_background

    path, _, counts = demo_file(tmp_path)
    window = started(qtbot, path)
    damage_underneath(path)
    asked.answers = [damage.RESTORE]
    operation = run_in_background(window, lambda progress: services.actions.page(0, 500), label="Exporting…")
    with qtbot.waitSignal(operation.finished, timeout=20_000):
        pass
    assert isinstance(operation.error, DamagedDatabaseError)
    assert len(asked.reports) == 1 and no_blocking_dialogs["errors"] == []
    assert live_counts() == counts and window.pages["actions"].model.total == counts["actions"]


def test_sqlites_raw_report_reaching_the_excepthook_goes_to_the_same_dialog(qtbot, tmp_path, asked,
                                                                              no_blocking_dialogs):
    import sqlite3
    import sys

    path, _, _ = demo_file(tmp_path)
    window = started(qtbot, path)
    damaged = damage_underneath(path)
    raw = sqlite3.DatabaseError("database disk image is malformed")
    sys.excepthook(type(raw), raw, None)  # e.g. raised by a slot, past every cursor
    assert len(asked.reports) == 1 and no_blocking_dialogs["errors"] == []
    assert not window.isVisible()
    close_database()
    assert digest(path) == damaged


def test_the_daily_backup_finds_damage_nothing_on_screen_reads(qtbot, tmp_path, asked, no_blocking_dialogs):
    path, backup, counts = demo_file(tmp_path)
    damage_table(path, "audit_entry", "leaves")  # the history of changes: read only when asked for
    asked.answers = [damage.RESTORE]
    # (and by the dashboard's chart of actions over time: the app is left on another view)
    settings.app_settings().setValue("window/view", "stakeholders")
    window = app_module.start(["--db", str(path)])
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.daily_backup.done, timeout=20_000)
    (report,) = asked.reports
    assert "integrity check" in report.reason and report.newest.backup.path == backup
    assert [b.reason for b in backups.list_backups(path)].count("daily") == 0  # the damaged copy is gone
    assert live_counts() == counts and services.check() == []


# ---- the dialog itself ---------------------------------------------------------------------------------

def test_the_dialog_says_what_happened_and_offers_the_ways_out(qtbot, tmp_path):
    path, backup, counts = demo_file(tmp_path)
    found = backups.newest_sound_backup(path)
    report = damage.DamageReport(path, 'some of its pages cannot be read (SQLite: "database disk image is '
                                       'malformed")', newest=found, others=backups.list_backups(path), unsaved=True)
    dialog = damage.DamagedDatabaseDialog(None, report)
    qtbot.addWidget(dialog)
    dialog.show()
    titles = {answer: button.text() for answer, button in dialog.buttons.items()}
    assert titles == {damage.RESTORE: f"Restore the backup of {found.backup.taken:%d/%m/%Y %H:%M}",
                      damage.CHOOSE: "Choose an older backup…", damage.OPEN_ANOTHER: "Open another database…",
                      damage.QUIT: "Quit"}
    restore = dialog.buttons[damage.RESTORE]
    assert restore.description().startswith(f"{counts['stakeholders']} stakeholders, {counts['events']} events, "
                                            f"{counts['commitments']} commitments, {counts['actions']} actions.")
    assert restore.isDefault()
    assert dialog.explanation.text().startswith("Some of its pages cannot be read")
    assert "nothing more will be written" in dialog.explanation.text() and "not saved" in dialog.explanation.text()
    image = dialog.grab()
    assert not image.isNull() and image.save(str(tmp_path / "damaged-dialog.png"))
    for button in dialog.buttons.values():  # nothing cut off: each choice is as tall as its text needs
        assert button.height() >= button.heightForWidth(button.width())
    dialog.buttons[damage.OPEN_ANOTHER].click()
    assert dialog.answer == damage.OPEN_ANOTHER and dialog.result() == dialog.DialogCode.Accepted


def test_damage_met_by_a_slot_while_the_window_is_built_waits_until_it_is(qtbot, tmp_path, asked,
                                                                          no_blocking_dialogs):
    # Qt hands an exception raised in a slot to sys.excepthook, not to whoever built the window.
    from PySide6.QtCore import QObject, Signal

    class Screen(QObject):
        shown = Signal()

    path, backup, counts = demo_file(tmp_path)
    damage_table(path, "audit_entry", "leaves")  # the history of changes: nothing else reads it
    asked.answers = [damage.RESTORE]
    built = []

    def make_window():
        window = MainWindow()
        screen = Screen()
        screen.shown.connect(lambda: services.history(services.stakeholders.page(0, 1)[0].uuid))
        screen.shown.emit()  # the slot meets the damage; the window is not shown yet
        built.append(window)
        return window

    errors.install_excepthook()  # as start-up does; then it opens the database (the damage is not met there)
    damage.install()
    open_database(path)
    window = damage.handler.build_window(make_window)
    qtbot.addWidget(window)
    assert len(built) == 2 and window is built[1]  # the first dropped, the second built on the restored file
    assert asked.over_a_window == [False] and len(asked.reports) == 1
    assert live_counts() == counts and no_blocking_dialogs["errors"] == []
