"""Starting for the first time: who the user is, and a ``--db`` path that does not exist yet.

- :class:`WhoPanel`: a strip at the top of the main window asking for the user's name and home
  council (recorded with every change, on report footers, and the council's code starts the
  references of the actions they add).  It never blocks: the window works behind it, "Not now"
  hides it until the next start, and File → Settings… changes the answers later.  It is shown
  while no name is set, except where nobody could answer it (Qt's offscreen or minimal platform:
  tests, scripts, screenshots) unless ``TRACKER_FIRST_RUN=1`` asks for it (``=0`` never shows it).
- :class:`MissingDatabase`: ``--db PATH`` names no file: create it there (and its folders), choose
  another file, or quit; a classmethod ``ask()`` that tests replace.

The answers are kept by ``tracker.settings`` (through ``ui.settings``), which the ``tracker``
command reads too.
"""

import os
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QComboBox, QFileDialog, QFrame, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
                               QPushButton, QVBoxLayout)

from tracker import APP_NAME, services
from ui import filedialogs, settings

FIRST_RUN_ENV = "TRACKER_FIRST_RUN"
HEADLESS_PLATFORMS = {"offscreen", "minimal"}
CREATE, CHOOSE, QUIT = "create", "choose", "quit"
WHO_TEXT = ("<b>Welcome.</b> Who is making changes? Your name and home council are recorded with every change "
            "you make and printed on your reports; your council's code starts the references of the actions "
            "you add (HAV-A0042). You can change them later in File → Settings.")


def should_ask():
    """True when the panel asks who the user is: no name set yet, and someone to answer."""
    asked = os.environ.get(FIRST_RUN_ENV, "")
    if asked == "0" or settings.user_name():
        return False
    return asked == "1" or QGuiApplication.platformName() not in HEADLESS_PLATFORMS


def fill_councils(combo, chosen=""):
    """The database's councils in ``combo`` (their names as data), ``chosen`` selected; "(none)" first."""
    combo.clear()
    combo.addItem("(none)", "")
    for council in services.councils.all_councils():
        combo.addItem(council.name, council.name)
    combo.setCurrentIndex(max(combo.findData(chosen), 0))


class WhoPanel(QFrame):
    """Your name and home council, asked inline above the views."""

    saved = Signal(str, str)  # name, council

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("who_panel")
        self.setProperty("role", "notice")
        self.setAccessibleName("Who is making changes")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 6, 8, 6)
        text = QLabel(WHO_TEXT)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(text)
        row = QHBoxLayout()  # no access keys: the form behind it has its own; the name box has the cursor
        self.name = QLineEdit()
        self.name.setAccessibleName("Your name")
        self.name.setPlaceholderText("e.g. Priya Shah")
        self.name.textChanged.connect(self._name_changed)
        self.name.returnPressed.connect(self.save)
        name_label = QLabel("Your name")
        name_label.setBuddy(self.name)
        self.council = QComboBox()
        self.council.setAccessibleName("Home council")
        council_label = QLabel("Home council")
        council_label.setBuddy(self.council)
        self.save_button = QPushButton("Save")
        self.save_button.setAccessibleDescription("Keep your name and home council")
        self.save_button.clicked.connect(self.save)
        self.later_button = QPushButton("Not now")
        self.later_button.setAccessibleDescription("Hide this until the next start")
        self.later_button.clicked.connect(self.hide)
        row.addWidget(name_label)
        row.addWidget(self.name, 2)
        row.addWidget(council_label)
        row.addWidget(self.council, 1)
        row.addWidget(self.save_button)
        row.addWidget(self.later_button)
        outer.addLayout(row)
        self.setTabOrder(self.name, self.council)
        self.setTabOrder(self.council, self.save_button)
        self.setTabOrder(self.save_button, self.later_button)
        self._name_changed("")
        self.setVisible(False)

    def offer(self):
        """Show the panel (the councils of the open database) and put the cursor in the name box."""
        fill_councils(self.council, settings.home_council())
        self.name.setText(settings.user_name())
        self.setVisible(True)
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _name_changed(self, text):
        self.save_button.setEnabled(bool(text.strip()))

    def save(self):
        name = self.name.text().strip()
        if not name:
            return False
        council = self.council.currentData() or ""
        settings.save_user(name, council)
        self.setVisible(False)
        self.saved.emit(name, council)
        return True


def install(window):
    """Put the panel at the top of ``window``'s central area; shown when :func:`should_ask` says so."""
    panel = WhoPanel(window)
    window.centralWidget().layout().insertWidget(0, panel)
    panel.saved.connect(lambda name, council: window.statusBar().showMessage(
        f"Changes are now recorded as {signed_in_as()}.", 8000))
    if should_ask():
        panel.offer()
        window.statusBar().clearMessage()  # not "signed in as" the login name while asking for the real one
    return panel


def signed_in_as():
    actor = services.current_actor()
    return f"{actor.user} ({actor.council})" if actor.council else actor.user


class MissingDatabase:
    @classmethod
    def ask(cls, parent, path):
        """``--db`` named ``path``, where no file is: CREATE (with its folders), CHOOSE another, or QUIT."""
        path = Path(path)
        missing = [p for p in reversed(path.parents) if not p.exists()]
        text = f"There is no database at\n{path}"
        informative = "Create a new, empty database there?"
        if missing:
            informative = (f"Create a new, empty database there? The folder {missing[0]} does not exist either; "
                           f"it will be created" + (" with the folders inside it." if len(missing) > 1 else "."))
        box = QMessageBox(QMessageBox.Icon.Question, APP_NAME, text, QMessageBox.StandardButton.NoButton, parent)
        box.setInformativeText(informative + " If the name was mistyped, choose the right file instead.")
        create = box.addButton("&Create", QMessageBox.ButtonRole.AcceptRole)
        choose = box.addButton("C&hoose another…", QMessageBox.ButtonRole.ActionRole)
        box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(choose)
        box.exec()
        clicked = box.clickedButton()
        return CREATE if clicked is create else CHOOSE if clicked is choose else QUIT


def choose_database_file(parent, near):
    """A database file chosen by the user (an existing one, or a new name), or "" when cancelled."""
    folder = next((p for p in (Path(near).parent, *Path(near).parents) if p.is_dir()), Path.home())
    path = filedialogs.save_file(parent, filedialogs.DATABASE, "Open or create a database", Path(near).name,
                                 "Tracker databases (*.db);;All files (*)", folder=str(folder),
                                 options=QFileDialog.Option.DontConfirmOverwrite)
    return path or ""


def confirm_database_path(target):
    """For ``--db PATH`` naming no file: the path to open (created if need be), or None to quit."""
    while True:
        answer = MissingDatabase.ask(None, target)
        if answer == CREATE:
            return target
        if answer != CHOOSE:
            return None
        chosen = choose_database_file(None, target)
        if chosen:
            return chosen
