"""What a record links to, navigable both ways, and its dated updates.

:class:`LinksPanel` lists a record's linked records in the sections its kind's :class:`Links`
names (``ui.kinds`` declares them: a stakeholder's organisation, members, commitments made, actions
owned and events attended; a commitment's maker, event, actions and rolled-up RAG; an action's
commitment and owner; an event's attendance, which can be edited here, and the commitments made at
it).  Activating an item (double-click or Enter) emits ``open_link(kind, id)``.
:class:`UpdatesPanel` shows and adds dated progress notes.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QBoxLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QPlainTextEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget)

from tracker import services, vocab
from tracker.services import choices
from tracker.dates import format_uk_date
from tracker.errors import ValidationError
from tracker.models import Update
from ui import errors
from ui.fields import DateField
from ui.pickers import RecordPicker

LINK_ROLE = Qt.ItemDataRole.UserRole + 10  # (kind key, record id)
ATTENDANCE_ROLE = Qt.ItemDataRole.UserRole + 11
LIST_LIMIT = 500


@dataclass(frozen=True)
class Section:
    """One list of linked records: its title, the list they open in, how to find and show them."""
    title: str
    kind: str  # the list (e.g. "actions") a linked record opens in
    records: Callable  # record -> the linked records
    text: Callable = str  # linked record -> its line
    new: Callable = None  # record -> the values a new linked record starts with (a button adds one)
    new_text: str = ""  # that button's words, with its access key


@dataclass(frozen=True)
class Links:
    """What a record kind's Links tab shows."""
    sections: tuple  # Section, top to bottom
    follows: tuple  # the tables whose changes change what is shown: shown again at once
    summary: Callable = None  # (record, {section title: records shown}) -> a line above the sections
    attendance: bool = False  # the event's attendance, editable, above the sections


def linked(name):
    """The record a link field points to, as a list of none or one (a deleted one is not shown)."""
    def records(record):
        other = getattr(record, name) if getattr(record, f"{name}_id") is not None else None
        return [other] if other is not None and not other.is_deleted else []
    return records


def action_text(a):
    due = f", due {format_uk_date(a.due_date)}" if a.due_date else ""
    return f"{a.reference} {a.title} ({vocab.label(vocab.ACTION_STATUSES, a.status)}{due})"


def commitment_text(c):
    return f"{c.title} ({vocab.label(vocab.COMMITMENT_STATUSES, c.status)})"


def event_text(e):
    return f"{format_uk_date(e.date)} {e.title}"


