"""The home page: the dashboard.  Tiles that count what needs attention, three charts and the next 30
days, for all councils or one; every tile, bar, line and entry opens the list it counts.  On an
empty database it says what to do next instead (add a partner, import a spreadsheet, load the demo).

Its numbers come from ``tracker.services.dashboard`` (aggregate queries); its charts are
``ui.charts``'s, painted by their widgets (``ui.chartview``) on the UI thread in a few milliseconds.
The over-time chart's months are read on a worker once the current charts have been painted.  It
follows the announced changes of the kinds it counts (``ui.following.FollowsChanges``).
"""

import logging
from dataclasses import replace

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (QBoxLayout, QComboBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy,
                               QStackedWidget, QVBoxLayout, QWidget)

from tracker import services
from tracker.changes import EVERYTHING
from tracker.demo import load_demo
from tracker.models import ActionItem, Attendance, Commitment, Council, Event, Stakeholder, Update
from ui import errors
from ui.charts import dashboard_charts
from ui.chartview import ChartView
from ui.filters import council_choices
from ui.following import LINK_ROLE, FollowsChanges, add_link, link_list
from ui.reflow import ReflowGrid
from ui.resources import icon
from ui.worker import run_in_background

log = logging.getLogger(__name__)

CHART_SLOTS = ("commitments", "history", "owners")  # in this order, the upcoming list after them
CHART_LEAST = QSize(360, 230)  # a chart's least size, the upcoming list's too


class Tile(QPushButton):
    """A count that is a link: its number, what it counts, and a click (or Enter) opens the list."""

    def __init__(self, key):
        super().__init__()
        self.key = key
        self.link = None
        self.setProperty("role", "tile")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 6)
        layout.setSpacing(0)
        self.number = QLabel("0")
        self.number.setProperty("role", "tile-number")
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        for label in (self.number, self.caption):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)

    def show_tile(self, tile):
        self.link = tile.link
        self.number.setText(f"{tile.count:,}")
        self.caption.setText(tile.title)
        self.setAccessibleName(f"{tile.title}: {tile.count}")
        self.setAccessibleDescription(f"Opens the list: {tile.link.words}")
        self.setToolTip(f"Open the list: {tile.link.words}")
        self.setMinimumHeight(self.layout().sizeHint().height())
        # Its words in two lines at most: narrower than four of these, the tiles go two by two.
        self.setMinimumWidth(18 * self.caption.fontMetrics().averageCharWidth() + 20)


class EmptyPanel(QWidget):
    """What an empty database offers: add a partner, import a spreadsheet, load the demo data.  Each
    button has its hint beside it, or under it when the page is narrow (200% scaling on a small
    screen), so the page never scrolls sideways."""

    WIDE = 700  # from this width (the panel's) the hints stand beside their buttons

    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel("This database is empty. Where to start:")
        title.setProperty("role", "heading")
        title.setWordWrap(True)
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(title)
        self.add_partner = QPushButton(icon("new"), "&Add a partner")
        self.import_table = QPushButton(icon("stakeholders"), "&Import a spreadsheet…")
        self.load_demo = QPushButton(icon("home"), "&Load the demo data")
        hints = ("A partner organisation or a person (Ctrl+N from here too)",
                 "A sign-in sheet, a partner's action log or a list of contacts (.xlsx, .ods, .csv)",
                 "The tri-borough Serious Violence Summit's partners, commitments and actions, to try things out")
        self.rows = []  # (its QBoxLayout, the hint)
        for button, hint in zip((self.add_partner, self.import_table, self.load_demo), hints):
            button.setAccessibleDescription(hint)
            outer = QHBoxLayout()
            outer.addStretch(1)
            row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
            button.setMinimumWidth(260)
            row.addWidget(button)
            note = QLabel(hint)
            note.setWordWrap(True)
            note.setMaximumWidth(460)
            row.addWidget(note)
            outer.addLayout(row)
            outer.addStretch(1)
            layout.addLayout(outer)
            self.rows.append((row, note))
        layout.addStretch(2)
        self._lay_out(wide=True)

    def _lay_out(self, wide):
        for row, note in self.rows:
            row.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)
            note.setMinimumWidth(380 if wide else 0)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        wide = event.size().width() >= self.WIDE
        if wide != (self.rows[0][0].direction() == QBoxLayout.Direction.LeftToRight):
            self._lay_out(wide)


