"""The main window's stack of views, sized to the view shown."""

from PySide6.QtWidgets import QStackedWidget


class PageStack(QStackedWidget):
    """The views, as small as the one shown: a small window (a 1366x768 screen at 200%) scrolls the
    shown page only as far as it needs, not as far as the widest of them (the dashboard)."""

    def __init__(self):
        super().__init__()
        self.currentChanged.connect(lambda _: self.updateGeometry())

    def minimumSizeHint(self):
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()
