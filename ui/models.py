"""Table models: thin adapters over ``RecordService.count/window/rows_by_id/position``.

Search, filters and sorting happen in SQL through the services.  The model knows how many rows
the list has (one COUNT) and reads rows where the view looks: ``data()`` for a row not read yet
asks the service for the page of rows around it (``RecordService.window``, which reads from the
nearer end of the list), and keeps at most :data:`KEEP` rows, those nearest where the view last
looked.  So the scroll bar spans the whole list and Ctrl+End or dragging it reaches the last row at
once.  No proxy model sits over all rows.  ``data()`` uses module-level role constants (the short
enum forms cost about 20 times as much per call).  A column showing a field takes its heading and
the way it shows a value from the registry of fields (``ui.columns``); which columns a kind lists,
and the lookups a page of its rows needs, is the kind's own (``ui.kinds``).
"""

import logging

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer, Signal
from peewee import ForeignKeyField

from tracker.models import Council
from ui import errors
from ui.changes import notifier
from ui.columns import DELETED_COLUMN, ListContext
from ui.kinds import KINDS

log = logging.getLogger(__name__)

DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
BACKGROUND = Qt.ItemDataRole.BackgroundRole
ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1  # the peewee record of a row
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # its database id
HORIZONTAL = Qt.Orientation.Horizontal
ENABLED_SELECTABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
NO_FLAGS = Qt.ItemFlag.NoItemFlags

PAGE = 100  # rows read at a time, around the row the view asked for (a screenful is 20-40)
KEEP = 40 * PAGE  # rows kept at most; beyond, those farthest from where the view looks are let go
FOLLOW_LIMIT = 50  # more changed rows than this: read the list again (a reset) rather than row by row
RETRY_MS = 2000  # a page that could not be read (a busy database) is asked for again after this


