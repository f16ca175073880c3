"""A list's filters: the widgets, each naming the services filter it sets, and the bar that holds them.

A filter widget only says what it is set to (``key``, ``value()``); :class:`FilterBar` turns them
into the services filter dict a list and a report query with.  Which filters each record kind
offers is in ``ui.kinds``; filtering itself happens in SQL (the services), never here.  A filter
choosing one of thousands of records (the owner, the maker) is the app's record picker
(:class:`RecordFilter`, ``ui.pickers``): typed and searched, not a drop-down.
"""

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QLayout, QPushButton,
                               QWidget)
from shiboken6 import isValid

from tracker import services
from tracker.changes import EVERYTHING
from tracker.models import Council
from tracker.services import choices as choice_lists
from ui.accessible import describe
from ui.fields import LoadingCombo
from ui.pickers import RecordPicker

FILTERS_PER_ROW = 4
EXTRA_ROW = 99  # the grid row of the words for a link's filters: below every row of filters (empty rows take no room)
DUE_WITHIN = [("Any due date", None), ("Due within 7 days", 7), ("Due within 14 days", 14),
              ("Due within 30 days", 30), ("Due within 90 days", 90)]


class FilterCombo(LoadingCombo):
    """A filter choice; the first item, "Any …", means no filter.  ``choices`` may be a function,
    called when the filter is first used (the list of people is long)."""

    def __init__(self, key, any_text, choices, description="", words=""):
        super().__init__()
        self.key = key
        words = words or key.replace('_', ' ')
        describe(self, f"Filter by {words}",
                 description or f"Shows only the records with the {words} chosen; “{any_text}” shows them all")
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


class FilterCheck(QCheckBox):
    """A yes-or-nothing filter ("Overdue"): unticked is no filter, not "not overdue"."""

    def __init__(self, key, text):
        super().__init__(text)
        self.key = key
        self.setAccessibleName(f"Only {key.replace('_', ' ')}")

    def value(self):
        return True if self.isChecked() else None

    def set_value(self, value):
        self.setChecked(bool(value))


class RecordFilter(RecordPicker):
    """A filter choosing one record by typing any part of its name (the owner, the maker): the app's
    record picker, namesakes told apart, its whole list (Down) beginning with "Any owner", which an
    emptied box (its clear button) also means.  The list is filtered by a record chosen only: text
    naming none is put back to the chosen record's name when the user leaves the box.
    ``value_changed`` when another record (or none) is set, by the user or by ``set_value``, as a
    drop-down's ``currentIndexChanged``."""

    value_changed = Signal()

    def __init__(self, key, any_text, load, words=""):
        super().__init__(load, none_text=any_text)
        self.key = key
        words = words or key.replace("_", " ")
        self.setPlaceholderText(any_text)
        describe(self, f"Filter by {words}",
                 f"Type any part of a name and choose from the list to show only the records with that "
                 f"{words}; empty the box (or choose “{any_text}”) to show them all")
        self.textChanged.connect(self._emptied)
        self.editingFinished.connect(self._put_back)

    def set_value(self, value):
        """Show ``value`` chosen: a record, a record's id (a link's filters) or None (any), without ``chosen``."""
        if isinstance(value, int):
            value = choice_lists.record(self.reads[0], value)  # the first table a picker reads is its kind's
        before = getattr(self._value, "id", None)
        super().set_value(value)
        if value is None:
            self.setToolTip(self.accessibleDescription())
        if getattr(value, "id", None) != before:
            self.value_changed.emit()

    def follow(self, change):
        """Forget the list when ``change`` touches it, and show the chosen record as it is now: renamed,
        or gone (deleted, merged, another database open): then every record again."""
        super().follow(change)
        kind, chosen = self.reads[0], self._value
        if chosen is not None and (change.rereads(kind) or chosen.id in change.ids(kind)):
            now = choice_lists.record(kind, chosen.id)
            self.set_value(now if now is not None and now.uuid == chosen.uuid else None)

    def minimumSizeHint(self):
        """Wide enough for "Made by anyone" beside the box's two buttons."""
        hint = super().minimumSizeHint()
        hint.setWidth(max(hint.width(), self.fontMetrics().horizontalAdvance(self.placeholderText())
                          + 2 * super().sizeHint().height() + 8))
        return hint

    def _emptied(self, text):
        """The box emptied (its clear button, or the last letter deleted): every record again, at once."""
        if not text and self._value is not None:
            self.popup.hide()
            self.set_value(None)
            self.chosen.emit()

    def _put_back(self):
        if not isValid(self.popup):  # the window is closing (see RecordPicker._settle)
            return
        if not self.hasFocus() and not self.popup.isVisible() and self.text() != self._shown:
            self.set_value(self._value)


def council_choices():
    return [(c.name, c) for c in services.councils.all_councils()]