class LinkSection(QWidget):
    open_link = Signal(str, int)
    new_linked = Signal()

    def __init__(self, title, new_text=""):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = title
        self.label = QLabel(title)
        self.label.setProperty("role", "subheading")
        self.new_button = None
        self.heading = None
        if new_text:
            self.heading = heading = QBoxLayout(QBoxLayout.Direction.LeftToRight)  # its button under it when narrow
            heading.addWidget(self.label)
            heading.addStretch(1)
            self.new_button = QPushButton(new_text)
            self.new_button.clicked.connect(self.new_linked)
            heading.addWidget(self.new_button)
            layout.addLayout(heading)
        else:
            layout.addWidget(self.label)
        self.list = QListWidget()
        self.list.setAccessibleName(title)
        self.list.itemActivated.connect(self._activated)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        layout.addWidget(self.list)

    def fit_width(self, width):
        """The button beside the heading, or under it when the two do not fit side by side in ``width``
        (the panel at 200% on 1366x768 scrolled sideways for it)."""
        if self.heading is not None:
            beside = self.label.sizeHint().width() + self.heading.spacing() + self.new_button.sizeHint().width()
            self.heading.setDirection(QBoxLayout.Direction.LeftToRight if beside <= width
                                      else QBoxLayout.Direction.TopToBottom)

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
        self.person = RecordPicker(choices.stakeholders, creates=("person",))
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

    def add(self):
        person = self.person.value()
        if self.event is None or person is None or self.person.problem():
            self.person.setFocus()
            return
        try:
            services.attendance.attend(self.event, person, role=self.role.text().strip())
        except errors.EXPECTED as exc:
            errors.show_exception(self, exc)
            return
        self.role.clear()
        self.person.set_value(None)

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
    new_linked = Signal(str, object)  # kind key, the values the new record starts with

    def __init__(self, links):
        super().__init__()
        self.links = links
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own: it scrolls to its lists and buttons
        body = QWidget()
        self.layout_ = QVBoxLayout(body)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.layout_.addWidget(self.summary)
        self.attendance = None
        if links.attendance:
            self.attendance = AttendanceSection()
            self.attendance.open_link.connect(self.open_link)
            self.layout_.addWidget(self.attendance)
        self.sections = {}
        for spec in links.sections:
            section = LinkSection(spec.title, spec.new_text if spec.new else "")
            section.open_link.connect(self.open_link)
            if spec.new:
                section.new_linked.connect(lambda spec=spec: self._new_linked(spec))
            self.sections[spec.title] = section
            self.layout_.addWidget(section)
        self.layout_.addStretch(1)
        self.setWidget(body)
        self.record = None

    def resizeEvent(self, event):
        super().resizeEvent(event)
        margins = self.widget().layout().contentsMargins()
        for section in self.sections.values():
            section.fit_width(self.viewport().width() - margins.left() - margins.right())

    def _new_linked(self, spec):
        if self.record is not None:
            try:
                values = spec.new(self.record)
            except errors.EXPECTED as exc:
                errors.show_exception(self, exc)
                return
            self.new_linked.emit(spec.kind, values)

    def follows(self, change):
        """Whether ``change`` touches what the links list (an action added to the commitment): then
        the editor shows them again with the record read afresh."""
        return self.record is not None and change.touches(*self.links.follows)

    def show_record(self, record):
        self.record = record
        self.setEnabled(record is not None)
        if record is None:
            self.summary.setText("Save the record to link it to others.")
            self.summary.setVisible(True)
            for section in self.sections.values():
                section.set_items("", [])
            if self.attendance is not None:
                self.attendance.list.clear()
            return
        if self.attendance is not None:
            self.attendance.show_event(record)
        shown = {}
        for spec in self.links.sections:
            shown[spec.title] = spec.records(record)
            self.sections[spec.title].set_items(spec.kind, shown[spec.title], spec.text)
        self.summary.setText(self.links.summary(record, shown) if self.links.summary else "")
        self.summary.setVisible(bool(self.summary.text()))


class UpdateText(QPlainTextEdit):
    """The text of an update: several lines; Ctrl+Enter adds it (``submitted``), Tab leaves the box."""

    submitted = Signal()

    def __init__(self):
        super().__init__()
        self.setTabChangesFocus(True)
        self.setPlaceholderText("What happened? e.g. Met the lead; funding agreed.  Ctrl+Enter adds it.")
        self.setAccessibleName("Update text")
        self.setAccessibleDescription("Several lines; Ctrl+Enter adds the update")
        line = self.fontMetrics().lineSpacing()
        self.setMinimumHeight(line * 3 + 12)
        self.setMaximumHeight(line * 7 + 12)

    def keyPressEvent(self, event):
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class UpdatesPanel(QWidget):
    """Dated progress notes on a stakeholder, commitment or action, newest first; a new one is written
    in a box of several lines under its date, and Ctrl+Enter (or the button) adds it."""

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
        date_label = QLabel("&Date")
        date_label.setBuddy(self.date.input)
        self.text = UpdateText()
        self.text.submitted.connect(self.add)
        self.add_button = QPushButton("&Add update")
        self.add_button.setToolTip("Add the update (Ctrl+Enter in the text)")
        self.add_button.clicked.connect(self.add)
        row.addWidget(date_label)
        row.addWidget(self.date.input)
        row.addStretch(1)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        layout.addWidget(self.date.error)
        layout.addWidget(self.text)
        self.error = QLabel()
        self.error.setProperty("role", "error")
        self.error.setVisible(False)
        layout.addWidget(self.error)
        self.target = None
        QWidget.setTabOrder(self.date.input, self.text)
        QWidget.setTabOrder(self.text, self.add_button)

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
            update = services.updates.create(**services.updates.about(self.target), text=self.text.toPlainText(),
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
