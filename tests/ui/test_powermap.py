"""The power/interest map: real mouse drags, drops, clicks and keys on the view; history; filters; counts."""

import datetime as dt
import shutil
import subprocess

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPdfWriter
from PySide6.QtWidgets import QApplication, QGraphicsPathItem
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

from tests.tracker.test_powermap import SUMMIT, backdate, clock  # noqa: F401 - the fixture
from tests.ui.conftest import choose
from tests.ui.map_driver import cell_pos, click_point, drag, drag_point, map_read, point_pos
from tracker import services
from tracker.models import AuditEntry, Stakeholder
from ui.powermap import LABEL_LIMIT, PointItem, render_map
from ui.powermap_page import PowerMapPage


def scores(record):
    s = Stakeholder.get_by_id(record.id)
    return s.influence, s.interest


def score_changes(record):
    return {(e.field, e.old_value, e.new_value) for e in AuditEntry.select().where(
        AuditEntry.record_uuid == record.uuid, AuditEntry.operation == "update")}


@pytest.fixture
def partners(db):
    met = services.stakeholders.create(name="Metropolitan Police Service", sector="police", influence=5, interest=4,
                                       tags="summit")
    trust = services.stakeholders.create(name="Ben Kinsella Trust", sector="voluntary", influence=2, interest=5)
    head = services.stakeholders.create(name="Jo Head", kind="person", sector="education", organisation=met,
                                        influence=2, interest=2, tags="schools")
    forum = services.stakeholders.create(name="Havering Faith Forum", sector="faith")
    return {"met": met, "trust": trust, "head": head, "forum": forum}


@pytest.fixture
def page(qtbot, partners):
    p = PowerMapPage()
    qtbot.addWidget(p)
    p.resize(1100, 760)
    p.show()
    qtbot.waitUntil(lambda: bool(p.view.map.items_by_id))
    return p


def test_each_scored_stakeholder_is_a_point_in_its_cell_and_the_unscored_are_listed(page, partners):
    items = page.view.map.items_by_id
    assert {i.point.name: i.point.cell for i in items.values()} == {
        "Metropolitan Police Service": (5, 4), "Ben Kinsella Trust": (2, 5), "Jo Head": (2, 2)}
    geometry = page.view.map.geometry
    for item in items.values():
        assert geometry.cell_at(item.dot_centre()) == item.point.cell
    assert items[partners["head"].id].toolTip().startswith("Jo Head — Metropolitan Police Service")
    assert page.unscored_title.text() == "Not scored (1)"
    assert page.unscored_model.points[0].name == "Havering Faith Forum"
    assert page.summary.text() == ("Stakeholders by quadrant today: Manage closely: 1 · Keep satisfied: 0 · "
                                   "Keep informed: 1 · Monitor: 1 · Not scored: 1.")
    assert page.view.accessibleName() == "Power/interest map"
    assert page.summary.text() in page.view.accessibleDescription()


def test_points_sharing_a_cell_do_not_hide_each_other(qtbot, db):
    services.stakeholders.create_many([{"name": f"Youth club {n:02}", "influence": 3, "interest": 3}
                                       for n in range(40)])
    p = PowerMapPage()
    qtbot.addWidget(p)
    p.resize(1100, 760)
    p.show()
    qtbot.waitUntil(lambda: len(p.view.map.items_by_id) == 40)
    rects = [i.mapRectToScene(i.boundingRect().adjusted(3, 3, -3, -3)) for i in p.view.map.items_by_id.values()]
    assert not any(a.intersects(b) for n, a in enumerate(rects) for b in rects[n + 1:])
    cell = p.view.map.geometry.cell_rect(3, 3)
    assert all(cell.contains(r.center()) for r in rects)


def test_a_drag_moves_the_point_stores_the_snapped_scores_and_audits_it(page, partners, qtbot):
    trust = partners["trust"]
    drag_point(page.view, trust.id, (4, 2))
    qtbot.waitUntil(lambda: scores(trust) == (4, 2))
    assert score_changes(trust) == {("influence", "2", "4"), ("interest", "5", "2")}
    assert AuditEntry.select().where(AuditEntry.record_uuid == trust.uuid,
                                     AuditEntry.operation == "update").first().user == "test user"
    qtbot.waitUntil(lambda: page.view.map.items_by_id[trust.id].point.cell == (4, 2))
    assert Stakeholder.get_by_id(trust.id).version == 2


