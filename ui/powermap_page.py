"""The Power/interest map page: filters, the date it shows, the map, and those not scored yet.

The map itself is ``ui.powermap_view`` (mouse and keyboard) over ``ui.powermap`` (drawing); the data
is ``tracker.services.powermap``.  A move (a drag, an arrow key, a drop from the "Not scored" list) is
an ordinary edit through ``services.stakeholders.update``: checked by the field registry, audited,
announced, so every view (this one too) follows it.  A map as of an earlier date is read-only.
"""

from PySide6.QtCore import QAbstractListModel, QMimeData, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QListView, QSizePolicy, QSplitter,
                               QVBoxLayout, QWidget)

from tracker import records, services, vocab
from tracker.dates import format_uk_date
from tracker.models import Event, Stakeholder
from ui import errors
from ui.filters import FilterBar, FilterCombo, council_filter, field_filter
from ui.following import FollowsChanges
from ui.powermap import LABEL_LIMIT
from ui.powermap_view import MIME, MapView
from ui.reflow import ReflowGrid
from ui.worker import run_in_background

TODAY = None  # the "as of" choice meaning today's values


class UnscoredModel(QAbstractListModel):
    """Stakeholders missing a score (``MapPoint``s); each can be dragged onto the map."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.points = []

    def set_points(self, points):
        self.beginResetModel()
        self.points = list(points)
        self.endResetModel()

    def rowCount(self, parent=None):
        return 0 if parent is not None and parent.isValid() else len(self.points)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.points):
            return None
        p = self.points[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return p.name
        if role == Qt.ItemDataRole.ToolTipRole:
            org = f" — {p.organisation}" if p.organisation else ""
            scores = ", ".join(f"{f} {v}" for f, v in (("influence", p.influence), ("interest", p.interest)) if v)
            return f"{p.name}{org}" + (f" ({scores})" if scores else "")
        if role == Qt.ItemDataRole.UserRole:
            return p.id
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def mimeTypes(self):
        return [MIME]

    def mimeData(self, indexes):
        rows = [i.row() for i in indexes if i.isValid()]
        if not rows:
            return None
        data = QMimeData()
        data.setData(MIME, str(self.points[rows[0]].id).encode())
        data.setText(self.points[rows[0]].name)
        return data


def tag_filter():
    return FilterCombo("tag", "All tags", lambda: [(tag, tag) for tag in services.powermap.tags()])


def _index_of(box, value, first=0):
    """The row of ``box`` from ``first`` on holding ``value`` (a date: compared in Python, as findData
    cannot), else ``first``."""
    return next((i for i in range(first, box.count()) if box.itemData(i) == value), first)


class PowerMapPage(FollowsChanges):
    """Stakeholders by influence and interest, now or as they stood at an event."""

    open_link = Signal(str, int)
    shown = Signal()  # a map read (``fill``) is on screen
    shows = (Stakeholder, Event)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        heading = QLabel("Power/interest map")
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        S = records.STAKEHOLDER
        self.filters = FilterBar([council_filter(), field_filter(S["kind"], "All kinds"),
                                  field_filter(S["sector"], "All sectors"), tag_filter()])
        self.filters.changed.connect(self.refresh)
        layout.addWidget(self.filters)
        self.as_of = QComboBox()
        self.as_of.setAccessibleName("Show the map as of")
        self.compare = QComboBox()
        self.compare.setAccessibleName("Arrows show moves until")
        pairs = []
        for text, box in (("&As of:", self.as_of), ("Arrows to:", self.compare)):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(28)  # "16/01/2019 · Serious Violence Su…"; the popup shows all
            # The rest of its half of the row too (at 1366x768 about 460 px: a summit's whole name), not
            # only those 28 characters with a gap after them.
            box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            label = QLabel(text)
            label.setBuddy(box)
            pair = QWidget()
            row = QHBoxLayout(pair)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(label)
            row.addWidget(box, 1)
            pairs.append(pair)
        layout.addWidget(ReflowGrid(pairs, choices=(2, 1)))  # one above the other when narrow (200%)
        self.as_of.currentIndexChanged.connect(self._as_of_changed)
        self.compare.currentIndexChanged.connect(self.refresh)
        self.compare.setEnabled(False)  # arrows from a past date

        self.view = MapView()
        self.view.opened.connect(lambda point_id: self.open_link.emit("stakeholders", point_id))
        self.view.moved.connect(self._move_later)
        self.view.nudged.connect(self.nudge)
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        self.unscored_title = QLabel()
        self.unscored_title.setProperty("role", "subheading")
        self.unscored = QListView()
        self.unscored.setAccessibleName("Stakeholders not scored")
        self.unscored_model = UnscoredModel(self)
        self.unscored.setModel(self.unscored_model)
        self.unscored.setDragEnabled(True)
        self.unscored.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.unscored.setUniformItemSizes(True)
        self.unscored.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.unscored.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.unscored.activated.connect(lambda i: self.open_link.emit("stakeholders", i.data(Qt.ItemDataRole.UserRole)))
        self.unscored_title.setBuddy(self.unscored)
        hint = QLabel("Drag one onto the map to score it, or press Enter to open it.")
        hint.setWordWrap(True)
        column.addWidget(self.unscored_title)
        column.addWidget(self.unscored, 1)
        column.addWidget(hint)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)
        self.summary = QLabel()  # the map's text alternative, for everyone
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.chosen = QLabel()  # the chosen point in full: its name may be cut short on the map
        self.chosen.setWordWrap(True)
        layout.addWidget(self.chosen)
        self.view.map.selection_changed.connect(self._chosen_changed)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self._events = None
        self._sized = False
        self._reading = 0  # the latest map reading asked for
        self.operation = None

    def showEvent(self, event):
        super().showEvent(event)
        if not self._sized:  # the map takes most of the width (the splitter only knows once shown)
            self._sized = True
            total = sum(self.splitter.sizes()) or self.width()
            self.splitter.setSizes([total * 3 // 4, total // 4])

    # ---- reading ---------------------------------------------------------------------
    def follow(self, change):
        super().follow(change)
        self.filters.follow(change)  # councils
        if change.touches(services.stakeholders.table):
            self.reload_filter_choices()

    def reload_filter_choices(self):
        """The tags in use read again when the tag filter is next opened (F5, or a stakeholder changed)."""
        tags = self.filters.widget("tag")
        tags.defer(lambda: tags.fill([(tag, tag) for tag in services.powermap.tags()]))

    def current_filters(self):
        return self.filters.current_filters()

    def fill(self):
        """Read the map off the UI thread (20,000 stakeholders take a few hundred milliseconds);
        ``shown`` once it is on screen.  A reading overtaken by a newer one is dropped."""
        self._fill_dates()
        filters = self.current_filters()
        as_of = self.as_of.currentData()
        compare = as_of is not None and self.compare.currentIndex() > 0
        until = self.compare.currentData()
        self._reading += 1
        reading = self._reading

        def read(progress):
            snap = services.powermap.snapshot(filters, as_of)
            return snap, services.powermap.snapshot(filters, until) if compare else None

        self.operation = run_in_background(self, read, on_success=lambda result: self._show(reading, *result),
                                           label="Reading the power/interest map…", progress_dialog=False,
                                           cancellable=False)

    def _show(self, reading, snap, later):
        if reading != self._reading:
            return
        as_of = snap.as_of
        self.view.show_map(snap, later, editable=as_of is None)
        self.unscored_model.set_points(snap.unscored)
        self.unscored_title.setText(f"Not scored ({len(snap.unscored):,})")
        summary = services.powermap.summary_text(snap)
        when = "today" if as_of is None else f"as of {format_uk_date(as_of)}"
        self.summary.setText(f"Stakeholders by quadrant {when}: {summary}.")
        self._chosen_changed()
        self.note.setText(self._note(snap, later))
        self.shown.emit()

    def _chosen_changed(self):
        point = self.view.map.selected_point()
        if point is None:
            self.chosen.setText("")
        else:
            org = f" ({point.organisation})" if point.organisation else ""
            self.chosen.setText(f"Chosen: {point.name}{org}: influence {point.influence}, interest "
                                f"{point.interest} — {vocab.GRID_QUADRANTS[point.quadrant]}.")
        self.view.setAccessibleDescription(f"{self.summary.text()} {self.chosen.text()} Page Up and Page Down "
                                           f"choose a stakeholder, the arrow keys move it, Enter opens it.")

    def _note(self, snap, later):
        notes = []
        if self.view.map.counts_mode:
            notes.append(f"{len(snap.points):,} stakeholders are on the map: each cell shows how many. Filter by "
                         f"council, kind, sector or tag to fewer than {LABEL_LIMIT + 1:,} to see their names.")
        if snap.as_of is not None:
            moved = len({p.id for p in later.points} & {p.id for p in snap.points
                                                        if p.cell != later.by_id().get(p.id, p).cell}) \
                if later is not None else 0
            notes.append(f"The map as it stood on {format_uk_date(snap.as_of)} (from the audit trail; read-only)."
                         + (f" Arrows: {moved:,} moved since." if later is not None else ""))
        else:
            notes.append("Click a stakeholder to open it; drag it to another cell to change its scores. Keyboard: "
                         "Tab to the map, Page Up/Page Down to choose, arrow keys to move, Enter to open.")
        return " ".join(notes)

    def _fill_dates(self):
        events = services.powermap.history_events()
        if events == self._events:
            return
        self._events = events
        for box, first, gone in ((self.as_of, [("Today", TODAY)], 0),
                                 (self.compare, [("No arrows", None), ("Today", TODAY)], 1)):
            current = box.currentData(), box.currentIndex()
            box.blockSignals(True)
            box.clear()
            for text, value in first:
                box.addItem(text, value)
            for _, day, title in reversed(events):  # the latest first
                box.addItem(f"{format_uk_date(day)} · {title}", day)
            # the same choice again; in place of an event since deleted, today
            kept = max(current[1], 0) if current[1] < len(first) else next(
                (i for i in range(len(first), box.count()) if box.itemData(i) == current[0]), gone)
            box.setCurrentIndex(kept)
            box.blockSignals(False)
        self.compare.setEnabled(self.as_of.currentData() is not None)

    def _as_of_changed(self):
        if self.as_of.currentData() is not None and self.compare.currentIndex() == 0:
            self.compare.blockSignals(True)
            self.compare.setCurrentIndex(1)  # a past date: arrows to today, at first
            self.compare.blockSignals(False)
        self.compare.setEnabled(self.as_of.currentData() is not None)
        self.refresh()

    def show_as_of(self, day, until=TODAY):
        """Show the map as of ``day`` (a date among the events'; None: today), arrows to ``until``
        (None: today; False: no arrows)."""
        self._fill_dates()
        self.as_of.setCurrentIndex(_index_of(self.as_of, day))
        if day is not None:
            self.compare.setCurrentIndex(0 if until is False else _index_of(self.compare, until, first=1))

    # ---- changing ----------------------------------------------------------------------
    def _move_later(self, point_id, influence, interest):
        # After the mouse or key event that asked for it: storing it redraws the map, and with it the
        # item whose event handler is still running.
        QTimer.singleShot(0, lambda: self.move(point_id, influence, interest))

    def nudge(self, point_id, d_influence, d_interest):
        """Move the stakeholder one step (an arrow key) from its stored scores, within 1-5."""
        try:
            record = services.stakeholders.get(point_id)
        except errors.EXPECTED as exc:
            errors.show_exception(self, exc)
            return False
        if record.influence is None or record.interest is None:
            return False
        return self.move(point_id, min(max(record.influence + d_influence, 1), 5),
                         min(max(record.interest + d_interest, 1), 5), record)

    def move(self, point_id, influence, interest, record=None):
        """Give the stakeholder ``point_id`` these scores, as an edit in its form would; True when stored
        (or already so)."""
        try:
            record = record or services.stakeholders.get(point_id)
            services.stakeholders.update(record, influence=influence, interest=interest)
        except errors.EXPECTED as exc:
            errors.show_exception(self, exc)
            self.refresh()
            return False
        self.view.map.select(point_id)
        return True
