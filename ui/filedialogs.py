"""Every file dialog of the app: where it starts, and the type it offers first.

A dialog starts in the folder last used for the same purpose (an import, an export, a report...),
else in the last folder used for anything, else in the user's Documents folder; it offers first the
file type chosen last time for that purpose.  Both are kept with the app's settings
(``ui.settings.remember_file_choice``).  :func:`open_file` and :func:`save_file` are what the dialogs
call; :class:`FileChooser` is the one place that shows Qt's dialog, and tests replace its ``ask_open``
and ``ask_save`` as they replace other dialogs' ``ask()``.
"""

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog

from ui import settings

IMPORT, EXPORT, REPORTS, PROBLEMS, DATABASE = "import", "export", "reports", "problems", "database"


def documents_folder():
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())


class FileChooser:
    """Qt's file dialogs (tests replace these two)."""

    @classmethod
    def ask_open(cls, parent, caption, folder, filters, selected):
        """(path or "", the file type chosen)."""
        return QFileDialog.getOpenFileName(parent, caption, folder, filters, selected)

    @classmethod
    def ask_save(cls, parent, caption, suggested, filters, selected, options):
        """(path or "", the file type chosen)."""
        return QFileDialog.getSaveFileName(parent, caption, suggested, filters, selected, options)


def start_folder(purpose):
    """Where a dialog for ``purpose`` starts: its last folder, the last of any, or Documents (if it still exists)."""
    for folder in settings.file_choice(purpose)["folder"], settings.file_choice(None)["folder"]:
        if folder and Path(folder).is_dir():
            return folder
    return documents_folder()


def _first_type(purpose, filters):
    chosen = settings.file_choice(purpose)["filter"]
    return chosen if chosen and chosen in filters.split(";;") else ""


def open_file(parent, purpose, caption, filters, folder=None):
    """The file chosen to open, or None; its folder and type are remembered for ``purpose``."""
    path, chosen = FileChooser.ask_open(parent, caption, folder or start_folder(purpose), filters,
                                        _first_type(purpose, filters))
    if not path:
        return None
    settings.remember_file_choice(purpose, str(Path(path).parent), chosen)
    return path


def save_file(parent, purpose, caption, name, filters, folder=None, options=QFileDialog.Option(0)):
    """The file chosen to write (``name`` suggested in the start folder), or None; remembered as open_file's."""
    suggested = name if Path(name).is_absolute() else str(Path(folder or start_folder(purpose)) / name)
    path, chosen = FileChooser.ask_save(parent, caption, suggested, filters, _first_type(purpose, filters), options)
    if not path:
        return None
    settings.remember_file_choice(purpose, str(Path(path).parent), chosen)
    return path
