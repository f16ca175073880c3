"""The map on screen: a QGraphicsView over ``ui.powermap.MapScene`` that takes the mouse and the keyboard.

A click on a point opens it; a drag moves it to another cell; a stakeholder from the "Not scored"
list dropped on a cell scores it.  With the keyboard (the view takes focus with Tab): Page Up and
Page Down, Home and End, or typing a name, choose a point; the arrow keys move it one step on the
scale; Enter opens it.  The view only says what was asked (``opened``, ``moved``); the page stores it
through the services.
"""

import time

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QFontInfo, QPen
from PySide6.QtWidgets import QFrame, QGraphicsView

from ui.powermap import MapScene

MIME = "application/x-stakeholder-tracker-stakeholder-id"
TYPE_AHEAD_SECONDS = 1.0
STEPS = {Qt.Key.Key_Up: (1, 0), Qt.Key.Key_Down: (-1, 0), Qt.Key.Key_Right: (0, 1), Qt.Key.Key_Left: (0, -1)}


class MapView(QGraphicsView):
    opened = Signal(int)  # a stakeholder's id
    moved = Signal(int, int, int)  # id, influence, interest: a drag or a drop
    nudged = Signal(int, int, int)  # id, steps up in influence, steps up in interest: an arrow key

    def __init__(self, parent=None):
        super().__init__(parent)
        self.map = MapScene(parent=self)
        self.setScene(self.map)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Power/interest map")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setRenderHint(self.renderHints().Antialiasing)
        self.setAcceptDrops(True)
        self.setMinimumSize(360, 300)
        self._typed, self._typed_at = "", 0.0
        self.map.point_clicked.connect(self.opened)
        self.map.point_moved.connect(self.moved)

    def show_map(self, snap, later=None, editable=False):
        self.map.show_map(snap, later, editable)
        self.relayout()

    def relayout(self):
        rect = QRectF(self.viewport().rect())
        self.map.layout(rect, font_px=QFontInfo(self.font()).pixelSize())
        self.setSceneRect(rect)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self.map.snap is not None:
            self.relayout()

    # ---- the keyboard ------------------------------------------------------------------
    def points(self):
        """The points one can choose with the keyboard, in the map's order (by name)."""
        return [p for p in (self.map.snap.points if self.map.snap else []) if p.id in self.map.items_by_id]

    def focusInEvent(self, event):
        super().focusInEvent(event)
        if self.map.selected_point() is None and self.points():
            self.map.select(self.points()[0].id)
        self.viewport().update()

    def focusOutEvent(self, event):
        super().focusOutEvent(event)
        self.viewport().update()

    def keyPressEvent(self, event):
        key, point = event.key(), self.map.selected_point()
        if key in STEPS and point is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            if self.map.editable:  # a step from where it is stored, which the map may not show yet
                self.nudged.emit(point.id, *STEPS[key])
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and point is not None:
            self.opened.emit(point.id)
            return
        points = self.points()
        if points and key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp, Qt.Key.Key_Home, Qt.Key.Key_End):
            at = next((i for i, p in enumerate(points) if point is not None and p.id == point.id), -1)
            at = {Qt.Key.Key_PageDown: at + 1, Qt.Key.Key_PageUp: at - 1, Qt.Key.Key_Home: 0,
                  Qt.Key.Key_End: len(points) - 1}[key]
            self.map.select(points[min(max(at, 0), len(points) - 1)].id)
            return
        text = event.text()
        if points and text and text.isprintable() and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if time.monotonic() - self._typed_at > TYPE_AHEAD_SECONDS:  # a pause starts a new name
                self._typed = ""
            self._typed_at = time.monotonic()
            self._typed = (self._typed + text).lower()
            found = next((p for p in points if p.name.lower().startswith(self._typed)), None)
            if found is None:
                self._typed = text.lower()
                found = next((p for p in points if p.name.lower().startswith(self._typed)), None)
            if found is not None:
                self.map.select(found.id)
            return
        super().keyPressEvent(event)

    def drawForeground(self, painter, rect):
        if self.hasFocus():  # where the keyboard is: a frame round the whole map
            painter.setPen(QPen(self.map.colours.focus, 2))
            painter.drawRect(self.sceneRect().adjusted(1, 1, -1, -1))

    # ---- a stakeholder dropped from the "Not scored" list ---------------------------------
    def _drop_cell(self, event):
        if not (self.map.editable and event.mimeData().hasFormat(MIME)) or self.map.geometry is None:
            return None
        return self.map.geometry.cell_at(self.mapToScene(event.position().toPoint()))

    def dragEnterEvent(self, event):
        if self.map.editable and event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event):
        cell = self._drop_cell(event)
        self.map.show_target(cell)
        if cell is None:
            event.ignore()
        else:
            event.acceptProposedAction()

    def dragLeaveEvent(self, event):
        self.map.show_target(None)

    def dropEvent(self, event):
        cell = self._drop_cell(event)
        self.map.show_target(None)
        if cell is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.moved.emit(int(bytes(event.mimeData().data(MIME)).decode()), *cell)
