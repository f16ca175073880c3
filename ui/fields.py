"""Form fields for the editors: one small class per kind of value, all with get/set/changed.

Each field owns its input widget and the label under it where a validation reason from
``ValidationError.errors`` is shown.  Dates are typed day first or picked from a calendar
(``ui.dateedit``); an empty date box is no date, and text that is not a date is refused at save.
:func:`form_field` chooses the field for a field of the registry (``tracker.records``) by its type.
"""

import functools

from PySide6.QtWidgets import (QCheckBox, QComboBox, QLabel, QLineEdit, QPlainTextEdit,
                               QVBoxLayout, QWidget)

from tracker import records, services
from tracker.services import choices
from tracker.records import SCORES
from ui.columnflow import ColumnFlowLayout
from ui.dateedit import DateEdit
from ui.pickers import RecordPicker
from ui.resources import error_colour


class Field:
    """A labelled input: ``widget`` (what goes in the form), ``get()``, ``set(value)``, ``on_change``."""

    def __init__(self, name, label, input_widget):
        self.name, self.label = name, label
        self.input = input_widget
        self.input.setAccessibleName(label.replace("&", ""))
        self.input.setObjectName(f"field_{name}")
        self.error = QLabel()
        self.error.setProperty("role", "error")
        self.error.setObjectName(f"error_{name}")
        self.error.setWordWrap(True)
        self.error.setVisible(False)

    @functools.cached_property
    def widget(self):
        """The input with the error label under it, for a form's row.  A row of widgets (the
        updates panel, the export dialog) may place ``input`` and ``error`` itself instead."""
        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.input)
        layout.addWidget(self.error)
        return widget

    def show_error(self, reason):
        if reason:
            self.error.setText(f"{self.label.replace('&', '')} {reason}.")
            palette = self.error.palette()
            palette.setColor(self.error.foregroundRole(), error_colour())
            self.error.setPalette(palette)
            self.input.setAccessibleDescription(self.error.text())
        else:
            self.error.clear()
            self.input.setAccessibleDescription("")
        self.error.setVisible(bool(reason))

    def reload_choices(self):
        """Refresh a picker's list from the database (before a record is shown)."""

    def problem(self):
        """Why what was typed cannot be read (checked before saving), or None."""
        return None

    def focus_widgets(self):
        """The widgets Tab stops at, in order."""
        return [self.input]

    def connect(self, slot):
        raise NotImplementedError


class TextField(Field):
    def __init__(self, name, label, placeholder=""):
        super().__init__(name, label, QLineEdit())
        self.input.setPlaceholderText(placeholder)

    def get(self):
        return self.input.text()

    def set(self, value):
        self.input.setText(value or "")
        self.input.setCursorPosition(0)  # show the start of a long title

    def connect(self, slot):
        self.input.textEdited.connect(slot)


class NotesField(Field):
    def __init__(self, name, label):
        super().__init__(name, label, QPlainTextEdit())
        self.input.setTabChangesFocus(True)  # keyboard users can leave the box with Tab
        line = self.input.fontMetrics().lineSpacing()
        self.input.setMinimumHeight(line * 3)
        self.input.setMaximumHeight(line * 8)

    def get(self):
        return self.input.toPlainText()

    def set(self, value):
        self.input.setPlainText(value or "")

    def connect(self, slot):
        self.input.textChanged.connect(slot)


class LoadingCombo(QComboBox):
    """A combo box that reads its full list only when someone is about to use it (focus or popup).

    ``defer(load)`` gives the function that fills it; until it runs the box holds what was set.
    Loading every record picker each time a record is shown took seconds with 5,000
    stakeholders and 10,000 commitments, and kept them all in memory for every editor.
    """

    def __init__(self):
        super().__init__()
        self._pending = None

    def defer(self, load):
        self._pending = load

    def ensure_loaded(self):
        if self._pending is not None:
            load, self._pending = self._pending, None
            load()

    def focusInEvent(self, event):
        self.ensure_loaded()
        super().focusInEvent(event)

    def showPopup(self):
        self.ensure_loaded()
        super().showPopup()


class ComboField(Field):
    """A fixed list of (label, value) choices; the value may be a code, a number or a record."""

    def __init__(self, name, label, choices=(), allow_empty=False, empty_text="(none)", combo=None):
        combo = combo if combo is not None else QComboBox()
        # Long titles must not widen the form beyond the pane; the popup shows them in full.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        super().__init__(name, label, combo)
        self.allow_empty, self.empty_text = allow_empty, empty_text
        self.set_choices(choices)

    def set_choices(self, choices):
        current = self.get() if self.input.count() else None
        self.input.blockSignals(True)
        self.input.clear()
        if self.allow_empty:
            self.input.addItem(self.empty_text, None)
        for label, value in choices:
            self.input.addItem(label, value)
        self.input.blockSignals(False)
        self.set(current)

    def _key(self, value):
        return value.id if hasattr(value, "_meta") else value

    def get(self):
        return self.input.currentData()

    def set(self, value):
        key = self._key(value)
        for i in range(self.input.count()):
            if self._key(self.input.itemData(i)) == key:
                self.input.setCurrentIndex(i)
                return
        if value is not None and hasattr(value, "_meta"):  # e.g. a record no longer in the picker's list
            self.input.addItem(str(value), value)
            self.input.setCurrentIndex(self.input.count() - 1)
            return
        self.input.setCurrentIndex(0 if self.input.count() else -1)

    def connect(self, slot):
        self.input.activated.connect(slot)


