"""What the dashboard's charts (``ui.charts``) are drawn with: a QPainter on any paint device (the window's
widget, an image, the board pack's PDF), sizes in points converted with the device's resolution, so a
chart reads the same in a 96 dpi window and a 1200 dpi PDF, and its text stays text in the PDF.

Colour is never the only cue: the palette is Okabe–Ito (safe for the common colour-blindnesses), bar
segments carry their numbers, statuses a hatch as well as a colour.  Hatches are lines and dots clipped
to the bar (vectors in a PDF: Qt's pattern brushes would be written as bitmaps).
"""

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPen

# Okabe & Ito (2008), "Color Universal Design": orange, sky blue, bluish green, yellow, blue, vermillion,
# reddish purple, and black (grey here, which reads on either background).
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999")
RAG_COLOURS = {"R": "#D55E00", "A": "#E69F00", "G": "#009E73", None: "#999999"}
STATUS_HATCHES = ("", "/", ".", "x", "\\", "-", "+", "|")
HATCH_INK = QColor(0, 0, 0, 90)  # hatching that reads on every palette colour
LIGHT = {"text": "#1a1a1a", "background": "#ffffff", "grid": "#d0d0d0"}
DARK = {"text": "#eeeeee", "background": "#2b2b2b", "grid": "#555555"}
TITLE_PT, SUBTITLE_PT, LABEL_PT, NUMBER_PT = 10, 9, 8, 7


@dataclass
class Target:
    """Something a click opens: a bar segment (``rect``), a line (``points``, within a few points of
    it) or a point of a line (``rect`` around it); ``tip`` is what hovering shows."""

    link: object  # tracker.services.dashboard.Link
    tip: str
    rect: QRectF = None
    points: list = field(default_factory=list)
    value: int = None  # the number the bar segment or point shows

    def hit(self, pos, reach):
        if self.rect is not None:
            return 0.0 if self.rect.contains(pos) else None
        distance = min((_to_segment(pos, a, b) for a, b in zip(self.points, self.points[1:])), default=math.inf)
        return distance if distance <= reach else None


def _to_segment(p, a, b):
    dx, dy = b.x() - a.x(), b.y() - a.y()
    t = max(0.0, min(1.0, ((p.x() - a.x()) * dx + (p.y() - a.y()) * dy) / ((dx * dx + dy * dy) or 1)))
    return math.hypot(p.x() - a.x() - t * dx, p.y() - a.y() - t * dy)


