"""Small dialogs, each with a classmethod ``ask()`` that tests replace (so no test ever blocks).

- :class:`UnsavedChanges` — save, discard or stay, before an edited record is left.
- :class:`StaleEdit` — someone else changed the record: reload it or keep editing.
- :class:`FirstRun` — a new database: load the summit demo data?
- :class:`SettingsDialog` — user name, home council, database location.
"""

from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QMessageBox, QPushButton, QVBoxLayout, QWidget)

from tracker import APP_NAME, services
from ui import filedialogs

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"
RELOAD, KEEP = "reload", "keep"


class UnsavedChanges:
    @classmethod
    def ask(cls, parent, what):
        """``what``: e.g. "this action".  Returns SAVE, DISCARD or CANCEL."""
        box = QMessageBox(QMessageBox.Icon.Question, APP_NAME, f"You have unsaved changes to {what}.",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, parent)
        box.setInformativeText("Save them before you go on?")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        return {QMessageBox.StandardButton.Save: SAVE,
                QMessageBox.StandardButton.Discard: DISCARD}.get(QMessageBox.StandardButton(answer), CANCEL)


class StaleEdit:
    @classmethod
    def ask(cls, parent, message):
        """Returns RELOAD (show the current version, dropping the edits) or KEEP (keep editing)."""
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, message, QMessageBox.StandardButton.NoButton, parent)
        reload_button = box.addButton("Reload their version", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return RELOAD if box.clickedButton() is reload_button else KEEP


class FirstRun:
    @classmethod
    def ask(cls, parent, path):
        """A new, empty database was created at ``path``: True to load the summit demo data."""
        answer = QMessageBox.question(
            parent, f"Welcome to {APP_NAME}",
            f"A new database was created at\n{path}\n\nLoad the demo data from the tri-borough Serious "
            "Violence Summit (January 2019) so you can try the app? You can delete it later.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes


class SettingsDialog(QDialog):
    """The user's name (recorded in the audit trail), home council and database file."""

    def __init__(self, parent, name, council, database):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(name)
        self.name.setAccessibleName("Your name")
        self.name.setPlaceholderText("As it should appear in the history of changes")
        form.addRow("Your &name", self.name)
        self.council = QComboBox()
        self.council.setAccessibleName("Home council")
        self.council.addItem("(none)", "")
        for c in services.councils.all_councils():
            self.council.addItem(c.name, c.name)
        index = self.council.findData(council)
        self.council.setCurrentIndex(max(index, 0))
        form.addRow("&Home council", self.council)
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        self.database = QLineEdit(str(database))
        self.database.setAccessibleName("Database file")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self.browse)
        row_layout.addWidget(self.database, 1)
        row_layout.addWidget(browse)
        label = QLabel("&Database file")
        label.setBuddy(self.database)  # Alt+D and a screen reader go to the box, not the row holding it
        form.addRow(label, row)
        layout.addLayout(form)
        note = QLabel("A database file that does not exist yet is created. Your name and council are "
                      "recorded with every change you make, here and by the tracker command; your council's "
                      "code starts the references of the actions you add.")
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)  # room for a database's whole path

    def browse(self):
        path = filedialogs.save_file(self, filedialogs.DATABASE, "Database file", self.database.text() or "tracker.db",
                                     "Tracker databases (*.db);;All files (*)",
                                     options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.database.setText(path)

    def values(self):
        database = self.database.text().strip()
        return {"name": self.name.text().strip(), "council": self.council.currentData() or "",
                "database": str(Path(database).expanduser()) if database else ""}

    @classmethod
    def ask(cls, parent, name, council, database):
        """The new settings as a dict (name, council, database), or None when cancelled."""
        dialog = cls(parent, name, council, database)
        try:
            return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
