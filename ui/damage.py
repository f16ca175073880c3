"""A damaged database, in the app: one handler, at start-up and in the middle of a session.

``tracker.sqlite_damage`` recognises SQLite's report of a damaged file wherever it happens and
refuses every further statement on it.  Whatever meets it in the app (start-up, ``ui.errors.
show_exception``, the excepthook, a background operation) comes to :class:`DamageHandler`, which

1. stops using the file (its connection closed; the models stay bound to a database that
   refuses every statement, so a screen still asking for data meets the damage again, quietly);
2. looks for the newest backup that passes SQLite's integrity check, off the UI thread with
   progress (``tracker.backups.newest_sound_backup``);
3. asks :class:`DamagedDatabaseDialog`: restore that backup (or choose another, through
   ``ui.safety.ChooseBackup``), open another database (:class:`OpenAnotherDatabase`), or quit;
4. restores with ``tracker.restore.restore_backup`` off the UI thread (the damaged file is kept aside
   and replaced by a rename, never written) and shows the window on the result.

The handler never runs twice at once: damage met again while it works (a timer, a repaint, the
dialog's own parent refreshing) is logged and dropped.  At start-up, damage met while the window
is being built is held until it is built, and the dialog appears before any window.
"""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QApplication, QCommandLinkButton, QDialog, QLabel, QMainWindow,
                               QVBoxLayout)

from tracker import APP_NAME, backups
from tracker.damage import current_damage, damage_of, stop_using_damaged
from tracker.db import current_path, database
from tracker.errors import TrackerError
from tracker.logs import log_file
from tracker.opening import open_database
from tracker.restore import restore_backup
from ui import errors, filedialogs, settings
from ui.safety import ChooseBackup
from ui.worker import run_and_wait

log = logging.getLogger(__name__)

RESTORE, CHOOSE, OPEN_ANOTHER, QUIT = "restore", "choose", "open another", "quit"
ZERO_WIDTH_SPACE = "\u200b"  # lets a long path wrap after each folder instead of running off the dialog


@dataclass
class DamageReport:
    """What the dialog says: the file, SQLite's reason, the newest sound backup and the others."""

    path: Path
    reason: str
    newest: backups.SoundBackup = None
    others: list = field(default_factory=list)  # backups that may be chosen instead (Backup)
    unsound: int = 0  # backups checked and found damaged (or too new)
    unsaved: bool = False  # edits were dropped: they could not be written to the damaged file
    problem: str = ""  # what went wrong with the last choice, shown above the choices


class DamagedDatabaseDialog(QDialog):
    """Says that the file is damaged and offers the ways out; ``answer`` is one of the four choices."""

    def __init__(self, parent, report):
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME}: the database is damaged")
        self.setAccessibleName("The database is damaged")
        self.answer = QUIT  # closing the dialog leaves the file alone, like Quit
        layout = QVBoxLayout(self)
        heading = QLabel("The database file is damaged")
        font = _bold(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        heading.setFont(font)
        layout.addWidget(heading)
        path = QLabel(str(report.path).replace("/", "/" + ZERO_WIDTH_SPACE).replace("\\", "\\" + ZERO_WIDTH_SPACE))
        path.setWordWrap(True)
        path.setAccessibleName("Database file")
        layout.addWidget(path)
        reason = report.reason[:1].upper() + report.reason[1:]
        text = f"{reason}. To protect what is left, nothing more will be written to it."
        if report.unsaved:
            text += " The changes you had not saved could not be written to it."
        self.explanation = QLabel(text)
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        self.problem = QLabel(report.problem)
        self.problem.setWordWrap(True)
        self.problem.setFont(_bold(self.problem.font()))
        self.problem.setVisible(bool(report.problem))
        layout.addWidget(self.problem)
        self.buttons = {}
        if report.newest is not None:
            found = report.newest
            self._choice(layout, RESTORE, f"Restore the backup of {found.backup.taken:%d/%m/%Y %H:%M}",
                         f"{found.counts_in_words[:1].upper()}{found.counts_in_words[1:]}. Changes made since then "
                         f"are lost; the damaged file is kept in the backups folder.")
        else:
            none = QLabel(_no_sound_backup(report))
            none.setWordWrap(True)
            layout.addWidget(none)
        if report.others:
            self._choice(layout, CHOOSE, "Choose an older backup…" if report.newest else "Choose a backup…",
                         "Pick one of its backups from a list; it is checked before it is restored.")
        self._choice(layout, OPEN_ANOTHER, "Open another database…", "Work on a different database file.")
        self._choice(layout, QUIT, "Quit", f"Close {APP_NAME}. The damaged file is left as it is, so that "
                                           "someone can try to recover it.")
        first = next(iter(self.buttons.values()))
        first.setDefault(True)
        first.setFocus()
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)

    def _choice(self, layout, answer, title, description):
        button = QCommandLinkButton(title, description)
        button.setAccessibleName(title)
        button.clicked.connect(lambda: self._chose(answer))
        layout.addWidget(button)
        self.buttons[answer] = button

    def _chose(self, answer):
        self.answer = answer
        self.accept()

    @classmethod
    def ask(cls, parent, report):
        """RESTORE (report.newest), CHOOSE, OPEN_ANOTHER or QUIT (tests replace this)."""
        dialog = cls(parent, report)
        try:
            dialog.exec()
            return dialog.answer
        finally:
            dialog.deleteLater()