class Ink:
    """A painter and what a chart draws with: ``pt`` device units per point, fonts by point size, the
    style's colours ({"text", "background", "grid"})."""

    def __init__(self, painter, style, family=None):
        self.painter = painter
        self.style = {key: QColor(value) for key, value in style.items()}
        self.pt = painter.device().logicalDpiY() / 72.0
        self.family = family or painter.font().family()
        self._fonts = {}
        self.cut = []  # (whole, shown): the texts cut with an ellipsis to fit
        self.numbers = []  # (text, QRectF): the numbers written on or beside bars

    def font(self, points, bold=False):
        key = (points, bold)
        if key not in self._fonts:
            font = QFont(self.family)
            font.setPointSizeF(points)
            font.setBold(bold)
            self._fonts[key] = (font, QFontMetricsF(font, self.painter.device()))
        return self._fonts[key]

    def width(self, text, points, bold=False):
        return self.font(points, bold)[1].horizontalAdvance(text)

    def line(self, points, bold=False):
        return self.font(points, bold)[1].height()

    def text(self, rect, text, points, colour=None, align=Qt.AlignmentFlag.AlignLeft, bold=False):
        """``text`` in ``rect``, vertically centred, cut with an ellipsis to the rectangle's width."""
        font, metrics = self.font(points, bold)
        self.painter.setFont(font)
        self.painter.setPen(QColor(colour) if colour is not None else self.style["text"])
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(rect.width(), 0.0))
        if shown != text:
            self.cut.append((text, shown))
        self.painter.drawText(rect, int(align | Qt.AlignmentFlag.AlignVCenter), shown)
        return shown

    def heading(self, rect, title):
        """The chart's title along the top of ``rect``; returns the rectangle left under it."""
        height = self.line(TITLE_PT, bold=True) + 4 * self.pt
        self.text(QRectF(rect.x() + 2 * self.pt, rect.y(), rect.width() - 4 * self.pt, height), title, TITLE_PT,
                  bold=True)
        return rect.adjusted(0, height, 0, 0)

    def bar(self, rect, colour, hatch=""):
        """A bar segment: ``colour``, hatched, a hair of background at its end between segments."""
        shown = rect.adjusted(0, 0, -min(0.6 * self.pt, rect.width() / 4), 0)
        self.painter.fillRect(shown, QColor(colour))
        if hatch:
            self.hatch(shown, hatch)

    def hatch(self, rect, kind):
        """Lines ("/", "\\", "x", "-", "|", "+") or dots (".") across ``rect``, clipped to it."""
        painter, step = self.painter, 4 * self.pt
        painter.save()
        painter.setClipRect(rect, Qt.ClipOperation.IntersectClip)
        pen = QPen(HATCH_INK, 0.7 * self.pt)
        x0, y0, x1, y1, h = rect.left(), rect.top(), rect.right(), rect.bottom(), rect.height()
        lines = []
        if kind in "/x":
            lines += [QLineF(x, y1, x + h, y0) for x in _steps(x0 - h, x1, step)]
        if kind in "\\x":
            lines += [QLineF(x, y0, x + h, y1) for x in _steps(x0 - h, x1, step)]
        if kind in "-+":
            lines += [QLineF(x0, y, x1, y) for y in _steps(y0 + step / 2, y1, step)]
        if kind in "|+":
            lines += [QLineF(x, y0, x, y1) for x in _steps(x0 + step / 2, x1, step)]
        if lines:
            painter.setPen(pen)
            painter.drawLines(lines)
        if kind == ".":
            pen.setWidthF(1.3 * self.pt)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawPoints([QPointF(x + (step / 2 if n % 2 else 0), y)
                                for n, y in enumerate(_steps(y0 + step / 2, y1, step))
                                for x in _steps(x0 + step / 2, x1, step)])
        painter.restore()

    def number(self, segment, text, colour, after=None):
        """``text`` in the middle of a bar segment, on a patch of the segment's colour (over the hatch).
        When it does not fit: beside the bar at x ``after`` if given (the row's last segment), else left
        out (the tooltip and the text alternative still say it).  Returns whether it was written."""
        width, height = self.width(text, NUMBER_PT) + 3 * self.pt, self.line(NUMBER_PT)
        if width <= segment.width() - self.pt and height <= segment.height() + self.pt:
            patch = QRectF(segment.center().x() - width / 2, segment.center().y() - height / 2, width, height)
            self.painter.setPen(Qt.PenStyle.NoPen)
            self.painter.setBrush(QColor(colour))
            self.painter.drawRoundedRect(patch, 2 * self.pt, 2 * self.pt)
            self.painter.setBrush(Qt.BrushStyle.NoBrush)
            self.text(patch, text, NUMBER_PT, ink_on(colour), Qt.AlignmentFlag.AlignHCenter)
            self.numbers.append((text, patch))
            return True
        if after is not None:
            beside = QRectF(after + 2 * self.pt, segment.center().y() - height / 2, width, height)
            self.text(beside, text, NUMBER_PT)
            self.numbers.append((text, beside))
            return True
        return False

    def legend_rows(self, width, items):
        """``items`` flowed into rows ``width`` wide: [([(item, its width)], the row's width)]."""
        pt, swatch, gap = self.pt, 14 * self.pt, 9 * self.pt
        rows, row, used = [], [], 0.0
        for item in items:
            item_width = swatch + 3 * pt + self.width(item[0], NUMBER_PT)
            if row and used + gap + item_width > width:
                rows.append((row, used))
                row, used = [], 0.0
            row.append((item, item_width))
            used += (gap if len(row) > 1 else 0) + item_width
        return rows + [(row, used)] if row else rows

    def legend(self, rect, items, centred=False):
        """Swatches and their words flowing in rows across ``rect``'s width from its top; ``items`` are
        (words, colour, hatch) or (words, colour, (dash, marker)) for a line.  Returns the height used."""
        pt, line = self.pt, self.line(NUMBER_PT)
        swatch, gap = 14 * pt, 9 * pt
        rows = self.legend_rows(rect.width(), items)
        for n, (row, used) in enumerate(rows):
            x = rect.x() + ((rect.width() - used) / 2 if centred else 0)
            y = rect.y() + n * line
            for (words, colour, look), width in row:
                box = QRectF(x, y + line * 0.2, swatch, line * 0.6)
                if isinstance(look, tuple):
                    self.series_sample(box, colour, *look)
                else:
                    self.bar(box, colour, look)
                self.text(QRectF(x + swatch + 3 * pt, y, width - swatch - 3 * pt + pt, line), words, NUMBER_PT)
                x += width + gap
        return len(rows) * line

    def series_sample(self, box, colour, dash, marker):
        y = box.center().y()
        self.painter.setPen(self.line_pen(colour, dash))
        self.painter.drawLine(QLineF(box.left(), y, box.right(), y))
        self.marker(QPointF(box.center().x(), y), colour, marker)

    def line_pen(self, colour, dash):
        pen = QPen(QColor(colour), 1.4 * self.pt)
        pen.setStyle(dash)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        return pen

    def marker(self, at, colour, shape):
        """A point's marker: "o" circle, "s" square, "^" triangle, about 5 points across."""
        r = 2.6 * self.pt
        painter = self.painter
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        if shape == "o":
            painter.drawEllipse(at, r, r)
        elif shape == "s":
            painter.drawRect(QRectF(at.x() - r * 0.85, at.y() - r * 0.85, r * 1.7, r * 1.7))
        else:
            painter.drawPolygon([QPointF(at.x(), at.y() - r * 1.1), QPointF(at.x() + r, at.y() + r * 0.75),
                                 QPointF(at.x() - r, at.y() + r * 0.75)])
        painter.setBrush(Qt.BrushStyle.NoBrush)


def _steps(low, high, step):
    count = max(int((high - low) / step) + 1, 0)
    return [low + k * step for k in range(count)]


def ink_on(colour):
    """Black or white text, whichever reads on ``colour`` (a #rrggbb)."""
    c = QColor(colour)
    return "#000000" if 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue() > 140 else "#ffffff"


def nice_ticks(top, most=5):
    """Round steps from 0 covering ``top`` (1, 2 or 5 times a power of ten), at most ``most`` + 1 ticks."""
    top = max(top, 1)
    for power in range(12):
        for unit in (1, 2, 5):
            step = unit * 10 ** power
            if math.ceil(top / step) <= most:
                return [step * k for k in range(math.ceil(top / step) + 1)]
    return [0, top]
