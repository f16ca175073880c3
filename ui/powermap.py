"""The power/interest map drawn: a QGraphicsScene of stakeholders by influence (up) and interest (right).

:class:`MapScene` is laid out for a given size (``layout(rect)``), in that size's own units, so labels
stay at their font size however large the map is drawn; the page's view (``ui.powermap_page``) lays
it out again when resized, and :func:`render_map` draws one into any QPainter (a vector PDF) with no
view at all.  Text uses pixel-sized fonts: a scene rendered scaled into a 1200 dpi PDF keeps its
proportions.

Each cell of the 5 x 5 scale lists its stakeholders by name, one, two or three columns of labelled
points, then unlabelled dots (names on hover), then only a count when even those would not fit; a map
of more than :data:`LABEL_LIMIT` stakeholders shows counts per cell throughout.  The layout depends
only on the points and the size, so the same data always draws the same map.  Kinds differ by shape
as well as colour; the colours are Okabe and Ito's, safe for the common colour-blindnesses, and read
on light and dark palettes.  What the map does with a click, a drag or a key is the view's.
"""

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QGuiApplication, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsScene

from tracker import services, vocab
from tracker.services.powermap import SCORES

LABEL_LIMIT = 300  # more stakeholders than this on the map: counts per cell, never a wall of labels
DOT = 9.0
HIGH = 3  # a score of 3 or more is high (services.stakeholders.quadrant)
# Okabe-Ito: kinds by colour and shape; quadrants by a faint tint and their written name.
KIND_COLOURS = {"organisation": "#0072B2", "person": "#E69F00"}
QUADRANT_TINTS = {"manage_closely": "#D55E00", "keep_satisfied": "#F0E442", "keep_informed": "#56B4E9",
                  "monitor": "#009E73"}
ARROW_COLOUR = {False: "#CC79A7", True: "#E8A6CB"}  # reddish purple; lighter on a dark background
QUADRANT_CELLS = {"keep_satisfied": (True, False), "manage_closely": (True, True), "monitor": (False, False),
                  "keep_informed": (False, True)}  # (high influence, high interest)


class Colours:
    """What the map is drawn with, on a light or a dark background."""

    def __init__(self, dark):
        self.dark = dark
        self.background = QColor("#1e1e1e" if dark else "#ffffff")
        self.text = QColor("#f0f0f0" if dark else "#1a1a1a")
        self.muted = QColor("#b0b0b0" if dark else "#555555")
        self.line = QColor("#5a5a5a" if dark else "#c8c8c8")
        self.border = QColor("#9a9a9a" if dark else "#606060")
        self.arrow = QColor(ARROW_COLOUR[dark])
        self.focus = QColor("#56B4E9" if dark else "#0072B2")

    def tint(self, key):
        colour = QColor(QUADRANT_TINTS[key])
        colour.setAlpha(52 if self.dark else 34)
        return colour


def app_is_dark():
    app = QGuiApplication.instance()
    return app is not None and app.palette().window().color().lightness() < 128


