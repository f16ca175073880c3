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

    def heightForWidth(self, width):
        """The shown page's (QStackedLayout asks every page, so one narrow page made all of them as tall)."""
        page = self.currentWidget()
        return page.heightForWidth(width) if page is not None else -1
