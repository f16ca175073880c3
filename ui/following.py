"""Pages computed from the database that follow the announced changes (``ui.changes``), and the
lists of links they show.  The dashboard (``ui.dashboard``) and the power/interest map use them.
"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from ui.changes import notifier

LINK_ROLE = Qt.ItemDataRole.UserRole + 10


def link_list(name):
    """A list of links to records; a long entry wraps (a name is never cut off) and has a tooltip."""
    widget = QListWidget()
    widget.setAccessibleName(name)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setWordWrap(True)
    widget.setTextElideMode(Qt.TextElideMode.ElideNone)
    return widget


def add_link(widget, text, kind, record_id):
    item = QListWidgetItem(text)
    item.setToolTip(text)
    item.setData(LINK_ROLE, (kind, record_id))
    widget.addItem(item)


class FollowsChanges(QWidget):
    """A page computed from the database (``refresh``) that recomputes when one of ``shows`` (the
    models it counts or lists) changed: now when it is on screen, when next shown otherwise."""

    shows = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.stale = True  # filled when first shown
        self._kinds = tuple(model._meta.table_name for model in self.shows)
        notifier().changed.connect(self.follow)

    def follow(self, change):
        if change.touches(*self._kinds):
            self.stale = True
            if self.isVisible():
                self.refresh()

    def showEvent(self, event):
        super().showEvent(event)
        if self.stale:
            self.refresh()

    def refresh(self):
        self.stale = False
        self.fill()
