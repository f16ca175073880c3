"""The home overview (counts, overdue actions, commitments due soon).  The map: ``ui.powermap_page``.

It follows the announced changes of the kinds it shows (``ui.changes``): at once while it is on
screen, otherwise when next shown (``ui.following.FollowsChanges``).
"""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from tracker import services, vocab
from tracker.dates import format_uk_date
from tracker.models import ActionItem, Commitment, Event, Stakeholder
from ui.following import LINK_ROLE, FollowsChanges, add_link, link_list
from ui.kinds import KINDS

OVERVIEW_ROWS = 50
DUE_SOON_DAYS = 30


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
        self.overdue = link_list("Overdue actions")
        self.due_soon = link_list("Commitments due soon")
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
            add_link(self.overdue, f"{format_uk_date(a.due_date)}  {a.reference} {a.title}{owner}", "actions", a.id)
        self.due_soon.clear()
        for flag, filters in (("overdue", {"overdue": True}), ("due", {"due_within": DUE_SOON_DAYS})):
            for c in services.commitments.page(0, OVERVIEW_ROWS, filters=filters, sort="target_date"):
                status = vocab.label(vocab.COMMITMENT_STATUSES, c.status)
                when = "Overdue since" if flag == "overdue" else "Due"
                add_link(self.due_soon, f"{when} {format_uk_date(c.target_date)} · {status} · {c.title} — "
                                         f"{c.made_by.name}", "commitments", c.id)

    def _activated(self, item):
        kind, record_id = item.data(LINK_ROLE)
        self.open_link.emit(kind, record_id)
