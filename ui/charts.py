"""The dashboard's charts as matplotlib figures: drawn in the window (``ui.dashboard``) and into the
board pack's vector PDF alike, from the numbers of ``tracker.services.dashboard``.

No Qt and no pyplot here: each chart is a ``matplotlib.figure.Figure`` made directly (pyplot keeps
global state and picks a GUI backend), so it draws offscreen, into a Qt canvas or into a PDF.
Importing this module loads matplotlib (about a second cold), so the app imports it only when the
dashboard is first shown.

Colour is never the only cue: the palette is Okabe–Ito (safe for the common colour-blindnesses),
every bar segment carries its number, RAG segments their letter, statuses a hatch pattern as well
as a colour, and lines differ in dash and marker and are labelled at their ends.  Each chart has a
text alternative (``Chart.text``) saying every number it shows, for screen readers and the PDF.
"""

import textwrap
import threading
from dataclasses import dataclass, field

from matplotlib.figure import Figure

from tracker import vocab
from tracker.dates import format_uk_date
from tracker.services.dashboard import Link

# matplotlib builds and draws figures with one FreeType library and shared caches: one thread at a time
# (the window draws on workers, ui.chartcanvas; the board pack on its own).  Held while figures are
# built (dashboard_figures) and drawn.
DRAWING = threading.RLock()

# Okabe & Ito (2008), "Color Universal Design": orange, sky blue, bluish green, yellow, blue, vermillion,
# reddish purple, and black (grey here, which reads on either background).
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999")
RAG_COLOURS = {"R": "#D55E00", "A": "#E69F00", "G": "#009E73", None: "#999999"}
STATUS_HATCHES = ("", "///", "...", "xxx", "\\\\\\", "ooo", "---", "+++")
HATCH_INK = (0, 0, 0, 0.35)  # hatching that reads on every palette colour
FIGSIZE = (6.4, 3.6)  # inches: half an A4 landscape page, and about a quarter of a 1366×768 window
LIGHT = {"text": "#1a1a1a", "background": "#ffffff", "grid": "#d0d0d0"}
DARK = {"text": "#eeeeee", "background": "#2b2b2b", "grid": "#555555"}


@dataclass
class Chart:
    """One chart: its title, the figure, its text alternative, the list the whole chart opens
    (``link``) and what a click on one of its bars, points or rows opens (``targets``)."""

    key: str
    title: str
    figure: Figure
    text: str
    link: Link
    targets: list = field(default_factory=list)  # [(matplotlib artist, Link)]
    # left, right, top, bottom, in inches: labels need the same room at any size
    margins: tuple = (0.5, 0.15, 0.4, 0.4)

    def fit(self):
        """Place the axes for the figure's present size (call after ``set_size_inches``; the window's
        canvas calls it before each drawing).  Fixed margins in inches rather than matplotlib's
        constrained layout, which took most of a drawing's time."""
        width, height = self.figure.get_size_inches()
        left, right, top, bottom = self.margins
        self.figure.subplots_adjust(left=min(left / width, 0.6), right=max(1 - right / width, 0.65),
                                    top=max(1 - top / height, 0.5), bottom=min(bottom / height, 0.45), wspace=0.3)

    def link_at(self, mouse_event):
        """The link under a matplotlib mouse event: its bar's or point's, else the chart's own."""
        for artist, link in self.targets:
            if artist.contains(mouse_event)[0]:
                return link
        return self.link if mouse_event.inaxes is not None else None


def dashboard_figures(data, dark=False, colours=None, keys=None):
    """The dashboard's four charts for ``data`` (a ``tracker.services.dashboard.Dashboard``), or those of
    ``keys`` ("commitments", "history", "owners", "upcoming").

    ``colours``: {"text", "background", "grid"} (the app passes its palette's); else light or ``dark``."""
    with DRAWING:  # building lays text out: not beside a drawing on a worker
        return _build_figures(data, dark, colours, keys)


