"""Table models: thin adapters over ``RecordService.query/page/count``.

Search, filters and sorting happen in SQL through the services; the model holds the rows fetched
so far and fetches the next batch when the view scrolls (``canFetchMore``/``fetchMore``).  No
proxy model sits over all rows.  ``data()`` uses module-level role constants (the short enum
forms cost about 20 times as much per call).  A column showing a field takes its heading and the
way it shows a value from the registry of fields (``ui.columns``); which columns a kind lists, and
the lookups a batch of its rows needs, is the kind's own (``ui.kinds``).
"""

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from peewee import ForeignKeyField

from tracker.models import Council
from ui.changes import notifier
from ui.columns import DELETED_COLUMN, ListContext
from ui.kinds import KINDS

DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
BACKGROUND = Qt.ItemDataRole.BackgroundRole
ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1  # the peewee record of a row
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # its database id
HORIZONTAL = Qt.Orientation.Horizontal
ENABLED_SELECTABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
NO_FLAGS = Qt.ItemFlag.NoItemFlags

BATCH = 200
FOLLOW_LIMIT = 50  # more changed rows than this: read the list again (a reset) rather than row by row

class RecordTableModel(QAbstractTableModel):
    """Rows of one record kind for the current search, filters and sort, fetched in batches.

    It follows what the services announce (``ui.changes``): the changed rows are read again by id
    and stay (``dataChanged``), move, come in or go as the list's query now places them; the rows
    of records they link to are read again when those change (an action's owner renamed); and only
    a change of everything or of a whole kind reads the list again (a reset).
    """

    counted = Signal()  # ``total`` changed (the rows may not have: it counts those not fetched yet)

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
        self.rows = []
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
        """Read the list again; ``keep_place``: as many rows as were read, so the view's place stays."""
        limit = max(BATCH, len(self.rows)) if keep_place else BATCH
        self.beginResetModel()
        try:
            self.context = ListContext()
            self.columns = self._columns()
            self.total = self.service.count(search=self.search, filters=self.filters, deleted=self.deleted)
            self.rows = self._fetch(0, limit)
            self.loaded = True
        except BaseException:  # a busy or damaged database: an empty list, never a reset left open
            self.rows, self.total = [], 0
            raise
        finally:
            self.endResetModel()
            self.counted.emit()

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
        for table, names in self.links.items():
            linked = change.ids(table)
            if linked:
                ids.update(r.id for r in self.rows if any(r.__data__.get(n) in linked for n in names))
        if len(ids) > FOLLOW_LIMIT:
            self.refresh(keep_place=True)
            return
        if ids:
            self._follow_rows(ids)
        if self.kind.prefetch_follows and change.touches(*self.kind.prefetch_follows):
            self._follow_prefetched()

    def _follow_rows(self, ids):
        """Read ``ids`` again as the list's query shows them, then move the rows there: every query
        first, so a busy database leaves the rows as they were."""
        args = self.query_args()
        fresh = {r.id: r for r in self.service.rows_by_id(ids, **args)}
        shown = {r.id for r in self.rows}
        if not fresh and shown.isdisjoint(ids):
            return  # none of them is or will be in this list
        if self.kind.prefetch is not None and fresh:
            self.kind.prefetch(self.context, list(fresh.values()))
        placed = sorted((self.service.position(r, **args), r.id) for r in fresh.values())
        total = self.total
        if shown.intersection(ids) != set(fresh):  # some came into the list or left it
            total = self.service.count(search=self.search, filters=self.filters, deleted=self.deleted)
        final = _merge([r for r in self.rows if r.id not in ids], [(p, fresh[i]) for p, i in placed],
                       complete=len(self.rows) >= self.total)
        self._become(final, set(fresh))
        if total != self.total:
            self.total = total
            self.counted.emit()

    def _become(self, final, changed):
        """Turn ``rows`` into ``final`` with removes, moves and inserts; a changed row that stays
        where it was is a ``dataChanged``."""
        self.following = True
        try:
            keep = {r.id for r in final}
            for i in reversed(range(len(self.rows))):
                if self.rows[i].id not in keep:
                    self.beginRemoveRows(QModelIndex(), i, i)
                    del self.rows[i]
                    self.endRemoveRows()
            for k, record in enumerate(final):
                if k >= len(self.rows) or self.rows[k].id != record.id:
                    j = next((j for j in range(k + 1, len(self.rows)) if self.rows[j].id == record.id), None)
                    if j is None:
                        self.beginInsertRows(QModelIndex(), k, k)
                        self.rows.insert(k, record)
                        self.endInsertRows()
                        continue
                    self.beginMoveRows(QModelIndex(), j, j, QModelIndex(), k)
                    self.rows.insert(k, self.rows.pop(j))
                    self.endMoveRows()
                if record.id in changed:
                    self.rows[k] = record
                    self.dataChanged.emit(self.index(k, 0), self.index(k, len(self.columns) - 1))
        finally:
            self.following = False

    def _follow_prefetched(self):
        """What the rows looked up changed (an action: the rolled-up RAG of the commitments shown,
        one query): the rows whose lookups changed are a ``dataChanged``."""
        before = {r.id: self.context.looked_up(r) for r in self.rows}
        self.kind.prefetch(self.context, self.rows)
        for k, r in enumerate(self.rows):
            if self.context.looked_up(r) != before[r.id]:
                self.dataChanged.emit(self.index(k, 0), self.index(k, len(self.columns) - 1))

    def _fetch(self, offset, limit=BATCH):
        rows = self.service.page(offset, limit, **self.query_args())
        if self.kind.prefetch is not None:
            self.kind.prefetch(self.context, rows)
        return rows

    # ---- Qt model ----------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.columns)

    def canFetchMore(self, parent=QModelIndex()):
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent=QModelIndex()):
        if parent.isValid() or len(self.rows) >= self.total:
            return
        more = self._fetch(len(self.rows))
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def flags(self, index):
        if not index.isValid():
            return NO_FLAGS
        return ENABLED_SELECTABLE

    def data(self, index, role=DISPLAY):
        if not index.isValid() or index.row() >= len(self.rows) or index.column() >= len(self.columns):
            return None
        record = self.rows[index.row()]
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
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, record_id):
        """The row of ``record_id`` among the rows fetched so far, or -1."""
        for i, rec in enumerate(self.rows):
            if rec.id == record_id:
                return i
        return -1


def _merge(unchanged, placed, complete):
    """The rows a list holds after a change: ``unchanged`` in their order, and each record of
    ``placed`` ([(position, record)], by position) at its position in the list's query, as far as
    the rows read so far reach (all of them when the list was ``complete``)."""
    final, u, p = [], 0, 0
    while True:
        if p < len(placed) and (placed[p][0] <= len(final) or (complete and u == len(unchanged))):
            final.append(placed[p][1])
            p += 1
        elif u < len(unchanged):
            final.append(unchanged[u])
            u += 1
        else:
            return final
