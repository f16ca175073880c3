"""The power/interest map page's date pickers use the width they have (seen at 1366x768)."""

import datetime as dt

from tests.ui.conftest import choose
from tests.ui.map_driver import map_read
from tracker import services
from ui.powermap_page import PowerMapPage

SUMMIT_TITLE = "Tri-borough Serious Violence Summit"


def test_as_of_and_arrows_to_each_fill_half_the_row_and_show_a_summits_whole_name(qtbot, db):
    services.events.create(title=SUMMIT_TITLE, kind="summit", date=dt.date(2019, 1, 16))
    services.stakeholders.create(name="Metropolitan Police Service", sector="police", influence=5, interest=4)
    page = PowerMapPage()
    qtbot.addWidget(page)
    page.resize(1100, 700)  # what the page has in a 1366x768 window, beside the navigation
    page.show()
    qtbot.waitUntil(lambda: bool(page.view.map.items_by_id))
    choose(qtbot, page.as_of, f"16/01/2019 · {SUMMIT_TITLE}")
    map_read(qtbot, page)
    row = page.as_of.parentWidget().parentWidget()  # the two label-and-box pairs side by side
    for box in (page.as_of, page.compare):
        pair = box.parentWidget()
        label = pair.layout().itemAt(0).widget()
        # The box takes its half of the row after its label (it stopped at 28 characters, text cut).
        assert box.width() >= pair.width() - label.width() - 2 * pair.layout().spacing() - 1
        assert pair.width() >= row.width() // 2 - 20
    text = page.as_of.currentText()
    assert text == f"16/01/2019 · {SUMMIT_TITLE}"
    assert page.as_of.width() > page.as_of.fontMetrics().horizontalAdvance(text) + 40  # room for the arrow
    assert abs(page.as_of.width() - page.compare.width()) <= page.as_of.fontMetrics().horizontalAdvance("Arrows to:")
