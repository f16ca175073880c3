"""Paginated pages drawn with QPainter: the board pack's and the reports' PDF and paper.

A :class:`Pages` flows blocks (headings, paragraphs, tables, drawings) down A4 landscape pages in
two passes: laying out decides what goes on which page (so the number of pages is known), then
painting draws every page with "Page X of N" at its foot.  Tables repeat their header row on
every page and never split a row across pages; text wraps only between words.

A word wider than its column (a long URL, a reference with no spaces) is drawn smaller to fit, down
to :data:`MIN_WORD_SCALE` of the table's type size; one longer still is shortened in the middle
("http…/page") and its cell's text is given in full below the table, as is a cell too long for a
page.  Nothing is ever cut without being shown whole somewhere.

Works on any paged device (QPdfWriter for a PDF, the QPrinter of the print preview), on any thread
(a worker writes the board pack).  Sizes are in points, converted with the device's resolution.
No data here: ``ui.reports.add_report`` lays out a ``tracker.reports`` Report with it.
"""

import functools
from dataclasses import dataclass, field

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from tracker import APP_NAME
from tracker.errors import TrackerError
from tracker.reports.colours import HEADER_FILL

FONT_FAMILY = "Arial"  # Liberation Sans or DejaVu Sans where Arial is not installed
MIN_WORD_SCALE = 0.6  # a long word is drawn at no less than 60% of the type size, else shortened
ELLIPSIS = "\u2026"
MARGIN_MM = 12
TABLE_PT = 7.0
TEXT_PT = 8.5
GRID_COLOUR = "#A6A6A6"
STRIPE = "#F2F4F8"
MUTED = "#555555"


def a4_landscape(device):
    """Give ``device`` (QPdfWriter or QPrinter) an A4 landscape page with the pages' margins."""
    device.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                     QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                                     QPageLayout.Unit.Millimeter))
    return device


@functools.lru_cache(maxsize=64)
def colour(hex_text):
    return QColor(hex_text if hex_text.startswith("#") else f"#{hex_text}")


# ---- measuring and wrapping text ----------------------------------------------------------------------
class Type:
    """A font at a size on the device, with its measures (word widths cached: a table repeats its words)."""

    def __init__(self, device, points, bold=False, family=FONT_FAMILY):
        self.font = QFont(family)
        self.font.setPointSizeF(points)
        self.font.setBold(bold)
        self.device = device
        self.metrics = QFontMetricsF(self.font, device)
        self.line = self.metrics.lineSpacing()
        self.ascent = self.metrics.ascent()
        self.space = self.metrics.horizontalAdvance(" ")
        self._widths = {}

    def width(self, text):
        w = self._widths.get(text)
        if w is None:
            w = self._widths[text] = self.metrics.horizontalAdvance(text)
        return w

    def scaled(self, scale):
        font = QFont(self.font)
        font.setPointSizeF(self.font.pointSizeF() * scale)
        return font


@dataclass
class Line:
    text: str
    scale: float = 1.0  # < 1: a long word drawn smaller to fit


@dataclass
class Wrapped:
    lines: list
    shortened: bool = False  # something was elided: the full text must be given elsewhere


def wrap(text, type_, width, max_lines=None, min_scale=MIN_WORD_SCALE):
    """``text`` broken into lines no wider than ``width``, only between words (and at its own line
    breaks).  A word wider than the width has a line of its own, drawn smaller (to ``min_scale``)
    or shortened in the middle.  Past ``max_lines`` the last line kept ends with an ellipsis."""
    text = str(text)
    if "\n" not in text and len(text) < 80 and type_.width(text) <= width:  # most cells: one line as it is
        return Wrapped([Line(" ".join(text.split()))])
    lines, shortened = [], False
    for paragraph in text.splitlines() or [""]:
        current, used = [], 0.0
        for word in paragraph.split():
            w = type_.width(word)
            if w > width:  # on a line of its own, smaller
                if current:
                    lines.append(Line(" ".join(current)))
                    current, used = [], 0.0
                scale = width / w * 0.995
                if scale >= min_scale:
                    lines.append(Line(word, scale))
                else:
                    small = QFontMetricsF(type_.scaled(min_scale), type_.device)
                    lines.append(Line(small.elidedText(word, Qt.TextElideMode.ElideMiddle, width), min_scale))
                    shortened = True
                continue
            extra = w + (type_.space if current else 0.0)
            if current and used + extra > width:
                lines.append(Line(" ".join(current)))
                current, used, extra = [], 0.0, w
            current.append(word)
            used += extra
        if current or not paragraph.strip():
            lines.append(Line(" ".join(current)))
    while len(lines) > 1 and not lines[-1].text:  # trailing blank lines say nothing
        lines.pop()
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        room = width - type_.width(ELLIPSIS)
        kept = last.text
        while kept and type_.width(kept) * last.scale > room:
            kept = kept[:kept.rfind(" ")] if " " in kept else ""
        lines[-1] = Line(kept + ELLIPSIS, last.scale)
        shortened = True
    return Wrapped(lines, shortened)