def test_a_drag_within_its_cell_or_off_the_map_changes_nothing(page, partners, qtbot):
    met = partners["met"]
    start = point_pos(page.view, met.id)
    drag(page.view, start, cell_pos(page.view, (5, 4)))
    drag(page.view, start, start + type(start)(0, -page.view.height()))  # far above the map
    QApplication.processEvents()
    assert scores(met) == (5, 4) and score_changes(met) == set()
    item = page.view.map.items_by_id[met.id]
    assert page.view.map.geometry.cell_at(item.dot_centre()) == (5, 4)  # back where it was


def test_a_click_opens_the_record(page, partners, qtbot):
    with qtbot.waitSignal(page.open_link) as opened:
        click_point(page.view, partners["met"].id)
    assert opened.args == ["stakeholders", partners["met"].id]


def test_dropping_an_unscored_stakeholder_scores_it(page, partners, qtbot):
    forum = partners["forum"]
    data = page.unscored_model.mimeData([page.unscored_model.index(0)])
    port = page.view.viewport()
    target = cell_pos(page.view, (3, 4))
    actions, left, none = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction, Qt.MouseButton.LeftButton, \
        Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(target, actions, data, left, none)
    QApplication.sendEvent(port, enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(target, actions, data, left, none)
    QApplication.sendEvent(port, move)
    assert move.isAccepted()
    QApplication.sendEvent(port, QDropEvent(QPointF(target), actions, data, left, none))
    qtbot.waitUntil(lambda: scores(forum) == (3, 4))
    assert score_changes(forum) == {("influence", None, "3"), ("interest", None, "4")}
    qtbot.waitUntil(lambda: page.unscored_title.text() == "Not scored (0)")
    assert page.view.map.items_by_id[forum.id].point.cell == (3, 4)


def test_the_keyboard_reaches_chooses_moves_and_opens(page, partners, qtbot):
    page.activateWindow()
    page.as_of.setFocus()
    qtbot.waitUntil(page.as_of.hasFocus)
    qtbot.keyClick(page.as_of, Qt.Key.Key_Tab)
    assert page.view.hasFocus()  # the map is in the Tab order
    assert page.view.map.selected_point().name == "Ben Kinsella Trust"  # the first, by name
    qtbot.keyClick(page.view, Qt.Key.Key_PageDown)
    assert page.view.map.selected_point().name == "Jo Head"
    qtbot.keyClicks(page.view, "met")
    head, met = partners["head"], partners["met"]
    assert page.view.map.selected_point().id == met.id
    assert page.chosen.text() == ("Chosen: Metropolitan Police Service: influence 5, interest 4 — Manage closely.")
    assert page.chosen.text() in page.view.accessibleDescription()
    qtbot.keyClick(page.view, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: scores(met) == (5, 3))
    qtbot.keyClick(page.view, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: scores(met) == (4, 3))
    qtbot.keyClick(page.view, Qt.Key.Key_Up)
    qtbot.keyClick(page.view, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: scores(met) == (5, 3))  # 5 is the top of the scale: the second Up did nothing
    assert score_changes(met) >= {("interest", "4", "3"), ("influence", "5", "4"), ("influence", "4", "5")}
    assert scores(head) == (2, 2)
    with qtbot.waitSignal(page.open_link) as opened:
        qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert opened.args == ["stakeholders", met.id]


def test_filters_show_only_matching_stakeholders(page, partners, qtbot):
    choose(qtbot, page.filters.widget("kind"), "Person")
    map_read(qtbot, page)
    assert {i.point.name for i in page.view.map.items_by_id.values()} == {"Jo Head"}
    page.filters.widget("kind").setCurrentIndex(0)
    map_read(qtbot, page)
    choose(qtbot, page.filters.widget("tag"), "summit")
    map_read(qtbot, page)
    assert {i.point.name for i in page.view.map.items_by_id.values()} == {"Metropolitan Police Service"}
    page.filters.widget("tag").setCurrentIndex(0)
    map_read(qtbot, page)
    choose(qtbot, page.filters.widget("sector"), "Voluntary / charity")
    map_read(qtbot, page)
    assert {i.point.name for i in page.view.map.items_by_id.values()} == {"Ben Kinsella Trust"}
    assert page.unscored_title.text() == "Not scored (0)"


def test_history_at_an_event_shows_the_old_place_and_an_arrow_to_now(qtbot, partners, clock):
    met, trust, head = partners["met"], partners["trust"], partners["head"]
    for record in (met, trust, head):
        backdate(record, dt.datetime(2018, 11, 1))
    services.events.create(title="Serious Violence Summit", kind="summit", date=SUMMIT)
    clock(dt.datetime(2019, 3, 1))
    services.stakeholders.update(met, influence=3, interest=2)
    p = PowerMapPage()
    qtbot.addWidget(p)
    p.resize(1100, 760)
    p.show()
    qtbot.waitUntil(lambda: bool(p.view.map.items_by_id))
    assert p.view.map.items_by_id[met.id].point.cell == (3, 2)
    choose(qtbot, p.as_of, "16/01/2019 · Serious Violence Summit")
    map_read(qtbot, p)
    assert p.view.map.items_by_id[met.id].point.cell == (5, 4)  # where it sat at the summit
    assert p.view.map.geometry.cell_at(p.view.map.items_by_id[met.id].dot_centre()) == (5, 4)
    assert set(p.view.map.items_by_id) == {met.id, trust.id, head.id}  # the forum came later
    arrows = [i for i in p.view.map.items() if isinstance(i, QGraphicsPathItem)]
    assert [a.toolTip() for a in arrows] == ["Metropolitan Police Service moved to influence 3, interest 2"]
    ghosts = [i for i in p.view.map.items() if isinstance(i, PointItem) and i.ghost]
    assert [(g.point.id, p.view.map.geometry.cell_at(g.dot_centre())) for g in ghosts] == [(met.id, (3, 2))]
    assert "16/01/2019" in p.summary.text() and "1 moved since" in p.note.text()
    drag_point(p.view, trust.id, (4, 4))  # the past is read-only
    QApplication.processEvents()
    assert scores(trust) == (2, 5)
    choose(qtbot, p.compare, "No arrows")
    map_read(qtbot, p)
    assert not [i for i in p.view.map.items() if isinstance(i, QGraphicsPathItem)]


def test_a_crowded_map_shows_counts_per_cell_until_filtered(qtbot, db):
    rows = [{"name": f"Partner {n:04}", "influence": n % 5 + 1, "interest": n // 5 % 5 + 1,
             "tags": "school" if n < 20 else ""} for n in range(LABEL_LIMIT + 100)]
    services.stakeholders.create_many(rows)
    p = PowerMapPage()
    qtbot.addWidget(p)
    p.resize(1100, 760)
    p.show()
    map_read(qtbot, p)
    assert p.view.map.counts_mode and not p.view.map.items_by_id
    counts = [i.text() for i in p.view.map.items() if i.toolTip().startswith(("16 stakeholders with",))]
    assert len(counts) == 25 and set(counts) == {"16"}  # 400 over 25 cells
    assert "400 stakeholders are on the map: each cell shows how many" in p.note.text()
    choose(qtbot, p.filters.widget("tag"), "school")
    map_read(qtbot, p)
    assert not p.view.map.counts_mode and len(p.view.map.items_by_id) == 20


def test_render_map_draws_vector_text_into_a_pdf(partners, qtbot, tmp_path):
    image = QImage(900, 600, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    summary = render_map(painter, QRectF(0, 0, 900, 600), dark=True)
    painter.end()
    assert summary == "Manage closely: 1 · Keep satisfied: 0 · Keep informed: 1 · Monitor: 1 · Not scored: 1"
    assert image.pixelColor(450, 5).lightness() < 60  # the dark background
    pdf = tmp_path / "map.pdf"
    writer = QPdfWriter(str(pdf))
    writer.setResolution(1200)
    painter = QPainter(writer)
    council = services.councils.all_councils()[0]
    services.stakeholders.update(partners["trust"], councils=[council])
    assert render_map(painter, QRectF(0, 0, writer.width(), writer.height()), council=council).startswith(
        "Manage closely: 0 · Keep satisfied: 0 · Keep informed: 1 ·")
    painter.end()
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed to read the PDF")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Keep informed (1)" in text and "Ben Kinsella Trust" in text and "Interest" in text
    assert "Metropolitan" not in text  # the council filter


def test_a_dark_palette_draws_a_dark_map_with_light_text(qtbot, partners):
    from PySide6.QtGui import QColor, QPalette

    app = QApplication.instance()
    before = app.palette()
    dark = QPalette(before)
    dark.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e6e6e6"))
    app.setPalette(dark)
    try:
        p = PowerMapPage()
        qtbot.addWidget(p)
        p.resize(1100, 760)
        p.show()
        qtbot.waitUntil(lambda: bool(p.view.map.items_by_id))
        image = p.view.grab().toImage()
    finally:
        app.setPalette(before)
    assert p.view.map.colours.dark
    assert image.pixelColor(image.width() // 2, 2).lightness() < 60
    item = p.view.map.items_by_id[partners["met"].id]
    assert item.colours.text.lightness() > 200  # its name in light text
