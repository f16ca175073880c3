"""Help → About: what is running (version, licence, Qt and Python) and which database is open.

The version and licence are the installed package's own (``importlib.metadata``, written from
``pyproject.toml``), so the box cannot disagree with what was installed; a source tree that was
never installed falls back to ``tracker.__version__`` and the licence the project declares (MIT).
"""

import html
import platform
from importlib import metadata

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from tracker import APP_NAME, __version__
from tracker.db import current_path, database
from tracker.logs import log_file

DISTRIBUTION = "stakeholder-tracker"
LICENCE = "MIT"  # pyproject.toml's license, when the package metadata cannot be read


def version_and_licence():
    try:
        meta = metadata.metadata(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return __version__, LICENCE
    return meta["Version"], meta.get("License-Expression") or meta.get("License") or LICENCE


def database_in_words():
    path = current_path()
    if path is not None:
        return str(path)
    db = database.obj
    return f"PostgreSQL database {db.database}" if db is not None else "none open"


def about_lines():
    """[(label, value)] as the box shows them."""
    version, licence = version_and_licence()
    return [("Version", version), ("Database", database_in_words()), ("Licence", licence),
            ("Qt", f"{qVersion()} (PySide6 {PySide6.__version__})"),
            ("Python", f"{platform.python_version()} on {platform.system() or 'unknown'}"),
            ("Log file", str(log_file()))]


def about_text():
    """The box's text as plain lines ("Version: 0.1.0")."""
    return "\n".join(f"{label}: {value}" for label, value in about_lines())


class AboutBox(QDialog):
    def __init__(self, parent):
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        layout = QVBoxLayout(self)
        rows = "".join(f"<tr><td><b>{html.escape(label)}</b>&nbsp;&nbsp;</td><td>{html.escape(value)}</td></tr>"
                       for label, value in about_lines())
        self.text = QLabel(f"<h3>{APP_NAME}</h3><p>Stakeholders, commitments and actions for the tri-borough "
                           f"Serious Violence partnership.</p><table>{rows}</table>")
        self.text.setObjectName("about")
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    @classmethod
    def ask(cls, parent):
        dialog = cls(parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
