"""The dashboard and the power/interest map on a small screen (issue 16, ui/reflow.py): at 200% on 1366x768
(683x384 logical pixels) the dashboard's tiles go two by two and its charts one under the other, so the page
scrolls up and down, never sideways, and every tile and chart can be scrolled to and clicked; at 1366x768 the
four tiles stand in a row and the charts two by two, with nothing to scroll.  The map's page at 200% puts its
"As of" and "Arrows to" boxes one above the other and does not scroll sideways either."""

import pytest
from PySide6.QtCore import QPoint, QRect, Qt

from tests.ui.test_screen_sizes import AT_200, SCREEN
from tracker.demo import SUMMIT_DATE


def dashboard_at(qtbot, window, size):
    window.resize(*size)
    page = window.show_view("home")
    qtbot.waitUntil(lambda: window.size().toTuple() == size)
    qtbot.waitUntil(lambda: page.canvases["owners"].chart is not None, timeout=20_000)  # the figures read, charts shown
    return page


def in_viewport(widget, scroll):
    """``widget``'s rectangle in the scroll area's viewport's pixels."""
    return QRect(widget.mapTo(scroll.viewport(), QPoint(0, 0)), widget.size())


def test_at_200_percent_nothing_scrolls_sideways_and_every_tile_and_chart_is_reached(window, qtbot):
    page = dashboard_at(qtbot, window, AT_200)
    outer = window.page_scroll
    qtbot.waitUntil(lambda: outer.horizontalScrollBar().maximum() == 0 and page.width() <= outer.viewport().width())
    assert page.tile_grid.columns == 2 and page.grid.columns == 1
    assert outer.verticalScrollBar().maximum() > 0  # one under the other: the page scrolls up and down instead
    charts = [page.canvases[key] for key in ("commitments", "history", "owners")]
    upcoming = page.upcoming.parentWidget()
    tops = [in_viewport(w, outer).top() for w in [*charts, upcoming]]
    assert tops == sorted(tops) and len(set(tops)) == 4  # in one column, the upcoming list last
    for widget in [*page.tiles.values(), *charts, upcoming]:
        outer.ensureWidgetVisible(widget, 0, 0)
        qtbot.wait(1)
        shown = in_viewport(widget, outer)
        view = outer.viewport().rect()
        assert shown.left() >= 0 and shown.right() <= view.right(), f"{widget} is cut off at the side"
        assert view.contains(shown.topLeft()) and (view.contains(shown.bottomLeft()) or shown.height() > view.height())
        assert widget.width() >= 300 or widget in page.tiles.values()  # a chart is no sliver
    # The last tile, scrolled to and clicked, opens its list, as at full size.
    tile = page.tiles["not_engaged"]
    outer.ensureWidgetVisible(tile, 0, 0)
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    assert window.current_view() == tile.link.kind == "stakeholders"
    assert window.pages["stakeholders"].model.total == int(tile.number.text())


def test_at_1366x768_the_tiles_stand_in_a_row_and_the_charts_two_by_two(window, qtbot):
    page = dashboard_at(qtbot, window, AT_200)
    qtbot.waitUntil(lambda: page.grid.columns == 1)
    page = dashboard_at(qtbot, window, SCREEN)  # and back: wide again, the grids widen again
    outer = window.page_scroll
    qtbot.waitUntil(lambda: page.tile_grid.columns == 4 and page.grid.columns == 2)
    view = outer.viewport()
    qtbot.waitUntil(lambda: outer.verticalScrollBar().maximum() == outer.horizontalScrollBar().maximum() == 0
                    and page.width() == view.width() and view.rect().contains(in_viewport(page.upcoming, outer)))
    tiles = [in_viewport(t, outer) for t in page.tiles.values()]
    assert len({t.top() for t in tiles}) == 1 and [t.left() for t in tiles] == sorted(t.left() for t in tiles)
    commitments, history, owners = (in_viewport(page.canvases[k], outer) for k in ("commitments", "history", "owners"))
    assert commitments.top() == history.top() < owners.top() and commitments.left() == owners.left() < history.left()


@pytest.mark.parametrize("width", [700, 760, 900])
def test_between_the_two_nothing_scrolls_sideways(window, qtbot, width):
    """Widths near where the charts go from one column to two: no sideways scrolling, no flapping."""
    page = dashboard_at(qtbot, window, (width, 600))
    outer = window.page_scroll
    qtbot.waitUntil(lambda: outer.horizontalScrollBar().maximum() == 0)
    columns = (page.tile_grid.columns, page.grid.columns)
    qtbot.wait(50)
    assert (page.tile_grid.columns, page.grid.columns) == columns and outer.horizontalScrollBar().maximum() == 0


def test_the_map_page_at_200_percent_does_not_scroll_sideways(window, qtbot):
    from tests.ui.map_driver import map_read

    window.resize(*AT_200)
    page = window.show_view("grid")
    qtbot.waitUntil(lambda: window.size().toTuple() == AT_200)
    map_read(qtbot, page)
    outer = window.page_scroll
    qtbot.waitUntil(lambda: outer.horizontalScrollBar().maximum() == 0 and page.width() <= outer.viewport().width())
    view = outer.viewport().rect()
    for widget in (page.as_of, page.compare, page.view, page.unscored):
        outer.ensureWidgetVisible(widget, 0, 0)
        qtbot.wait(1)
        shown = in_viewport(widget, outer)
        assert shown.left() >= 0 and shown.right() <= view.right(), f"{widget} is cut off at the side"
    assert in_viewport(page.compare, outer).top() > in_viewport(page.as_of, outer).top()  # one above the other
    page.as_of.setFocus()  # and the boxes still work from the keyboard: the summit's map
    qtbot.keyClick(page.as_of, Qt.Key.Key_End)
    map_read(qtbot, page)
    assert page.as_of.currentData() == SUMMIT_DATE and page.compare.isEnabled() and "16/01/2019" in page.summary.text()
    window.resize(*SCREEN)  # wide again: side by side
    qtbot.waitUntil(lambda: in_viewport(page.compare, outer).top() == in_viewport(page.as_of, outer).top())


def test_a_short_page_is_not_made_as_tall_as_the_narrow_dashboard(window, qtbot):
    """The stack of pages asks only the page shown for its height (Deleted items scrolled 800 pixels of nothing)."""
    dashboard_at(qtbot, window, AT_200)
    window.show_view("deleted")
    outer = window.page_scroll
    qtbot.waitUntil(lambda: window.stack.height() <= max(outer.viewport().height(),
                                                         window.pages["deleted"].minimumSizeHint().height()))
    assert outer.verticalScrollBar().maximum() <= window.pages["deleted"].minimumSizeHint().height()


def test_the_empty_dashboard_at_200_percent_shows_its_three_buttons_without_scrolling(qtbot, db):
    from tests.ui.conftest import shown_window

    window = shown_window(qtbot)
    window.resize(*AT_200)
    home = window.show_view("home")
    qtbot.waitUntil(lambda: window.size().toTuple() == AT_200 and home.pages.currentWidget() is home.empty)
    outer = window.page_scroll
    buttons = (home.empty.add_partner, home.empty.import_table, home.empty.load_demo)
    qtbot.waitUntil(lambda: all(outer.viewport().rect().contains(in_viewport(b, outer)) for b in buttons))
    assert outer.horizontalScrollBar().maximum() == 0
