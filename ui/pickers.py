"""Record pickers: type any part of a name and choose from what matches, or add it in one step.

:class:`RecordPicker` is a line edit with a completer's pop-up list.  What it offers is a kind's
live records as light rows (``tracker.services.choices``: one query, no model object or widget per
record), read when the picker is first used and kept until a change to those kinds is announced.
Each keystroke searches them in memory (any part of the name or of what tells namesakes apart, in
any case, with or without accents: a few milliseconds at 20,000 stakeholders) and
:class:`ChoiceModel`, a thin list model, shows the matches; a person is shown with their
organisation, an event with its date.  When no record has the typed name, the list ends with
"Add ‘…’ as a new organisation" (or person): choosing it creates the record through the services,
which announce it, and picks it.

A list shows at most :data:`MAX_SHOWN` rows and says how many more match: it is searched, not read.
A picker that may choose no record by name (a list's filter: "Any owner") begins its whole list
with that row.

Keys: typing searches (a space is part of the search); Down, F4 or Alt+Down opens the list; Enter
or a click chooses; Escape closes the list and shows the chosen record again; an emptied box is no
record.  Text that names no record is the field's ``problem()``: the form will not save it.
"""

from dataclasses import dataclass

from PySide6.QtCore import QAbstractListModel, QModelIndex, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCompleter, QLineEdit
from shiboken6 import isValid

from tracker import services
from tracker.services import choices as choice_lists
from ui import errors
from ui.accessible import name_action, with_clear_button
from ui.changes import notifier
from ui.resources import icon

CHOICE_ROLE = Qt.ItemDataRole.UserRole + 20  # the row's Choice, an Offer to add a record, or More
POPUP_CHARS = 60  # the list is at least this many characters wide: names with their detail
# The most rows the list shows at once: a longer list is not read, it is searched (and the completer
# spends ~20 µs a row laying it out: 5,000 rows would take 100 ms a keystroke at 20,000 stakeholders).
MAX_SHOWN = 300


@dataclass(frozen=True)
class Offer:
    """A row offering to add the typed name as a new stakeholder of ``kind``."""
    kind: str  # "organisation" or "person"
    name: str

    @property
    def text(self):
        return f"Add ‘{self.name}’ as a new {self.kind}"


@dataclass(frozen=True)
class NoRecord:
    """The first row of a list offering no record (a filter's "Any owner")."""
    text: str

    name = ""


@dataclass(frozen=True)
class More:
    """The last row of a long list: how many more match (it cannot be chosen)."""
    hidden: int
    total: int

    @property
    def text(self):
        return f"… and {self.hidden:,} more of {self.total:,}: type more of the name"

    name = ""


