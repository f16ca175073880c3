"""What a record links to, navigable both ways, and its dated updates.

:class:`LinksPanel` lists a record's linked records by kind (a stakeholder's organisation,
members, commitments made, actions owned and events attended; a commitment's maker, event,
actions and rolled-up RAG; an action's commitment and owner; an event's attendance, which can be
edited here, and the commitments made at it).  Activating an item (double-click or Enter) emits
``open_link(kind, id)``.  :class:`UpdatesPanel` shows and adds dated progress notes.
"""

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QPushButton, QScrollArea, QVBoxLayout, QWidget)

from tracker import services, vocab
from tracker.dates import format_uk_date
from tracker.errors import ValidationError
from tracker.models import ActionItem, Attendance, Commitment, Event, Stakeholder, Update
from ui import errors
from ui.fields import DateField

LINK_ROLE = Qt.ItemDataRole.UserRole + 10  # (kind key, record id)
ATTENDANCE_ROLE = Qt.ItemDataRole.UserRole + 11
LIST_LIMIT = 500
# What each kind's links show, besides the record itself: their changes are shown at once.
LINKED = {
    "stakeholders": (Stakeholder, Commitment, ActionItem, Attendance, Event),
    "commitments": (Stakeholder, Event, ActionItem),
    "actions": (Commitment, Stakeholder),
    "events": (Attendance, Stakeholder, Commitment),
}


def _action_text(a):
    due = f", due {format_uk_date(a.due_date)}" if a.due_date else ""
    return f"{a.reference} {a.title} ({vocab.label(vocab.ACTION_STATUSES, a.status)}{due})"


def _commitment_text(c):
    return f"{c.title} ({vocab.label(vocab.COMMITMENT_STATUSES, c.status)})"


def _event_text(e):
    return f"{format_uk_date(e.date)} {e.title}"


class LinkSection(QWidget):
    open_link = Signal(str, int)

    def __init__(self, title):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = title
        self.label = QLabel(title)
        self.label.setProperty("role", "subheading")
        layout.addWidget(self.label)
        self.list = QListWidget()
        self.list.setAccessibleName(title)
        self.list.itemActivated.connect(self._activated)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        layout.addWidget(self.list)

    def set_items(self, kind, records, text=str):
        self.list.clear()
        for rec in records:
            item = QListWidgetItem(text(rec))
            item.setToolTip(item.text())
            item.setData(LINK_ROLE, (kind, rec.id))
            self.list.addItem(item)
        self.label.setText(f"{self.title} ({len(records)})")
        self.fit_height(len(records))

    def fit_height(self, count):
        """Tall enough for up to six rows (scrolls beyond), so short lists take little room."""
        row = self.list.sizeHintForRow(0) if self.list.count() else self.list.fontMetrics().lineSpacing() + 4
        self.list.setFixedHeight(row * max(1, min(count, 6)) + 2 * self.list.frameWidth() + 2)

    def _activated(self, item):
        kind, record_id = item.data(LINK_ROLE)
        self.open_link.emit(kind, record_id)


class AttendanceSection(LinkSection):
    """An event's attendance: who was there, in what role; add and remove people.  What it shows
    follows the announced changes (``RecordEditor.follow``), its own additions and removals included."""

    def __init__(self):
        super().__init__("Attendance")
        row = QHBoxLayout()
        self.person = QComboBox()
        self.person.setAccessibleName("Stakeholder to add to the attendance")
        self.role = QLineEdit()
        self.role.setPlaceholderText("role, e.g. speaker")
        self.role.setAccessibleName("Role at the event")
        self.add_button = QPushButton("&Add attendee")
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton("Re&move selected")
        self.remove_button.clicked.connect(self.remove)
        row.addWidget(self.person, 2)
        row.addWidget(self.role, 1)
        row.addWidget(self.add_button)
        self.layout().addLayout(row)
        self.layout().addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.event = None

    def show_event(self, event):
        self.event = event
        rows = services.attendance.attendees(event)
        self.list.clear()
        for a in rows:
            item = QListWidgetItem(a.stakeholder.name + (f" ({a.role})" if a.role else ""))
            item.setData(LINK_ROLE, ("stakeholders", a.stakeholder_id))
            item.setData(ATTENDANCE_ROLE, a.id)
            self.list.addItem(item)
        self.label.setText(f"{self.title} ({len(rows)})")
        self.fit_height(len(rows))
        present = {a.stakeholder_id for a in rows}
        self.person.clear()
        for s in services.stakeholders.page(0, 5000, sort="name"):
            if s.id not in present:
                self.person.addItem(s.name, s.id)

    def add(self):
        if self.event is None or self.person.currentData() is None:
            return
        try:
            person = services.stakeholders.get(self.person.currentData())
            services.attendance.attend(self.event, person, role=self.role.text().strip())
        except errors.EXPECTED as exc:
            errors.show_exception(self, exc)
        self.role.clear()

    def remove(self):
        item = self.list.currentItem()
        if self.event is None or item is None:
            return
        try:
            services.attendance.delete(services.attendance.get(item.data(ATTENDANCE_ROLE)))
        except errors.EXPECTED as exc:
            errors.show_exception(self, exc)


