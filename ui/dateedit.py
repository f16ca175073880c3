"""The one date box of the app: typed day first, or picked from a calendar; empty means no date.

:class:`DateEdit` is a QLineEdit, so focus, Tab, selection, buddies and accessible names behave
as in every other text box.  What is typed is read by ``tracker.dates.parse_uk_date`` (the
product's only parser; no Qt date parsing, which silently rolled 16/01/2019 into another day):
on leaving the box (Tab, Enter, a click elsewhere) a readable date is shown again as dd/mm/yyyy,
and unreadable text stays as typed while ``problem_changed`` gives the reason for the field to
show.  :meth:`DateEdit.value` never guesses: it raises DateError for unreadable text, so a
caller that forgot to check :meth:`DateEdit.problem` fails loudly instead of storing another day.

A box for a date that may be a period (``DateEdit(periods=True)``: an action's due date, a
commitment's target date) also reads a month, a quarter or a year ("Mar 2019", "Q2 2019", "2019",
"FY 2019/20") and shows it back as written; its value is then a ``tracker.dates.Period``.  A day
typed over it is a day again.

The calendar (the button in the box, Alt+Down or F4) opens at the box's date, or today when the
box is empty or unreadable, and offers only the dates the tracker accepts.  Clicking a day or
pressing Enter on it fills the box; Escape closes it.  This replaced QDateEdit, whose minimum
date (01/01/1900) stood for "no date" and whose sections swallowed typed digits.
"""

import datetime as dt

from PySide6.QtCore import QDate, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import QCalendarWidget, QFrame, QLineEdit, QSizePolicy, QStyle, QVBoxLayout

from tracker.dates import EARLIEST, LATEST, DateError, format_uk_date, parse_uk_date
from ui.accessible import name_action
from ui.resources import icon

PLACEHOLDER = "dd/mm/yyyy"  # a box that takes periods says so in its tooltip: the form leaves it no more room


def _qdate(day):
    return QDate(day.year, day.month, day.day)


class CalendarPopup(QFrame):
    """A month calendar in a popup window; ``picked`` gives the chosen day as a datetime.date."""

    picked = Signal(object)

    def __init__(self, parent):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        self.calendar = QCalendarWidget()
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setDateRange(_qdate(EARLIEST), _qdate(LATEST))
        self.calendar.clicked.connect(self._pick)  # a mouse click on a day
        self.calendar.activated.connect(self._pick)  # Enter on a day, or a double click
        layout.addWidget(self.calendar)

    def open_at(self, day, below):
        """Show the month of ``day`` with it selected, under the widget ``below`` (kept on screen)."""
        self.calendar.setSelectedDate(_qdate(day))
        self.calendar.setCurrentPage(day.year, day.month)
        self.adjustSize()
        where = below.mapToGlobal(QPoint(0, below.height()))
        screen = below.screen().availableGeometry()
        box = QRect(where, self.sizeHint())
        if box.bottom() > screen.bottom():  # no room below: open above the box
            box.moveBottom(below.mapToGlobal(QPoint(0, 0)).y() - 1)
        box.moveLeft(max(screen.left(), min(box.left(), screen.right() - box.width())))
        self.setGeometry(box)
        self.show()
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _pick(self, qdate):
        self.close()
        self.picked.emit(qdate.toPython())


class DateEdit(QLineEdit):
    """A date box.  ``edited`` means the user changed it (typing or the calendar): the editors'
    unsaved-changes tracking listens to it; ``set_value`` does not emit it."""

    edited = Signal()
    problem_changed = Signal(str)  # on leaving the box: why the text is not a date, or "" when it is fine

    def __init__(self, parent=None, periods=False):
        super().__init__(parent)
        self.periods = periods
        self.setPlaceholderText(PLACEHOLDER)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.calendar_action = name_action(self.addAction(icon("events"), QLineEdit.ActionPosition.TrailingPosition),
                                           "Calendar", "Choose from the calendar (Alt+Down or F4)")
        self.calendar_action.triggered.connect(self.show_calendar)
        self.setToolTip("Type a date day first (16/01/2019, 16 Jan 2019 or 2019-01-16)"
                        + (", or a month, quarter or year (Mar 2019, Q2 2019, 2019, FY 2019/20)" if periods else "")
                        + ", or press Alt+Down for the calendar")
        self.popup = None
        self._select_on_release = False
        self.textEdited.connect(self.edited)
        self.editingFinished.connect(self.tidy)

    # ---- the value -------------------------------------------------------------------------
    def value(self):
        """The date shown (a Period for a month, quarter or year in a box that takes them), None when
        empty; DateError when the text is not an acceptable date."""
        text = self.text().strip()
        return parse_uk_date(text, periods=self.periods) if text else None

    def problem(self):
        """Why the text is not an acceptable date (e.g. "is not a real date (...)"), or None."""
        try:
            self.value()
        except DateError as exc:
            return exc.reason
        return None

    def set_value(self, day):
        self.setText(format_uk_date(day))
        self.setCursorPosition(0)
        self.problem_changed.emit("")

    def tidy(self):
        """Leaving the box: a readable date is shown as dd/mm/yyyy (a period as "Mar 2019"); otherwise say
        why, keeping the text."""
        reason = self.problem()
        if reason is None:
            shown = format_uk_date(self.value())
            if shown != self.text():
                self.setText(shown)
        self.problem_changed.emit(reason or "")

    # ---- the calendar ----------------------------------------------------------------------
    def show_calendar(self):
        if self.popup is None:
            self.popup = CalendarPopup(self)
            self.popup.calendar.setAccessibleName(f"Calendar: {self.accessibleName() or 'date'}")
            self.popup.picked.connect(self._picked)
        try:
            day = self.value() or dt.date.today()
        except DateError:
            day = dt.date.today()
        self.popup.open_at(day, self)

    def _picked(self, day):
        self.setText(format_uk_date(day))
        self.setFocus(Qt.FocusReason.PopupFocusReason)
        self.selectAll()
        self.edited.emit()
        self.problem_changed.emit("")

    # ---- keys and focus --------------------------------------------------------------------
    def keyPressEvent(self, event):
        key, mods = event.key(), event.modifiers()
        if (key == Qt.Key.Key_Down and mods == Qt.KeyboardModifier.AltModifier) or \
                (key == Qt.Key.Key_F4 and mods == Qt.KeyboardModifier.NoModifier):
            event.accept()
            self.show_calendar()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event):
        super().focusInEvent(event)  # Tab and shortcuts select the text already
        # A click would place the cursor: select on the release instead, so typing replaces the date.
        self._select_on_release = event.reason() == Qt.FocusReason.MouseFocusReason

    def mouseReleaseEvent(self, event):
        super().mouseReleaseEvent(event)
        if self._select_on_release and not self.hasSelectedText():
            self.selectAll()
        self._select_on_release = False

    def sizeHint(self):
        """Room for dd/mm/yyyy and the calendar button, whatever the font; not the whole form's width."""
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        text = max(metrics.horizontalAdvance(w) for w in ("00/00/00000", PLACEHOLDER + "0", "FY 0000/000"))
        button = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) + 12
        return QSize(text + button + 2 * metrics.averageCharWidth(), hint.height())

    def minimumSizeHint(self):
        return self.sizeHint()