def council_filter():
    return FilterCombo("council", "All councils", council_choices())


def field_filter(field, any_text):
    """A filter on a field of the registry, offering that field's vocabulary."""
    words = field.title if field.title.isupper() else field.title.lower()  # "RAG", "status"
    return FilterCombo(field.name, any_text, [(label, code) for code, label in field.vocabulary.items()],
                       words=words)


def vocabulary_filter(key, any_text, vocabulary):
    return FilterCombo(key, any_text, [(label, code) for code, label in vocabulary.items()])


def people_filter(key, any_text):
    """A filter choosing any stakeholder, person or organisation, by typing (up to tens of thousands)."""
    return RecordFilter(key, any_text, choice_lists.stakeholders, words={"made_by": "maker"}.get(key, ""))


def due_within_filter():
    return FilterCombo("due_within", DUE_WITHIN[0][0], DUE_WITHIN[1:],
                       "Shows only the records due from today to the number of days chosen")


class FilterBar(QWidget):
    """A list's filter widgets in rows of four, or of two when the page is narrow (a small screen
    at 200%); ``changed`` when the user sets one."""

    changed = Signal()

    def __init__(self, widgets, parent=None):
        super().__init__(parent)
        self.widgets = widgets
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # narrower than four: rows of two
        for widget in widgets:
            if isinstance(widget, QCheckBox):
                widget.toggled.connect(self.changed)
            elif isinstance(widget, RecordFilter):
                widget.value_changed.connect(self.changed)
            else:
                widget.currentIndexChanged.connect(self.changed)
        self.per_row = 0
        self._place(FILTERS_PER_ROW)
        # Filters a link set that no widget shows (the dashboard's "open actions with no owner"):
        # said in words, with a button taking them off.
        self.extra = {}
        self.extra_bar = QWidget()
        row = QHBoxLayout(self.extra_bar)
        row.setContentsMargins(0, 0, 0, 0)
        self.extra_label = QLabel()
        self.extra_label.setWordWrap(True)
        self.extra_clear = QPushButton("Show all")  # reached by Tab: every letter of it is taken on a list page
        self.extra_clear.setToolTip("Take this filter off")
        self.extra_clear.clicked.connect(self.clear_extra)
        row.addWidget(self.extra_label, 1)
        row.addWidget(self.extra_clear)
        self.extra_bar.hide()
        # below the filters however many rows they take (_place moves only the filters)
        self.grid.addWidget(self.extra_bar, EXTRA_ROW, 0, 1, FILTERS_PER_ROW + 1)

    def _place(self, per_row):
        if per_row == self.per_row:
            return
        self.per_row = per_row
        for widget in self.widgets:
            self.grid.removeWidget(widget)
        for n, widget in enumerate(self.widgets):
            self.grid.addWidget(widget, n // per_row, n % per_row)
        for column in range(FILTERS_PER_ROW + 1):
            self.grid.setColumnStretch(column, 1 if column == per_row else 0)
        self.updateGeometry()

    def _widest(self):
        return max((w.minimumSizeHint().width() for w in self.widgets), default=0) + self.grid.horizontalSpacing()

    def minimumSizeHint(self):
        return QSize(self._widest() * 2, super().minimumSizeHint().height())

    def resizeEvent(self, event):
        self._place(max(2, min(FILTERS_PER_ROW, event.size().width() // max(self._widest(), 1))))
        super().resizeEvent(event)

    def current_filters(self):
        """The services filter dict the widgets are set to (and a link's filters no widget shows)."""
        return {**self.extra, **{w.key: w.value() for w in self.widgets if w.value() not in (None, False)}}

    def clear_extra(self):
        """Take off the filters no widget shows."""
        if self.extra:
            self.extra = {}
            self.extra_bar.hide()
            self.changed.emit()

    def widget(self, key):
        return next(w for w in self.widgets if w.key == key)

    def show_only(self, filters, words=""):
        """Set every filter to ``filters`` (the others to "any") with one ``changed``, not one each.
        Filters no widget shows are kept and said in ``words`` above the list."""
        keys = {w.key for w in self.widgets}
        for w in self.widgets:
            w.blockSignals(True)
            w.set_value(filters.get(w.key))
            w.blockSignals(False)
        self.extra = {k: v for k, v in filters.items() if k not in keys and v not in (None, False)}
        self.extra_label.setText(f"Showing: {words or ', '.join(self.extra)}")
        self.extra_bar.setVisible(bool(self.extra))
        self.changed.emit()

    def follow(self, change=EVERYTHING):
        """Read again the choices listing records that ``change`` touches (a new stakeholder becomes
        a choice of owner: a record filter reads its list when next used)."""
        for w in self.widgets:
            if w.key == "council" and change.touches(Council._meta.table_name):
                w.fill(council_choices())
            elif isinstance(w, RecordFilter):
                w.follow(change)
