"""A list of one record kind with search, filters and the detail pane; and the deleted-items view.

The search box and the filter widgets only build a services filter dict (:meth:`current_filters`)
and hand it to the table model, which queries SQL; nothing is filtered in Python.
"""

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget)

from tracker import records, services, vocab
from tracker.changes import EVERYTHING
from tracker.models import Council, Stakeholder
from ui import errors
from ui.changes import notifier
from ui.editors import SINGULAR, RecordEditor
from ui.fields import LoadingCombo
from ui.models import RecordTableModel
from ui.resources import icon

SEARCH_DELAY_MS = 150
FILTERS_PER_ROW = 4
DUE_WITHIN = [("Any due date", None), ("Due within 7 days", 7), ("Due within 14 days", 14),
              ("Due within 30 days", 30), ("Due within 90 days", 90)]


class FilterCombo(LoadingCombo):
    """A filter choice; the first item, "Any …", means no filter.  ``choices`` may be a function,
    called when the filter is first used (the list of people is long)."""

    def __init__(self, key, any_text, choices):
        super().__init__()
        self.key = key
        self.setAccessibleName(f"Filter by {key.replace('_', ' ')}")
        self.addItem(any_text, None)
        if callable(choices):
            self.defer(lambda: self.fill(choices()))
        else:
            for label, value in choices:
                self.addItem(label, value)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        # Narrow enough that the window fits a small laptop screen at 150%; the popup shows all.
        self.setMinimumContentsLength(min(10, max(len(self.itemText(i)) for i in range(self.count()))))

    def value(self):
        return self.currentData()

    def fill(self, choices):
        """Replace the choices, keeping the current one selected (without a change signal)."""
        current = self.value()
        self.blockSignals(True)
        while self.count() > 1:
            self.removeItem(1)
        for label, value in choices:
            self.addItem(label, value)
        self._select(current)
        self.blockSignals(False)

    def set_value(self, value):
        self.ensure_loaded()
        self._select(value)

    def _select(self, value):
        key = getattr(value, "id", value)
        for i in range(self.count()):
            if getattr(self.itemData(i), "id", self.itemData(i)) == key:
                self.setCurrentIndex(i)
                return
        self.setCurrentIndex(0)


def _vocab_choices(vocabulary):
    return [(label, code) for code, label in vocabulary.items()]


def _council_choices():
    return [(c.name, c) for c in services.councils.all_councils()]


def _people_choices():
    return [(s.name, s) for s in services.stakeholders.page(0, 5000, sort="name")]


def filter_widgets(kind_key):
    """The filter widgets of a list, in order; a filter on a field offers that field's vocabulary."""
    S, E, C, A = records.STAKEHOLDER, records.EVENT, records.COMMITMENT, records.ACTION
    council = FilterCombo("council", "All councils", _council_choices())
    if kind_key == "stakeholders":
        return [council, FilterCombo("kind", "All kinds", _vocab_choices(S["kind"].vocabulary)),
                FilterCombo("sector", "All sectors", _vocab_choices(S["sector"].vocabulary)),
                FilterCombo("quadrant", "Whole grid", _vocab_choices(vocab.GRID_QUADRANTS))]
    if kind_key == "events":
        return [council, FilterCombo("kind", "All kinds", _vocab_choices(E["kind"].vocabulary))]
    if kind_key == "commitments":
        return [council, FilterCombo("status", "All statuses", _vocab_choices(C["status"].vocabulary)),
                FilterCombo("theme", "All themes", _vocab_choices(C["theme"].vocabulary)),
                FilterCombo("made_by", "Made by anyone", _people_choices),
                FilterCombo("rag", "Any RAG", _vocab_choices(C["rag"].vocabulary)),
                FilterCombo("due_within", DUE_WITHIN[0][0], DUE_WITHIN[1:]),
                FilterCheck("overdue", "&Overdue")]
    return [council, FilterCombo("status", "All statuses", _vocab_choices(A["status"].vocabulary)),
            FilterCombo("owner", "Any owner", _people_choices),
            FilterCombo("priority", "Any priority", _vocab_choices(A["priority"].vocabulary)),
            FilterCombo("due_within", DUE_WITHIN[0][0], DUE_WITHIN[1:]),
            FilterCheck("overdue", "&Overdue"), FilterCheck("open", "O&pen only")]


