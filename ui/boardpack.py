"""The board pack as a PDF: cover, charts, the power/interest map, then the tables, on A4 landscape.

The data is ``tracker.reports.boardpack``'s (Qt-free); this module draws it with ``ui.pdfpages``
(two passes: laid out, then painted with "Page X of N").  Pictures are :class:`Visual` objects: a
title, a function drawing into a rectangle of the page's painter, and a text alternative printed under
it (council names in full, for a reader and for a search of the PDF).  Where they come from is one
list, :data:`VISUAL_SOURCES` (the seam): the dashboard's charts (``ui.charts``, painted straight into
the page's painter: vectors, text kept as text) and the power/interest map
(``ui.powermap.render_map``).  Add a source there and the pack draws its pictures.

Writing runs on a worker thread (the menu command) or in the headless command (``ui.headless``) and
touches no widget.  The map is a QGraphicsScene, which belongs to the GUI thread: the menu records it
there first (:func:`gui_visuals`, a QPicture) and the worker replays it.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPicture

from tracker import services
from tracker.dates import format_uk_date
from tracker.db import is_live_file
from tracker.errors import TrackerError
from tracker.reports import boardpack as data
from ui import pdfpages
from ui.chartpaint import LIGHT
from ui.charts import dashboard_charts
from ui.pdfpages import HEADER_FILL, MUTED, Line, Table, colour, draw_lines, wrap
from ui.powermap import render_map
from ui.reports import report_table

CHARTS_PER_ROW = 2


@dataclass
class Visual:
    title: str
    draw: Callable  # draw(painter, QRectF): vector drawing into the rectangle given
    text: str = ""  # the text alternative, printed under the picture
    whole_page: bool = False  # the map: a page of its own
    titled: bool = True  # False: the picture draws its own title (a chart's figure)


# ---- pictures ----------------------------------------------------------------------------------------
@dataclass
class Source:
    """Where some of the pack's pictures come from: ``make(council, as_of)`` (a Council or None for all,
    a date) returns visuals whose ``draw`` may run on any thread."""

    name: str
    make: Callable
    gui_thread: bool = False  # True: made on the GUI thread before the worker starts (it builds Qt objects
    # that belong there); the worker then only replays what was made


def chart_visuals(council, as_of):
    """The dashboard's charts (``ui.charts`` over ``tracker.services.dashboard``, counted as of ``as_of``),
    each painted straight into the page's painter (vectors, text kept as text), its text alternative under it."""
    charts = dashboard_charts(services.dashboard.dashboard(council, as_of))
    return [Visual(chart.title, functools.partial(chart.paint, style=LIGHT, family=pdfpages.FONT_FAMILY), chart.text,
                   titled=False) for chart in charts]


MAP_SIZE = QRectF(0, 0, 1200, 640)  # the map's recorded size (its own units), scaled to the page


def map_visuals(council, as_of):
    """The power/interest map (``ui.powermap.render_map``, today's scores: the pack counts as of a date on
    today's records), recorded on the GUI thread as a QPicture (vectors, text kept as text)."""
    picture = QPicture()
    painter = QPainter(picture)
    try:
        text = render_map(painter, MAP_SIZE, council=council, dark=False)
    finally:
        painter.end()

    def draw(painter, rect):
        scale = min(rect.width() / MAP_SIZE.width(), rect.height() / MAP_SIZE.height())
        # a QPicture plays itself scaled from its resolution to the device's: undo that, then fit the rect
        played = painter.device().logicalDpiX() / picture.logicalDpiX()
        painter.save()
        painter.translate(rect.x() + (rect.width() - MAP_SIZE.width() * scale) / 2, rect.y())
        painter.scale(scale / played, scale / played)
        painter.drawPicture(0, 0, picture)
        painter.restore()

    where = council.name if council is not None else "all councils"
    return [Visual("Power/interest map", draw, f"Stakeholders of {where} by influence and interest. {text}",
                   whole_page=True)]


# The seam: each source gives some of the pack's pictures, in this order.
VISUAL_SOURCES = [Source("charts", chart_visuals), Source("map", map_visuals, gui_thread=True)]


def gui_visuals(council=None, as_of=None, sources=None):
    """Run the sources that must run on the GUI thread: {source name: visuals}, for :func:`write_board_pack`."""
    council = data.council_named(council) if isinstance(council, str) else council
    return {s.name: s.make(council, as_of) for s in (VISUAL_SOURCES if sources is None else sources)
            if s.gui_thread}


# ---- laying out -----------------------------------------------------------------------------------------
def lay_out(pack, pages, visuals=(), progress=None):
    """The whole pack on ``pages``: cover with key figures, pictures, then the three tables."""
    pages.head = f"{pack.title} \u00b7 {pack.partnership} \u00b7 {pack.council_text} \u00b7 {pack.as_of_text}"
    pages.foot = f"{pack.partnership} \u00b7 {pack.title} \u00b7 {pack.council_text} \u00b7 {pack.generated_text}"
    cover(pack, pages)
    charts = [v for v in visuals if not v.whole_page]
    if charts:
        pages.space(6)
        pages.heading("The partnership at a glance", 13, keep=pages.height / 3)
        visual_grid(pages, charts)
    for visual in (v for v in visuals if v.whole_page):
        pages.new_page()
        pages.heading(visual.title, 13)
        caption = wrap(visual.text, pages.small, pages.width).lines if visual.text else []
        pages.drawing(pages.room - len(caption) * pages.small.line - 3 * pages.pt, visual.draw)
        _caption(pages, caption)
    pages.new_page()
    for n, section in enumerate(pack.sections):
        if n:
            pages.space(16)
        pages.heading(section.title, 15, keep=pages.height / 5)
        if section.rows:
            pages.paragraph(f"{section.filters_text} {section.notes}")
            pages.space(4)
            table = report_table(section)
            pages.table(Table(table.columns, table.rows, title=section.title, title_first=False))
        else:
            pages.paragraph(section.filters_text)
            pages.paragraph(f"None: no {section.what} {_none_because(section)}.", pages.pt_type(10, bold=True))
        if progress is not None:
            progress()
    return pages