class VocabField(ComboField):
    def __init__(self, name, label, vocabulary, allow_empty=False):
        super().__init__(name, label, [(lab, code) for code, lab in vocabulary.items()], allow_empty)


class ScoreField(ComboField):
    def __init__(self, name, label):
        super().__init__(name, label, [(f"{n} – {word}", n) for n, word in SCORES.items()],
                         allow_empty=True, empty_text="(not scored)")


class ValueBoxField(Field):
    """A field whose box reads its own text into a value: ``value()``, ``set_value()`` and
    ``problem()`` (why the text means no value) are the box's (a date, a linked record)."""

    def get(self):
        return self.input.value()

    def set(self, value):
        self.input.set_value(value)

    def problem(self):
        return self.input.problem()


class RecordField(ValueBoxField):
    """A link to another record, chosen by typing any part of its name (``ui.pickers``)."""

    def __init__(self, name, label, load, creates=()):
        super().__init__(name, label, RecordPicker(load, creates))

    def connect(self, slot):
        self.input.chosen.connect(slot)
        self.input.textEdited.connect(slot)


class DateField(ValueBoxField):
    """A date typed day first or picked from the calendar (ui.dateedit); empty is None.

    Text that is not an acceptable date shows its reason under the box when the user leaves it,
    and ``problem()`` gives it to the editor, which then refuses to save: ``get()`` would raise.
    Whether a date is required is the registry's rule (tracker.records), applied by the services at
    save.
    """

    def __init__(self, name, label, periods=False):
        super().__init__(name, label, DateEdit(periods=periods))
        self._typed_problem = False  # the error shown is the box's own (not the services')
        self.input.problem_changed.connect(self._show_typed_problem)

    def show_error(self, reason):
        super().show_error(reason)
        self._typed_problem = bool(reason) and reason == self.input.problem()

    def _show_typed_problem(self, reason):
        if reason:
            self.show_error(reason)
        elif self._typed_problem:  # fixed: a reason the services gave at the last save stays
            self.show_error(None)

    def connect(self, slot):
        self.input.edited.connect(slot)


class CouncilsField(Field):
    """Tick boxes for the councils a stakeholder or commitment belongs to."""

    def __init__(self, name, label):
        box = QWidget()
        self.layout = ColumnFlowLayout(box)  # two columns, one on a narrow form: five councils never widen it
        self.layout.setContentsMargins(0, 0, 0, 0)
        self.boxes = []  # (QCheckBox, Council)
        self._slots = []
        super().__init__(name, label, box)

    def focus_widgets(self):
        return [box for box, _ in self.boxes]

    def reload_choices(self):
        councils = services.councils.all_councils()
        if [(c.id, c.name) for c in councils] == [(c.id, c.name) for _, c in self.boxes]:
            return  # the same councils: the same boxes (and the form's Tab order through them)
        ticked = {c.id for c in self.get()}
        while self.layout.count():
            item = self.layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.boxes = []
        for council in councils:
            box = QCheckBox(council.name)
            box.setChecked(council.id in ticked)
            box.setAccessibleName(f"Council: {council.name}")
            for slot in self._slots:
                box.toggled.connect(slot)
            self.layout.addWidget(box)
            self.boxes.append((box, council))

    def get(self):
        return [council for box, council in self.boxes if box.isChecked()]

    def set(self, value):
        wanted = {c.id for c in (value or [])}
        for box, council in self.boxes:
            box.blockSignals(True)
            box.setChecked(council.id in wanted)
            box.blockSignals(False)

    def connect(self, slot):
        self._slots.append(slot)
        for box, _ in self.boxes:
            box.toggled.connect(slot)


# Who a picker may add as a new stakeholder when none has the name typed, by the field.
CREATES = {"organisation": ("organisation",), "owner": ("person", "organisation"),
           "made_by": ("organisation", "person")}


def form_field(field):
    """The widget for one field of the registry: its type chooses the widget, the rest is the field's."""
    if field.type == records.LONG_TEXT:
        return NotesField(field.name, field.label)
    if field.type == records.DATE:
        return DateField(field.name, field.label, periods=field.periods)
    if field.type == records.CHOICE:  # an optional choice offers "(none)"
        return VocabField(field.name, field.label, field.vocabulary, allow_empty=not field.required)
    if field.type == records.SCORE:
        return ScoreField(field.name, field.label)
    if field.type == records.LINK:  # may be left empty: a required link says so at save
        return RecordField(field.name, field.label, choices.for_field(field), CREATES.get(field.name, ()))
    if field.type == records.COUNCILS:
        return CouncilsField(field.name, field.label)
    return TextField(field.name, field.label, field.hint)
