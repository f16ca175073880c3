"""Edit → Review held matches… shows every field a held row would set beside the candidate's values, and
Edit → Undo import… calls a partner's table's doubtful rows "held for review", not conflicts."""

from PySide6.QtCore import Qt

from tracker import services
from tracker.services import imports, tableimports
from tracker.tableimport import Options, import_table
from ui import heldreview
from ui.exchange import UndoImport


def _held(tmp_path):
    s = services.stakeholders
    forum = s.create(name="Redbridge Youth Forum", kind="organisation", sector="community")
    jonathan = s.create(name="Jonathan Whitfield", kind="person", organisation=forum, email="j.whitfield@example.org",
                        role="Chair", phone="020 7946 0001", sector="community",
                        councils=[services.councils.find("Redbridge")])
    margaret = s.create(name="Margaret Oyelaran", kind="person", organisation=forum, role="Treasurer")
    path = tmp_path / "forum.csv"
    path.write_text("Name,Organisation,Job title,Phone,Sector,Borough\n"
                    "Jonathon Whitfeld,Redbridge Youth Forum,Youth worker,7700900123,Charity,LBR; LBH\n"
                    "Margret Oyelaren,Redbridge Youth Forum,Treasurer,,,\n", encoding="utf-8")
    _, import_id = import_table(path, Options(kind="stakeholders"))
    assert [r.name for r in tableimports.held_rows()] == ["Jonathon Whitfeld", "Margret Oyelaren"]
    return jonathan, margaret, import_id


def test_the_review_shows_the_whole_row_beside_the_candidate(qtbot, window, tmp_path):
    jonathan, margaret, _ = _held(tmp_path)
    dialog = heldreview.HeldReview(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    compare = dialog.compare
    assert compare.horizontalHeaderItem(2).text() == "Held: Jonathan Whitfield"
    assert compare.line("Name") == ("Jonathon Whitfeld", "Jonathan Whitfield")
    assert compare.line("Organisation") == ("Redbridge Youth Forum", "Redbridge Youth Forum")
    assert compare.line("Role") == ("Youth worker", "Chair")
    assert compare.line("Phone") == ("07700900123", "020 7946 0001")  # the leading zero regained
    assert compare.line("Sector") == ("Voluntary / charity", "Community")
    assert compare.line("Councils") == ("Redbridge; Havering", "Redbridge")  # LBR and LBH, read as councils
    bold = {compare.item(r, 0).text() for r in range(compare.rowCount()) if compare.item(r, 1).font().bold()}
    assert bold == {"Name", "Role", "Phone", "Sector", "Councils"}  # the organisation agrees
    dialog.rows.setFocus()
    qtbot.waitUntil(dialog.rows.hasFocus)
    qtbot.keyClick(dialog.rows, Qt.Key.Key_Down)  # the next held row, from the keyboard
    assert compare.horizontalHeaderItem(2).text() == "Held: Margaret Oyelaran"
    assert compare.line("Role") == ("Treasurer", "Treasurer")
    assert compare.line("Phone") is None and compare.line("Sector") is None  # the row sets neither
    assert not any(compare.item(r, 1).font().bold() for r in range(compare.rowCount()) if r)  # only the name differs
    qtbot.mouseClick(dialog.link, Qt.MouseButton.LeftButton)  # decided on the whole picture: the same person
    assert dialog.rows.rowCount() == 1 and compare.line("Name") == ("Jonathon Whitfeld", "Jonathan Whitfield")
    assert [r.resolution for r in tableimports.held_rows(include_resolved=True) if r.resolved_at] == ["linked"]
    assert services.stakeholders.get(margaret.id).role == "Treasurer"
    qtbot.mouseClick(dialog.create, Qt.MouseButton.LeftButton)  # a youth worker elsewhere: someone else
    assert dialog.rows.rowCount() == 0 and compare.rowCount() == 0
    created = services.stakeholders.page(0, 5, search="Jonathon Whitfeld")
    assert [(p.name, p.role, p.phone) for p in created] == [("Jonathon Whitfeld", "Youth worker", "07700900123")]
    assert services.stakeholders.get(jonathan.id).role == "Chair"  # the held one untouched


def test_undo_import_lists_a_partners_table_with_rows_held_for_review(qtbot, window, tmp_path):
    _held(tmp_path)
    dialog = UndoImport(window, [r for r in imports.imports() if r.undone_at is None])
    qtbot.addWidget(dialog)
    text = dialog.list.item(0).text()
    assert text.endswith("forum.csv  from a partner's table: 0 added, 0 updated, 2 held for review"), text
    assert "conflict" not in text
