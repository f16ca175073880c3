"""A list of one record kind: search box, filters, the table, and the detail editor beside it.

The search box (``ui.searchbox``) and the filters (``ui.filters``) only build a services filter dict
(:meth:`ListPage.current_filters`) and hand it to the table model, which queries SQL; nothing is
filtered in Python.  What the kind lists, offers and calls itself is its entry in ``ui.kinds``.
The deleted-items view is ``ui.deleted``.
"""

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter,
                               QTableView, QVBoxLayout, QWidget)

from ui import errors
from ui.changes import notifier, views_may_read
from ui.editors import RecordEditor
from ui.filters import FilterBar
from ui.kinds import KINDS
from ui.models import RecordTableModel
from ui.resources import icon
from ui.searchbox import SearchBox

FIT_ROWS = 50  # rows measured when fitting columns to their contents (all 200 of a batch: 4x as long)


class RecordTable(QTableView):
    def __init__(self, model, name):
        super().__init__()
        self.setModel(model)
        self.setAccessibleName(name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 8)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # The indicator first: enabling sorting sorts by it, so the list keeps the model's own order
        # (due date for actions) and is read once rather than three times.
        header.setSortIndicator(model.sort_column(),
                                Qt.SortOrder.DescendingOrder if model.descending else Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
        header.setResizeContentsPrecision(FIT_ROWS)

    def fit_columns(self):
        """Columns as wide as their contents, but no column wider than about 45 characters."""
        self.resizeColumnsToContents()
        cap = self.fontMetrics().averageCharWidth() * 45
        header = self.horizontalHeader()
        for col in range(header.count()):
            header.resizeSection(col, min(header.sectionSize(col), cap))


class ListPage(QWidget):
    """Search box, filters, table and the detail editor for one record kind."""

    open_link = Signal(str, int)
    new_linked = Signal(str, object)  # kind key, the values a new record of it starts with

    def __init__(self, kind_key, parent=None):
        super().__init__(parent)
        self.kind_key = kind_key
        self.kind = KINDS[kind_key]
        self.model = RecordTableModel(kind_key, parent=self)
        layout = QVBoxLayout(self)

        bar = QHBoxLayout()
        self.search = SearchBox(kind_key)
        self.search.settled.connect(self.apply_query)
        bar.addWidget(self.search, 2)
        self.new_button = QPushButton(icon("new"), f"New {self.kind.name}")
        self.new_button.setToolTip("Ctrl+N")
        self.new_button.clicked.connect(self.new_record)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of records shown")
        bar.addWidget(self.count_label)
        bar.addWidget(self.new_button)
        layout.addLayout(bar)

        self.filter_bar = FilterBar(self.kind.filters())
        self.filters = self.filter_bar.widgets
        self.filter_bar.changed.connect(self.apply_query)
        layout.addWidget(self.filter_bar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.table = RecordTable(self.model, f"{self.kind.title} list")
        self.splitter.addWidget(self.table)
        self.editor = RecordEditor(kind_key)
        self.editor.saved.connect(self._saved)
        self.editor.deleted.connect(self._deleted)
        self.editor.open_link.connect(self.open_link)
        self.editor.new_linked.connect(self.new_linked)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)

        self._reverting = False
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        # Read again (everything changed), or the selected row went (deleted elsewhere): the shown record stays.
        self.model.modelReset.connect(self._reselect)
        self.model.rowsRemoved.connect(self._reselect)
        self.model.counted.connect(self._update_count)
        self._update_count()
        notifier().changed.connect(self.filter_bar.follow)

    # ---- query ---------------------------------------------------------------------
    def current_filters(self):
        """The services filter dict for what the list shows now (without the search text)."""
        return self.filter_bar.current_filters()

    def filter_widget(self, key):
        return self.filter_bar.widget(key)

    def show_only(self, filters, words=""):
        """Show the records matching ``filters`` (a services filter dict), the other filters cleared;
        ``words`` say those no filter widget shows (a dashboard tile's)."""
        self.filter_bar.show_only(filters, words)

    def apply_query(self):
        self.search.settle()
        if not views_may_read():
            return
        try:
            self.model.set_query(search=self.search.text(), filters=self.current_filters())
        except errors.EXPECTED as exc:
            errors.show_exception(self, exc)
        self._reselect()

    def refresh(self):
        """Re-read the list (F5) and the shown record; keeps unsaved edits."""
        self.model.refresh()
        if not self.editor.dirty and self.editor.record is not None:
            try:
                self.editor.load(self.editor.service.reload(self.editor.record))
            except errors.EXPECTED:
                self.editor.load(None)
        self._reselect()

    def reload_filter_choices(self):
        """Read the filter choices again (F5): a council or a person added by another program."""
        self.filter_bar.follow()

    def _update_count(self):
        self.count_label.setText(self.kind.count_text(self.model.total))

    # ---- selection and the editor ------------------------------------------------------
    def _current_row_changed(self, current, previous):
        if self._reverting or self.model.following:
            return
        record = self.model.record(current.row()) if current.isValid() else None
        if record is not None and self.editor.record is not None and record.id == self.editor.record.id:
            return
        if not self.editor.confirm_leave():
            self._reverting = True
            try:
                self._select_row(previous.row() if previous.isValid() else -1)
            finally:
                self._reverting = False
            return
        if record is not None:
            self.editor.load(record)
            self._reselect()  # saving the previous record re-read the list

    def _select_row(self, row):
        sm = self.table.selectionModel()
        if row < 0:
            sm.clearSelection()
            sm.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)
            return
        index = self.model.index(row, 0)
        sm.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                           | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def _reselect(self):
        """Keep the shown record selected after the list was re-read (if it is among the rows)."""
        record = self.editor.record
        self._reverting = True
        try:
            self._select_row(self.model.row_of(record.id) if record is not None else -1)
        finally:
            self._reverting = False

    def open_record(self, record_id):
        """Show a record (e.g. followed from a link); False when the user stayed on the edited one."""
        if not self.editor.confirm_leave():
            return False
        try:
            record = self.editor.service.get(record_id)
        except errors.EXPECTED as exc:
            errors.show_exception(self, exc)
            return False
        self.editor.load(record)
        self._reselect()
        return True

    def new_record(self, values=None):
        """A blank record in the editor (starting with ``values``, e.g. a new action's commitment)."""
        if not self.editor.confirm_leave():
            return False
        self.editor.new(values)
        self._reselect()
        return True

    def save(self):
        return self.editor.save()

    def delete_current(self):
        return self.editor.delete()

    def _saved(self, record):
        self._reselect()  # the list took the saved record in as it was announced

    def _deleted(self, record):
        self._reselect()

    def focus_search(self):
        self.search.focus()
