"""Keeping data safe, in the app: the daily backup, File → Restore from backup…, erasing a person
and the retention review.  The rules live in ``tracker.backups``, ``tracker.restore`` and ``tracker.services.privacy``;
this module adds the menu entries and the dialogs (each with an ``ask()`` tests replace).
"""

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QMessageBox, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout)

from tracker import APP_NAME, backups, services
from tracker.damage import damage_of
from tracker.db import close_database, current_path, is_read_only
from tracker.models import Stakeholder
from tracker.restore import restore_backup
from ui import errors
from ui.changes import notifier
from ui.worker import run_and_wait, run_in_background

log = logging.getLogger(__name__)


# ---- dialogs ---------------------------------------------------------------------------------

class ChooseBackup(QDialog):
    """The backups of the open database, newest first; the chosen one is restored after a confirmation."""

    def __init__(self, parent, found):
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        layout = QVBoxLayout(self)
        note = QLabel("Choose the backup to go back to. The database as it is now is backed up first, "
                      "so this can itself be undone.")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.list = QListWidget()
        self.list.setAccessibleName("Backups")
        for b in found:
            item = QListWidgetItem(f"{b.taken:%d/%m/%Y %H:%M}  —  {b.reason.replace('-', ' ')}  ({b.size // 1024} KB)")
            item.setData(Qt.ItemDataRole.UserRole, b)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton("&Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemActivated.connect(lambda _: self.accept())
        layout.addWidget(buttons)

    def chosen(self):
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    @classmethod
    def ask(cls, parent, found):
        """The Backup to restore, or None when cancelled."""
        dialog = cls(parent, found)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            chosen = dialog.chosen()
        finally:
            dialog.deleteLater()
        if chosen is None:
            return None
        answer = QMessageBox.warning(
            parent, APP_NAME, f"Replace the database by the backup of {chosen.taken:%d/%m/%Y %H:%M}? Changes made "
                              "since then are kept only in the backup taken now.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        return chosen if answer == QMessageBox.StandardButton.Yes else None


class ConfirmErase:
    @classmethod
    def ask(cls, parent, name):
        """True to erase the person called ``name``; it cannot be undone."""
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, f"Erase {name}'s personal data?",
                          QMessageBox.StandardButton.NoButton, parent)
        box.setInformativeText("Their name, contact details, notes, the updates about them and their values in "
                               "the history of changes are removed for good; the record stays as \"Erased "
                               "person\" so links still work, and the next exchange workbook asks the other "
                               "councils to erase it too. This cannot be undone.")
        erase = box.addButton("Erase", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is erase


class RetentionReview(QDialog):
    """People nobody has updated for N months: open one, or erase the ones no longer needed."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Retention review")
        self.opened = None  # the stakeholder id to show when the dialog closes with Open
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        label = QLabel("People with no change, update or attendance for")
        row.addWidget(label)
        self.months = QSpinBox()
        label.setBuddy(self.months)
        self.months.setRange(1, 1200)
        self.months.setSuffix(" months")
        self.months.setAccessibleName("Months without activity")
        self.months.setValue(services.privacy.retention_months())
        self.months.valueChanged.connect(self.refresh)
        row.addWidget(self.months)
        self.save_default = QPushButton("Make this the &default")
        self.save_default.clicked.connect(lambda: services.privacy.set_retention_months(self.months.value()))
        row.addWidget(self.save_default)
        row.addStretch(1)
        layout.addLayout(row)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Name", "Last activity"])
        self.table.setAccessibleName("People to review")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move within it
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = buttons.addButton("&Open", QDialogButtonBox.ButtonRole.ActionRole)
        self.erase_button = buttons.addButton("&Erase…", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(self.open_current)
        self.erase_button.clicked.connect(self.erase_current)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.people = []
        self.refresh()
        notifier().changed.connect(self.follow)  # an erasure made here, say

    def follow(self, change):
        if change.touches(Stakeholder._meta.table_name):
            self.refresh()

    def refresh(self):
        cutoff, self.people = services.privacy.retention_review(self.months.value())
        self.table.setRowCount(len(self.people))
        for row, (person, last) in enumerate(self.people):
            self.table.setItem(row, 0, QTableWidgetItem(person.name))
            self.table.setItem(row, 1, QTableWidgetItem(f"{last:%d/%m/%Y}"))
        self.summary.setText(f"{len(self.people)} people not updated since {cutoff:%d/%m/%Y}." if self.people
                             else "Nobody to review.")
        if self.people:
            self.table.selectRow(0)

    def current_person(self):
        row = self.table.currentRow()
        return self.people[row][0] if 0 <= row < len(self.people) else None

    def open_current(self):
        person = self.current_person()
        if person is not None:
            self.opened = person.id
            self.accept()

    def erase_current(self):
        person = self.current_person()
        if person is not None:
            erase_person(self, person)

    @classmethod
    def ask(cls, parent):
        """Show the review; returns the id of a stakeholder to open, or None."""
        dialog = cls(parent)
        try:
            dialog.exec()
            return dialog.opened
        finally:
            dialog.deleteLater()


# ---- actions -----------------------------------------------------------------------------------

def erase_person(parent, person):
    """Ask, then erase on a worker thread (the secure overwrite and the checkpoint take a while on a
    big file; the window takes no input meanwhile); True when erased."""
    if not ConfirmErase.ask(parent, person.name):
        return False
    kind, value = run_and_wait(parent, lambda progress: services.privacy.erase(person, source="erased in the app"),
                               f"Erasing {person.name}…", cancellable=False)
    if kind != "success":
        errors.show_exception(parent, value)  # shown, never raised into Qt
        return False
    log.info("stakeholder %s erased on request", person.uuid)
    return True


def recover_at_start(target, exc):
    """The database could not be opened at start: offer its backups.  True when one was restored."""
    from pathlib import Path

    from tracker.errors import DatabaseBusyError, NewerDatabaseError

    if isinstance(exc, (DatabaseBusyError, NewerDatabaseError)) or "://" in str(target):
        return False
    path = Path(target).expanduser()
    found = backups.list_backups(path) if path.parent.is_dir() else []
    if not found:
        return False
    errors.show_message(None, f"{exc}\n\nYou can go back to one of its backups.")
    chosen = ChooseBackup.ask(None, found)
    if chosen is None:
        return False
    try:
        restore_backup(chosen.path, path)
    except Exception as failure:
        errors.show_exception(None, failure)
        return False
    return True


def start_daily_backup(window):
    """The first start of the day backs the database up and checks the copy, off the UI thread; failures
    are a status message, except damage, which the copy's check found in the database (ui.damage)."""
    if current_path() is None or is_read_only():  # nothing changes in a read-only database
        return None

    def failed(exc):
        if damage_of(exc) is not None:  # its copy failed the integrity check: the database is damaged
            errors.show_exception(window, exc)
            return
        log.warning("daily backup failed: %s", type(exc).__name__)
        window.statusBar().showMessage(f"The daily backup failed: {errors.as_user_error(exc) or exc}", 15000)

    # verify=True: SQLite's integrity check of the copy, on the worker thread (check_copy_of_open_database)
    return run_in_background(window, lambda progress: backups.daily_backup_if_due(verify=True),
                             on_success=lambda path: path and window.statusBar().showMessage("Daily backup taken.", 4000),
                             on_failure=failed, progress_dialog=False, cancellable=False)


class SafetyActions:
    """Adds File → Restore from backup…, Edit → Erase person…, Reports → Retention review… to a MainWindow."""

    def __init__(self, window):
        self.window = window
        window.menus.add("file", "restore_backup", "Restore from &backup…", self.restore_backup, section="backup",
                         tip="Go back to an earlier copy of the database")
        window.menus.add("edit", "erase_person", "Erase &person…", self.erase_current, section="privacy",
                         tip="Erase the selected person's personal data on request")
        window.menus.add("reports", "retention_review", "&Retention review…", self.retention_review,
                         section="reports", tip="People nobody has updated for a long time")

    def restore_backup(self):
        window = self.window
        path = current_path()
        if path is None:
            errors.show_info(window, "Backups of a PostgreSQL database are taken by its server.")
            return False
        found = backups.list_backups(path)
        if not found:
            errors.show_info(window, f"There are no backups of {path.name} yet.")
            return False
        chosen = ChooseBackup.ask(window, found)
        if chosen is None or not window.confirm_unsaved():
            return False
        with notifier().held():  # no view reads while the file is being replaced
            close_database()  # this thread's connection; the restore opens the file again on the worker
            kind, value = run_and_wait(window, lambda progress: restore_backup(chosen.path, path),
                                       "Restoring the backup…", cancellable=False)
        if kind != "success":
            errors.show_exception(window, value)
            if current_path() is None:
                window.switch_database(str(path))
            return False
        safety, erased = value
        window.reload_everything()
        note = f"Restored the backup of {chosen.taken:%d/%m/%Y %H:%M}."
        if safety is not None:
            note += f" The database as it was is kept as {safety.name}."
        window.statusBar().showMessage(note, 15000)
        return True

    def erase_current(self):
        window = self.window
        page = window.pages.get(window.current_view())
        record = getattr(getattr(page, "editor", None), "record", None)
        if window.current_view() != "stakeholders" or record is None or record.kind != "person":
            errors.show_message(window, "Select a person in Stakeholders first; only people can be erased.")
            return False
        if not erase_person(window, record):
            return False
        window.statusBar().showMessage("Personal data erased.", 6000)
        return True

    def retention_review(self):
        opened = RetentionReview.ask(self.window)
        if opened is not None:
            self.window.open_record("stakeholders", opened)
        return opened
