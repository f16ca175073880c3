"""The held review's comparison: every field a held row would set beside the chosen candidate's value.

A doubtful match is decided on the whole picture (a role, a phone number, a sector or councils that
agree or not), not on a name and an email alone.  :func:`comparison` gives the lines (field's label,
the file's value, the held record's value, whether they differ) from the row's values as the import
kept them (``tracker.services.tableimports``: names for the organisation and councils, codes for
choices, stored dates) and the candidate read through the services; labels and the way a value is
shown come from the field registry (``tracker.records``).  :class:`HeldComparison` shows them: a
value that differs is bold, and a screen reader hears "differs" after it.
"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from tracker import services
from tracker.errors import TrackerError
from tracker.records import COMMITMENT, STAKEHOLDER

FIRST = ("name", "title", "organisation", "email")  # the fields a person is known by, shown first


def _field(name):
    for kind in (STAKEHOLDER, COMMITMENT):
        if name in kind:
            return kind[name]
    return None


def _label(name):
    field = _field(name)
    return field.title if field is not None else name.replace("_", " ").capitalize()


def _shown(name, value):
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    field = _field(name)
    return field.show(value) if field is not None else ("" if value is None else str(value))


def _held_value(held, name):
    """The candidate's value of ``name`` as shown, or None when the record has no such field (a commitment's
    target date beside an organisation)."""
    if name == "organisation":
        if held.kind == "organisation":
            return held.name
        return held.organisation.name if held.organisation else ""
    if name == "councils":
        return "; ".join(c.name for c in services.stakeholders.councils_of(held))
    if name == "name":
        return held.name
    if name not in STAKEHOLDER:
        return None
    return STAKEHOLDER[name].show(getattr(held, name))


def comparison(values, candidate_id):
    """[(label, the file's value, the candidate's value or None, differs)] for every field the held row's
    ``values`` set (those the import keeps for itself, "_event", left out), the names first."""
    names = [n for n in FIRST if values.get(n) not in (None, "", [])]
    names += [n for n in values if n not in FIRST and not n.startswith("_") and values[n] not in (None, "", [])]
    held = None
    if candidate_id is not None:
        try:
            held = services.stakeholders.get(candidate_id)
        except TrackerError:  # deleted or erased since the import
            held = None
    lines = []
    for name in names:
        mine = _shown(name, values[name])
        theirs = _held_value(held, name) if held is not None else None
        differs = theirs is not None and theirs != "" and theirs.casefold() != mine.casefold()
        lines.append((_label(name), mine, theirs, differs))
    return lines


class HeldComparison(QTableWidget):
    """Field | In the file | the candidate: one line per field the held row sets."""

    def __init__(self, parent=None):
        super().__init__(0, 3, parent)
        self.setAccessibleName("The row beside the candidate")
        self.setHorizontalHeaderLabels(["Field", "In the file", "Held"])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setTabKeyNavigation(False)
        self.setWordWrap(True)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        header.sectionResized.connect(lambda *_: self.resizeRowsToContents())  # long values wrap, not elide

    def show_row(self, values, candidate_id, candidate_name=""):
        lines = comparison(values or {}, candidate_id)
        self.setHorizontalHeaderLabels(["Field", "In the file", f"Held: {candidate_name}" if candidate_name else "Held"])
        self.setRowCount(len(lines))
        for r, (label, mine, theirs, differs) in enumerate(lines):
            cells = (label, mine, "—" if theirs is None else theirs)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if differs and c:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                    item.setToolTip("Differs between the file and the record held")
                    item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, "differs")
                self.setItem(r, c, item)
        self.resizeRowsToContents()

    def line(self, label):
        """(the file's text, the candidate's text) of the line ``label`` (tests, screen readers' checks)."""
        for r in range(self.rowCount()):
            if self.item(r, 0).text() == label:
                return self.item(r, 1).text(), self.item(r, 2).text()
        return None
