"""The dashboard's hand-drawn charts (ui/charts.py, ui/chartpaint.py, ui/chartview.py): hovering says what a
click opens, long organisation names are cut with the whole name in the tooltip, numbers that do not fit
their segment are left out or moved beside the bar (never over one another), the headings fit at 200%
(683x384), and a chart paints into any device: an image, in light and dark colours."""

import datetime as dt

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QHelpEvent, QImage, QPainter
from PySide6.QtWidgets import QApplication, QToolTip

from tests.ui.test_dashboard import charts_drawn
from tracker import services
from tracker.services import dashboard as dash
from ui import charts
from ui.chartpaint import DARK, LIGHT


def hover(qtbot, canvas, point):
    """The tooltip shown when the mouse rests at ``point`` of ``canvas``."""
    event = QHelpEvent(QHelpEvent.Type.ToolTip, point.toPoint(), canvas.mapToGlobal(point.toPoint()))
    QApplication.sendEvent(canvas, event)
    return QToolTip.text()


def test_hovering_a_bar_says_what_a_click_opens(window, qtbot):
    home = charts_drawn(qtbot, window.show_view("home"))
    canvas = home.canvases["commitments"]
    canvas.repaint()
    bar = next(t for t in canvas.chart.targets if "rolled_up_rag" in t.link.filters)
    tip = hover(qtbot, canvas, bar.rect.center())
    assert tip == f"{bar.link.words}: {bar.value}. Click to open the list."
    assert tip.startswith(("Red commitments in ", "Amber commitments in ", "Green commitments in "))
    QToolTip.hideText()
    assert "Enter: the whole chart's" in hover(qtbot, canvas, QPointF(3, 3))  # off the bars: the chart's own


def test_long_organisation_names_are_cut_and_whole_in_the_tooltip(window, qtbot):
    name = "Barking, Havering and Redbridge University Hospitals NHS Trust Violence Reduction Partnership"
    org = services.stakeholders.create(name=name, sector="health")
    for days in (300, 200):
        services.actions.create(title="Share the A&E data", owner=org, status="open",
                                due_date=dt.date.today() - dt.timedelta(days=days))
    home = charts_drawn(qtbot, window.show_view("home"))
    qtbot.waitUntil(lambda: name in home.canvases["owners"].accessibleDescription(), timeout=20_000)
    canvas = home.canvases["owners"]
    canvas.repaint()
    chart = canvas.chart
    (shown,) = [cut for whole, cut in chart.cut if whole == name]
    assert shown.endswith("…") and len(shown) < len(name)
    name_target = next(t for t in chart.targets if t.rect.left() <= chart.area.left() + 4 and t.tip.startswith(name))
    assert hover(qtbot, canvas, name_target.rect.center()).startswith(f"{name}: 2 overdue of 2 open")
    bar = next(t for t in chart.targets if t.tip.startswith(name) and t is not name_target)
    assert bar.link.filters == {"owner_organisation": org.id, "open": True}
    # the legend sits above the bars: no bar end under it
    legend_bottom = chart.area.top() + 40
    assert all(t.rect.top() >= legend_bottom - 12 for t in chart.targets)


def data_with(rows, owners=(), months=None):
    today = dt.date(2026, 12, 2)
    return dash.Dashboard(today=today, council_id=None, council_name="All councils", tiles=[], totals={},
                          commitments=rows, months=months, owners=list(owners), upcoming=[])


def painted(chart, width=360, height=230, style=LIGHT):
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(style["background"]))
    painter = QPainter(image)
    chart.paint(painter, QRectF(0, 0, width, height), style)
    painter.end()
    return image


def test_numbers_that_do_not_fit_their_segment_never_overlap(qapp, db):
    rows = [dash.CouncilCommitments(1, "Barking and Dagenham", "BD", {"agreed": 1, "in_progress": 60, "lapsed": 1},
                                    {"R": 1, "A": 1, "G": 60}),
            dash.CouncilCommitments(2, "Havering", "HAV", {"agreed": 2}, {"R": 1, None: 1})]
    chart = charts.commitments_chart(data_with(rows))
    painted(chart)
    written = [text for text, _ in chart.numbers]
    assert "60" in written and "G 60" in written  # the big segments say their numbers
    lapsed = next(t for t in chart.targets if t.link.filters.get("status") == "lapsed")
    beside = [r for text, r in chart.numbers if text == "1"]
    assert [r.left() >= lapsed.rect.right() for r in beside] == [True]  # a row's last, too small: after its bar
    for n, (_, a) in enumerate(chart.numbers):  # whatever was written, none covers another
        assert not any(a.intersects(b) for _, b in chart.numbers[n + 1:]), chart.numbers
    # BD's small red and amber do not fit: left out (the tooltip and the text alternative say them)
    bd = [t for t in chart.targets if t.link.filters.get("council") == 1 and "rolled_up_rag" in t.link.filters]
    assert {t.link.filters["rolled_up_rag"]: t.value for t in bd} == {"R": 1, "A": 1, "G": 60}
    assert "Barking and Dagenham: 62 (Agreed 1, In progress 60, Lapsed 1; RAG Red 1, Amber 1, Green 60)" in chart.text


def test_the_commitments_headings_fit_at_200_percent(window, qtbot):
    window.resize(683, 384)  # a 1366x768 screen at 200%
    home = window.show_view("home")
    qtbot.waitUntil(lambda: home.canvases["commitments"].painted_chart is not None, timeout=20_000)
    canvas = home.canvases["commitments"]
    canvas.repaint()
    cut = [whole for whole, _ in canvas.chart.cut]
    assert not {"Commitments by status and RAG, per council", "By status", "By RAG (rolled up from actions)"} & set(cut)
    assert not cut  # nor a council code or a legend entry


def test_a_chart_paints_in_light_and_dark(qapp, db):
    months = [dash.Month(dt.date(2026, m, 1), dt.date(2026, m, 28), m, m // 2, 12 - m) for m in range(1, 13)]
    chart = charts.history_chart(data_with([], months=months))
    for style in (LIGHT, DARK):
        image = painted(chart, 640, 360, style)
        background = QColor(style["background"])
        colours = {image.pixelColor(x, y).name() for x in range(0, 640, 4) for y in range(0, 360, 4)}
        assert background.name() in colours and len(colours) > 20  # lines, markers, text drawn on it
    lines = [t for t in chart.targets if t.points]
    assert [t.tip.split(" per month")[0] for t in lines] == ["Opened", "Closed", "Overdue"]
    assert all(len(t.points) == 12 for t in lines)
    opened = lines[0].points
    assert opened[0].y() > opened[-1].y()  # 1 opened in January is lower than 12 in December


def test_the_over_time_chart_comes_though_the_owners_chart_is_out_of_sight(window, qtbot):
    """At 200% (683x384) the owners chart is below the fold, never painted until scrolled to: the over-time
    chart's months are read all the same (only the charts on screen are waited for)."""
    window.resize(683, 384)
    home = window.show_view("home")
    qtbot.waitUntil(lambda: home.canvases["owners"].chart is not None, timeout=20_000)
    assert home.canvases["owners"].visibleRegion().isEmpty()
    qtbot.waitUntil(lambda: "history" in home.charts, timeout=20_000)
    assert home.canvases["history"].chart is home.charts["history"] and home.data.months
