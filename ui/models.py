"""Table models: thin adapters over ``RecordService.query/page/count``.

Search, filters and sorting happen in SQL through the services; the model holds the rows fetched
so far and fetches the next batch when the view scrolls (``canFetchMore``/``fetchMore``).  No
proxy model sits over all rows.  ``data()`` uses module-level role constants (the short enum
forms cost about 20 times as much per call).  A column showing a field takes its heading and the
way it shows a value from the registry of fields (``tracker.records``, :func:`field_column`).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from peewee import ForeignKeyField

from tracker import records, services, vocab
from tracker.models import ActionItem, Council
from tracker.services.stakeholders import quadrant
from ui.changes import notifier

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

# Translucent tints read on light and dark palettes alike; the text always says the status too.
RED, AMBER, GREEN, GREY = (QColor(220, 40, 40, 90), QColor(240, 160, 0, 100), QColor(40, 170, 60, 90),
                           QColor(128, 128, 128, 60))
RAG_TINT = {"R": RED, "A": AMBER, "G": GREEN}
ACTION_STATUS_TINT = {"blocked": RED, "in_progress": AMBER, "done": GREEN, "cancelled": GREY}
COMMITMENT_STATUS_TINT = {"lapsed": RED, "withdrawn": GREY, "in_progress": AMBER, "agreed": AMBER,
                          "achieved": GREEN}


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable  # record -> str
    sort: str = None  # the service's sort key, None when not sortable
    tint: Callable = None  # record -> QColor or None


def field_column(field, sort=False, text=None, tint=None):
    """A column for a field of the registry: its heading, and each value as the field shows it
    (dd/mm/yyyy, a vocabulary's label, a linked record's name) unless ``text`` says otherwise.
    ``sort``: the list sorts by the field (the service's sort key of the same name)."""
    return Column(field.heading, text or _shown(field), field.name if sort else None, tint)


def _shown(field):
    name, show = field.name, field.show
    if field.type != records.LINK:
        return lambda r: show(getattr(r, name))
    linked_id = f"{name}_id"  # an empty link is empty without asking the database
    return lambda r: show(getattr(r, name)) if getattr(r, linked_id) is not None else ""


def local_time(stamp):
    """A stored naive-UTC timestamp as local dd/mm/yyyy hh:mm."""
    if stamp is None:
        return ""
    return stamp.replace(tzinfo=dt.timezone.utc).astimezone().strftime("%d/%m/%Y %H:%M")


# The deleted-items view sorts by the last change, which for a deleted record is its deletion.
DELETED_COLUMN = Column("Deleted", lambda r: local_time(r.deleted_at), "updated")


def _council_names():
    return {c.id: c.name for c in services.councils.all_councils(include_inactive=True)}


def _action_status_tint(a):
    if a.due_date and a.due_date < dt.date.today() and a.status not in vocab.ACTION_CLOSED:
        return RED
    return ACTION_STATUS_TINT.get(a.status)


def _action_status_text(a):
    text = records.ACTION["status"].show(a.status)
    if a.due_date and a.due_date < dt.date.today() and a.status not in vocab.ACTION_CLOSED:
        return f"{text} (overdue)"
    return text


class Kind:
    """How one record kind is listed: its service, columns and words."""

    def __init__(self, key, service, columns):
        self.key, self.service, self.columns = key, service, columns


def kinds(context):
    """The listed record kinds; ``context`` gives per-refresh lookups (council names, rolled-up RAG)."""
    council = context.council_name
    S, E, C, A = records.STAKEHOLDER, records.EVENT, records.COMMITMENT, records.ACTION
    return {
        "stakeholders": Kind("stakeholders", services.stakeholders, [
            field_column(S["name"], sort=True),
            field_column(S["kind"], sort=True),
            field_column(S["sector"], sort=True),
            field_column(S["role"]),
            field_column(S["influence"], sort=True),
            field_column(S["interest"], sort=True),
            Column("Grid", lambda s: vocab.GRID_QUADRANTS.get(quadrant(s.influence, s.interest), "")),
        ]),
        "events": Kind("events", services.events, [
            field_column(E["date"], sort=True),
            field_column(E["title"], sort=True),
            field_column(E["kind"], sort=True),
            field_column(E["place"]),
            field_column(E["council"], text=lambda e: council(e.council_id)),  # names looked up once a batch
        ]),
        "commitments": Kind("commitments", services.commitments, [
            field_column(C["title"], sort=True),
            field_column(C["status"], sort=True, tint=lambda c: COMMITMENT_STATUS_TINT.get(c.status)),
            # The RAG rolled up from the commitment's actions, under the heading of its own RAG.
            field_column(C["rag"], text=lambda c: C["rag"].show(context.rag(c)),
                         tint=lambda c: RAG_TINT.get(context.rag(c))),
            field_column(C["target_date"], sort=True),
            field_column(C["made_by"], sort=True),
            field_column(C["date_made"], sort=True),
            field_column(C["theme"], sort=True),
        ]),
        "actions": Kind("actions", services.actions, [
            field_column(A["reference"], sort=True),
            field_column(A["title"], sort=True),
            field_column(A["status"], sort=True, text=_action_status_text, tint=_action_status_tint),
            field_column(A["due_date"], sort=True),
            field_column(A["owner"], sort=True),
            field_column(A["priority"], sort=True),
            field_column(A["council"], sort=True),
        ]),
    }


class ListContext:
    """Lookups a page of rows needs, fetched once per batch rather than once per cell."""

    def __init__(self):
        self._councils = None
        self._rags = {}

    def council_name(self, council_id):
        if council_id is None:
            return ""
        if self._councils is None:
            self._councils = _council_names()
        return self._councils.get(council_id, "")

    def load_rags(self, commitments):
        self._rags.update(services.commitments.rolled_up_rags(commitments))

    def rag(self, commitment):
        return self._rags.get(commitment.id, commitment.rag)


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
        self.kind = kinds(self.context)[kind_key]
        self.service = self.kind.service
        self.deleted = deleted
        self.columns = self.kind.columns + ([DELETED_COLUMN] if deleted else [])
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
            self.kind = kinds(self.context)[self.kind.key]
            self.columns = self.kind.columns + ([DELETED_COLUMN] if self.deleted else [])
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
        if self.kind.key == "commitments" and change.touches(ActionItem._meta.table_name):
            self._follow_rags()

    def _follow_rows(self, ids):
        """Read ``ids`` again as the list's query shows them, then move the rows there: every query
        first, so a busy database leaves the rows as they were."""
        args = self.query_args()
        fresh = {r.id: r for r in self.service.rows_by_id(ids, **args)}
        shown = {r.id for r in self.rows}
        if not fresh and shown.isdisjoint(ids):
            return  # none of them is or will be in this list
        if self.kind.key == "commitments" and fresh:
            self.context.load_rags(list(fresh.values()))
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

    def _follow_rags(self):
        """An action changed: the rolled-up RAG of the commitments shown may have (one query)."""
        before = {r.id: self.context.rag(r) for r in self.rows}
        self.context.load_rags(self.rows)
        for k, r in enumerate(self.rows):
            if self.context.rag(r) != before[r.id]:
                self.dataChanged.emit(self.index(k, 0), self.index(k, len(self.columns) - 1))

    def _fetch(self, offset, limit=BATCH):
        rows = self.service.page(offset, limit, **self.query_args())
        if self.kind.key == "commitments":
            self.context.load_rags(rows)
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
