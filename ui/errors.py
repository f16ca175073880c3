"""Errors in front of a user: a friendly dialog, never a traceback.

``show_exception(parent, exc)`` is the one entry point: a ``TrackerError`` (or a database lock
that SQLite reported raw) is shown as its own message; anything unexpected is logged to the log
file and shown in :class:`ErrorDialog` with a "Copy details" button for whoever supports the app.
``install_excepthook()`` routes uncaught exceptions (e.g. in a slot) the same way.  A damaged
database is never "something unexpected": it goes to the handler ``ui.damage`` installs with
:func:`set_damage_handler` (or, without one, is shown as its message).
"""

import logging
import sys
import traceback

from peewee import OperationalError
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QLabel, QMessageBox, QPlainTextEdit,
                               QPushButton, QVBoxLayout)

from tracker import APP_NAME
from tracker.damage import damage_of
from tracker.db import current_path, translate_operational_error
from tracker.errors import TrackerError
from tracker.logs import log_file

log = logging.getLogger(__name__)

# Errors a user can act on (shown as their message): ours, and SQLite's lock/readonly/corrupt reports.
EXPECTED = (TrackerError, OperationalError)


def as_user_error(exc):
    """The TrackerError a user should see for ``exc``, or None if it is a programming error."""
    if isinstance(exc, TrackerError):
        return exc
    if isinstance(exc, OperationalError):
        return translate_operational_error(exc, current_path() or "in use")
    return None


class ErrorDialog(QDialog):
    """"Something went wrong" with the details folded away and a button to copy them."""

    def __init__(self, parent, message, details):
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME}: unexpected problem")
        self.setAccessibleName("Error")
        layout = QVBoxLayout(self)
        self.message = QLabel(message)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Error details")
        self.details.setAccessibleDescription("What went wrong, for whoever looks after the app: Copy details "
                                              "puts it on the clipboard")
        self.details.setVisible(False)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.toggle = QPushButton("Show details")
        self.toggle.setCheckable(True)
        self.toggle.toggled.connect(self._toggle)
        self.copy_button = QPushButton("Copy details")
        self.copy_button.clicked.connect(self.copy_details)
        buttons.addButton(self.toggle, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _toggle(self, shown):
        self.details.setVisible(shown)
        self.toggle.setText("Hide details" if shown else "Show details")
        self.adjustSize()

    def copy_details(self):
        QApplication.clipboard().setText(self.details.toPlainText())

    @classmethod
    def ask(cls, parent, message, details):
        """Show the dialog modally (tests replace this)."""
        dialog = cls(parent, message, details)
        dialog.exec()
        dialog.deleteLater()


def show_message(parent, message, title=APP_NAME):
    """A TrackerError's message, as it is (tests replace this)."""
    QMessageBox.warning(parent, title, message)


def show_info(parent, message, title=APP_NAME):
    """Something done as asked (a merge undone), with the information icon (tests replace this)."""
    QMessageBox.information(parent, title, message)


# Set by ui.damage, which needs the window, dialogs and background work: all above this module.
_damage_handler = None


def set_damage_handler(handler):
    """``handler(parent, damage)`` deals with every DamagedDatabaseError met in the app."""
    global _damage_handler
    _damage_handler = handler


def show_damage(parent, damage):
    log.info("shown to user: %s", type(damage).__name__)
    if _damage_handler is not None:
        _damage_handler(parent, damage)
    else:
        show_message(parent, str(damage))


def show_exception(parent, exc):
    damage = damage_of(exc)  # also SQLite's own report of it, whatever raised it
    if damage is not None:
        show_damage(parent, damage)
        return
    user_error = as_user_error(exc)
    if user_error is not None:
        log.info("shown to user: %s", type(user_error).__name__)
        show_message(parent, str(user_error))
        return
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    # exc_info, not the text: the log formatter leaves out messages, which may quote personal data.
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    ErrorDialog.ask(parent, "Something unexpected went wrong and the last action may not have finished. "
                            f"Your saved records are safe. The details are in the log file {log_file()}; "
                            "use Copy details to send them to whoever supports the app.", details)


def install_excepthook():
    """Show uncaught exceptions (e.g. raised in a slot) in the error dialog instead of crashing."""

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if exc.__traceback__ is None:
            exc.__traceback__ = tb
        show_exception(QApplication.activeWindow(), exc)

    sys.excepthook = hook