def draw_lines(painter, type_, lines, x, y, width, align="left"):
    """Draw wrapped ``lines`` from the top-left ``(x, y)``; each line is one run of text (one PDF string)."""
    painter.setFont(type_.font)
    for n, line in enumerate(lines):
        if line.scale != 1.0:
            painter.setFont(type_.scaled(line.scale))
        w = type_.width(line.text) * line.scale
        dx = width - w if align == "right" else (width - w) / 2 if align == "center" else 0
        painter.drawText(QPointF(x + dx, y + n * type_.line + type_.ascent), line.text)
        if line.scale != 1.0:
            painter.setFont(type_.font)


# ---- tables ----------------------------------------------------------------------------------------------
@dataclass
class TableColumn:
    header: str
    weight: float  # share of the width left to wrapping columns (a spreadsheet's width in characters)
    wraps: bool = True  # False: as wide as its longest value (dates, references, numbers), up to a limit
    align: str = "left"


@dataclass
class Cell:
    text: str
    fill: str = ""  # hex colours, "" for none
    ink: str = ""
    bold: bool = False


@dataclass
class Table:
    columns: list
    rows: list  # lists of Cell (or text)
    key_column: int = 0  # names a row in the list of shortened cells
    title: str = ""  # above the table, and "(continued)" on each further page
    title_first: bool = True  # False: the first page's heading (a section's) says it already
    shortened_title: str = "Shortened in the table above; in full:"


# ---- the pages -----------------------------------------------------------------------------------------
@dataclass
class Page:
    items: list = field(default_factory=list)  # callables drawing on the painter (layout done)


