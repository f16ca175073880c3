"""The dashboard's charts, laid out from the numbers of ``tracker.services.dashboard`` and painted with a
QPainter (``ui.chartpaint``) onto any paint device: the window's widget in its paintEvent
(``ui.chartview``) and the board pack's PDF page (``ui.boardpack``), where text stays text.

Each :class:`Chart` lays itself out for the rectangle it is given at each painting (a few milliseconds),
and records there what each bar segment, point and line opens (:attr:`Chart.targets`, in the
painter's coordinates), so a click or a hover in the window finds it.  Each chart has a text
alternative (``Chart.text``) saying every number it shows, for screen readers and the PDF.

Hand-drawn, no charting library: matplotlib (used until December 2026) took about 600 ms of CPU to
draw the two current charts at 100k actions, twice the dashboard's 300 ms budget (docs/performance.md);
Qt Charts is deprecated since Qt 6.10 and Qt Graphs needs Qt Quick.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt

from tracker import vocab
from tracker.dates import format_uk_date
from tracker.services.dashboard import Link
from ui.chartpaint import (LABEL_PT, LIGHT, NUMBER_PT, OKABE_ITO, RAG_COLOURS, STATUS_HATCHES, SUBTITLE_PT, Ink,
                           Target, nice_ticks)

ALIGN_RIGHT, ALIGN_CENTRE = Qt.AlignmentFlag.AlignRight, Qt.AlignmentFlag.AlignHCenter
LINES = (("Opened", OKABE_ITO[4], Qt.PenStyle.SolidLine, "o"), ("Closed", OKABE_ITO[2], Qt.PenStyle.DashLine, "s"),
         ("Overdue", OKABE_ITO[5], Qt.PenStyle.DotLine, "^"))


@dataclass
class Chart:
    """One chart: its title, its text alternative, the list the whole chart opens (``link``), and a
    ``body(ink, rect)`` that paints it under its title and returns its :class:`Target` objects."""

    key: str
    title: str
    text: str
    link: Link
    body: Callable
    targets: list = field(default_factory=list)  # of the last painting, in its painter's coordinates
    area: QRectF = None  # where it was last painted
    cut: list = field(default_factory=list)  # (whole, shown): its texts cut to fit, at the last painting
    numbers: list = field(default_factory=list)  # (text, QRectF): the numbers on its bars, at the last painting
    reach: float = 6.0  # how near a line a click counts as on it (device units of the last painting)

    def paint(self, painter, rect, style=None, family=None):
        """Lay the chart out in ``rect`` and paint it with ``painter`` (its colours ``style``: {"text",
        "background", "grid"}, light by default; ``family``: the font, else the painter's)."""
        painter.save()
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        ink = Ink(painter, style or LIGHT, family)
        self.area, self.reach = QRectF(rect), 4.5 * ink.pt
        self.targets = self.body(ink, ink.heading(rect, self.title)) or []
        self.cut, self.numbers = ink.cut, ink.numbers
        painter.restore()

    def target_at(self, pos):
        """The target under ``pos`` (a QPointF in the last painting's coordinates): a bar or point before
        a line, the nearest line, else None."""
        hits = [(hit, n, target) for n, target in enumerate(self.targets)
                if (hit := target.hit(pos, self.reach)) is not None]
        return min(hits, key=lambda h: (h[0], h[1]))[2] if hits else None

    def link_at(self, pos):
        """What a click at ``pos`` opens: its bar's, point's or line's list, else the chart's own."""
        target = self.target_at(pos)
        if target is not None:
            return target.link
        return self.link if self.area is not None and self.area.contains(pos) else None


def dashboard_charts(data, keys=None):
    """The dashboard's charts for ``data`` (a ``tracker.services.dashboard.Dashboard``), or those of ``keys``
    ("commitments", "history", "owners", "upcoming"); the over-time chart only once its months are read."""
    makers = {"commitments": commitments_chart, "history": history_chart, "owners": owners_chart,
              "upcoming": upcoming_chart}
    return [make(data) for key, make in makers.items()
            if (keys is None or key in keys) and (key != "history" or data.months is not None)]


def _scoped(data, filters):
    return {**filters, "council": data.council_id} if data.council_id is not None else dict(filters)


def _in(data):
    return "" if data.council_id is None else f" in {data.council_name}"


def _empty(ink, rect, words):
    ink.text(rect, words, LABEL_PT, align=ALIGN_CENTRE)
    return []


# ---- stacked bars ------------------------------------------------------------------------------------------
def stacked_bars(ink, rect, labels, rows, legend, label_width=None, label_pt=LABEL_PT):
    """Horizontal stacked bars in ``rect``, one per entry of ``rows`` (a list of segments: (value, colour,
    hatch, number text, Target or None)), with ``labels`` at their left and ``legend`` (legend items)
    under them.  The numbers that do not fit their segment are left out (a row's last goes after its
    bar).  Returns the targets, their rectangles set."""
    pt = ink.pt
    legend_height = len(ink.legend_rows(rect.width(), legend)) * ink.line(NUMBER_PT)
    widest = max((ink.width(text, label_pt) for text in labels), default=0)
    label_width = min(label_width if label_width is not None else widest + 6 * pt, rect.width() * 0.45)
    room = ink.width("000", NUMBER_PT) + 5 * pt  # for a last number written after its bar
    plot = QRectF(rect.x() + label_width, rect.y() + 2 * pt, rect.width() - label_width - room,
                  rect.height() - legend_height - 6 * pt)
    top = max((sum(s[0] for s in segments) for segments in rows), default=0) or 1
    step = plot.height() / max(len(rows), 1)
    thickness = min(step * 0.72, 20 * pt)
    targets = []
    ink.painter.setPen(ink.style["grid"])
    ink.painter.drawLine(QPointF(plot.left(), plot.top()), QPointF(plot.left(), plot.bottom()))
    for n, (label, segments) in enumerate(zip(labels, rows)):
        y = plot.top() + n * step + (step - thickness) / 2
        ink.text(QRectF(rect.x(), y, label_width - 4 * pt, thickness), label, label_pt, align=ALIGN_RIGHT)
        x = plot.left()
        shown = [s for s in segments if s[0]]
        for k, (value, colour, hatch, number, target) in enumerate(shown):
            segment = QRectF(x, y, plot.width() * value / top, thickness)
            ink.bar(segment, colour, hatch)
            ink.number(segment, number, colour, after=segment.right() if k == len(shown) - 1 else None)
            if target is not None:
                target.rect, target.value = segment, value
                targets.append(target)
            x = segment.right()
    ink.legend(QRectF(rect.x(), rect.bottom() - legend_height, rect.width(), legend_height), legend, centred=True)
    return targets


def _tip(link, value):
    return f"{link.words}: {value}. Click to open the list."


# ---- the charts ----------------------------------------------------------------------------------------------
def commitments_chart(data):
    """Commitments by status and by RAG, one stacked bar per council, in two panels side by side."""
    title = "Commitments by status and RAG, per council"
    rows = data.commitments
    statuses = [s for s in vocab.COMMITMENT_STATUSES if any(row.by_status.get(s) for row in rows)]
    rags = [r for r in ("R", "A", "G", None) if any(row.by_rag.get(r) for row in rows)]

    def by_status(row):
        out = []
        for n, status in enumerate(statuses):
            value, words = row.by_status.get(status, 0), vocab.COMMITMENT_STATUSES[status]
            link = (Link("commitments", {"council": row.council_id, "status": status},
                         f"{words} commitments in {row.name}") if row.council_id is not None else None)
            out.append((value, OKABE_ITO[n % len(OKABE_ITO)], STATUS_HATCHES[n % len(STATUS_HATCHES)], str(value),
                        Target(link, _tip(link, value)) if link and value else None))
        return out

    def by_rag(row):
        out = []
        for rag in rags:
            value = row.by_rag.get(rag, 0)
            link = (Link("commitments", {"council": row.council_id, "rolled_up_rag": rag},
                         f"{vocab.RAG[rag]} commitments in {row.name}")
                    if row.council_id is not None and rag is not None else None)
            out.append((value, RAG_COLOURS[rag], "", f"{rag or '–'} {value}",
                        Target(link, _tip(link, value)) if link and value else None))
        return out

    def body(ink, rect):
        if not rows:
            return _empty(ink, rect, "No commitments")
        pt, codes = ink.pt, [row.code for row in rows]
        label_width = max(ink.width(code, LABEL_PT) for code in codes) + 6 * pt
        gap = 10 * pt
        half = (rect.width() - gap) / 2
        targets = []
        for n, (heading, make, legend) in enumerate((
                ("By status", by_status,
                 [(vocab.COMMITMENT_STATUSES[s], OKABE_ITO[k % len(OKABE_ITO)], STATUS_HATCHES[k % len(STATUS_HATCHES)])
                  for k, s in enumerate(statuses)]),
                ("By RAG (rolled up from actions)", by_rag,
                 [(vocab.RAG.get(r, "Not set"), RAG_COLOURS[r], "") for r in rags]))):
            panel = QRectF(rect.x() + n * (half + gap), rect.y(), half, rect.height())
            line = ink.line(SUBTITLE_PT)
            ink.text(QRectF(panel.x() + label_width, panel.y(), panel.width() - label_width, line), heading,
                     SUBTITLE_PT)
            targets += stacked_bars(ink, panel.adjusted(0, line + pt, 0, -2 * pt), codes, [make(r) for r in rows],
                                    legend, label_width)
        return targets

    parts = []
    for row in rows:
        statuses_text = ", ".join(f"{vocab.COMMITMENT_STATUSES.get(s, s)} {n}" for s, n in row.by_status.items())
        rags_text = ", ".join(f"{vocab.RAG.get(r, 'not set')} {n}" for r, n in row.by_rag.items())
        parts.append(f"{row.name}: {sum(row.by_status.values())} ({statuses_text}; RAG {rags_text})")
    text = f"{title}{_in(data)}. " + ("; ".join(parts) + "." if parts else "No commitments.")
    return Chart("commitments", title, text, Link("commitments", _scoped(data, {}), f"Commitments{_in(data)}"), body)


def owners_chart(data):
    """The owner organisations with the most overdue actions: overdue and other open, stacked (top 10).
    Long names are cut with an ellipsis; hovering the name or its bar shows it whole."""
    title = "Open actions by owner organisation, worst overdue first"
    rows = data.owners
    legend = [("Overdue", RAG_COLOURS["R"], "/"), ("Open, not overdue", OKABE_ITO[1], "")]

    def link(row):
        return Link("actions", _scoped(data, {"owner_organisation": row.organisation_id, "open": True}),
                    f"Open actions owned by {row.name} or its people{_in(data)}")

    def body(ink, rect):
        if not rows:
            return _empty(ink, rect, "No open actions with an owner")
        pt = ink.pt
        legend_height = ink.legend(QRectF(rect.x() + 4 * pt, rect.y(), rect.width() - 8 * pt, 0), legend)
        area = rect.adjusted(0, legend_height + 2 * pt, 0, -2 * pt)
        widest = max(ink.width(row.name, NUMBER_PT + 0.5) for row in rows) + 6 * pt
        label_width = min(widest, area.width() * 0.42)
        names = [row.name for row in rows]  # cut to label_width by stacked_bars
        segments = []
        for row in rows:
            whole = link(row)
            tip = f"{row.name}: {row.overdue} overdue of {row.open} open. Click to open its open actions."
            others = row.open - row.overdue
            segments.append([(row.overdue, RAG_COLOURS["R"], "/", str(row.overdue), Target(whole, tip)),
                             (others, OKABE_ITO[1], "", str(others), Target(whole, tip))])
        targets = stacked_bars(ink, area, names, segments, [], label_width, NUMBER_PT + 0.5)
        step = (area.height() - 6 * pt) / len(rows)
        for n, row in enumerate(rows):  # the name opens the same list, and says itself whole
            name = QRectF(area.x(), area.y() + 2 * pt + n * step, label_width, step)
            targets.append(Target(link(row), f"{row.name}: {row.overdue} overdue of {row.open} open. "
                                             "Click to open its open actions.", rect=name, value=row.open))
        return targets

    listed = "; ".join(f"{row.name}: {row.overdue} overdue of {row.open} open" for row in rows)
    text = f"{title}{_in(data)} (top {len(rows)}). " + (listed + "." if rows else "No open actions with an owner.")
    return Chart("owners", title, text, Link("actions", _scoped(data, {"open": True}), f"Open actions{_in(data)}"),
                 body)


def history_chart(data):
    """Actions opened and closed per month, and outstanding-and-overdue at each month's end (lines, each
    its own dash and marker, labelled at its end)."""
    title = "Actions opened and closed per month, and overdue"
    months = data.months
    overdue_link = Link("actions", _scoped(data, {"overdue": True}), f"Overdue actions{_in(data)}")
    all_link = Link("actions", _scoped(data, {}), f"Actions{_in(data)}")
    series = [(name, colour, dash, marker, [getattr(m, name.lower()) for m in months])
              for name, colour, dash, marker in LINES]

    def body(ink, rect):
        if not months:
            return _empty(ink, rect, "No months to show yet")
        pt, painter = ink.pt, ink.painter
        legend_height = ink.legend(QRectF(rect.x() + 4 * pt, rect.y(), rect.width() - 8 * pt, 0),
                                   [(name, colour, (dash, marker)) for name, colour, dash, marker, _ in series])
        ticks = nice_ticks(max((max(values) for *_, values in series), default=1))
        line = ink.line(NUMBER_PT)
        left = max(ink.width(str(t), NUMBER_PT) for t in ticks) + 8 * pt
        right = max(ink.width(f"{name} {values[-1]}", NUMBER_PT) for name, *_, values in series) + 8 * pt
        plot = QRectF(rect.x() + left, rect.y() + legend_height + line / 2 + 2 * pt,
                      rect.width() - left - right, rect.height() - legend_height - 2.5 * line - 4 * pt)
        painter.setFont(ink.font(NUMBER_PT)[0])
        for t in ticks:
            y = plot.bottom() - plot.height() * t / ticks[-1]
            painter.setPen(ink.style["grid"])
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            ink.text(QRectF(rect.x(), y - line / 2, left - 4 * pt, line), str(t), NUMBER_PT, align=ALIGN_RIGHT)
        step = plot.width() / len(months)
        xs = [plot.left() + step * (n + 0.5) for n in range(len(months))]
        label_width = ink.width("Mmm 00", NUMBER_PT) + 4 * pt
        every = next(k for k in (1, 2, 3, 4, 6, 12, len(months)) if step * k >= label_width or k == len(months))
        for n, (x, month) in enumerate(zip(xs, months)):
            if (len(months) - 1 - n) % every == 0:  # the latest month always labelled
                ink.text(QRectF(x - step * every / 2, plot.bottom() + 2 * pt, step * every, line),
                         month.start.strftime("%b %y"), NUMBER_PT, align=ALIGN_CENTRE)
        targets, ends = [], []
        for name, colour, dash, marker, values in series:
            points = [QPointF(x, plot.bottom() - plot.height() * v / ticks[-1]) for x, v in zip(xs, values)]
            painter.setPen(ink.line_pen(colour, dash))
            painter.drawPolyline(points)
            target_link = overdue_link if name == "Overdue" else all_link
            for point, month, value in zip(points, months, values):
                ink.marker(point, colour, marker)
                r = 3.5 * pt
                targets.append(Target(target_link, f"{name} in {month.start:%B %Y}: {value}. Click to open "
                                                   f"{target_link.words.lower()}.",
                                      rect=QRectF(point.x() - r, point.y() - r, 2 * r, 2 * r), value=value))
            targets.append(Target(target_link, f"{name} per month. Click to open {target_link.words.lower()}.",
                                  points=points))
            ends.append([points[-1].y(), f"{name} {values[-1]}"])
        ends.sort()
        for n in range(1, len(ends)):  # end labels pushed apart so none covers another
            ends[n][0] = max(ends[n][0], ends[n - 1][0] + line)
        shift = max(ends[-1][0] - (plot.bottom() + line / 2), 0)
        for y, words in ends:
            ink.text(QRectF(plot.right() + 4 * pt, y - shift - line / 2, right - 4 * pt, line), words, NUMBER_PT)
        return targets

    listed = "; ".join(f"{m.start:%B %Y}: opened {m.opened}, closed {m.closed}, overdue {m.overdue}" for m in months)
    text = (f"{title}{_in(data)}, the last {len(months)} months (overdue counted at each month's end, "
            f"the last on {format_uk_date(data.today)}). {listed}.")
    return Chart("history", title, text, overdue_link, body)


def upcoming_lines(data):
    """The upcoming list as lines of text: "Mon 07/12/2026  Event  Tri-borough board, Romford"."""
    return [f"{u.date:%a} {format_uk_date(u.date)}  {u.what}  {u.text}" for u in data.upcoming]


def upcoming_chart(data):
    """The next 30 days as a list with dates (the window shows it as a list of links; the board pack
    paints this)."""
    title = "Upcoming events and due dates, next 30 days"
    lines = upcoming_lines(data)

    def body(ink, rect):
        if not lines:
            return _empty(ink, rect, "Nothing falls due and no event is planned in the next 30 days.")
        height = ink.line(NUMBER_PT + 0.5)
        fits = max(int(rect.height() // height), 1)
        shown = lines if len(lines) <= fits else lines[:fits - 1]
        for n, words in enumerate(shown):
            ink.text(QRectF(rect.x() + 2 * ink.pt, rect.y() + n * height, rect.width() - 4 * ink.pt, height), words,
                     NUMBER_PT + 0.5)
        if len(shown) < len(lines):
            ink.text(QRectF(rect.x() + 2 * ink.pt, rect.y() + len(shown) * height, rect.width(), height),
                     f"… and {len(lines) - len(shown)} more", NUMBER_PT + 0.5)
        return []

    text = f"{title}{_in(data)}: " + ("; ".join(lines) + "." if lines else "nothing.")
    return Chart("upcoming", title, text,
                 Link("actions", _scoped(data, {"due_within": 30}), f"Actions due within 30 days{_in(data)}"), body)
