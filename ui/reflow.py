"""A grid of widgets that reflows to fewer columns when narrow: the dashboard's tiles (four across, two by
two, or one column) and its charts (two by two, or one column).

At 200% scaling on a 1366x768 screen (683x384 logical pixels) the dashboard's four tiles and its 2x2 charts
needed about 726 pixels of the 495 its page has, so the page scrolled sideways.  ``ReflowGrid`` lays its
widgets out in the most columns of ``choices`` that fit its width and says it can be as narrow as one
column, so the window's scroll area never scrolls it sideways: it scrolls up and down instead, every
widget one below the other.  Rows share the height left over, so wide, the charts still fill the window.

Unlike ``ui.columnflow.ColumnFlowLayout`` (equal cells at their size hint, a height for each width: the
form's council boxes), the cells here stretch to fill the width and the height, as a QGridLayout's do.
"""

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QWidget

SLACK = 24  # more than a scroll bar: going back to more columns wants this much over their width, so a
# scroll bar appearing or going as the rows change never flips the layout back and forth


class ReflowGrid(QWidget):
    """``widgets`` in a grid of as many columns (one of ``choices``, e.g. (4, 2, 1)) as fit the width."""

    def __init__(self, widgets=(), choices=(2, 1), parent=None):
        super().__init__(parent)
        self.choices = sorted(set(choices), reverse=True)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSizeConstraint(QGridLayout.SizeConstraint.SetNoConstraint)  # our minimumSizeHint: one column
        self.widgets = list(widgets)
        self.columns = None
        self._place(self.choices[0])

    # ---- what fits ---------------------------------------------------------------------
    def _spacing(self):
        spacing = self.grid.horizontalSpacing()
        return spacing if spacing >= 0 else 6

    def needed(self, columns):
        """The width ``columns`` columns need: the widest widget's least width in each."""
        cell = max((max(w.minimumSize().width(), w.minimumSizeHint().width()) for w in self.widgets), default=0)
        return columns * cell + (columns - 1) * self._spacing()

    def columns_for(self, width):
        for columns in self.choices:
            slack = SLACK if self.columns is not None and columns > self.columns else 0
            if width >= self.needed(columns) + slack:
                return columns
        return self.choices[-1]

    # ---- placing -----------------------------------------------------------------------
    def _place(self, columns):
        for widget in self.widgets:
            self.grid.removeWidget(widget)
        rows = -(-len(self.widgets) // columns) if self.widgets else 0
        for n, widget in enumerate(self.widgets):
            self.grid.addWidget(widget, *divmod(n, columns))
        for col in range(max(self.choices)):
            self.grid.setColumnStretch(col, 1 if col < columns else 0)
        for row in range(len(self.widgets)):
            self.grid.setRowStretch(row, 1 if row < rows else 0)
        self.columns = columns
        self.updateGeometry()

    def replaceWidget(self, old, new):  # named as QLayout.replaceWidget, which the dashboard called
        """Put ``new`` where ``old`` is (a chart drawn in place of its placeholder)."""
        self.widgets[self.widgets.index(old)] = new
        self.grid.replaceWidget(old, new)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        columns = self.columns_for(event.size().width())
        if columns != self.columns:
            self._place(columns)

    def hasHeightForWidth(self):
        """No: its height is its rows' (``minimumSizeHint``).  A height for each width (the tiles' wrapped
        words) would reach the window's scroll area through the stack of pages, which asks every page,
        shown or not, and would make every page as tall as the narrow dashboard."""
        return False

    def minimumSizeHint(self):
        """As narrow as one column (of the fewest ``choices``), as tall as the rows placed now."""
        return QSize(self.needed(self.choices[-1]), self.grid.minimumSize().height())


class WrapRow(QWidget):
    """Groups of controls side by side, left-aligned, or one group under the other when they do not fit:
    the Find duplicates window's filters and Find (about 680 pixels in a row; at 200% on 1366x768 the
    window has 683 in all).  Unlike ``ReflowGrid`` the groups keep their own widths, so wide, the row reads
    as one row with the space on its right."""

    def __init__(self, groups=(), parent=None):
        super().__init__(parent)
        self.groups = list(groups)
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSizeConstraint(QBoxLayout.SizeConstraint.SetNoConstraint)  # our minimumSizeHint: one group
        for group in self.groups:
            self.box.addWidget(group, 0, Qt.AlignmentFlag.AlignLeft)
        self.box.addStretch(1)

    def needed(self):
        """The width the groups need side by side."""
        spacing = self.box.spacing() if self.box.spacing() >= 0 else 6
        return sum(g.minimumSizeHint().width() for g in self.groups) + spacing * (len(self.groups) - 1)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        wrapped = event.size().width() < self.needed()
        direction = QBoxLayout.Direction.TopToBottom if wrapped else QBoxLayout.Direction.LeftToRight
        if self.box.direction() != direction:
            self.box.setDirection(direction)
            self.updateGeometry()

    @property
    def wrapped(self):
        return self.box.direction() == QBoxLayout.Direction.TopToBottom

    def minimumSizeHint(self):
        """As narrow as the widest group, as tall as the groups placed now."""
        widest = max((g.minimumSizeHint().width() for g in self.groups), default=0)
        return QSize(widest, self.box.minimumSize().height())
