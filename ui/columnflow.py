"""A layout that sets its widgets in equal columns, as many as fit its width (at most ``columns``).

The councils' tick boxes sit in two columns on a wide form and in one on a narrow one (200% scaling on
a 1366x768 screen), so the form never scrolls sideways: the layout's minimum width is one column's
and its height follows its width (``heightForWidth``), which QFormLayout and QScrollArea honour.
"""

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout


class ColumnFlowLayout(QLayout):
    def __init__(self, parent=None, columns=2):
        super().__init__(parent)
        self.max_columns = columns
        self._items = []

    # ---- QLayout's item list ---------------------------------------------------------
    def addItem(self, item):
        self._items.append(item)

    def count(self):
        return len(self._items)

    def itemAt(self, index):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    # ---- geometry ----------------------------------------------------------------------
    def _cell(self):
        widths = [item.sizeHint().width() for item in self._items] or [0]
        heights = [item.sizeHint().height() for item in self._items] or [0]
        return QSize(max(widths), max(heights))

    def _spacing(self):
        spacing = self.spacing()
        return spacing if spacing >= 0 else 6

    def columns_for(self, width):
        """How many columns fit ``width`` pixels (the margins included)."""
        margins = self.contentsMargins()
        width -= margins.left() + margins.right()
        cell, spacing = self._cell(), self._spacing()
        fit = (width + spacing) // (cell.width() + spacing) if cell.width() else self.max_columns
        return max(1, min(self.max_columns, fit, len(self._items) or 1))

    def _height(self, columns):
        margins = self.contentsMargins()
        rows = -(-len(self._items) // columns) if self._items else 0
        cell = self._cell()
        return margins.top() + margins.bottom() + rows * cell.height() + max(0, rows - 1) * self._spacing()

    def hasHeightForWidth(self):
        return True

    def heightForWidth(self, width):
        return self._height(self.columns_for(width))

    def expandingDirections(self):
        return Qt.Orientation(0)

    def sizeHint(self):
        margins = self.contentsMargins()
        columns = max(1, min(self.max_columns, len(self._items) or 1))
        cell = self._cell()
        width = columns * cell.width() + (columns - 1) * self._spacing() + margins.left() + margins.right()
        return QSize(width, self._height(columns))

    def minimumSize(self):
        margins = self.contentsMargins()
        return QSize(self._cell().width() + margins.left() + margins.right(), self._height(1))

    def setGeometry(self, rect):
        super().setGeometry(rect)
        margins = self.contentsMargins()
        inner = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        columns, cell, spacing = self.columns_for(rect.width()), self._cell(), self._spacing()
        for n, item in enumerate(self._items):
            row, col = divmod(n, columns)
            corner = inner.topLeft() + QPoint(col * (cell.width() + spacing), row * (cell.height() + spacing))
            item.setGeometry(QRect(corner, cell))