class Pages:
    """Blocks flowed onto pages; :meth:`paint` draws them with a running head and "Page X of N"."""

    def __init__(self, device, head="", foot=""):
        self.device = device
        self.pt = device.resolution() / 72.0
        paint = device.pageLayout().paintRectPixels(device.resolution())
        self.width, self.height = float(paint.width()), float(paint.height())
        self.head, self.foot = head, foot
        self.small = Type(device, 7)
        self.text = Type(device, TEXT_PT)
        self.cell = Type(device, TABLE_PT)
        self.cell_bold = Type(device, TABLE_PT, bold=True)
        band = self.small.line + 4 * self.pt
        self.top, self.bottom = band, self.height - band  # the body between head and foot
        self.pages = [Page()]
        self.y = self.top

    # ---- placing ----
    @property
    def room(self):
        return self.bottom - self.y

    @property
    def at_top(self):
        return self.y <= self.top + 0.01

    def new_page(self):
        self.pages.append(Page())
        self.y = self.top

    def place(self, height, draw):
        """Put ``draw(painter, y)`` at the current place, on a new page if ``height`` does not fit here."""
        if height > self.room and not self.at_top:
            self.new_page()
        y = self.y
        self.pages[-1].items.append(lambda painter, y=y: draw(painter, y))
        self.y += height
        return y

    def space(self, points):
        self.y = min(self.y + points * self.pt, self.bottom)

    def pt_type(self, points, bold=False):
        return Type(self.device, points, bold)

    # ---- blocks ----
    def paragraph(self, text, type_=None, ink="", indent=0.0):
        """Wrapped text; a long paragraph continues on the next page between lines."""
        type_ = type_ or self.text
        width = self.width - indent
        for line in wrap(text, type_, width, min_scale=0.0).lines:
            self.place(type_.line, lambda p, y, line=line: self._ink(p, ink) or
                       draw_lines(p, type_, [line], indent, y, width))

    def heading(self, text, points=13, keep=0.0, ink=HEADER_FILL):
        """A bold heading, kept on a page with the next ``keep`` device units (its first rows)."""
        type_ = self.pt_type(points, bold=True)
        height = type_.line + 2 * self.pt
        if height + keep > self.room and not self.at_top:
            self.new_page()
        self.place(height, lambda p, y: self._ink(p, ink) or draw_lines(p, type_, [Line(text)], 0, y, self.width))

    def drawing(self, height, draw):
        """``draw(painter, QRectF)`` in a block ``height`` device units tall (None: the rest of a page)."""
        if height is None:
            if self.room < self.height / 3:
                self.new_page()
            height = self.room
        self.place(height, lambda p, y: draw(p, QRectF(0, y, self.width, height)))

    def table(self, table, on_row=None):
        """Lay out ``table``: header on every page, no row across two pages, cells cut short listed after."""
        widths = self._widths(table)
        aligns = [c.align for c in table.columns]
        head = self._layout([c.header for c in table.columns], widths, self.cell_bold)[0]
        head_height = self._height(head)
        title = self.pt_type(9.5, bold=True) if table.title else None
        title_height = title.line + 2 * self.pt if title else 0.0
        first_title = table.title_first
        row_room = self.bottom - self.top - head_height - title_height
        max_lines = max(1, int((row_room - 2 * self.pad) / self.cell.line))
        shortened = []
        first = True
        for n, row in enumerate(table.rows):
            cells = [c if isinstance(c, Cell) else Cell(str(c)) for c in row]
            lines, cut = self._layout(cells, widths, None, max_lines)
            height = self._height(lines)
            starts_here = not first or head_height + title_height + height > self.room
            if first or height > self.room:
                if starts_here and not self.at_top:  # a new page: header (and title) again
                    self.new_page()
                if title and (first_title or not first):
                    words = table.title if first else f"{table.title} (continued)"
                    self.place(title_height, lambda p, y, w=words: self._ink(p, HEADER_FILL) or
                               draw_lines(p, title, [Line(w)], 0, y, self.width))
                self.place(head_height, lambda p, y: self._draw_row(p, y, head, widths, aligns, head_height,
                                                                    header=True))
                first = False
            stripe = n % 2 == 1
            self.place(height, lambda p, y, c=cells, l=lines, h=height, s=stripe:
                       self._draw_row(p, y, l, widths, aligns, h, cells=c, stripe=s))
            shortened += [(cells[table.key_column].text, table.columns[i].header, cells[i].text) for i in cut]
            if on_row is not None:
                on_row(n)
        if shortened:
            self.space(4)
            self.paragraph(table.shortened_title, self.pt_type(TABLE_PT + 0.5, bold=True))
            for key, header, text in shortened:
                self.paragraph(f"{key}, {header}: {text}", self.cell)
        return shortened

    # ---- painting ----
    def paint(self, painter, progress=None):
        """Draw every page laid out (the second pass: the number of pages is now known)."""
        total = len(self.pages)
        for number, page in enumerate(self.pages, start=1):
            if number > 1:
                self.device.newPage()
            self._frame(painter, number, total)
            for item in page.items:
                item(painter)
            if progress is not None:
                progress(number, total)
        return total

    def _frame(self, painter, number, total):
        painter.setPen(colour(MUTED))
        small = self.small
        foot_y = self.height - small.line
        if self.head and number > 1:
            draw_lines(painter, small, [Line(self.head)], 0, 0, self.width)
            painter.drawLine(QPointF(0, self.top - 2 * self.pt), QPointF(self.width, self.top - 2 * self.pt))
        painter.drawLine(QPointF(0, self.bottom + 2 * self.pt), QPointF(self.width, self.bottom + 2 * self.pt))
        label = f"Page {number} of {total}"
        draw_lines(painter, small, [Line(label)], 0, foot_y, self.width, align="right")
        if self.foot:
            room = self.width - small.width(label) - 12 * self.pt
            text = small.metrics.elidedText(self.foot, Qt.TextElideMode.ElideRight, room)
            draw_lines(painter, small, [Line(text)], 0, foot_y, room)
        painter.setPen(QColor("black"))

    # ---- the table's insides ----
    @property
    def pad(self):
        return 1.6 * self.pt

    def _widths(self, table):
        """Columns that do not wrap get their longest value; the others share the rest by weight, each at
        least as wide as its header's longest word; all scaled down together if the page is too narrow."""
        gap = 2 * self.pad
        least = []  # the header's longest word; a column that does not wrap: its longest value too
        for i, column in enumerate(table.columns):
            header = max((self.cell_bold.width(w) for w in column.header.split()), default=0.0) + gap
            if not column.wraps:
                header = max(header, max((self.cell.width(_text(row[i])) for row in table.rows), default=0.0) + gap)
            least.append(header)
        fixed = sum(n for n, c in zip(least, table.columns) if not c.wraps)
        weights = sum(c.weight for c in table.columns if c.wraps) or 1.0
        rest = max(self.width - fixed, 0.0)
        widths = [max(n, rest * c.weight / weights) if c.wraps else n for n, c in zip(least, table.columns)]
        total = sum(widths)
        return [w * self.width / total for w in widths]

    def _layout(self, cells, widths, type_=None, max_lines=None):
        """Each cell's lines (a header row: ``cells`` are text and ``type_`` its bold type) and the
        indexes of cells shortened."""
        lines, cut = [], []
        for i, (cell, width) in enumerate(zip(cells, widths)):
            text = cell if isinstance(cell, str) else cell.text
            kind = type_ or (self.cell_bold if getattr(cell, "bold", False) else self.cell)
            wrapped = wrap(text, kind, width - 2 * self.pad, max_lines)
            lines.append(wrapped.lines)
            if wrapped.shortened:
                cut.append(i)
        return lines, cut

    def _height(self, lines):
        return max(len(cell) for cell in lines) * self.cell.line + 2 * self.pad

    def _draw_row(self, painter, y, lines, widths, aligns, height, cells=None, header=False, stripe=False):
        x = 0.0
        pen = QPen(colour(GRID_COLOUR))
        pen.setWidthF(0.4 * self.pt)
        for i, (cell_lines, width) in enumerate(zip(lines, widths)):
            cell = cells[i] if cells else None
            rect = QRectF(x, y, width, height)
            fill = HEADER_FILL if header else (cell.fill if cell and cell.fill else STRIPE if stripe else "")
            if fill:
                painter.fillRect(rect, colour(fill))
            painter.setPen(pen)
            painter.drawRect(rect)
            ink = "FFFFFF" if header else (cell.ink if cell and cell.ink else "000000")
            painter.setPen(colour(ink))
            kind = self.cell_bold if header or (cell and cell.bold) else self.cell
            draw_lines(painter, kind, cell_lines, x + self.pad, y + self.pad, width - 2 * self.pad,
                       "left" if header else aligns[i])
            x += width
        painter.setPen(QColor("black"))

    @staticmethod
    def _ink(painter, ink):
        painter.setPen(colour(ink) if ink else QColor("black"))