SHOWN = {"commitments": ("commitments",), "history": ("months", "today"), "owners": ("owners",),
         "upcoming": ("upcoming",)}  # the parts of the data each chart draws and links


def chart_inputs(data, key, colours=None, dark=False):
    """Everything chart ``key`` of ``data`` shows and links to, as a value to compare: the window
    builds and draws a chart again only when this changed (a refresh that changed other figures, or
    returning to the page, keeps the drawing it has)."""
    parts = tuple(getattr(data, name) for name in SHOWN[key])
    return repr((key, data.council_id, data.council_name, parts, sorted((colours or {}).items()), dark))


def _build_figures(data, dark, colours, keys):
    style = dict(colours or (DARK if dark else LIGHT))
    makers = {"commitments": commitments_chart, "history": history_chart, "owners": owners_chart,
              "upcoming": upcoming_chart}
    return [make(data, style) for key, make in makers.items() if keys is None or key in keys]


def _figure(style, ncols=1):
    figure = Figure(figsize=FIGSIZE, facecolor=style["background"])
    axes = figure.subplots(1, ncols, squeeze=False)[0]
    for ax in axes:
        ax.set_facecolor(style["background"])
        ax.tick_params(colors=style["text"], labelsize=8)
        for spine in ax.spines.values():
            spine.set_color(style["grid"])
        ax.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _title(ax, text, style):
    ax.set_title(text, color=style["text"], fontsize=9, loc="left")


def _heading(figure, text, style):
    figure.suptitle(text, color=style["text"], fontsize=10, x=0.01, ha="left")


def _ink_on(colour):
    """Black or white text, whichever reads on ``colour`` (a #rrggbb)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"


def _numbers(ax, bars, labels, colour):
    """Each bar segment's number in its middle, on a patch of its own colour (over the hatching).
    Plain texts at the bars' middles in data coordinates, not ``bar_label``'s annotations, whose
    position is worked out again at each drawing (about a tenth of a chart's drawing)."""
    ink, box = _ink_on(colour), {"boxstyle": "round,pad=0.15", "fc": colour, "ec": "none"}
    for bar, label in zip(bars, labels):
        if label:
            ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, label, ha="center",
                    va="center", fontsize=7, color=ink, bbox=box, zorder=5)


def _legend(ax, style, **kwargs):
    legend = ax.legend(fontsize=7, frameon=False, labelcolor=style["text"], **kwargs)
    return legend


def _scoped(data, filters):
    return {**filters, "council": data.council_id} if data.council_id is not None else dict(filters)


def _in(data):
    return "" if data.council_id is None else f" in {data.council_name}"