class FilterCheck(QCheckBox):
    def __init__(self, key, text):
        super().__init__(text)
        self.key = key
        self.setAccessibleName(f"Only {key.replace('_', ' ')}")

    def value(self):
        return True if self.isChecked() else None

    def set_value(self, value):
        self.setChecked(bool(value))


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

    def __init__(self, kind_key, parent=None):
        super().__init__(parent)
        self.kind_key = kind_key
        self.model = RecordTableModel(kind_key, parent=self)
        layout = QVBoxLayout(self)

        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(f"Search {kind_key}… (Ctrl+F)")
        self.search.setAccessibleName(f"Search {kind_key}")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("find"), QLineEdit.ActionPosition.LeadingPosition)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_query)
        self.search.textChanged.connect(self._search_timer.start)
        bar.addWidget(self.search, 2)
        self.new_button = QPushButton(icon("new"), f"New {SINGULAR[kind_key]}")
        self.new_button.setToolTip("Ctrl+N")
        self.new_button.clicked.connect(self.new_record)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of records shown")
        bar.addWidget(self.count_label)
        bar.addWidget(self.new_button)
        layout.addLayout(bar)

        filters = QGridLayout()
        self.filters = filter_widgets(kind_key)
        for n, widget in enumerate(self.filters):
            filters.addWidget(widget, n // FILTERS_PER_ROW, n % FILTERS_PER_ROW)
            if isinstance(widget, QCheckBox):
                widget.toggled.connect(self.apply_query)
            else:
                widget.currentIndexChanged.connect(self.apply_query)
        filters.setColumnStretch(FILTERS_PER_ROW, 1)
        layout.addLayout(filters)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.table = RecordTable(self.model, f"{kind_key.capitalize()} list")
        self.splitter.addWidget(self.table)
        self.editor = RecordEditor(kind_key)
        self.editor.saved.connect(self._saved)
        self.editor.deleted.connect(self._deleted)
        self.editor.open_link.connect(self.open_link)
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
        notifier().changed.connect(self.reload_filter_choices)

    # ---- query ---------------------------------------------------------------------
    def current_filters(self):
        """The services filter dict for what the list shows now (without the search text)."""
        return {w.key: w.value() for w in self.filters if w.value() not in (None, False)}

    def filter_widget(self, key):
        return next(w for w in self.filters if w.key == key)

    def apply_query(self):
        self._search_timer.stop()
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

    def reload_filter_choices(self, change=EVERYTHING):
        """Read again the filter choices listing records that ``change`` touches (a new stakeholder
        becomes a choice of owner; the list of people is read when the filter is next used)."""
        for w in self.filters:
            if w.key == "council" and change.touches(Council._meta.table_name):
                w.fill(_council_choices())
            elif w.key in ("owner", "made_by") and change.touches(Stakeholder._meta.table_name):
                w.defer(lambda w=w: w.fill(_people_choices()))

    def _update_count(self):
        noun = SINGULAR[self.kind_key] if self.model.total == 1 else self.kind_key
        self.count_label.setText(f"{self.model.total:,} {noun}")

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

    def new_record(self):
        if not self.editor.confirm_leave():
            return False
        self.editor.new()
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
        self.search.setFocus()
        self.search.selectAll()


DELETED_KINDS = [("Stakeholders", "stakeholders"), ("Events", "events"), ("Commitments", "commitments"),
                 ("Actions", "actions")]


class DeletedPage(QWidget):
    """Deleted records of each kind, newest deletion first; Restore brings one back."""

    restored = Signal(str, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of deleted record")
        for label, key in DELETED_KINDS:
            self.kind.addItem(label, key)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        bar.addWidget(QLabel("Deleted"))
        bar.addWidget(self.kind)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search deleted items… (Ctrl+F)")
        self.search.setAccessibleName("Search deleted items")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_query)
        self.search.textChanged.connect(self._search_timer.start)
        bar.addWidget(self.search, 1)
        self.restore_button = QPushButton(icon("restore"), "&Restore")
        self.restore_button.clicked.connect(self.restore_current)
        bar.addWidget(self.restore_button)
        layout.addLayout(bar)
        # Each kind's list is read when shown (refresh, or choosing the kind), not when the window opens.
        self.models = {key: RecordTableModel(key, deleted=True, parent=self, sort="updated", descending=True,
                                             load=False) for _, key in DELETED_KINDS}
        self.table = RecordTable(self.models["stakeholders"], "Deleted items")
        self.table.doubleClicked.connect(lambda index: self.restore_current())
        layout.addWidget(self.table, 1)
        self.hint = QLabel("Deleted records are kept here until you restore them. Select one and press Restore.")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)

    @property
    def model(self):
        return self.models[self.kind.currentData()]

    def _kind_changed(self):
        self.table.setModel(self.model)
        self.apply_query()

    def showEvent(self, event):
        super().showEvent(event)
        if not self.model.loaded:  # read when first shown; from then on it follows the changes
            self.apply_query()

    def apply_query(self):
        self.model.set_query(search=self.search.text())

    def refresh(self):
        self.model.refresh()

    def focus_search(self):
        self.search.setFocus()

    def restore_current(self):
        index = self.table.currentIndex()
        record = self.model.record(index.row()) if index.isValid() else None
        if record is None:
            return False
        try:
            self.model.service.restore(record, expected_version=record.version)
        except errors.EXPECTED as exc:
            errors.show_exception(self, exc)
            return False
        self.restored.emit(self.kind.currentData(), record.id)
        return True