def _text(cell):
    return cell.text if isinstance(cell, Cell) else str(cell)


# ---- writing a PDF ---------------------------------------------------------------------------------------
RESOLUTION = 720  # device units per inch: ten per point, fine enough for exact text measures


def pdf_bytes(title, lay_out, progress=None):
    """A PDF (bytes) of the pages ``lay_out(pages)`` fills (setting ``pages.head``/``foot`` as it
    likes), then draws: two passes.  ``progress(page, pages)`` after each page drawn."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = a4_landscape(QPdfWriter(buffer))
    writer.setResolution(RESOLUTION)
    writer.setTitle(title)
    writer.setCreator(APP_NAME)
    pages = Pages(writer)
    lay_out(pages)
    painter = QPainter()
    if not painter.begin(writer):
        raise TrackerError(f"Could not start drawing the {title.lower()} (Qt's PDF writer refused).")
    try:
        pages.paint(painter, progress)
    finally:
        painter.end()
    buffer.close()
    return bytes(buffer.data())


class _Bytes:
    """What tracker.spreadsheet.save_atomically saves: anything with ``save(file)``."""

    def __init__(self, data):
        self.data = data

    def save(self, fh):
        fh.write(self.data)


def save_pdf(data, path):
    """Write PDF ``data`` at ``path`` through a temporary file and a rename (never half a file; the
    database's own file refused; a missing folder, no permission, a full disk said in words)."""
    from tracker.spreadsheet import save_atomically  # loads openpyxl: when a file is saved, not at start-up

    return save_atomically(_Bytes(data), path)