def _no_sound_backup(report):
    if report.unsound == 1:
        return "Its only backup is damaged too."
    if report.unsound:
        return f"None of its {report.unsound} backups passed SQLite's check."
    if report.others:
        return "Its backups could not be checked."
    return "There are no backups of this database."


def _bold(font):
    font = QFont(font)
    font.setBold(True)
    return font


class OpenAnotherDatabase:
    @classmethod
    def ask(cls, parent, folder):
        """The database file to open instead, or None (tests replace this)."""
        return filedialogs.open_file(parent, filedialogs.DATABASE, "Open another database",
                                     "Tracker databases (*.db);;All files (*)", folder=str(folder))


def _restore_job(backup, target):
    def restore(progress):
        try:
            return restore_backup(backup, target)
        finally:  # restore opened the database on this worker thread: its own connection ends here
            if database.obj is not None and not database.is_closed():
                database.close()
    return restore


class DamageHandler:
    """The one handler for a damaged database (see the module docstring)."""

    def __init__(self):
        self.busy = False
        self.deferring = False  # building the window at start-up: hold the damage until it is built
        self.pending = None

    # ---- entries ---------------------------------------------------------------------------------
    def __call__(self, parent, damage):
        """Damage met with the app running (ui.errors routes it here)."""
        if self.busy:
            log.info("damage met again while it is being handled: dropped")
            return None
        if self.deferring:
            self.pending = self.pending or damage
            return None
        if current_damage() is None:
            if current_path() is not None and Path(damage.path) == current_path():
                log.info("damage reported late by a database since replaced: dropped")
            else:  # e.g. switching to another file that is damaged: the open one is fine
                errors.show_message(parent, str(damage))
            return None
        window = _main_window(parent)
        outcome = self._resolve(window, current_damage(), unsaved=_forget_unsaved_edits(window))
        if window is None:
            return outcome
        if outcome == QUIT:
            QApplication.closeAllWindows()
        else:
            window.reload_everything()
            window.statusBar().showMessage(outcome, 15000)
        return outcome

    def recover_at_start(self, damage):
        """Before any window: True when a database is open to show (restored, or another one)."""
        return self._resolve(None, damage) != QUIT

    def build_window(self, make_window):
        """``make_window()`` at start-up; damage met while it builds is dealt with before it is shown.
        Returns the window, or None when the person chose to quit."""
        while True:
            window, self.pending, self.deferring = None, None, True
            try:
                window = make_window()
            except Exception as exc:  # noqa: BLE001 - only damage is handled here
                self.pending = self.pending or damage_of(exc)
                if self.pending is None:
                    raise
            finally:
                self.deferring = False
            if self.pending is None:
                return window
            if window is not None:
                window.deleteLater()
            if not self.recover_at_start(self.pending):
                return None

    # ---- the work ----------------------------------------------------------------------------------
    def _resolve(self, parent, damage, unsaved=False):
        """Stop using the file, find its newest sound backup, ask; returns QUIT or what was done."""
        self.busy = True
        try:
            stop_using_damaged(damage)
            path = Path(damage.path)
            report = DamageReport(path, damage.reason, unsaved=unsaved, **self._backups(parent, path))
            while True:
                answer = DamagedDatabaseDialog.ask(parent, report)
                if answer == QUIT:
                    return QUIT
                if answer == OPEN_ANOTHER:
                    other = OpenAnotherDatabase.ask(parent, path.parent)
                    if other is not None:
                        report.problem = self._open_another(damage, other)
                        if not report.problem:
                            return f"Opened {other}."
                    continue
                chosen = report.newest.backup if answer == RESTORE else ChooseBackup.ask(parent, report.others)
                if chosen is not None:
                    report.problem = self._restore(parent, damage, chosen)
                    if not report.problem:
                        settings.remember_database(path)
                        return (f"Restored the backup of {chosen.taken:%d/%m/%Y %H:%M}; the damaged file is kept "
                                f"in the backups folder.")
        finally:
            self.busy = False

    def _backups(self, parent, path):
        candidates = [b for b in _listed(path) if b.reason not in backups.KEPT_ASIDE]
        kind, found = run_and_wait(parent, lambda progress: backups.newest_sound_backup(path, progress),
                                   "Looking for a sound backup…", uses_database=False)
        if kind == "failure":
            log.warning("looking for a sound backup failed: %s", type(found).__name__)
        if kind != "success":  # cancelled, or failed: the person may still pick one (it is checked then)
            return {"others": candidates}
        if found is None:
            return {"unsound": len(candidates)}
        # The newer ones were checked and are damaged: only older ones are worth offering.
        return {"newest": found, "others": [b for b in candidates if b.taken < found.backup.taken]}

    def _restore(self, parent, damage, chosen):
        """Restore ``chosen`` over the damaged file off the UI thread; '' when done, else the problem."""
        kind, value = run_and_wait(parent, _restore_job(chosen.path, Path(damage.path)), "Restoring the backup…",
                                   uses_database=False)
        if kind == "success":
            log.info("damaged database restored from a backup")
            return ""
        if database.obj is None:  # restore stopped half-way: keep refusing rather than "no database"
            stop_using_damaged(damage)
        if kind == "cancelled":
            return "The restore was cancelled; nothing was changed."
        return f"The backup of {chosen.taken:%d/%m/%Y %H:%M} could not be restored: {_in_words(value)}"

    def _open_another(self, damage, other):
        try:
            open_database(other)
        except TrackerError as exc:
            if database.obj is None:
                stop_using_damaged(damage)
            return f"{other} could not be opened: {exc}"
        settings.remember_database(other)
        return ""


def _listed(path):
    try:
        return backups.list_backups(path) if path.parent.is_dir() else []
    except OSError:
        return []


def _in_words(exc):
    user_error = errors.as_user_error(exc)
    if user_error is not None:
        return str(user_error)
    log.error("restoring a backup failed", exc_info=(type(exc), exc, exc.__traceback__))
    return f"an unexpected error (the details are in the log file {log_file()})."


def _main_window(parent):
    """The main window the damage was met in, if it is showing."""
    candidates = ([parent.window()] if parent is not None else []) + QApplication.topLevelWidgets()
    return next((w for w in candidates if isinstance(w, QMainWindow) and hasattr(w, "reload_everything")
                 and w.isVisible()), None)


def _forget_unsaved_edits(window):
    """Edits in the window cannot be written to the damaged file: drop them (True when there were any)."""
    if window is None:
        return False
    editors = [page.editor for page in window.pages.values() if getattr(page, "editor", None) is not None]
    unsaved = any(editor.dirty for editor in editors)
    for editor in editors:
        editor.forget_edits()
    return unsaved


handler = DamageHandler()


def install():
    """Route every damaged database met in the app to :data:`handler` (ui.errors calls it)."""
    errors.set_damage_handler(handler)
