"""A list's filters: the widgets, each naming the services filter it sets, and the bar that holds them.

A filter widget only says what it is set to (``key``, ``value()``); :class:`FilterBar` turns them
into the services filter dict a list and a report query with.  Which filters each record kind
offers is in ``ui.kinds``; filtering itself happens in SQL (the services), never here.
"""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from tracker import services
from tracker.changes import EVERYTHING
from tracker.models import Council
from ui.fields import LoadingCombo

FILTERS_PER_ROW = 4
DUE_WITHIN = [("Any due date", None), ("Due within 7 days", 7), ("Due within 14 days", 14),
              ("Due within 30 days", 30), ("Due within 90 days", 90)]
PEOPLE_FILTERS = ("owner", "made_by")  # filters offering every stakeholder


class FilterCombo(LoadingCombo):
    """A filter choice; the first item, "Any …", means no filter.  ``choices`` may be a function,
    called when the filter is first used (the list of people is long)."""

    def __init__(self, key, any_text, choices):
        super().__init__()
        self.key = key
        self.setAccessibleName(f"Filter by {key.replace('_', ' ')}")
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


def council_choices():
    return [(c.name, c) for c in services.councils.all_councils()]


def people_choices():
    return [(s.name, s) for s in services.stakeholders.page(0, 5000, sort="name")]


def council_filter():
    return FilterCombo("council", "All councils", council_choices())


def field_filter(field, any_text):
    """A filter on a field of the registry, offering that field's vocabulary."""
    return FilterCombo(field.name, any_text, [(label, code) for code, label in field.vocabulary.items()])


def vocabulary_filter(key, any_text, vocabulary):
    return FilterCombo(key, any_text, [(label, code) for code, label in vocabulary.items()])


def people_filter(key, any_text):
    return FilterCombo(key, any_text, people_choices)


def due_within_filter():
    return FilterCombo("due_within", DUE_WITHIN[0][0], DUE_WITHIN[1:])


class FilterBar(QWidget):
    """A list's filter widgets in rows of four; ``changed`` when the user sets one."""

    changed = Signal()

    def __init__(self, widgets, parent=None):
        super().__init__(parent)
        self.widgets = widgets
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for n, widget in enumerate(widgets):
            grid.addWidget(widget, n // FILTERS_PER_ROW, n % FILTERS_PER_ROW)
            if isinstance(widget, QCheckBox):
                widget.toggled.connect(self.changed)
            else:
                widget.currentIndexChanged.connect(self.changed)
        grid.setColumnStretch(FILTERS_PER_ROW, 1)
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
        grid.addWidget(self.extra_bar, (len(widgets) - 1) // FILTERS_PER_ROW + 1, 0, 1, FILTERS_PER_ROW + 1)

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
        a choice of owner; the list of people is read when the filter is next used)."""
        for w in self.widgets:
            if w.key == "council" and change.touches(Council._meta.table_name):
                w.fill(council_choices())
            elif w.key in PEOPLE_FILTERS and change.touches(services.stakeholders.table):
                w.defer(lambda w=w: w.fill(people_choices()))
