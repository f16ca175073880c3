"""The search box over a list: search as you type, asked of the database once typing pauses.

:class:`SearchBox` is a line edit that emits ``settled`` 150 ms after the last keystroke, so a word
typed quickly is one query, not one per letter.  What a search matches is the services' business.
"""

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLineEdit

from ui.accessible import describe, name_action, with_clear_button
from ui.resources import icon

SEARCH_DELAY_MS = 150


class SearchBox(QLineEdit):
    settled = Signal()  # the text stopped changing: time to query

    def __init__(self, what, with_icon=True, parent=None):
        super().__init__(parent)
        self.setPlaceholderText(f"Search {what}… (Ctrl+F)")
        describe(self, f"Search {what}", f"Shows only the {what} whose words contain what you type")
        with_clear_button(self, "the search")
        if with_icon:
            name_action(self.addAction(icon("find"), QLineEdit.ActionPosition.LeadingPosition), "Search",
                        f"Search {what} (Ctrl+F)")
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.settled)
        self.textChanged.connect(self.timer.start)

    def settle(self):
        """The query is being run now: no need for the one still pending."""
        self.timer.stop()

    def focus(self):
        """Ctrl+F: into the box, its text selected so typing replaces it."""
        self.setFocus()
        self.selectAll()
