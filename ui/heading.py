"""A record editor's heading: the record's name in large type over at most two lines, the rest cut short
with "…" and whole in its tooltip.  A long commitment's title took five lines of a narrow editor (a
1366x768 screen at 200%), pushing its tabs out of sight."""

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QLabel

LINES = 2
MORE = "…"


class Heading(QLabel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self._full = ""

    def setText(self, text):
        self._full = text
        self.setToolTip(text)
        self._fit()

    def full_text(self):
        return self._full

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit()

    def _fits(self, text, width):
        metrics = self.fontMetrics()
        flags = int(Qt.TextFlag.TextWordWrap)
        height = metrics.boundingRect(QRect(0, 0, width, 100_000), flags, text).height()
        return height < (LINES + 0.5) * metrics.lineSpacing()  # (two lines measure a pixel or so over 2 x lineSpacing)

    def _fit(self):
        text, width = self._full, self.contentsRect().width()
        if width > 0 and not self._fits(text, width):
            low, high = 0, len(text)  # the longest start of the text that fits with "…" after it
            while low < high:
                middle = (low + high + 1) // 2
                if self._fits(text[:middle].rstrip() + MORE, width):
                    low = middle
                else:
                    high = middle - 1
            text = text[:low].rstrip() + MORE
        if text != super().text():
            super().setText(text)
