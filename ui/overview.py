"""The power/interest grid.  (The home page is the dashboard: ``ui.dashboard``.)

It follows the announced changes of the kinds it shows (``ui.changes``): at once while it is on
screen, otherwise when next shown (``ui.following.FollowsChanges``).
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout

from tracker import services
from tracker.models import Stakeholder
from tracker.services.stakeholders import GRID_QUADRANTS, quadrant
from ui.following import LINK_ROLE, FollowsChanges
from ui.following import add_link as _add_link
from ui.following import link_list as _link_list

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