def _none_because(section):
    return {data.OVERDUE_TITLE: "past their due date", data.ATTENTION_TITLE: "overdue, due soon or red",
            data.UPCOMING_TITLE: "in the next 30 days"}.get(section.title, "to show")


def cover(pack, pages):
    """Title, partnership, council filter in full, the date; then the key figures as tiles."""
    pages.space(10)
    pages.heading(pack.title, 28)
    pages.heading(pack.partnership, 17, ink="000000")
    pages.space(4)
    label = pages.pt_type(11, bold=True)
    pages.paragraph(pack.council_text, label)
    pages.paragraph(f"Figures as of {format_uk_date(pack.as_of)} (overdue and due soon counted from that date, "
                    f"on the records held when it was prepared)", pages.pt_type(11))
    pages.paragraph(pack.generated_text, pages.pt_type(9), ink=MUTED)
    pages.space(8)
    tile_height = 46 * pages.pt
    figures = list(pack.figures.items())

    def draw(painter, rect):
        gap = 8 * pages.pt
        width = (rect.width() - gap * (len(figures) - 1)) / len(figures)
        number, words = pages.pt_type(22, bold=True), pages.pt_type(8.5)
        for n, (caption, value) in enumerate(figures):
            box = QRectF(rect.x() + n * (width + gap), rect.y(), width, rect.height())
            painter.fillRect(box, colour("#EEF2F8"))
            painter.fillRect(QRectF(box.x(), box.y(), 3 * pages.pt, box.height()), colour(HEADER_FILL))
            painter.setPen(colour(HEADER_FILL))
            inner = box.adjusted(8 * pages.pt, 4 * pages.pt, -4 * pages.pt, 0)
            draw_lines(painter, number, [Line(f"{value:,}")], inner.x(), inner.y(), inner.width())
            painter.setPen(colour("#000000"))
            draw_lines(painter, words, wrap(caption, words, inner.width(), max_lines=2).lines, inner.x(),
                       inner.y() + number.line + 2 * pages.pt, inner.width())

    pages.drawing(tile_height, draw)


def visual_grid(pages, visuals, per_row=CHARTS_PER_ROW):
    """Pictures side by side, ``per_row`` to a row, a row never split across pages; each with its
    title above and its text alternative below."""
    gap = 10 * pages.pt
    width = (pages.width - gap * (per_row - 1)) / per_row
    title = pages.pt_type(10, bold=True)
    picture_height = min(pages.height * 0.36, width * 0.62)
    for start in range(0, len(visuals), per_row):
        row = visuals[start:start + per_row]
        captions = [wrap(v.text, pages.small, width, max_lines=14).lines if v.text else [] for v in row]
        height = title.line + picture_height + max(len(c) for c in captions) * pages.small.line + 8 * pages.pt

        def draw(painter, rect, row=row, captions=captions):
            for n, (visual, caption) in enumerate(zip(row, captions)):
                x = rect.x() + n * (width + gap)
                if visual.titled:
                    painter.setPen(colour(HEADER_FILL))
                    draw_lines(painter, title, [Line(visual.title)], x, rect.y(), width)
                top = title.line if visual.titled else 0.0  # a chart's own title sits in its picture
                visual.draw(painter, QRectF(x, rect.y() + top, width, picture_height + title.line - top))
                painter.setPen(colour(MUTED))
                draw_lines(painter, pages.small, caption, x, rect.y() + title.line + picture_height + 2 * pages.pt,
                           width)

        pages.drawing(height, draw)


def _caption(pages, lines):
    for line in lines:
        pages.place(pages.small.line, lambda p, y, line=line: p.setPen(colour(MUTED)) or
                    draw_lines(p, pages.small, [line], 0, y, pages.width))


# ---- writing -------------------------------------------------------------------------------------------
def write_board_pack(path, council=None, as_of=None, progress=None, sources=None, ready=None):
    """Gather the pack, draw it and save it at ``path``; returns the :class:`~tracker.reports.boardpack.BoardPack`.

    ``council``: a name (or code), a Council, or None for all.  ``sources``: the pictures' sources (default
    :data:`VISUAL_SOURCES`); ``ready``: what :func:`gui_visuals` already made for some of them (a source
    that must run on the GUI thread and is not in it runs here: the headless command is all one thread).
    ``progress(done, total, text)`` is told each step; it may raise to stop.
    """
    if is_live_file(path):
        raise TrackerError(f"{path} is the database the app has open; save the board pack as another file.")
    say = progress or (lambda done, total=None, text=None: True)
    say(0, None, "Gathering the board pack's figures…")
    council = data.council_named(council) if isinstance(council, str) else council
    pack = data.board_pack(council, as_of)
    visuals, ready = [], ready or {}
    for source in VISUAL_SOURCES if sources is None else sources:
        say(0, None, f"Drawing the {source.name}…")
        visuals += ready[source.name] if source.name in ready else source.make(council, pack.as_of)

    def painted(page, pages):
        say(page, pages, f"Drawing page {page} of {pages}…")

    document = pdfpages.pdf_bytes(f"{pack.title}: {pack.partnership}",
                                  lambda pages: lay_out(pack, pages, visuals), painted)
    pdfpages.save_pdf(document, path)
    return pack