def commitments_chart(data, style):
    """Commitments by status and by RAG, one stacked bar per council."""
    title = "Commitments by status and RAG, per council"
    figure, (by_status, by_rag) = _figure(style, 2)
    rows = data.commitments
    codes = [row.code for row in rows]
    y = list(range(len(rows)))
    targets = []
    statuses = [s for s in vocab.COMMITMENT_STATUSES if any(row.by_status.get(s) for row in rows)]
    left = [0] * len(rows)
    for n, status in enumerate(statuses):
        colour = OKABE_ITO[n % len(OKABE_ITO)]
        widths = [row.by_status.get(status, 0) for row in rows]
        bars = by_status.barh(y, widths, left=left, color=colour, hatch=STATUS_HATCHES[n % len(STATUS_HATCHES)],
                              hatchcolor=HATCH_INK, edgecolor=style["background"],
                              label=vocab.COMMITMENT_STATUSES[status])
        _numbers(by_status, bars, [str(w) if w else "" for w in widths], colour)
        for bar, row, width in zip(bars, rows, widths):
            if width and row.council_id is not None:
                targets.append((bar, Link("commitments", {"council": row.council_id, "status": status},
                                          f"{vocab.COMMITMENT_STATUSES[status]} commitments in {row.name}")))
        left = [a + b for a, b in zip(left, widths)]
    left = [0] * len(rows)
    for rag in ("R", "A", "G", None):
        widths = [row.by_rag.get(rag, 0) for row in rows]
        if not any(widths):
            continue
        colour = RAG_COLOURS[rag]
        bars = by_rag.barh(y, widths, left=left, color=colour, edgecolor=style["background"],
                           label=vocab.RAG.get(rag, "Not set"))
        _numbers(by_rag, bars, [f"{rag or '–'} {w}" if w else "" for w in widths], colour)
        for bar, row, width in zip(bars, rows, widths):
            if width and row.council_id is not None and rag is not None:
                targets.append((bar, Link("commitments", {"council": row.council_id, "rolled_up_rag": rag},
                                          f"{vocab.RAG[rag]} commitments in {row.name}")))
        left = [a + b for a, b in zip(left, widths)]
    for ax, heading in ((by_status, "By status"), (by_rag, "By RAG (rolled up from actions)")):
        ax.set_yticks(y, codes)
        ax.invert_yaxis()
        ax.xaxis.set_visible(False)
        _title(ax, heading, style)
        if rows:
            _legend(ax, style, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncols=2)
    if not rows:
        by_status.text(0.5, 0.5, "No commitments", ha="center", va="center", color=style["text"],
                       transform=by_status.transAxes)
    _heading(figure, title, style)
    parts = []
    for row in rows:
        statuses_text = ", ".join(f"{vocab.COMMITMENT_STATUSES.get(s, s)} {n}" for s, n in row.by_status.items())
        rags_text = ", ".join(f"{vocab.RAG.get(r, 'not set')} {n}" for r, n in row.by_rag.items())
        parts.append(f"{row.name}: {sum(row.by_status.values())} ({statuses_text}; RAG {rags_text})")
    text = f"{title}{_in(data)}. " + ("; ".join(parts) + "." if parts else "No commitments.")
    return _fitted(Chart("commitments", title, figure, text,
                         Link("commitments", _scoped(data, {}), f"Commitments{_in(data)}"), targets,
                         margins=(0.45, 0.1, 0.6, 0.1 + 0.16 * ((len(statuses) + 1) // 2))))


def history_chart(data, style):
    """Actions opened and closed per month, and outstanding-and-overdue at each month's end (lines)."""
    title = "Actions opened and closed per month, and overdue"
    figure, (ax,) = _figure(style)
    x = list(range(len(data.months)))
    labels = [m.start.strftime("%b %y") for m in data.months]
    overdue_link = Link("actions", _scoped(data, {"overdue": True}), f"Overdue actions{_in(data)}")
    targets = []
    for name, values, colour, dash, marker in (
            ("Opened", [m.opened for m in data.months], OKABE_ITO[4], "-", "o"),
            ("Closed", [m.closed for m in data.months], OKABE_ITO[2], "--", "s"),
            ("Overdue", [m.overdue for m in data.months], OKABE_ITO[5], ":", "^")):
        (line,) = ax.plot(x, values, linestyle=dash, marker=marker, markersize=4, color=colour, label=name,
                          linewidth=1.6)
        line.set_pickradius(6)
        if values:
            ax.annotate(f"{name} {values[-1]}", (x[-1], values[-1]), xytext=(4, 0), textcoords="offset points",
                        fontsize=7, color=style["text"], va="center")
        targets.append((line, overdue_link if name == "Overdue" else
                        Link("actions", _scoped(data, {}), f"Actions{_in(data)}")))
    ax.set_xticks(x, labels, rotation=45, ha="right")
    ax.set_xlim(-0.5, len(x) + 1.5)  # room for the labels at the lines' ends
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", color=style["grid"], linewidth=0.5)
    _legend(ax, style, loc="upper left")
    _heading(figure, title, style)
    months = "; ".join(f"{m.start:%B %Y}: opened {m.opened}, closed {m.closed}, overdue {m.overdue}"
                       for m in data.months)
    text = (f"{title}{_in(data)}, the last {len(data.months)} months (overdue counted at each month's end, "
            f"the last on {format_uk_date(data.today)}). {months}.")
    return _fitted(Chart("history", title, figure, text, overdue_link, targets, margins=(0.45, 0.1, 0.35, 0.55)))


def owners_chart(data, style):
    """The owner organisations with the most overdue actions: overdue and other open, stacked (top 10)."""
    title = "Open actions by owner organisation, worst overdue first"
    figure, (ax,) = _figure(style)
    rows = data.owners
    y = list(range(len(rows)))
    names = ["\n".join(textwrap.wrap(row.name, 34, max_lines=2, placeholder="…")) for row in rows]
    targets = []
    overdue = [row.overdue for row in rows]
    others = [row.open - row.overdue for row in rows]
    for values, left, colour, hatch, label in ((overdue, [0] * len(rows), RAG_COLOURS["R"], "///", "Overdue"),
                                                (others, overdue, OKABE_ITO[1], "", "Open, not overdue")):
        bars = ax.barh(y, values, left=left, color=colour, hatch=hatch, hatchcolor=HATCH_INK,
                       edgecolor=style["background"], label=label)
        _numbers(ax, bars, [str(v) if v else "" for v in values], colour)
        for bar, row, value in zip(bars, rows, values):
            if value:
                targets.append((bar, Link("actions", _scoped(data, {"owner_organisation": row.organisation_id,
                                                                      "open": True}),
                                          f"Open actions owned by {row.name} or its people{_in(data)}")))
    ax.set_yticks(y, names, fontsize=7)
    ax.invert_yaxis()
    ax.xaxis.set_visible(False)
    if rows:
        _legend(ax, style, loc="lower right")
    else:
        ax.text(0.5, 0.5, "No open actions with an owner", ha="center", va="center", color=style["text"],
                transform=ax.transAxes)
    _heading(figure, title, style)
    listed = "; ".join(f"{row.name}: {row.overdue} overdue of {row.open} open" for row in rows)
    text = f"{title}{_in(data)} (top {len(rows)}). " + (listed + "." if rows else "No open actions with an owner.")
    widest = max((len(line) for name in names for line in name.split("\n")), default=10)
    return _fitted(Chart("owners", title, figure, text, Link("actions", _scoped(data, {"open": True}),
                                                             f"Open actions{_in(data)}"), targets,
                         margins=(0.2 + widest * 7 * 0.55 / 72, 0.1, 0.35, 0.1)))


def upcoming_lines(data):
    """The upcoming list as lines of text: "Mon 07/12/2026  Event  Tri-borough board, Romford"."""
    return [f"{u.date:%a} {format_uk_date(u.date)}  {u.what}  {u.text}" for u in data.upcoming]


def upcoming_chart(data, style):
    """The next 30 days as a list with dates (the window shows it as a list of links; the board pack
    draws this figure)."""
    title = "Upcoming events and due dates, next 30 days"
    figure, (ax,) = _figure(style)
    ax.axis("off")
    lines = upcoming_lines(data)
    shown = lines[:14]
    for n, line in enumerate(shown):
        ax.text(0, 1 - (n + 1) * 0.068, textwrap.shorten(line, 110, placeholder="…"), fontsize=7.5,
                color=style["text"], transform=ax.transAxes, va="top")
    if len(lines) > len(shown):
        ax.text(0, 0, f"… and {len(lines) - len(shown)} more", fontsize=7.5, color=style["text"],
                transform=ax.transAxes)
    if not lines:
        ax.text(0, 0.9, "Nothing falls due and no event is planned in the next 30 days.", fontsize=8,
                color=style["text"], transform=ax.transAxes)
    _heading(figure, title, style)
    text = f"{title}{_in(data)}: " + ("; ".join(lines) + "." if lines else "nothing.")
    return _fitted(Chart("upcoming", title, figure, text, Link("actions", _scoped(data, {"due_within": 30}),
                                                               f"Actions due within 30 days{_in(data)}"),
                         margins=(0.1, 0.1, 0.35, 0.1)))


def _fitted(chart):
    chart.fit()
    return chart
