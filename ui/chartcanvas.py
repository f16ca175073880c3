"""A chart in the window: a matplotlib figure drawn off the UI thread, that a click or the keyboard opens.

Imported by ``ui.dashboard`` when it first draws its charts (it loads matplotlib).  matplotlib's own Qt
canvas draws on the UI thread, and a chart takes a few hundred milliseconds to draw (text layout is
most of it): three of them froze the window for a second or more after start-up and after each
change.  So the figure is drawn by matplotlib's Agg renderer on a worker (``ui.worker``), one drawing
at a time (``DRAWING``), into an image this widget paints; a click is turned back into a matplotlib
mouse event on that drawing, so a bar still knows what it opens.
"""

from matplotlib.backend_bases import MouseEvent
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PySide6.QtCore import QEventLoop, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPainter, QPalette
from PySide6.QtWidgets import QWidget

from ui.charts import DRAWING
from ui.worker import run_in_background

RESIZE_MS = 60  # a window being resized is drawn for once it stops


class ChartCanvas(QWidget):
    """``chart`` (a ``ui.charts.Chart``) drawn; ``opened(link)`` is called with what a click on a bar
    or line (or Enter on the focused chart: the chart's own list) opens.  Screen readers read its
    title and text alternative.  ``image`` is the last drawing (None until the first is done);
    ``drawn`` is emitted when a drawing has been shown and none is due."""

    drawn = Signal()

    def __init__(self, chart, opened):
        super().__init__()
        self.opened = opened
        self.image = None
        self.job = None
        self.again = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._render)
        self.setMinimumSize(360, 230)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.set_chart(chart)

    def set_chart(self, chart):
        """Show ``chart`` (new figures after a change): drawn on a worker, the last drawing shown meanwhile."""
        if self.job is not None and not self.job.done:
            self.pending = chart  # the figure being drawn is not touched: taken when that drawing ends
            self.again = True
            return
        self.pending = None
        self.chart = chart
        self.figure = chart.figure
        self.agg = FigureCanvasAgg(self.figure)  # the figure's canvas: drawn off-screen
        self.base_dpi = self.figure.dpi
        self.setAccessibleName(chart.title)
        self.setAccessibleDescription(chart.text)
        self.setToolTip(f"{chart.title}: click a bar or line to open its list (Enter: the whole chart's)")
        if self.isVisible():
            self.timer.start(0)

    # ---- drawing ------------------------------------------------------------------------------
    def _fit_to_widget(self):
        """The figure sized to the widget, in device pixels."""
        ratio = self.devicePixelRatioF()
        self.figure.set_dpi(self.base_dpi * ratio)
        self.figure.set_size_inches(max(self.width(), 1) / self.base_dpi, max(self.height(), 1) / self.base_dpi,
                                    forward=False)
        self.chart.fit()
        return ratio

    def _draw_image(self, ratio, agg=None):
        """The figure drawn into a QImage (on any thread: it touches no widget)."""
        agg = agg or self.agg
        with DRAWING:
            agg.draw()
            width, height = agg.get_width_height(physical=True)
            pixels = bytes(agg.buffer_rgba())  # kept alive until copied: QImage does not own this buffer
            image = QImage(pixels, width, height, width * 4, QImage.Format.Format_RGBA8888).copy()
            del pixels
        image.setDevicePixelRatio(ratio)
        return image

    def draw(self):
        """Draw now, on this thread (tests, screenshots and benchmarks; the window draws on a worker),
        after a drawing under way."""
        if self.job is not None and not self.job.done:
            loop = QEventLoop()
            self.job.finished.connect(loop.quit)
            if not self.job.done:  # (finished is delivered on this thread, so not missed in between)
                loop.exec()
        self.timer.stop()
        self.again = False
        self.image = self._draw_image(self._fit_to_widget())
        self.update()
        self.drawn.emit()

    def rendering(self):
        """True while a drawing is under way or due."""
        return self.timer.isActive() or (self.job is not None and not self.job.done)

    def _render(self):
        if self.job is not None and not self.job.done:
            self.again = True  # drawn once more when this one ends, at the size then
            return
        ratio = self._fit_to_widget()

        def done(image):
            self.image = image
            self.update()
            if self.pending is not None:
                self.set_chart(self.pending)
            if self.again:
                self.again = False
                self._render()
            if not self.rendering():
                self.drawn.emit()

        agg = self.agg
        self.job = run_in_background(self, lambda progress: self._draw_image(ratio, agg), on_success=done,
                                     on_failure=lambda exc: None if self.rendering() else self.drawn.emit(),
                                     progress_dialog=False, cancellable=False,
                                     uses_database=False)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.timer.start(0 if self.image is None else RESIZE_MS)

    def showEvent(self, event):
        super().showEvent(event)
        if self.image is None and not self.rendering():
            self.timer.start(0)

    def paintEvent(self, event):
        painter = QPainter(self)
        if self.image is None:
            painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Window))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, f"{self.chart.title}…")
        else:  # the last drawing, at its size until the new one comes (a resize)
            size = self.image.deviceIndependentSize()
            painter.drawImage(QRectF(0, 0, size.width(), size.height()), self.image)
        if self.hasFocus():
            painter.setPen(self.palette().color(QPalette.ColorRole.Highlight))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()

    # ---- opening ------------------------------------------------------------------------------
    def mousePressEvent(self, event):
        drawing = self.job is not None and not self.job.done  # the figure is being laid out on the worker
        if event.button() != Qt.MouseButton.LeftButton or self.image is None or drawing:
            return super().mousePressEvent(event)
        ratio = self.image.devicePixelRatio()
        pos = event.position()
        x, y = pos.x() * ratio, self.image.height() - pos.y() * ratio  # matplotlib counts from the bottom
        link = self.chart.link_at(MouseEvent("button_press_event", self.agg, x, y, button=1))
        if link is not None:
            self.opened(link)

    def keyPressEvent(self, event):
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.opened(self.chart.link)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event):
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event):
        super().focusOutEvent(event)
        self.update()
