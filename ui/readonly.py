"""View-only mode: the open database can be read but not changed (``tracker.db.is_read_only``).

A file the user cannot write (or on a read-only folder or drive), or one opened with
``--read-only``, is opened for reading only by ``tracker.opening`` rather than refused.  The window
then says so (a strip above the views, "(read-only)" in the title, "Read-only" in the status bar),
every command that would change the database is disabled and stays so whatever else enables it,
the forms show their values without taking edits, and their Save, Delete, New and Add buttons are
hidden.  Behind all that the services refuse any write in one sentence (``services.base.writing``).

Which commands stay: :data:`READING_COMMANDS`, and any QAction a feature marks with the property
``reads_only`` (``action.setProperty("reads_only", True)``).  A command nobody marked is disabled: a
new command is taken to change the database until it says otherwise.
"""

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QComboBox, QFrame, QHBoxLayout, QLabel,
                               QLineEdit, QPlainTextEdit, QPushButton, QTabBar, QTextEdit)

from tracker.db import current_path, is_read_only

READING_COMMANDS = {"settings", "quit", "find", "refresh", "overdue", "due_soon", "guide", "log", "about",
                    "report_action_log", "report_register", "retention_review"}
TEXT = ("<b>Read-only.</b> This database cannot be changed here (its file or folder cannot be written, or it was "
        "opened with --read-only): you can look, search and print reports. To work on it, copy the file to a "
        "folder of your own and open the copy (File → Settings).")


def reads_only(key, action):
    return key in READING_COMMANDS or key.startswith("view_") or bool(action.property("reads_only"))


class ReadOnlyBanner(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("read_only_notice")
        self.setProperty("role", "notice")
        self.setAccessibleName("Read-only")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel(TEXT)
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.setVisible(False)


class ViewOnly:
    """Puts a MainWindow in view-only mode while its database is read-only (:meth:`refresh`)."""

    def __init__(self, window):
        self.window = window
        self.active = False
        self.banner = ReadOnlyBanner(window)
        window.centralWidget().layout().insertWidget(0, self.banner)
        self.status = QLabel("Read-only")
        self.status.setAccessibleName("The database is read-only")
        self.status.setVisible(False)
        window.statusBar().addPermanentWidget(self.status)
        self._undo = []  # (setter, value) putting back what view-only mode changed
        self._watched = set()
        self.refresh()
        QTimer.singleShot(0, self.refresh)  # commands features add after this, while the window is built

    def _watch(self):
        """Each command, once: whatever enables it later, view-only mode disables it again."""
        for key, action in self.window.actions.items():
            if key not in self._watched:
                self._watched.add(key)
                action.changed.connect(lambda k=key, a=action: self._hold(k, a))
                self._hold(key, action)

    def refresh(self):
        """Follow the open database: view-only when it is read-only (a PostgreSQL server never is)."""
        self._watch()
        read_only = current_path() is not None and is_read_only()
        if read_only == self.active:
            return self.active
        self.active = read_only
        self.banner.setVisible(read_only)
        self.status.setVisible(read_only)
        if read_only:
            for key, action in self.window.actions.items():
                self._hold(key, action)
            self._freeze_forms()
        else:
            for setter, value in reversed(self._undo):
                setter(value)
            self._undo = []
            self.window._update_actions()
        return self.active

    def _hold(self, key, action):
        if self.active and action.isEnabled() and not reads_only(key, action):
            action.setEnabled(False)

    def _freeze_forms(self):
        """Every form shows its record but takes no edit; the buttons that would change it are hidden."""
        pages = self.window.pages
        widgets = []
        for page in pages.values():
            editor = getattr(page, "editor", None)
            if editor is not None:
                widgets += editor.findChildren(QAbstractButton) + editor.findChildren(QLineEdit)
                widgets += editor.findChildren(QPlainTextEdit) + editor.findChildren(QTextEdit)
                widgets += editor.findChildren(QAbstractSpinBox) + editor.findChildren(QComboBox)
            for name in ("new_button", "restore_button"):
                if getattr(page, name, None) is not None:
                    widgets.append(getattr(page, name))
        for widget in dict.fromkeys(widgets):
            if isinstance(widget.parentWidget(), QTabBar):  # the tabs' own scroll arrows
                continue
            if isinstance(widget, QPushButton):
                self._set(widget.setVisible, widget.isVisibleTo(widget.parentWidget()), False)
            elif isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)):
                if not (isinstance(widget, QLineEdit) and isinstance(widget.parentWidget(), QComboBox)):
                    self._set(widget.setReadOnly, widget.isReadOnly(), True)
            elif widget.isEnabled():  # choices and check boxes: no read-only state of their own
                self._set(widget.setEnabled, True, False)

    def _set(self, setter, before, value):
        self._undo.append((setter, before))
        setter(value)


def install(window):
    return ViewOnly(window)