class DashboardPage(FollowsChanges):
    """The home page.  ``open_list(kind, filters, words)`` asks for a list shown with a services
    filter dict; ``open_link(kind, id)`` for a record; ``new_linked(kind, values)`` for a new one."""

    open_list = Signal(str, object, str)
    open_link = Signal(str, int)
    new_linked = Signal(str, object)
    shows = (Stakeholder, Event, Attendance, Commitment, ActionItem, Update, Council)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data = None
        self.charts = {}  # key -> ui.charts.Chart shown
        self.loading = None  # the demo data being loaded
        self.history_job = None  # the over-time chart's months being read
        self.read_job = None  # the figures being read again (after an announced change)
        self.read_again = False  # a refresh asked for while they were read
        self.history_due = None  # the data whose months are read once the current charts are painted
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        heading = QLabel("Dashboard")
        heading.setProperty("role", "heading")
        top.addWidget(heading)
        top.addStretch(1)
        self.council_label = QLabel("&Council:")
        self.council = QComboBox()
        self.council.setAccessibleName("Council shown on the dashboard")
        self.council_label.setBuddy(self.council)
        self._fill_councils()
        self.council.currentIndexChanged.connect(self.refresh)
        top.addWidget(self.council_label)
        top.addWidget(self.council)
        layout.addLayout(top)

        self.pages = QStackedWidget()
        self.empty = EmptyPanel()
        self.empty.add_partner.clicked.connect(lambda: self.new_linked.emit("stakeholders", None))
        self.empty.import_table.clicked.connect(self._import_table)
        self.empty.load_demo.clicked.connect(self.load_demo_data)
        self.board = QWidget()
        self.pages.addWidget(self.board)
        self.pages.addWidget(self.empty)
        layout.addWidget(self.pages, 1)

        column = QVBoxLayout(self.board)
        column.setContentsMargins(0, 0, 0, 0)
        self.tiles = {key: Tile(key) for key in ("overdue", "attention", "no_owner", "not_engaged")}
        for tile in self.tiles.values():
            tile.clicked.connect(lambda checked=False, t=tile: self._open(t.link))
        # Four across, two by two or one column, as the page's width allows (200% on a small screen):
        # the page scrolls up and down, never sideways.
        self.tile_grid = ReflowGrid(self.tiles.values(), choices=(4, 2, 1))
        column.addWidget(self.tile_grid)
        self.totals = QLabel()
        self.totals.setAccessibleName("Records held")
        column.addWidget(self.totals)
        titles = {"commitments": "Commitments by status and RAG, per council",
                  "history": "Actions opened and closed per month, and overdue",
                  "owners": "Open actions by owner organisation, worst overdue first"}
        self.canvases = {key: ChartView(titles[key], self._open) for key in CHART_SLOTS}  # key -> its ChartView
        for canvas in self.canvases.values():
            canvas.setMinimumSize(CHART_LEAST)
            canvas.painted.connect(self._history_after_charts)
        upcoming = QWidget()
        upcoming.setMinimumHeight(CHART_LEAST.height())
        box = QVBoxLayout(upcoming)
        box.setContentsMargins(0, 0, 0, 0)
        self.upcoming_title = QLabel("Upcoming events and due dates, next 30 days")
        self.upcoming_title.setProperty("role", "subheading")
        self.upcoming_title.setWordWrap(True)
        self.upcoming = link_list("Upcoming events and due dates, next 30 days")
        self.upcoming.itemActivated.connect(self._activated)
        self.upcoming.itemClicked.connect(self._activated)
        box.addWidget(self.upcoming_title)
        box.addWidget(self.upcoming, 1)
        # Two by two, or one column when narrow; the upcoming list last, where it was (bottom right).
        self.grid = ReflowGrid([*self.canvases.values(), upcoming], choices=(2, 1))
        column.addWidget(self.grid, 1)

    # ---- reading -------------------------------------------------------------------------
    def council_id(self):
        return self.council.currentData()

    def _fill_councils(self):
        current = self.council.currentData()
        self.council.blockSignals(True)
        self.council.clear()
        self.council.addItem("All councils", None)
        for name, council in council_choices():
            self.council.addItem(name, council.id)
        index = self.council.findData(current)
        self.council.setCurrentIndex(max(index, 0))
        self.council.blockSignals(False)

    def follow(self, change=EVERYTHING):
        if change.touches(Council._meta.table_name):
            self._fill_councils()
        super().follow(change)

    def fill(self):
        """The figures read again: the first time here (the page has nothing to show yet), then on a
        worker (a second at 100k actions), so an announced change never freezes the window; the page
        keeps the last figures until the new ones arrive.  A refresh asked for meanwhile reads again."""
        council = self.council_id()
        if self.data is None:
            try:
                self.show_data(services.dashboard.dashboard(council, history=False))
            except errors.EXPECTED as exc:
                errors.show_exception(self, exc)
            return
        if self.read_job is not None and not self.read_job.done:
            self.read_again = True
            return
        self.read_again = False

        def arrived(data):
            if self.read_again:  # changed meanwhile: these figures are already old
                self.fill()
            else:
                self.show_data(data)

        def failed(exc):
            if isinstance(exc, errors.EXPECTED):
                errors.show_exception(self, exc)
            else:  # e.g. the database was switched meanwhile: the next announced change reads again
                log.warning("the dashboard's figures were not read: %s", exc)

        self.read_job = run_in_background(self, lambda progress: services.dashboard.dashboard(council, history=False),
                                          on_success=arrived, on_failure=failed, progress_dialog=False,
                                          cancellable=False)

    def show_data(self, data):
        """The tiles, totals and upcoming list of ``data`` shown now; its charts once they are painted."""
        self.data = data
        empty = data.is_empty and self.council_id() is None
        self.pages.setCurrentWidget(self.empty if empty else self.board)
        for page in (self.empty, self.board):  # only the page shown sets how narrow the dashboard can be
            shown = page is self.pages.currentWidget()
            page.setSizePolicy(QSizePolicy.Policy.Preferred if shown else QSizePolicy.Policy.Ignored,
                               QSizePolicy.Policy.Preferred if shown else QSizePolicy.Policy.Ignored)
        self.council_label.setVisible(not empty)
        self.council.setVisible(not empty)
        for tile in data.tiles:
            self.tiles[tile.key].show_tile(tile)
        least = max(tile.minimumHeight() for tile in self.tiles.values())  # one height, in whatever rows
        for tile in self.tiles.values():
            tile.setMinimumHeight(least)
        self.totals.setText(" · ".join(f"{n:,} {kind}" for kind, n in data.totals.items())
                            + ("" if data.council_id is None else f" in {data.council_name}"))
        self.upcoming.clear()
        for u in data.upcoming:
            add_link(self.upcoming, f"{u.date:%a} {u.date:%d/%m/%Y} · {u.what} · {u.text}", u.kind, u.record_id)
        if not data.upcoming:
            self.upcoming.addItem("Nothing falls due and no event is planned in the next 30 days.")
        self.upcoming.setAccessibleDescription(f"{len(data.upcoming)} entries")
        if self.pages.currentWidget() is self.board:
            self.history_due = data  # read once the current charts are painted: the over-time chart follows
            self.draw_charts()

    def _read_history(self, data):
        """The months of the over-time chart, read on a worker (a second at 100k actions)."""
        scope = {"council": data.council_id} if data.council_id is not None else {}

        def arrived(months):
            if self.data is data:  # not read again meanwhile
                self.data = replace(data, months=months)
                self.draw_charts(("history",))

        def failed(exc):  # e.g. the database was switched meanwhile: the chart waits for the next reading
            log.warning("the dashboard's history was not read: %s", exc)

        self.history_job = run_in_background(self, lambda progress: services.dashboard.months(scope, data.today),
                                             on_success=arrived, on_failure=failed, progress_dialog=False,
                                             cancellable=False)

    def draw_charts(self, keys=("commitments", "owners")):
        """Show the charts ``keys`` of the data last read: each is laid out and painted in its widget's
        next paintEvent (milliseconds).  (The history chart is shown when its months have been read:
        :meth:`_read_history`.)"""
        if self.data is None or self.pages.currentWidget() is not self.board:
            return
        for chart in dashboard_charts(self.data, keys=keys):
            self.charts[chart.key] = chart
            self.canvases[chart.key].set_chart(chart)
        if self.history_due is not None:  # once painted (ChartView.painted), or at once if none is on screen
            QTimer.singleShot(0, self, self._history_after_charts)

    def _history_after_charts(self):
        """Read the over-time chart's months once the current charts are painted (not beside them): those
        on screen, that is; one scrolled out of sight (200% on a small screen) or a page not shown is
        not waited for."""
        def waited_for(key):
            canvas = self.canvases[key]
            return canvas.painted_chart is not self.charts.get(key) and not canvas.visibleRegion().isEmpty()

        if self.history_due is not None and not any(waited_for(key) for key in CHART_SLOTS if key != "history"):
            data, self.history_due = self.history_due, None
            self._read_history(data)

    # ---- following a click -----------------------------------------------------------------
    def _open(self, link):
        if link is None:
            return
        if link.record_id is not None:
            self.open_link.emit(link.kind, link.record_id)
        else:
            self.open_list.emit(link.kind, dict(link.filters), link.words)

    def _activated(self, item):
        target = item.data(LINK_ROLE)
        if target:
            self.open_link.emit(*target)

    # ---- an empty database -------------------------------------------------------------------
    def _import_table(self):
        action = getattr(self.window(), "actions", {}).get("import_table")
        if action is not None:
            action.trigger()

    def load_demo_data(self):
        """Load the summit demo data in the background (the page follows as it is announced)."""
        self.empty.load_demo.setEnabled(False)

        def done(_result=None):
            self.empty.load_demo.setEnabled(True)

        self.loading = run_in_background(self, lambda progress: load_demo(), on_success=done,
                                         on_failure=lambda exc: (done(), errors.show_exception(self, exc)),
                                         label="Loading the demo data…", cancellable=False)
        return self.loading