class Geometry:
    """Where things go in a map laid out in ``rect``: the plot's cells, the margins' titles."""

    def __init__(self, rect, font_px):
        self.rect = QRectF(rect)
        self.font_px = font_px
        line = font_px * 1.5
        left, top, bottom = line * 2.4, line * 1.3, line * 3.2
        self.plot = QRectF(rect.left() + left, rect.top() + top, max(rect.width() - left - 6, 50),
                           max(rect.height() - top - bottom, 50))
        self.cw, self.ch = self.plot.width() / 5, self.plot.height() / 5
        self.line = line

    def cell_rect(self, influence, interest):
        return QRectF(self.plot.left() + (interest - 1) * self.cw, self.plot.top() + (5 - influence) * self.ch,
                      self.cw, self.ch)

    def cell_at(self, pos, clamp=True):
        """The (influence, interest) under ``pos`` snapped to the 1-5 scale; None well off the map."""
        if not self.plot.adjusted(-self.cw / 2, -self.ch / 2, self.cw / 2, self.ch / 2).contains(pos):
            return None
        interest = int((pos.x() - self.plot.left()) // self.cw) + 1
        influence = 5 - int((pos.y() - self.plot.top()) // self.ch)
        return min(max(influence, 1), 5), min(max(interest, 1), 5)

    def quadrant_rect(self, key):
        high_p, high_i = QUADRANT_CELLS[key]
        rows = (5, HIGH) if high_p else (HIGH - 1, 1)
        cols = (HIGH, 5) if high_i else (1, HIGH - 1)
        return self.cell_rect(rows[0], cols[0]).united(self.cell_rect(rows[1], cols[1]))


def map_font(px, bold=False):
    font = QFont(QApplication.font() if QGuiApplication.instance() else QFont())
    font.setPixelSize(max(int(px), 6))
    font.setBold(bold)
    return font


class PointItem(QGraphicsItem):
    """A stakeholder: its marker (circle: organisation; diamond: person) and, room allowing, its name.
    ``ghost``: where it sits at the later date of a comparison (an outline, no name)."""

    def __init__(self, point, label, width, colours, font, ghost=False):
        super().__init__()
        self.point, self.colours, self.font, self.ghost = point, colours, font, ghost
        self.label = label
        self.selected = False
        self.backed = False
        self._dragging = False
        lines = label.count("\n") + 1
        height = max(QFontMetricsF(font).height() * lines, DOT + 2) if label else DOT + 2
        self._rect = QRectF(0, -height / 2, width - 2 if label else DOT + 2, height)
        org = f" — {point.organisation}" if point.organisation else ""
        when = "now" if ghost else "here"
        self.setToolTip(f"{point.name}{org}\nInfluence {point.influence}, interest {point.interest} ({when})")
        self.setAcceptHoverEvents(True)
        if not ghost:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setZValue(2)

    def boundingRect(self):
        return self._rect.adjusted(-3, -3, 3, 3)

    def dot_centre(self):
        return self.mapToScene(QPointF(1 + DOT / 2, 0))

    def paint(self, painter, option, widget=None):
        colour = QColor(KIND_COLOURS.get(self.point.kind, KIND_COLOURS["organisation"]))
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.colours.arrow, 2) if self.ghost else QPen(self.colours.text, 1.2))
        painter.setBrush(Qt.BrushStyle.NoBrush if self.ghost else QBrush(colour))
        centre, r = QPointF(1 + DOT / 2, 0), DOT / 2
        if self.point.kind == "person":
            painter.drawPolygon(QPolygonF([centre + QPointF(0, -r - 1), centre + QPointF(r + 1, 0),
                                           centre + QPointF(0, r + 1), centre + QPointF(-r - 1, 0)]))
        else:
            painter.drawEllipse(centre, r, r)
        if self.label:
            text_rect = QRectF(DOT + 5, self._rect.top(), self._rect.width() - DOT - 5, self._rect.height())
            align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
            painter.setFont(self.font)
            if self.backed:  # arrows pass under the names: keep the names readable
                back = QColor(self.colours.background)
                back.setAlpha(200)
                painter.fillRect(painter.boundingRect(text_rect, align, self.label).adjusted(-1, 0, 1, 0), back)
            painter.setPen(self.colours.text)
            painter.drawText(text_rect, align, self.label)
        if self.selected:
            painter.setPen(QPen(self.colours.focus, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self._rect.adjusted(-2, -1, 2, 1), 3, 3)

    # Dragging: the item follows the mouse; the scene decides what a release means.
    def mousePressEvent(self, event):
        if self.ghost or event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        self._press = event.scenePos()
        self._home = self.pos()
        self._dragging = False
        self.scene().select(self.point.id)
        event.accept()

    def mouseMoveEvent(self, event):
        if not self.scene().editable:
            return
        if not self._dragging and (event.scenePos() - self._press).manhattanLength() >= \
                QApplication.startDragDistance():
            self._dragging = True
            self.setZValue(5)
        if self._dragging:
            self.setPos(self._home + event.scenePos() - self._press)
            self.scene().show_target(self.scene().geometry.cell_at(event.scenePos()))

    def mouseReleaseEvent(self, event):
        scene = self.scene()
        scene.show_target(None)
        if self._dragging:
            self._dragging = False
            cell = scene.geometry.cell_at(event.scenePos())
            self.setPos(self._home)  # until the stored change redraws the map
            if cell is not None and cell != self.point.cell:
                scene.point_moved.emit(self.point.id, *cell)
        elif event.button() == Qt.MouseButton.LeftButton:
            scene.point_clicked.emit(self.point.id)


def _two_lines(metrics, text, width):
    """``text`` in ``width``: as it is, or broken after the words that fit, the rest elided."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    first = ""
    for word in text.split(" "):
        if metrics.horizontalAdvance(f"{first} {word}".strip()) > width:
            break
        first = f"{first} {word}".strip()
    if not first:
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
    return f"{first}\n{metrics.elidedText(text[len(first):].strip(), Qt.TextElideMode.ElideRight, width)}"


def arrow_path(start, end, head=8.0):
    path = QPainterPath(start)
    path.lineTo(end)
    line = QLineF(end, start)
    if line.length() > 0:
        for turn in (25, -25):
            wing = QLineF(line)
            wing.setLength(head)
            wing.setAngle(line.angle() + turn)
            path.moveTo(end)
            path.lineTo(wing.p2())
    return path


class MapScene(QGraphicsScene):
    """The map of one snapshot (``services.powermap.snapshot``), optionally with arrows to where each
    point sits in a later one (``later``).  ``editable``: points may be dragged (today's map only)."""

    point_clicked = Signal(int)
    point_moved = Signal(int, int, int)  # id, influence, interest
    selection_changed = Signal()  # the chosen point (``selected_point``) is another, or none

    def __init__(self, dark=None, parent=None):
        super().__init__(parent)
        self.colours = Colours(app_is_dark() if dark is None else dark)
        self.snap, self.later, self.editable = None, None, False
        self.font_px = 12
        self.geometry = None
        self.items_by_id, self.counts_mode, self.selected_id = {}, False, None
        self._target = None

    def show_map(self, snap, later=None, editable=False):
        self.snap, self.later, self.editable = snap, later, editable and later is None

    def layout(self, rect, font_px=None):
        """Build every item for a map filling ``rect`` (scene units; text ``font_px`` pixels high)."""
        self.clear()
        self.items_by_id, self._target = {}, None
        self.font_px = font_px or self.font_px
        self.geometry = g = Geometry(rect, self.font_px)
        self.setSceneRect(QRectF(rect))
        self.setBackgroundBrush(self.colours.background)
        self._draw_frame(g)
        if self.snap is None:
            return
        self.counts_mode = len(self.snap.points) > LABEL_LIMIT
        if self.counts_mode:
            self._draw_counts(g)
        else:
            self._draw_points(g)
        if self.selected_id not in self.items_by_id:
            self.selected_id = None
        self._mark_selected()

    # ---- the frame: quadrants, grid, scale and titles -------------------------------------
    def _draw_frame(self, g):
        c = self.colours
        counts = self.snap.quadrant_counts() if self.snap else dict.fromkeys(vocab.GRID_QUADRANTS, 0)
        for key in vocab.GRID_QUADRANTS:
            self.addRect(g.quadrant_rect(key), QPen(Qt.PenStyle.NoPen), QBrush(c.tint(key)))
        pen = QPen(c.line, 1)
        for n in range(6):
            x, y = g.plot.left() + n * g.cw, g.plot.top() + n * g.ch
            self.addLine(QLineF(x, g.plot.top(), x, g.plot.bottom()), pen)
            self.addLine(QLineF(g.plot.left(), y, g.plot.right(), y), pen)
        split = QPen(c.border, 2)
        x, y = g.plot.left() + (HIGH - 1) * g.cw, g.plot.top() + (5 - HIGH + 1) * g.ch
        self.addLine(QLineF(x, g.plot.top(), x, g.plot.bottom()), split)
        self.addLine(QLineF(g.plot.left(), y, g.plot.right(), y), split)
        self.addRect(g.plot, QPen(c.border, 1))
        small, bold = map_font(self.font_px), map_font(self.font_px, bold=True)
        for score in SCORES:
            cell = g.cell_rect(1, score)
            self._text(str(score), small, c.muted, QRectF(cell.left(), g.plot.bottom() + 2, cell.width(), g.line))
            cell = g.cell_rect(score, 1)
            self._text(str(score), small, c.muted, QRectF(g.plot.left() - g.line, cell.top(), g.line - 4,
                                                          cell.height()), Qt.AlignmentFlag.AlignRight)
        for key, (high_p, _) in QUADRANT_CELLS.items():
            span = g.quadrant_rect(key)
            top = g.rect.top() if high_p else g.plot.bottom() + g.line
            self._text(f"{vocab.GRID_QUADRANTS[key]} ({counts[key]:,})", bold, c.text,
                       QRectF(span.left(), top, span.width(), g.line))
        self._text("Interest →", small, c.muted, QRectF(g.plot.left(), g.plot.bottom() + 2 * g.line, g.plot.width(),
                                                        g.line))
        label = self._text("Influence →", small, c.muted, QRectF(0, 0, g.plot.height(), g.line))
        label.setRotation(-90)
        label.setPos(g.rect.left(), g.plot.bottom())

    def _text(self, text, font, colour, rect, align=Qt.AlignmentFlag.AlignHCenter):
        item = self.addSimpleText(QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width()),
                                  font)
        item.setBrush(colour)
        size = item.boundingRect().size()
        x = {Qt.AlignmentFlag.AlignRight: rect.right() - size.width(),
             Qt.AlignmentFlag.AlignHCenter: rect.left() + (rect.width() - size.width()) / 2}.get(align, rect.left())
        item.setPos(x, rect.top() + (rect.height() - size.height()) / 2)
        return item

    # ---- the points -------------------------------------------------------------------
    def _cells(self):
        """{cell: [(point, ghost)]}: the map's points, and in a comparison where the movers went."""
        cells = {}
        for p in self.snap.points:
            cells.setdefault(p.cell, []).append((p, False))
        if self.later is not None:
            then = self.snap.by_id()
            for p in self.later.points:
                if p.id in then and then[p.id].cell != p.cell:
                    cells.setdefault(p.cell, []).append((p, True))
        return cells

    def _draw_points(self, g):
        font = map_font(self.font_px)
        metrics = QFontMetricsF(font)
        row = max(metrics.height() + 2, DOT + 4)
        ghosts = {}
        cells = self._cells()
        arrived_anywhere = any(ghost for entries in cells.values() for _, ghost in entries)
        for cell, entries in sorted(cells.items()):
            rect = g.cell_rect(*cell).adjusted(3, 3, -3, -3)
            arrived = [p for p, ghost in entries if ghost]
            if arrived:  # where movers went: a strip of outlines down the cell's right side
                step = DOT + 4
                per_column = max(int(rect.height() // step), 1)
                strip = math.ceil(len(arrived) / per_column) * step
                for k, point in enumerate(arrived):
                    item = PointItem(point, "", DOT + 2, self.colours, font, ghost=True)
                    item.setPos(rect.right() - strip + (k // per_column) * step,
                                rect.top() + (k % per_column) * step + step / 2)
                    self.addItem(item)
                    ghosts[point.id] = item
                rect = rect.adjusted(0, 0, -strip, 0)
            points = [p for p, ghost in entries if not ghost]
            if not points:
                continue
            two_lines = len(points) * 2 <= int(rect.height() // row)  # room for names on two lines
            slots = self._slots(rect, len(points), row * 2 if two_lines else row, metrics)
            if slots is None:
                self._count_item(rect, len(points))
                continue
            positions, width = slots
            for point, pos in zip(points, positions):
                label = "" if not width else _two_lines(metrics, point.name, width - DOT - 8) if two_lines else \
                    metrics.elidedText(point.name, Qt.TextElideMode.ElideRight, width - DOT - 8)
                item = PointItem(point, label, width or DOT + 2, self.colours, font)
                item.backed = bool(arrived_anywhere)
                item.setPos(pos)
                self.addItem(item)
                self.items_by_id[point.id] = item
        for point_id, ghost in ghosts.items():
            start = self.items_by_id.get(point_id)
            if start is not None:
                self._arrow(start.dot_centre(), ghost.dot_centre(), ghost.point)

    @staticmethod
    def _slots(rect, n, row, metrics):
        """Where ``n`` points go in a cell: ([top-left positions], label width or 0), or None when
        not even unlabelled dots fit (then the cell shows its count)."""
        rows = max(int(rect.height() // row), 1)
        for cols in (1, 2, 3):
            width = rect.width() / cols
            if math.ceil(n / cols) <= rows and width - DOT - 6 >= metrics.horizontalAdvance("Abcdef"):
                return [QPointF(rect.left() + (i // rows) * width, rect.top() + (i % rows) * row + row / 2)
                        for i in range(n)], width
        step = DOT + 4
        per_row, dot_rows = max(int(rect.width() // step), 1), max(int(rect.height() // step), 1)
        if n > per_row * dot_rows:
            return None
        return [QPointF(rect.left() + (i % per_row) * step, rect.top() + (i // per_row) * step + step / 2)
                for i in range(n)], 0

    def _arrow(self, start, end, point):
        pen = QPen(self.colours.arrow, 1.8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        item = self.addPath(arrow_path(start, end), pen)
        item.setZValue(1)
        item.setToolTip(f"{point.name} moved to influence {point.influence}, interest {point.interest}")

    def _draw_counts(self, g):
        counts = self.snap.cell_counts()
        for cell in ((i, j) for i in SCORES for j in SCORES):
            self._count_item(g.cell_rect(*cell).adjusted(3, 3, -3, -3), counts.get(cell, 0), cell)

    def _count_item(self, rect, n, cell=None):
        if not n:
            return
        font = map_font(self.font_px * 1.4, bold=True)
        item = self._text(f"{n:,}", font, self.colours.text, rect)
        where = f" with influence {cell[0]} and interest {cell[1]}" if cell else " here"
        item.setToolTip(f"{n:,} stakeholders{where}; filter the map to see their names")

    # ---- selection and drop targets ------------------------------------------------------
    def select(self, point_id):
        self.selected_id = point_id
        self._mark_selected()

    def _mark_selected(self):
        for point_id, item in self.items_by_id.items():
            if item.selected != (point_id == self.selected_id):
                item.selected = point_id == self.selected_id
                item.update()
        self.selection_changed.emit()

    def selected_point(self):
        item = self.items_by_id.get(self.selected_id)
        return item.point if item is not None else None

    def show_target(self, cell):
        """Outline the cell a drag would drop into (None: none)."""
        if self._target is not None:
            self.removeItem(self._target)
            self._target = None
        if cell is not None and self.geometry is not None:
            self._target = self.addRect(self.geometry.cell_rect(*cell).adjusted(1, 1, -1, -1),
                                        QPen(self.colours.focus, 2, Qt.PenStyle.DashLine))
            self._target.setZValue(4)


def render_map(painter, rect, council=None, as_of=None, dark=False, filters=None):
    """Draw the map into ``rect`` (a QRectF or QRect in the painter's coordinates, filled keeping the
    map's proportions) on an active ``painter``: vector where its device is (a QPdfWriter), with no
    view or window; returns the map's text alternative (``services.powermap.summary_text``).

    ``council``: None for all, or a Council or its id; ``as_of``: None for today, or a date (the map
    at the end of that day, from the audit trail); ``dark``: the dark palette's colours; ``filters``:
    more of the stakeholders' services filters (kind, sector, tag).  Needs a QGuiApplication."""
    filters = dict(filters or {})
    if council is not None:
        filters["council"] = council
    snap = services.powermap.snapshot(filters, as_of)
    device = painter.device()
    scale = (device.logicalDpiX() / 96) if device is not None else 1
    target = QRectF(rect)
    logical = QRectF(QPointF(0, 0), QSizeF(target.width() / scale, target.height() / scale))
    scene = MapScene(dark=dark)
    scene.show_map(snap)
    scene.layout(logical, font_px=12)
    scene.render(painter, target, logical, Qt.AspectRatioMode.KeepAspectRatio)
    return services.powermap.summary_text(snap)
