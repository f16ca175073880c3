"""A chart in the window: a ``ui.charts.Chart`` painted in this widget's paintEvent, on the UI thread (a
few milliseconds: no worker, no cached image), in the window's palette.  A click on a bar, point or line
opens its list, Enter the chart's own; hovering says what a click opens; screen readers read its title
and text alternative."""

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QToolTip, QWidget

CHART_TIP = "{title}: click a bar, point or line to open its list (Enter: the whole chart's)"


def palette_colours(widget):
    """The chart colours of ``widget``'s palette (light or dark)."""
    palette = widget.palette()
    return {"text": palette.color(QPalette.ColorRole.WindowText).name(),
            "background": palette.color(QPalette.ColorRole.Window).name(),
            "grid": palette.color(QPalette.ColorRole.Mid).name()}


class ChartView(QWidget):
    """``opened(link)`` is called with what a click or Enter opens.  ``chart`` is None until the numbers
    arrive (the widget says what it waits for); ``painted`` is emitted after each painting of a chart,
    ``painted_chart`` is the chart last painted."""

    painted = Signal()

    def __init__(self, title, opened):
        super().__init__()
        self.title = title
        self.opened = opened
        self.chart = None
        self.painted_chart = None
        self.setMinimumSize(360, 230)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAccessibleName(title)
        self.setToolTip(CHART_TIP.format(title=title))

    def set_chart(self, chart):
        self.chart = chart
        self.setAccessibleName(chart.title)
        self.setAccessibleDescription(chart.text)
        self.update()

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Window))
        if self.chart is None:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, f"{self.title}…")
        else:
            self.chart.paint(painter, QRectF(self.rect()).adjusted(2, 2, -2, -2), palette_colours(self),
                             self.font().family())
        if self.hasFocus():
            painter.setPen(self.palette().color(QPalette.ColorRole.Highlight))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()
        if self.chart is not None:
            self.painted_chart = self.chart
            self.painted.emit()

    def target_at(self, pos):
        return self.chart.target_at(pos) if self.chart is not None and self.chart.area is not None else None

    # ---- opening ------------------------------------------------------------------------------
    def mousePressEvent(self, event):
        if event.button() != Qt.MouseButton.LeftButton or self.chart is None or self.chart.area is None:
            return super().mousePressEvent(event)
        link = self.chart.link_at(event.position())
        if link is not None:
            self.opened(link)

    def mouseMoveEvent(self, event):
        target = self.target_at(event.position())
        self.setCursor(Qt.CursorShape.PointingHandCursor if target is not None else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def event(self, event):
        if event.type() == event.Type.ToolTip:
            target = self.target_at(QPointF(event.pos()))  # a QHelpEvent
            tip = target.tip if target is not None else self.toolTip()
            QToolTip.showText(event.globalPos(), tip, self)
            return True
        return super().event(event)

    def keyPressEvent(self, event):
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self.chart is not None:
            self.opened(self.chart.link)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event):
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event):
        super().focusOutEvent(event)
        self.update()
