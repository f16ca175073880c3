"""A search whose typing pauses when there is no database to read (the window's database closed, or
another being opened) reads nothing, rather than failing on a closed connection."""

from tracker.db import close_database


def test_a_search_settling_after_the_database_closed_reads_nothing(window, qtbot):
    boxes = []
    for key in ("actions", "deleted"):
        page = window.show_view(key)
        page.search.setFocus()
        qtbot.keyClicks(page.search, "ben")
        boxes.append(page.search)
    assert all(box.timer.isActive() for box in boxes)  # typed just now: the searches are pending
    close_database()
    qtbot.waitUntil(lambda: not any(box.timer.isActive() for box in boxes))  # fired: pytest-qt fails on an error
    assert [box.text() for box in boxes] == ["ben", "ben"]
