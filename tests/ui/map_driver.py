"""Driving the power/interest map with a real mouse: where a point or a cell is on the view's viewport."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest


def point_pos(view, point_id):
    return view.mapFromScene(view.map.items_by_id[point_id].dot_centre())


def cell_pos(view, cell):
    """A spot in ``cell`` ((influence, interest)): its lower-right corner, clear of its first points."""
    rect = view.map.geometry.cell_rect(*cell)
    return view.mapFromScene(rect.bottomRight()) - QPoint(4, 4)


def click_point(view, point_id):
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_pos(view, point_id))


def drag(view, start, end, steps=6):
    """Press at ``start``, move there in steps with the button held, release at ``end`` (viewport points)."""
    port = view.viewport()
    QTest.mousePress(port, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, steps + 1):
        QTest.mouseMove(port, start + (end - start) * i / steps)
    QTest.mouseRelease(port, Qt.MouseButton.LeftButton, pos=end)


def drag_point(view, point_id, cell):
    drag(view, point_pos(view, point_id), cell_pos(view, cell))


def map_read(qtbot, page):
    """Wait until the map page's latest reading (it reads off the UI thread) is on screen."""
    qtbot.waitUntil(lambda: page.operation is not None and page.operation.done)
