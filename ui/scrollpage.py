"""A wizard page whose contents scroll (issue 15): on a small screen, or at 200% scaling (a 1366x768 screen
is 683x384 of the app's pixels), a page's tables and fields scroll up and down inside the page while the
wizard's title and its Back, Next and Cancel buttons stay in view.  Tab scrolls to the field it reaches."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


def scrolled(page):
    """Give ``page`` one scroll area filling it (``page.scroll``); return the widget its contents go in."""
    body = QWidget()
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
