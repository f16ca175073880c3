"""The home overview (counts, overdue actions, commitments due soon) and the power/interest grid.

Both follow the announced changes of the kinds they show (``ui.changes``): at once while they are
on screen, otherwise when next shown.
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout,
                               QWidget)

from tracker import services, vocab
from tracker.dates import format_uk_date
from tracker.models import ActionItem, Commitment, Event, Stakeholder
from tracker.services.stakeholders import GRID_QUADRANTS, quadrant
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


# Quadrants as drawn: influence up, interest to the right.
GRID_LAYOUT = {"keep_satisfied": (0, 1), "manage_closely": (0, 2), "monitor": (1, 1), "keep_informed": (1, 2)}
GRID_HINTS = {"manage_closely": "high influence, high interest", "keep_satisfied": "high influence, low interest",
              "keep_informed": "low influence, high interest", "monitor": "low influence, low interest"}


class GridPage(FollowsChanges):
    """The power/interest grid: stakeholders by influence and interest; activate one to open it."""

    open_link = Signal(str, int)
    shows = (Stakeholder,)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        heading = QLabel("Power/interest grid")
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        grid = QGridLayout()
        self.lists, self.titles = {}, {}
        for key, (row, col) in GRID_LAYOUT.items():
            frame = QFrame()
            frame.setProperty("role", "quadrant")
            box = QVBoxLayout(frame)
            title = QLabel(f"{GRID_QUADRANTS[key]}")
            title.setProperty("role", "subheading")
            title.setToolTip(GRID_HINTS[key])
            hint = QLabel(GRID_HINTS[key])
            box.addWidget(title)
            box.addWidget(hint)
            widget = _link_list(GRID_QUADRANTS[key])
            widget.itemActivated.connect(self._activated)
            widget.itemClicked.connect(self._activated)
            box.addWidget(widget, 1)
            self.lists[key] = widget
            self.titles[key] = title
            grid.addWidget(frame, row, col)
        up = QLabel("Influence ↑")
        up.setAlignment(Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(up, 0, 0, 2, 1)
        right = QLabel("Interest →")
        right.setAlignment(Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(right, 2, 1, 1, 2)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        layout.addLayout(grid, 1)
        self.unscored = QLabel()
        layout.addWidget(self.unscored)

    def fill(self):
        for widget in self.lists.values():
            widget.clear()
        placed = services.stakeholders.grid()
        counts = dict.fromkeys(self.lists, 0)
        for s in placed:
            key = quadrant(s.influence, s.interest)
            _add_link(self.lists[key], f"{s.name}  ({s.influence}/{s.interest})", "stakeholders", s.id)
            counts[key] += 1
        for key, title in self.titles.items():
            title.setText(f"{GRID_QUADRANTS[key]} ({counts[key]})")
        unscored = services.stakeholders.count() - len(placed)
        self.unscored.setText(f"{unscored} stakeholders have no influence or interest score and are not shown."
                              if unscored else "Every stakeholder is scored.")

    def _activated(self, item):
        kind, record_id = item.data(LINK_ROLE)
        self.open_link.emit(kind, record_id)

