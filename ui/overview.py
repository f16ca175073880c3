"""The home overview (counts, overdue actions, commitments due soon); the power/interest map is ``ui.powermap_page``.

Pages here follow the announced changes of the kinds they show (``ui.changes``): at once while they are
on screen, otherwise when next shown.
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout,
                               QWidget)

from tracker import services, vocab
from tracker.dates import format_uk_date
from tracker.models import ActionItem, Commitment, Event, Stakeholder
from ui.changes import notifier
from ui.kinds import KINDS

LINK_ROLE = Qt.ItemDataRole.UserRole + 10
OVERVIEW_ROWS = 50
DUE_SOON_DAYS = 30


def _link_list(name):
    widget = QListWidget()
    widget.setAccessibleName(name)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setTextElideMode(Qt.TextElideMode.ElideRight)
    return widget


def _add_link(widget, text, kind, record_id):
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


class Tile(QFrame):
    def __init__(self, title):
        super().__init__()
        self.setProperty("role", "tile")
        layout = QVBoxLayout(self)
        self.number = QLabel("0")
        self.number.setProperty("role", "tile-number")
        self.caption = QLabel(title)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)
        self.setAccessibleName(title)

    def set_value(self, value):
        self.number.setText(f"{value:,}")
        self.setAccessibleDescription(f"{value} {self.caption.text()}")


class HomePage(FollowsChanges):
    """What needs attention today."""

    open_link = Signal(str, int)
    shows = (Stakeholder, Event, Commitment, ActionItem)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        heading = QLabel("Overview")
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        tiles = QHBoxLayout()
        self.tiles = {key: Tile(title) for key, title in [
            *((kind.key, kind.title) for kind in KINDS.values()), ("open", "Open actions"),
            ("overdue", "Overdue actions")]}
        for tile in self.tiles.values():
            tiles.addWidget(tile)
        layout.addLayout(tiles)
        lists = QHBoxLayout()
        self.overdue = _link_list("Overdue actions")
        self.due_soon = _link_list("Commitments due soon")
        soon = f"Open commitments overdue or due in the next {DUE_SOON_DAYS} days"
        for title, widget in ((QLabel("Overdue actions (oldest first)"), self.overdue),
                              (QLabel(soon), self.due_soon)):
            column = QVBoxLayout()
            title.setProperty("role", "subheading")
            column.addWidget(title)
            column.addWidget(widget, 1)
            lists.addLayout(column)
            widget.itemActivated.connect(self._activated)
        layout.addLayout(lists, 1)
        hint = QLabel("Double-click or press Enter on an item to open it.")
        layout.addWidget(hint)

    def fill(self):
        counts = services.stats()
        for key in KINDS:
            self.tiles[key].set_value(counts[key])
        self.tiles["open"].set_value(services.actions.count(filters={"open": True}))
        overdue_total = services.actions.count(filters={"overdue": True})
        self.tiles["overdue"].set_value(overdue_total)
        self.overdue.clear()
        for a in services.actions.page(0, OVERVIEW_ROWS, filters={"overdue": True}, sort="due_date"):
            owner = f" — {a.owner.name}" if a.owner_id else ""
            _add_link(self.overdue, f"{format_uk_date(a.due_date)}  {a.reference} {a.title}{owner}", "actions", a.id)
        self.due_soon.clear()
        for flag, filters in (("overdue", {"overdue": True}), ("due", {"due_within": DUE_SOON_DAYS})):
            for c in services.commitments.page(0, OVERVIEW_ROWS, filters=filters, sort="target_date"):
                status = vocab.label(vocab.COMMITMENT_STATUSES, c.status)
                when = "Overdue since" if flag == "overdue" else "Due"
                _add_link(self.due_soon, f"{when} {format_uk_date(c.target_date)} · {status} · {c.title} — "
                                         f"{c.made_by.name}", "commitments", c.id)

    def _activated(self, item):
        kind, record_id = item.data(LINK_ROLE)
        self.open_link.emit(kind, record_id)
