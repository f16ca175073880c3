"""The strip above the views that tells the user something about the database as a whole.

Today one thing: the database is open in another window or on another computer (the "open
elsewhere" mark of ``tracker.filelocks.Presence``, counted by ``tracker.opening.others_present``).
Working on is safe — a save over someone else's newer change is stopped and the user asked — so
the notice informs and never blocks.  It is checked when a database is opened and each time the
window becomes active, and a dismissed notice comes back only when the number of others changes.
"""

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton

from tracker.opening import others_present

SHARED_TEXT = ("This database is open in another window or on another computer. You can keep working: if the "
               "same record is changed in both places, the second save is stopped and you are asked what to do.")


class SharedDatabaseNotice(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("shared_notice")
        self.setProperty("role", "notice")
        self.setAccessibleName("Notice")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.label = QLabel(SHARED_TEXT)
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.dismiss = QToolButton()
        self.dismiss.setText("Dismiss")
        self.dismiss.setAccessibleName("Dismiss the notice")
        self.dismiss.clicked.connect(self._dismissed)
        layout.addWidget(self.dismiss)
        self.others = 0
        self._dismissed_at = None  # the number of others when the user dismissed it
        self.setVisible(False)

    def refresh(self):
        """Look again at who else has the database open; show or hide the notice."""
        others = others_present()
        if others != self.others:
            self._dismissed_at = None
        self.others = others
        self.setAccessibleDescription(SHARED_TEXT if others else "")
        self.setVisible(bool(others) and self._dismissed_at is None)
        return others

    def _dismissed(self):
        self._dismissed_at = self.others
        self.setVisible(False)
