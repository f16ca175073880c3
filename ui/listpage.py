"""A list of one record kind: search box, filters, the table, and the detail editor beside it.

The search box (``ui.searchbox``) and the filters (``ui.filters``) only build a services filter dict
(:meth:`ListPage.current_filters`) and hand it to the table model, which queries SQL; nothing is
filtered in Python.  What the kind lists, offers and calls itself is its entry in ``ui.kinds``.
The deleted-items view is ``ui.deleted``.
"""

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QMenu, QPushButton, QSplitter,
                               QTableView, QVBoxLayout, QWidget)

from ui import errors
from ui.changes import notifier, views_may_read
from ui.editors import RecordEditor
from ui.filters import FilterBar
from ui.kinds import KINDS
from ui.models import RecordTableModel
from ui.resources import icon
from ui.searchbox import SearchBox

FIT_ROWS = 50  # rows measured when fitting columns to their contents (all 200 of a page: 4x as long)
NARROW_CHARS = 24  # a column beside the title or name column is at most about this many characters wide
# What a list's saved columns were laid out for: 2 since the key columns (1366 pixels wide, the others in the
# header's menu).  Columns saved for an older layout (every column shown) are fitted again, once.
COLUMNS_LAYOUT = 2


class ColumnsMenu(QMenu):
    """The columns menu: Space ticks or unticks the highlighted column and leaves the menu open (for
    the next one); Enter does so and closes it, as a click does."""

    def keyPressEvent(self, event):
        action = self.activeAction()
        if event.key() == Qt.Key.Key_Space and action is not None and action.isEnabled():
            action.toggle()
            event.accept()
            return
        super().keyPressEvent(event)


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
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        # Widths fitted to an empty list fit the headings only: they are fitted again when rows first
        # come, and only widths fitted to rows or set by the user are kept (widths_settled).
        self.widths_settled = False
        self._fitting = False
        self._narrowed = False  # the title or name column given a width of its own, the list being too narrow
        header.sectionResized.connect(self._section_resized)
        for signal in (model.modelReset, model.rowsInserted, model.layoutChanged):
            signal.connect(self._rows_came)

    def moveCursor(self, action, modifiers):
        """Ctrl+End goes to the last row even when no row is current yet (after sorting or searching,
        say): Qt's table would go to the first."""
        model = self.model()
        if (action == QAbstractItemView.CursorAction.MoveEnd and modifiers & Qt.KeyboardModifier.ControlModifier
                and not self.currentIndex().isValid() and model.rowCount() and model.columnCount()):
            return model.index(model.rowCount() - 1, 0)
        return super().moveCursor(action, modifiers)

    def fit_columns(self):
        """The kind's key columns shown, each as wide as its contents but at most about 24
        characters, and its title or name column taking the rest (elided when narrow), so a
        1366-pixel screen shows them without sideways scrolling; the other columns are hidden,
        to be shown from the header's menu (right-click, the context-menu key, Shift+F10 or View > Columns…)."""
        self._fitting = True
        try:
            header = self.horizontalHeader()
            columns = self.model().columns
            # Before fitting: a stretched last section is not resized to its contents, and when the stretch
            # is then turned off it falls back to the default 100 pixels (a date-time cut to "02/12/2026 0…").
            header.setStretchLastSection(not any(c.elastic for c in columns))
            self.resizeColumnsToContents()
            cap = self.fontMetrics().averageCharWidth() * NARROW_CHARS
            for col, column in enumerate(columns):
                header.setSectionHidden(col, False)  # a hidden section's size reads 0: fitted, it would come back 0 wide
                if not column.elastic:  # the title or name column: once the others have their widths
                    header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
                    header.resizeSection(col, min(header.sectionSize(col), cap))
                header.setSectionHidden(col, not column.key)
            for col in (c for c, column in enumerate(columns) if column.elastic):
                self._fit_elastic(col)
        finally:
            self._fitting = False
        self.widths_settled = self.model().rowCount() > 0

    def _fit_elastic(self, col):
        """The title or name column takes the width the others leave; where they leave it less than about
        15 characters (a narrow list, at 200%), it is as wide as its contents up to what the list shows and
        the list scrolls sideways to the rest: stretched into that little room it was a few letters wide,
        and given no room at all it kept its whole contents' width, its heading out of sight ("Na")."""
        header = self.horizontalHeader()
        shown = [c for c in range(header.count()) if not header.isSectionHidden(c) and c != col]
        before = sum(header.sectionSize(c) for c in shown if header.visualIndex(c) < header.visualIndex(col))
        least = 15 * self.fontMetrics().averageCharWidth()
        room = self.viewport().width() - sum(header.sectionSize(c) for c in shown)
        self._fitting = True
        try:
            if self.isVisible() and room < least:  # a hidden list's width is not its own: fitted when shown
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
                self.resizeColumnToContents(col)
                header.resizeSection(col, max(least, min(header.sectionSize(col), self.viewport().width() - before)))
                self._narrowed = True
            else:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
                self._narrowed = False
        finally:
            self._fitting = False

    def resizeEvent(self, event):
        """Narrowed or widened (shown at last, the window resized): the title or name column fits again."""
        super().resizeEvent(event)
        header = self.horizontalHeader()
        for col, column in enumerate(self.model().columns):
            if column.elastic and not header.isSectionHidden(col) and (
                    self._narrowed or header.sectionResizeMode(col) == QHeaderView.ResizeMode.Stretch):
                self._fit_elastic(col)

    def restore_widths(self, state, settled=True, layout=COLUMNS_LAYOUT):
        """Widths (and order and sort column) as saved; ``settled``: they were fitted to rows or set by the
        user, else they are fitted again once the list has rows.  Saved for an older ``layout``, the
        columns are fitted again (order and sort kept): every column was shown then, too wide for 1366."""
        self._fitting = True
        self.widths_settled = True  # a sort column restored reads the rows again: not fitted halfway through
        try:
            self.horizontalHeader().restoreState(state)
        finally:
            self._fitting = False
        if layout < COLUMNS_LAYOUT:
            self.fit_columns()
            return
        self.widths_settled = settled
        self._rows_came()

    def _section_resized(self, logical, old, new):
        """A width the user set is kept; the stretching column (the last, or the title or name
        column) follows the window, not the user, and hiding or showing a column (to or from 0) is
        not a width."""
        header = self.horizontalHeader()
        columns = self.model().columns
        last = max(range(header.count()), key=header.visualIndex, default=-1)
        stretching = ((logical < len(columns) and columns[logical].elastic)
                      or (header.stretchLastSection() and logical == last))  # (before the first fitting too)
        if not self._fitting and not stretching and old and new:
            self.widths_settled = True

    def _rows_came(self, *args):
        if not self.widths_settled and self.model().rowCount() > 0:
            self.fit_columns()

    def keyPressEvent(self, event):
        """The context-menu key and Shift+F10 open the columns menu (what a right-click on a heading opens)."""
        key, shift = event.key(), event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        if key == Qt.Key.Key_Menu or (key == Qt.Key.Key_F10 and shift):
            self.open_column_menu()
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event):
        if event.reason() == event.Reason.Keyboard:  # the platform's own context-menu key
            self.open_column_menu()
            event.accept()
            return
        super().contextMenuEvent(event)

    def open_column_menu(self):
        """The columns menu from the keyboard (or View > Columns…): under the heading of the current
        column, else of the first one shown."""
        header = self.horizontalHeader()
        col = self.currentIndex().column()
        if col < 0 or header.isSectionHidden(col):
            col = next((c for c in range(header.count()) if not header.isSectionHidden(header.logicalIndex(c))), 0)
            col = header.logicalIndex(col)
        x = max(0, header.sectionViewportPosition(col))
        self._column_menu(QPoint(x, header.height()), select_first=True)

    def _column_menu(self, pos, select_first=False):
        """The header's menu: every column, ticked when shown; ``pos`` in the header's pixels."""
        header = self.horizontalHeader()
        if getattr(self, "column_menu", None) is not None:
            self.column_menu.deleteLater()  # the last one, closed by now
        menu = ColumnsMenu(self)
        menu.setAccessibleName("Columns")
        for col, column in enumerate(self.model().columns):
            action = menu.addAction(column.title)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(col))
            action.setEnabled(not column.elastic)  # the title or name column stays
            action.toggled.connect(lambda shown, col=col: header.setSectionHidden(col, not shown))
        self.column_menu = menu  # for tests
        if select_first:  # from the keyboard: the first column that can be changed is highlighted
            menu.setActiveAction(next((a for a in menu.actions() if a.isEnabled()), None))
        menu.popup(header.mapToGlobal(pos))


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
