"""A record's History tab: who changed what and when, in words ("Status: Open → Done", "15/01/2027").

The audit trail keeps values as text the way an undo needs them (codes, ISO dates, linked records by
UUID, councils by name: ``tracker.services.audit``).  Here each is shown as the form shows it:
through its field in the registry (``Field.show``: a vocabulary's label, a UK date), a linked record
by its name.  Nothing here formats a value itself.
"""

import json

from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from tracker import records, services
from tracker.records import COUNCILS, LINK, SCORE, SCORES
from ui import errors
from ui.columns import local_time
from ui.kinds import BY_NAME

OPERATIONS = {"create": "Created", "delete": "Deleted", "restore": "Restored", "erase": "Personal data erased"}
NOTHING = "—"  # an empty value in "Owner: — → Ben Kinsella Trust"


class LinkedNames:
    """Linked records by name, not by the UUID the audit trail stores (each looked up once)."""

    # field -> the service of the kind it links to, for every link in the registry
    SERVICES = {f.name: BY_NAME[f.links_to].service
                for kind in records.KINDS for f in kind.links if f.links_to in BY_NAME}

    def __init__(self):
        self._councils = None
        self._seen = {}

    def __call__(self, field, value):
        if not value:
            return ""
        if field == "council":
            if self._councils is None:
                self._councils = {str(c.uuid): c.name for c in services.councils.all_councils(include_inactive=True)}
            return self._councils.get(value, value)
        service = self.SERVICES.get(field)
        if service is None:
            return value
        if (field, value) not in self._seen:
            try:
                self._seen[field, value] = str(service.get(value, include_deleted=True))
            except errors.EXPECTED:
                self._seen[field, value] = value
        return self._seen[field, value]


def shown(kind, name, text, linked):
    """A stored value (audit text) as the form shows it: '' when there is none."""
    if text is None or text == "":
        return ""
    field = kind[name] if kind is not None and name in kind else None
    if field is None:
        return text
    if field.type == LINK:
        return linked(name, text)
    if field.type == COUNCILS:
        return field.show([part.strip() for part in text.split(";") if part.strip()])
    if field.type == SCORE:
        return f"{text} – {SCORES.get(int(text), '')}" if text.isdigit() else text
    try:
        return field.show(text)
    except ValueError:  # not what this version stores (a date in another form): as it was kept
        return text


def describe(entry, linked):
    """(what changed in words, its tooltip) for one audit entry."""
    kind = records.BY_TABLE.get(entry.table)
    if entry.operation in OPERATIONS:
        words = OPERATIONS[entry.operation]
        tip = entry.source and f"Source: {entry.source}"
        if entry.operation == "create" and entry.new_value:
            try:
                snapshot = json.loads(entry.new_value)
            except ValueError:
                snapshot = {}
            lines = [f"{_title(kind, n)}: {v}" for n, raw in snapshot.items()
                     if (v := shown(kind, n, raw, linked))]
            tip = "\n".join(filter(None, [tip, *lines]))
        return words, tip
    if not entry.field:  # a note about the record as a whole (deciding a conflict)
        return entry.new_value or entry.operation.capitalize(), entry.source and f"Source: {entry.source}"
    old = shown(kind, entry.field, entry.old_value, linked) or NOTHING
    new = shown(kind, entry.field, entry.new_value, linked) or NOTHING
    words = f"{_title(kind, entry.field)}: {old} → {new}"
    return words, "\n".join(filter(None, [words, entry.source and f"Source: {entry.source}"]))


def _title(kind, name):
    return kind[name].title if kind is not None and name in kind else name.replace("_", " ").capitalize()


class HistoryView(QTreeWidget):
    """The History tab: one row per change, oldest first."""

    COLUMNS = ("When", "Who", "Change")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("History of changes")
        self.setRootIsDecorated(False)
        self.setHeaderLabels(list(self.COLUMNS))

    def show_record(self, record):
        self.clear()
        if record is None:
            return
        linked = LinkedNames()
        items = []
        for entry in services.history(record.uuid):
            words, tip = describe(entry, linked)
            item = QTreeWidgetItem([local_time(entry.at), entry.user, words])
            item.setToolTip(2, f"{words}\n{tip}" if tip else words)  # whole, when the column cuts it short
            items.append(item)
        self.addTopLevelItems(items)
        for col in range(2):
            self.resizeColumnToContents(col)

    def rows(self):
        """What the tab shows, as text: [[when, who, change]]."""
        return [[self.topLevelItem(i).text(c) for c in range(len(self.COLUMNS))] for i in range(self.topLevelItemCount())]