class LinksPanel(QScrollArea):
    open_link = Signal(str, int)

    def __init__(self, kind_key):
        super().__init__()
        self.kind_key = kind_key
        self.setWidgetResizable(True)
        body = QWidget()
        self.layout_ = QVBoxLayout(body)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.layout_.addWidget(self.summary)
        titles = {
            "stakeholders": ["Organisation", "Members", "Commitments made", "Actions owned", "Events attended"],
            "commitments": ["Made by", "Made at", "Actions"],
            "actions": ["Commitment", "Owner"],
            "events": ["Commitments made here"],
        }[kind_key]
        self.sections = {}
        if kind_key == "events":
            self.attendance = AttendanceSection()
            self.attendance.open_link.connect(self.open_link)
            self.layout_.addWidget(self.attendance)
        for title in titles:
            section = LinkSection(title)
            section.open_link.connect(self.open_link)
            self.sections[title] = section
            self.layout_.addWidget(section)
        self.layout_.addStretch(1)
        self.setWidget(body)
        self.record = None
        self.linked = tuple(model._meta.table_name for model in LINKED[kind_key])

    def follows(self, change):
        """Whether ``change`` touches what the links list (an action added to the commitment): then
        the editor shows them again with the record read afresh."""
        return self.record is not None and change.touches(*self.linked)

    def show_record(self, record):
        self.record = record
        self.setEnabled(record is not None)
        if record is None:
            self.summary.setText("Save the record to link it to others.")
            self.summary.setVisible(True)
            for section in self.sections.values():
                section.set_items("", [])
            if self.kind_key == "events":
                self.attendance.list.clear()
            return
        getattr(self, f"_show_{self.kind_key}")(record)
        self.summary.setVisible(bool(self.summary.text()))

    def _one(self, title, kind, record):
        self.sections[title].set_items(kind, [record] if record is not None and not record.is_deleted else [])

    def _show_stakeholders(self, s):
        self.summary.setText("")
        self._one("Organisation", "stakeholders", s.organisation if s.organisation_id else None)
        self.sections["Members"].set_items("stakeholders", services.stakeholders.members(s))
        self.sections["Commitments made"].set_items(
            "commitments", services.commitments.page(0, LIST_LIMIT, filters={"made_by": s}), _commitment_text)
        self.sections["Actions owned"].set_items(
            "actions", services.actions.page(0, LIST_LIMIT, filters={"owner": s}), _action_text)
        self.sections["Events attended"].set_items(
            "events", [a.event for a in services.attendance.events_of(s)], _event_text)

    def _show_commitments(self, c):
        acts = services.actions.of_commitment(c)
        open_, done, overdue = services.commitments.action_counts([c.id]).get(c.id, (0, 0, 0))
        rag = vocab.label(vocab.RAG, services.commitments.rolled_up_rag(c)) or "not set"
        self.summary.setText(f"Rolled-up RAG: {rag} — from {len(acts)} action{'' if len(acts) == 1 else 's'} "
                             f"({open_} open, {overdue} overdue, {done} done).")
        self._one("Made by", "stakeholders", c.made_by)
        self._one("Made at", "events", c.made_at if c.made_at_id else None)
        self.sections["Actions"].set_items("actions", acts, _action_text)

    def _show_actions(self, a):
        self.summary.setText("")
        self._one("Commitment", "commitments", a.commitment if a.commitment_id else None)
        self._one("Owner", "stakeholders", a.owner if a.owner_id else None)

    def _show_events(self, e):
        self.summary.setText("")
        self.attendance.show_event(e)
        self.sections["Commitments made here"].set_items(
            "commitments", services.commitments.page(0, LIST_LIMIT, filters={"event": e}), _commitment_text)


class UpdatesPanel(QWidget):
    """Dated progress notes on a stakeholder, commitment or action; newest first."""

    added = Signal(object)

    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setAccessibleName("Updates")
        self.list.setWordWrap(True)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.date = DateField("date", "Date")  # its box in the row, its reason under the row
        self.date.input.setAccessibleName("Date of the update")
        self.date.set(dt.date.today())
        self.text = QLineEdit()
        self.text.setPlaceholderText("What happened? e.g. Met the lead; funding agreed")
        self.text.setAccessibleName("Update text")
        self.text.returnPressed.connect(self.add)
        self.add_button = QPushButton("&Add update")
        self.add_button.clicked.connect(self.add)
        row.addWidget(self.date.input)
        row.addWidget(self.text, 1)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        layout.addWidget(self.date.error)
        self.error = QLabel()
        self.error.setProperty("role", "error")
        self.error.setVisible(False)
        layout.addWidget(self.error)
        self.target = None

    def show_record(self, record):
        self.target = record
        self.setEnabled(record is not None and not record.is_deleted)
        self.error.setVisible(False)
        self.date.show_error(None)
        self._show_updates()

    def follow(self, change):
        """A note added, here or anywhere else: the list shows it (what is being typed stays)."""
        if self.target is not None and change.touches(Update._meta.table_name):
            self._show_updates()

    def _show_updates(self):
        self.list.clear()
        if self.target is None:
            return
        for u in services.updates.of(self.target):
            self.list.addItem(f"{format_uk_date(u.date)} — {u.author}: {u.text}")

    def add(self):
        if self.target is None:
            return
        self.error.setVisible(False)
        self.date.show_error(self.date.problem())  # a date that cannot be read adds nothing
        if self.date.problem():
            self.date.input.setFocus()
            return
        try:
            # create, not add: an emptied date box is "Date is required", not today
            update = services.updates.create(**services.updates.about(self.target), text=self.text.text(),
                                             date=self.date.get())
        except ValidationError as exc:
            reasons = dict(exc.errors)
            self.date.show_error(reasons.pop("date", None))
            self.error.setText(" ".join(f"{k.capitalize()} {v}." for k, v in reasons.items()))
            self.error.setVisible(bool(reasons))
            return
        except errors.EXPECTED as exc:
            errors.show_exception(self, exc)
            return
        self.text.clear()  # the list took the note in as it was announced
        self.added.emit(update)