class RecordTableModel(QAbstractTableModel):
    """Rows of one record kind for the current search, filters and sort, read a page at a time
    where the view looks.

    It follows what the services announce (``ui.changes``): the changed rows are read again by id
    and stay (``dataChanged``), move, come in or go as the list's query now places them; the rows
    of records they link to are read again when those change (an action's owner renamed); and a
    change of everything or of a whole kind, or one whose rows' former places are not known (they
    were not read), reads the list again (a reset; the page keeps the view's place and record).
    """

    counted = Signal()  # ``total`` changed

    def __init__(self, kind_key, deleted=False, parent=None, sort=None, descending=False, load=True):
        super().__init__(parent)
        self.loaded = False  # read at least once: until then there is nothing to follow
        self.following = False  # rows moving in and out for a change: not the user choosing another row
        self.context = ListContext()
        self.kind = KINDS[kind_key]
        self.service = self.kind.service
        self.deleted = deleted
        self.columns = self._columns()
        self.search = ""
        self.filters = {}
        self.sort_key = sort or self.service.default_sort
        self.descending = descending
        self._rows = {}  # row number -> record: the rows read and kept
        self._unreadable = set()  # pages that failed to read (until RETRY_MS has passed)
        self._told = False  # the user was told a page could not be read
        self.total = 0
        # The record kinds whose changes show in these rows, and the fields linking to them.
        self.links = {}
        for field in self.service.model._meta.sorted_fields:
            if isinstance(field, ForeignKeyField):
                self.links.setdefault(field.rel_model._meta.table_name, []).append(field.name)
        notifier().changed.connect(self.follow)
        if load:
            self.refresh()

    # ---- state -------------------------------------------------------------------
    def _columns(self):
        """The kind's columns over this read's lookups (council names, rolled-up RAG)."""
        if not self.deleted:
            return self.kind.columns(self.context)
        extra = self.kind.deleted_columns(self.context) if self.kind.deleted_columns else []
        return self.kind.columns(self.context) + extra + [DELETED_COLUMN]

    def query_args(self):
        return {"search": self.search, "filters": dict(self.filters), "sort": self.sort_key,
                "descending": self.descending, "deleted": self.deleted}

    def set_query(self, search=None, filters=None):
        if search is not None:
            self.search = search
        if filters is not None:
            self.filters = {k: v for k, v in filters.items() if v not in (None, "", False)}
        self.refresh()

    def refresh(self, keep_place=False):
        """Count the list again and forget the rows read; the first page is read at once unless
        ``keep_place`` (the view then asks for the rows where it stands)."""
        self.beginResetModel()
        try:
            self.context = ListContext()
            self.columns = self._columns()
            self._rows, self._unreadable, self._told = {}, set(), False
            self.total = self.service.count(search=self.search, filters=self.filters, deleted=self.deleted)
            if not keep_place:
                self._read(0)
            self.loaded = True
        except BaseException:  # a busy or damaged database: an empty list, never a reset left open
            self._rows, self.total = {}, 0
            raise
        finally:
            self.endResetModel()
            self.counted.emit()

    @property
    def rows(self):
        """The rows read and kept, in the list's order (not necessarily from the first row on)."""
        return [self._rows[r] for r in sorted(self._rows)]

    @property
    def complete(self):
        """Whether every row of the list is read and kept."""
        return len(self._rows) >= self.total

    def _read(self, row):
        """Read the page of rows around ``row`` (two queries, plus the kind's lookups for them): half
        before it and half after, so a screenful below a jump and the next rows either way are read
        together."""
        first = max(0, min(row - PAGE // 2, self.total - PAGE))
        records = self.service.window(first, PAGE, self.total, **self.query_args())
        if self.kind.prefetch is not None and records:
            self.kind.prefetch(self.context, records)
        for k, record in enumerate(records):
            self._rows[first + k] = record
        if len(self._rows) > KEEP:
            nearest = sorted(self._rows, key=lambda r: abs(r - row))[:KEEP * 3 // 4]
            self._rows = {r: self._rows[r] for r in nearest}

    def _row(self, row):
        """The record at ``row``, read with its page if need be; None when it cannot be read."""
        record = self._rows.get(row)
        if record is not None or not 0 <= row < self.total:
            return record
        page = row // PAGE
        if page in self._unreadable or self.following:  # mid-change: asked again once the rows are in place
            return None
        try:
            self._read(row)
        except errors.EXPECTED as exc:  # not inside a paint: say so once the view has painted, retry later
            log.warning("rows %d-%d of the %s list could not be read: %s", page * PAGE, page * PAGE + PAGE - 1,
                        self.kind.key, exc)
            if not self._told:  # once until the list is read again, however often a retry fails
                self._told = True
                QTimer.singleShot(0, lambda shown=exc: errors.show_exception(None, shown))
            self._unreadable_page(page)
            return None
        record = self._rows.get(row)
        if record is None:  # the list is shorter than counted (changed unannounced): not asked again at each paint
            self._unreadable_page(page)
        return record

    def _unreadable_page(self, page):
        if not self._unreadable:
            QTimer.singleShot(RETRY_MS, self, self._retry)
        self._unreadable.add(page)

    def _retry(self):
        if self._unreadable:
            self._unreadable = set()
            if self.total:
                self.dataChanged.emit(self.index(0, 0), self.index(self.total - 1, len(self.columns) - 1))

    # ---- following changes -----------------------------------------------------------
    def follow(self, change):
        """Bring the rows in line with ``change`` (a ``tracker.changes.Change``)."""
        if not self.loaded:
            return
        own = self.service.table
        if change.rereads(own) or change.touches(Council._meta.table_name) or any(map(change.rereads, self.links)):
            self.refresh(keep_place=True)
            return
        ids = set(change.ids(own))
        linked_changed = False
        for table, names in self.links.items():
            linked = change.ids(table)
            if linked:
                linked_changed = True
                ids.update(r.id for r in self._rows.values() if any(r.__data__.get(n) in linked for n in names))
        moved_unread = linked_changed and not self.complete and self.service.sorts_by_link(self.sort_key)
        if len(ids) > FOLLOW_LIMIT or moved_unread:
            self.refresh(keep_place=True)  # e.g. an owner renamed moves rows not read, in a list by owner
            return
        if ids:
            created = {i for k, i in change.created if k == own}
            if not self._follow_rows(ids, created):
                self.refresh(keep_place=True)
                return
        if self.kind.prefetch_follows and change.touches(*self.kind.prefetch_follows):
            self._follow_prefetched()

    def _follow_rows(self, ids, created):
        """Read ``ids`` again as the list's query shows them, then move the rows there: every query
        first, so a busy database leaves the rows as they were.  False when that cannot be done
        row by row: a changed record's former place is not known (its row was not read)."""
        args = self.query_args()
        fresh = {r.id: r for r in self.service.rows_by_id(ids, **args)}
        was = {r.id: row for row, r in self._rows.items() if r.id in ids}  # where the changed rows were
        complete = self.complete
        # A record not kept was not in the list if it is new, or if every row was kept; else
        # the count says whether it was (then its place is unknown).
        unsure = [i for i in ids if i not in was and i not in created and not complete]
        if not fresh and not was and not unsure:
            return True  # none of them is or was in this list
        total = self.total
        if unsure or set(was) != set(fresh):  # some came into the list or left it
            total = self.service.count(search=self.search, filters=self.filters, deleted=self.deleted)
            if total != self.total + len(set(fresh) - set(was)) - len(set(was) - set(fresh)):
                return False
        if self.kind.prefetch is not None and fresh:
            self.kind.prefetch(self.context, list(fresh.values()))
        placed = sorted((self.service.position(r, **args), r.id) for r in fresh.values())
        before = self.total
        self._become(was, placed, fresh)
        if self.total != before:
            self.counted.emit()
        return True

    def _become(self, was, placed, fresh):
        """Remove the rows in ``was`` (id -> row) that left, then put each of ``placed`` ([(row,
        id)] by row) at its row, moving it there from where it was or inserting it; a changed row
        that stays where it was is a ``dataChanged``."""
        self.following = True
        try:
            for row in sorted((row for i, row in was.items() if i not in fresh), reverse=True):
                self.beginRemoveRows(QModelIndex(), row, row)
                self._shift(row, None)
                self.endRemoveRows()
            for k, record_id in placed:
                now = next((r for r, rec in self._rows.items() if rec.id == record_id), None)
                if now is None:
                    self.beginInsertRows(QModelIndex(), k, k)
                    self._shift(None, k)
                    self.endInsertRows()
                elif now != k:  # up, as the rows before k are in place already (down only if the list
                    # changed unannounced meanwhile); Qt names the row a move lands before
                    self.beginMoveRows(QModelIndex(), now, now, QModelIndex(), k if k < now else k + 1)
                    self._shift(now, k)
                    self.endMoveRows()
                self._rows[k] = fresh[record_id]
                self.dataChanged.emit(self.index(k, 0), self.index(k, len(self.columns) - 1))
        finally:
            self.following = False

    def _shift(self, source, target):
        """Row ``source`` leaves (None: a row comes in) and, unless ``target`` is None, one lands
        at ``target``; the rows kept between move up or down and ``total`` follows."""
        rows = self._rows
        if source is not None:
            rows.pop(source, None)
            rows = {(r - 1 if r > source else r): rec for r, rec in rows.items()}
            self.total -= 1
        if target is not None:
            rows = {(r + 1 if r >= target else r): rec for r, rec in rows.items()}
            self.total += 1
        self._rows = rows

    def _follow_prefetched(self):
        """What the rows looked up changed (an action: the rolled-up RAG of the commitments shown,
        one query): the rows whose lookups changed are a ``dataChanged``."""
        before = {r.id: self.context.looked_up(r) for r in self._rows.values()}
        self.kind.prefetch(self.context, list(self._rows.values()))
        for k, r in sorted(self._rows.items()):
            if self.context.looked_up(r) != before[r.id]:
                self.dataChanged.emit(self.index(k, 0), self.index(k, len(self.columns) - 1))

    # ---- Qt model ----------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else self.total

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index):
        if not index.isValid():
            return NO_FLAGS
        return ENABLED_SELECTABLE

    def data(self, index, role=DISPLAY):
        if not index.isValid() or index.column() >= len(self.columns):
            return None
        record = self._rows.get(index.row())
        if record is None:
            record = self._row(index.row())
            if record is None:
                return None
        column = self.columns[index.column()]
        if role == DISPLAY or role == ACCESSIBLE:
            return column.text(record)
        if role == TOOLTIP:
            text = column.text(record)
            return text if len(text) > 40 else None
        if role == BACKGROUND:
            return column.tint(record) if column.tint is not None else None
        if role == RECORD_ROLE:
            return record
        if role == ID_ROLE:
            return record.id
        return None

    def headerData(self, section, orientation, role=DISPLAY):
        if orientation == HORIZONTAL and 0 <= section < len(self.columns) and role == DISPLAY:
            return self.columns[section].title
        return None

    def sort(self, column, order=Qt.SortOrder.AscendingOrder):
        if not 0 <= column < len(self.columns) or self.columns[column].sort is None:
            return
        key, descending = self.columns[column].sort, order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self.sort_key, self.descending):
            return  # e.g. the view setting its sort indicator to what the model already shows
        self.sort_key, self.descending = key, descending
        self.refresh()

    def sort_column(self):
        for i, column in enumerate(self.columns):
            if column.sort == self.sort_key:
                return i
        return -1

    # ---- lookups -----------------------------------------------------------------
    def record(self, row):
        """The record at ``row`` (read with its page if need be), or None."""
        return self._row(row) if 0 <= row < self.total else None

    def row_of(self, record_id):
        """The row of ``record_id`` in the list, or -1: among the rows kept, else where the list's
        query places it (three queries) if it is in the list at all."""
        for row, rec in self._rows.items():
            if rec.id == record_id:
                return row
        if self.complete or self.following:  # mid-change the rows read now would land in the wrong places
            return -1
        args = self.query_args()
        found = self.service.rows_by_id([record_id], **args)
        if not found:
            return -1
        row = self.service.position(found[0], **args)
        record = self.record(row)
        return row if record is not None and record.id == record_id else -1