class ChoiceModel(QAbstractListModel):
    """The rows a picker's list shows now: choices found, then offers to add."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows = []

    def set_rows(self, rows):
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=None):
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.parent().isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.text
        if role == Qt.ItemDataRole.EditRole:
            return row.name
        if role == CHOICE_ROLE:
            return row
        if role == Qt.ItemDataRole.FontRole and not isinstance(row, choice_lists.Choice):
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def flags(self, index):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return Qt.ItemFlag.NoItemFlags
        if isinstance(self.rows[index.row()], More):
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class RecordPicker(QLineEdit):
    """Choose one record of a kind by typing; ``value()`` is the record (None for none).

    ``load`` reads the choices (a function of ``tracker.services.choices``); ``creates`` names the
    stakeholder kinds it may add ("organisation", "person"); ``none_text``, when given, is the first row
    of the whole list, choosing no record ("Any owner").  ``chosen`` means the user chose (or cleared) a
    record; ``set_value`` does not emit it."""

    chosen = Signal()

    def __init__(self, load, creates=(), parent=None, none_text=""):
        super().__init__(parent)
        self.load, self.creates, self.none_text = load, tuple(creates), none_text
        self.reads = choice_lists.READS.get(load, ())
        self._choices = None
        self._value, self._shown = None, ""
        with_clear_button(self, "the choice")
        self.setPlaceholderText("Type to search…")
        self.list_action = name_action(self.addAction(icon("find"), QLineEdit.ActionPosition.TrailingPosition),
                                       "Show the list", "Show the list (Down or F4)")
        self.list_action.triggered.connect(lambda: self.open_list(everything=True))
        self.model = ChoiceModel(self)
        self.completer_ = QCompleter(self.model, self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setMaxVisibleItems(12)
        self.completer_.setWidget(self)  # not setCompleter: what is typed is ours to search
        self.completer_.activated[QModelIndex].connect(self._activated)
        self.popup = self.completer_.popup()
        self.popup.setUniformItemSizes(True)
        self.popup.setAccessibleName("Matching records")
        self.popup.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.textEdited.connect(self._typed)
        self.editingFinished.connect(self._settle)
        notifier().changed.connect(self.follow)

    # ---- the value -----------------------------------------------------------------------------------
    def value(self):
        """The chosen record; None when the box was emptied (even before leaving it)."""
        return self._value if self.text().strip() else None

    def set_value(self, record):
        """Show ``record`` (None: none) as chosen, without ``chosen``."""
        self._value = record
        self._shown = choice_lists.describe(record).text if record is not None else ""
        self.setText(self._shown)
        self.setCursorPosition(0)
        self.setToolTip(self._shown)

    def problem(self):
        """Why the text cannot be saved (it names no record), or None."""
        text = self.text().strip()
        if not text or self.text() == self._shown:
            return None
        return f"must be chosen from the list (“{text}” is not one of them)"

    # ---- the choices ----------------------------------------------------------------------------------
    def choices(self):
        """The choices offered (read now if not yet, or since a change to what they show)."""
        if self._choices is None:
            self._choices = self.load()
        return self._choices

    def follow(self, change):
        """Forget the choices when ``change`` touches what they show (read again when next used)."""
        if self._choices is not None and change.touches(*self.reads):
            self._choices = None  # read again when next used

    def matches(self, text):
        """The rows the list shows for ``text``: the choices found (at most MAX_SHOWN, then a row
        saying how many more; with no text, those around the chosen record, after the row choosing no
        record if there is one), then the offers to add it."""
        found = self.choices().search(text)
        shown, more = found, []
        if len(found) > MAX_SHOWN:
            start = 0
            if not text.strip() and self._value is not None:
                at = next((n for n, c in enumerate(found) if c.id == self._value.id), 0)
                start = min(max(0, at - MAX_SHOWN // 2), len(found) - MAX_SHOWN)
            shown = found[start:start + MAX_SHOWN]
            more = [More(len(found) - MAX_SHOWN, len(found))]
        name = " ".join(text.split())
        offers = []
        if name and self.creates and not self.choices().exact(name):
            offers = [Offer(kind, name) for kind in self.creates]
        none = [NoRecord(self.none_text)] if self.none_text and not text.strip() else []
        return none + shown + more + offers

    # ---- the list ---------------------------------------------------------------------------------------
    def _typed(self, text):
        if not text.strip():
            self.popup.hide()
            return
        self.open_list()

    def open_list(self, everything=False):
        """Show the list of what matches the text (everything when the text is the chosen record's)."""
        text = "" if everything or self.text() == self._shown else self.text()
        try:
            rows = self.matches(text)
        except errors.EXPECTED as exc:
            errors.show_exception(self, exc)
            return
        self.model.set_rows(rows)
        if not rows:
            self.popup.hide()
            return
        rect = QRect(self.rect())
        rect.setWidth(max(self.width(), self.fontMetrics().averageCharWidth() * POPUP_CHARS))
        self.completer_.complete(rect)
        # The chosen record, or the best match, is where Enter (or Tab) chooses; never an offer to add.
        current = self._row_of(self._value) if not text else 0 if isinstance(rows[0], choice_lists.Choice) else -1
        self.popup.setCurrentIndex(self.completer_.completionModel().index(current, 0) if current >= 0
                                   else QModelIndex())

    def _row_of(self, record):
        if record is None:
            return next((n for n, row in enumerate(self.model.rows) if isinstance(row, NoRecord)), -1)
        return next((n for n, row in enumerate(self.model.rows)
                     if isinstance(row, choice_lists.Choice) and row.id == record.id), -1)

    def _activated(self, index):
        self.choose(index.data(CHOICE_ROLE))

    def choose(self, row):
        """Choose a row of the list (a Choice, no record, or an Offer: the record is added first)."""
        if isinstance(row, More) or row is None:
            return
        self.popup.hide()
        if isinstance(row, NoRecord):
            record = None
        elif isinstance(row, Offer):
            try:
                record = services.stakeholders.create(kind=row.kind, name=row.name)
            except errors.EXPECTED as exc:
                errors.show_exception(self, exc)
                return
        else:
            record = choice_lists.record(self.choices().kind, row.id)
            if record is None:  # deleted meanwhile (the list follows changes announced here, not another program's)
                self._choices = None
                self.open_list()
                return
        self.set_value(record)
        self.chosen.emit()

    # ---- keys and leaving -------------------------------------------------------------------------------
    def keyPressEvent(self, event):
        key, alt = event.key(), event.modifiers() & Qt.KeyboardModifier.AltModifier
        if not self.popup.isVisible():
            if key == Qt.Key.Key_F4 or (key == Qt.Key.Key_Down and not self.isReadOnly()):
                self.open_list(everything=bool(alt) or key == Qt.Key.Key_F4)
                return
            if key == Qt.Key.Key_Escape and self.text() != self._shown:
                self.set_value(self._value)
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.text() != self._shown:
                self._settle()
                if self.text() != self._shown:  # more than one matches: show them
                    self.open_list()
                return
        super().keyPressEvent(event)

    def focusInEvent(self, event):
        super().focusInEvent(event)
        if event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason,
                              Qt.FocusReason.ShortcutFocusReason):
            QTimer.singleShot(0, self.selectAll)  # typing replaces the record shown

    def _settle(self):
        """Leaving the box (or Enter): an emptied box is no record; text naming exactly one record
        chooses it; other text stays, for ``problem()`` to refuse."""
        if not isValid(self.popup):  # the window is closing and its list went first: nothing to choose
            return
        if self.popup.isVisible() or self.text() == self._shown:
            return
        text = self.text().strip()
        if not text:
            self.set_value(None)
            self.chosen.emit()
            return
        try:
            found = self.choices().exact(text) or self.choices().search(text)
        except errors.EXPECTED:
            return
        if len(found) == 1:
            self.choose(found[0])
