"""A chart in the window: a matplotlib figure in a Qt canvas that a click or the keyboard opens.

Imported by ``ui.dashboard`` when it first draws its charts (it loads matplotlib's Qt backend).
"""

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtCore import Qt


class ChartCanvas(FigureCanvasQTAgg):
    """``chart`` (a ``ui.charts.Chart``) drawn; ``opened(link)`` is called with what a click on a bar
    or line (or Enter on the focused chart: the chart's own list) opens.  Screen readers read its
    title and text alternative."""

    def __init__(self, chart, opened):
        super().__init__(chart.figure)
        self.chart = chart
        self.opened = opened
        self.setMinimumSize(360, 230)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(chart.title)
        self.setAccessibleDescription(chart.text)
        self.setToolTip(f"{chart.title}: click a bar or line to open its list (Enter: the whole chart's)")
        self.mpl_connect("button_press_event", self._pressed)

    def _pressed(self, event):
        if event.button == 1:
            link = self.chart.link_at(event)
            if link is not None:
                self.opened(link)

    def keyPressEvent(self, event):
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.opened(self.chart.link)
        else:
            super().keyPressEvent(event)

    def draw(self):
        self.chart.fit()  # the margins the labels need, at the canvas's present size
        super().draw()
