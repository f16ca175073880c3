"""The dashboard's clicks not covered in test_dashboard.py (issue 16's "each tile and chart click lands on the
right filtered list"): the over-time chart's lines (the demo now has a year of them), a commitments bar by
status, and the next 30 days' entries from the keyboard.  Clicks land where the chart's layout put the bar
or line (``Chart.targets``, in the widget's coordinates)."""

from PySide6.QtCore import QPointF, Qt

from tests.ui.test_dashboard import charts_drawn, click_target, ids_of, list_ids


def click_at(qtbot, canvas, point):
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=point.toPoint())


def settled(qtbot, canvas):
    """``canvas`` painted now, at its size: its targets are where they are on screen."""
    canvas.repaint()
    return canvas


def lines(chart):
    """{line name: its target} of the over-time chart (the targets that are polylines)."""
    return {t.tip.split(" per month")[0]: t for t in chart.targets if t.points}


def lone_point(line, others, chart):
    """A point of ``line`` whose click can only mean this line: at least 12 pixels from every other line
    and not on another line's point."""
    return next(p for p in line.points if all(o.hit(p, 12) is None for o in others)
                and chart.target_at(p).link == line.link)


def test_the_over_time_chart_opens_overdue_actions_and_all_actions(window, qtbot):
    home = charts_drawn(qtbot, window.show_view("home"))
    qtbot.waitUntil(lambda: home.data.months is not None and "history" in home.charts, timeout=20_000)
    canvas = settled(qtbot, home.canvases["history"])
    chart = canvas.chart
    found = lines(chart)
    opened, closed, overdue = found["Opened"], found["Closed"], found["Overdue"]
    assert [m.opened for m in home.data.months].count(0) <= 4  # a year of history to click on, not one month
    click_at(qtbot, canvas, lone_point(overdue, [opened, closed], chart))
    assert window.current_view() == "actions"
    page = window.pages["actions"]
    assert page.current_filters() == {"overdue": True} and page.filter_widget("overdue").isChecked()
    assert page.model.total == home.data.months[-1].overdue == int(home.tiles["overdue"].number.text())
    assert sorted(list_ids(page)) == sorted(ids_of("actions", {"overdue": True}))
    window.show_view("home")
    click_at(qtbot, canvas, lone_point(opened, [closed, overdue], chart))
    assert window.current_view() == "actions" and window.pages["actions"].current_filters() == {}
    assert window.pages["actions"].model.total == home.data.totals["actions"]
    assert {t.link.words for t in found.values()} == {"Overdue actions", "Actions"}


def test_a_click_between_two_points_of_a_line_opens_it(window, qtbot):
    home = charts_drawn(qtbot, window.show_view("home"))
    qtbot.waitUntil(lambda: "history" in home.charts, timeout=20_000)
    canvas = settled(qtbot, home.canvases["history"])
    overdue = lines(canvas.chart)["Overdue"]
    a, b = overdue.points[-2], overdue.points[-1]
    middle = QPointF((a.x() + b.x()) / 2, (a.y() + b.y()) / 2)
    assert canvas.chart.target_at(middle).link == overdue.link


def test_a_commitments_bar_by_status_opens_that_status_in_that_council(window, qtbot):
    home = charts_drawn(qtbot, window.show_view("home"))
    canvas = settled(qtbot, home.canvases["commitments"])
    bar = max((t for t in canvas.chart.targets if "status" in t.link.filters), key=lambda t: t.value)
    link = bar.link
    click_target(qtbot, canvas, bar)
    assert window.current_view() == "commitments"
    page = window.pages["commitments"]
    assert page.current_filters()["status"] == link.filters["status"]
    assert page.filter_widget("council").value().id == link.filters["council"]
    assert sorted(list_ids(page)) == sorted(ids_of("commitments", link.filters))
    assert page.model.total == bar.value > 0


def test_an_upcoming_entry_opens_its_record_from_the_keyboard(window, qtbot):
    home = window.show_view("home")
    first = home.data.upcoming[0]
    home.upcoming.setFocus()
    qtbot.keyClick(home.upcoming, Qt.Key.Key_Home)
    qtbot.keyClick(home.upcoming, Qt.Key.Key_Return)
    assert window.current_view() == first.kind
    assert window.pages[first.kind].editor.record.id == first.record_id
