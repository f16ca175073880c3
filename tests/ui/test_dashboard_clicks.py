"""The dashboard's clicks not covered in test_dashboard.py (issue 16's "each tile and chart click lands on the
right filtered list"): the over-time chart's lines (the demo now has a year of them), a commitments bar by
status, and the next 30 days' entries from the keyboard."""

import math

from PySide6.QtCore import QPoint, Qt

from tests.ui.test_dashboard import charts_drawn, ids_of, list_ids


def click_at(qtbot, canvas, xy):
    """Press the mouse at display pixel ``xy`` of ``canvas``'s figure (matplotlib counts from the bottom)."""
    ratio = canvas.devicePixelRatioF()
    x, y = xy
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton,
                     pos=QPoint(round(x / ratio), round((canvas.figure.bbox.height - y) / ratio)))


def settled(qtbot, canvas):
    """``canvas`` once no drawing is under way or due (its worker's), drawn here at its size."""
    qtbot.waitUntil(lambda: not canvas.rendering(), timeout=20_000)
    canvas.draw()
    return canvas


def points(line):
    """A line's points in display pixels."""
    return [tuple(p) for p in line.get_transform().transform(line.get_xydata())]


def distance_to(polyline, p):
    """How far ``p`` is from the nearest segment of ``polyline`` (display pixels)."""
    best = math.inf
    for (ax, ay), (bx, by) in zip(polyline, polyline[1:]):
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / ((dx * dx + dy * dy) or 1)))
        best = min(best, math.hypot(p[0] - ax - t * dx, p[1] - ay - t * dy))
    return best


def lone_point(line, others):
    """A point of ``line`` at least 12 pixels from every other line: a click there can only mean this line."""
    return next(p for p in points(line) if all(distance_to(points(o), p) >= 12 for o in others))


def test_the_over_time_chart_opens_overdue_actions_and_all_actions(window, qtbot):
    home = charts_drawn(qtbot, window.show_view("home"))
    qtbot.waitUntil(lambda: home.data.months is not None and "history" in home.canvases, timeout=20_000)
    canvas = settled(qtbot, home.canvases["history"])
    chart = canvas.chart  # the chart drawn (a click while a drawing is under way is not taken)
    lines = {link.words: line for line, link in chart.targets}
    opened, closed, overdue = (line for line, _ in chart.targets)
    assert [m.opened for m in home.data.months].count(0) <= 4  # a year of history to click on, not one month
    click_at(qtbot, canvas, lone_point(overdue, [opened, closed]))
    assert window.current_view() == "actions"
    page = window.pages["actions"]
    assert page.current_filters() == {"overdue": True} and page.filter_widget("overdue").isChecked()
    assert page.model.total == home.data.months[-1].overdue == int(home.tiles["overdue"].number.text())
    assert sorted(list_ids(page)) == sorted(ids_of("actions", {"overdue": True}))
    window.show_view("home")
    click_at(qtbot, canvas, lone_point(opened, [closed, overdue]))
    assert window.current_view() == "actions" and window.pages["actions"].current_filters() == {}
    assert window.pages["actions"].model.total == home.data.totals["actions"]
    assert set(lines) == {"Overdue actions", "Actions"}


def test_a_commitments_bar_by_status_opens_that_status_in_that_council(window, qtbot):
    home = charts_drawn(qtbot, window.show_view("home"))
    canvas = settled(qtbot, home.canvases["commitments"])
    bar, link = max(((b, lk) for b, lk in canvas.chart.targets if "status" in lk.filters),
                    key=lambda t: t[0].get_width())
    box = bar.get_window_extent()
    click_at(qtbot, canvas, ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2))
    assert window.current_view() == "commitments"
    page = window.pages["commitments"]
    assert page.current_filters()["status"] == link.filters["status"]
    assert page.filter_widget("council").value().id == link.filters["council"]
    assert sorted(list_ids(page)) == sorted(ids_of("commitments", link.filters))
    assert page.model.total == int(bar.get_width()) > 0


def test_an_upcoming_entry_opens_its_record_from_the_keyboard(window, qtbot):
    home = window.show_view("home")
    first = home.data.upcoming[0]
    home.upcoming.setFocus()
    qtbot.keyClick(home.upcoming, Qt.Key.Key_Home)
    qtbot.keyClick(home.upcoming, Qt.Key.Key_Return)
    assert window.current_view() == first.kind
    assert window.pages[first.kind].editor.record.id == first.record_id
