"""The board pack as a PDF: cover, charts, the power/interest map, then the tables, on A4 landscape.

The data is ``tracker.reports.boardpack``'s (Qt-free); this module draws it with ``ui.pdfpages``
(two passes: laid out, then painted with "Page X of N").  Pictures are :class:`Visual`\\ s, each a
title, a function drawing it into a rectangle of the page's painter, and a text alternative printed
under it (council names in full, for a reader and for a search of the PDF).  Where they come from is
one list, :data:`VISUAL_SOURCES`: functions of the pack returning visuals (the dashboard's charts,
drawn as vectors from SVG; the power/interest map).  A source that returns nothing leaves its
pictures out and the rest of the pack as it is.

Runs on a worker thread (the menu command) or in the headless command (``ui.headless``); it
touches no widget.
"""

import io
from dataclasses import dataclass
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QRectF, QSizeF, Qt
from PySide6.QtSvg import QSvgRenderer

from tracker.dates import format_uk_date
from tracker.db import is_live_file
from tracker.errors import TrackerError
from tracker.reports import boardpack as data
from ui import pdfpages
from ui.pdfpages import HEADER_FILL, MUTED, Line, Table, colour, draw_lines, wrap
from ui.reports import report_table

CHARTS_PER_ROW = 2


@dataclass
class Visual:
    title: str
    draw: Callable  # draw(painter, QRectF): vector drawing into the rectangle given
    text: str = ""  # the text alternative, printed under the picture
    whole_page: bool = False  # the map: a page of its own


# ---- pictures ----------------------------------------------------------------------------------------
def figure_svg(figure):
    """A matplotlib figure as SVG whose text stays text (``svg.fonttype: none``): the PDF keeps it
    searchable and crisp at any zoom."""
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


def svg_drawer(svg):
    """draw(painter, rect) rendering ``svg`` (bytes) as vectors, as large as fits, centred."""
    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise TrackerError("A chart of the board pack could not be drawn (its SVG was not valid).")
    size = QSizeF(renderer.defaultSize())

    def draw(painter, rect):
        fitted = size.scaled(rect.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRectF(rect.x() + (rect.width() - fitted.width()) / 2, rect.y(), fitted.width(), fitted.height())
        renderer.render(painter, target)

    return draw


def chart_visuals(pack):
    """The dashboard's charts for ``pack`` (its council and date): wired in when ``ui.charts`` exists."""
    return []


def map_visuals(pack):
    """The power/interest map for ``pack``'s council: wired in when the map's renderer exists."""
    return []


VISUAL_SOURCES = [chart_visuals, map_visuals]  # the seam: each gives the pack's pictures, in order


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
        captions = [wrap(v.text, pages.small, width, max_lines=6).lines if v.text else [] for v in row]
        height = title.line + picture_height + max(len(c) for c in captions) * pages.small.line + 8 * pages.pt

        def draw(painter, rect, row=row, captions=captions):
            for n, (visual, caption) in enumerate(zip(row, captions)):
                x = rect.x() + n * (width + gap)
                painter.setPen(colour(HEADER_FILL))
                draw_lines(painter, title, [Line(visual.title)], x, rect.y(), width)
                visual.draw(painter, QRectF(x, rect.y() + title.line, width, picture_height))
                painter.setPen(colour(MUTED))
                draw_lines(painter, pages.small, caption, x, rect.y() + title.line + picture_height + 2 * pages.pt,
                           width)

        pages.drawing(height, draw)


def _caption(pages, lines):
    for line in lines:
        pages.place(pages.small.line, lambda p, y, line=line: p.setPen(colour(MUTED)) or
                    draw_lines(p, pages.small, [line], 0, y, pages.width))


# ---- writing -------------------------------------------------------------------------------------------
def visuals_of(pack, sources=None):
    return [v for source in (VISUAL_SOURCES if sources is None else sources) for v in source(pack)]


def write_board_pack(path, council=None, as_of=None, progress=None, sources=None):
    """Gather the pack, draw it and save it at ``path``; returns the :class:`~tracker.reports.boardpack.BoardPack`.

    ``progress(done, total, text)`` (ui.worker's Progress or None) is told each step; it may raise to stop.
    """
    if is_live_file(path):
        raise TrackerError(f"{path} is the database the app has open; save the board pack as another file.")
    say = progress or (lambda done, total=None, text=None: True)
    say(0, None, "Gathering the board pack's figures…")
    pack = data.board_pack(council, as_of)
    say(0, None, "Drawing the charts…")
    visuals = visuals_of(pack, sources)

    def painted(page, pages):
        say(page, pages, f"Drawing page {page} of {pages}…")

    document = pdfpages.pdf_bytes(f"{pack.title}: {pack.partnership}",
                                  lambda pages: lay_out(pack, pages, visuals), painted)
    pdfpages.save_pdf(document, path)
    return pack
