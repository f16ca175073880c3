"""A wizard page whose contents scroll (issue 15): on a small screen, or at 200% scaling (a 1366x768 screen
is 683x384 of the app's pixels), a page's tables and fields scroll up and down inside the page while the
wizard's title and its Back, Next and Cancel buttons stay in view.  Tab scrolls to the field it reaches."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


class _Body(QWidget):
    """A page's contents: as tall as their minimum for the width given, so that a page which fits is not
    scrolled (a scroll area otherwise asks for the preferred height of contents whose labels wrap, and the
    tables' preferred heights would make even a 960x640 wizard scroll)."""

    def heightForWidth(self, width):
        layout = self.layout()
        least = layout.minimumHeightForWidth(width) if layout is not None else -1
        return least if least >= 0 else super().heightForWidth(width)


def scrolled(page):
    """Give ``page`` one scroll area filling it (``page.scroll``); return the widget its contents go in."""
    body = _Body()
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)  # the contents take the page's size when they fit it, and scroll when not
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own: it scrolls to the field
    scroll.setWidget(body)
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)
    page.scroll = scroll
    return body


def at_least_rows(table, rows=3):
    """Keep ``table`` at least its header and ``rows`` rows tall (and its sideways scroll bar): where the
    page is short the page scrolls rather than the table shrinking to a slit."""
    height = table.horizontalHeader().sizeHint().height() + rows * table.verticalHeader().defaultSectionSize()
    height += table.horizontalScrollBar().sizeHint().height()  # a wide table's scroll bar takes a row's room
    table.setMinimumHeight(height + 2 * table.frameWidth())
