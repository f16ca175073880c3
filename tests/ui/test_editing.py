"""Create, edit, delete and restore every record kind through the widgets; validation; stale edits."""

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tracker import services
from tests.ui.conftest import choose, select_row
from ui import dialogs
from ui.dateedit import DateEdit
from ui.pickers import RecordPicker


def fill(editor, **values):
    """Type into the editor's fields as a user would (each marks the editor as edited)."""
    for name, value in values.items():
        field = editor.fields[name]
        if isinstance(field.input, RecordPicker):  # tests/ui/test_pickers.py types into them
            field.set(value)
            field.input.chosen.emit()
        elif isinstance(field.input, DateEdit):  # typed as keystrokes (tests/ui/test_date_fields.py types every form)
            field.input.selectAll()
            QTest.keyClicks(field.input, value.strftime("%d/%m/%Y"))
        elif hasattr(field.input, "setText") and not hasattr(field.input, "setPlainText"):
            field.input.setText(value)
            field.input.textEdited.emit(value)
        elif hasattr(field.input, "setPlainText"):
            field.input.setPlainText(value)
        elif hasattr(field, "boxes"):
            for box, council in field.boxes:
                box.setChecked(council.name in value)
        else:
            field.set(value)
            field.input.activated.emit(field.input.currentIndex())


def test_create_edit_delete_restore_a_stakeholder(window, qtbot):
    page = window.show_view("stakeholders")
    window.actions["new"].trigger()
    fill(page.editor, name="Dagenham Boxing Club", sector="community", email="info@boxing.example",
         councils=["Barking and Dagenham"], influence=2, interest=5)
    assert page.editor.dirty
    window.actions["save"].trigger()
    club = services.stakeholders.find_by_name("Dagenham Boxing Club")[0]
    assert club.interest == 5 and [c.name for c in services.stakeholders.councils_of(club)] == ["Barking and Dagenham"]
    assert not page.editor.dirty and page.editor.record.id == club.id
    assert page.table.currentIndex().row() == page.model.row_of(club.id)  # the list shows it, selected

    fill(page.editor, role="Boxing for young people", phone="020 8000 0000")
    page.editor.save_button.click()
    assert services.stakeholders.get(club.id).phone == "020 8000 0000"

    window.actions["delete"].trigger()
    assert services.stakeholders.get(club.id, include_deleted=True).is_deleted
    assert page.model.row_of(club.id) == -1

    deleted = window.show_view("deleted")
    deleted.search.setText("Boxing Club")
    qtbot.waitUntil(lambda: deleted.model.search == "Boxing Club" and deleted.model.total == 1)
    assert deleted.model.headerData(len(deleted.model.columns) - 1, Qt.Orientation.Horizontal) == "Deleted on"
    assert deleted.model.data(deleted.model.index(0, len(deleted.model.columns) - 1)).count("/") == 2
    deleted.table.setCurrentIndex(deleted.model.index(0, 0))
    window.actions["restore"].trigger()
    assert not services.stakeholders.get(club.id).is_deleted
    assert deleted.model.total == 0
    assert page.model.total == services.stakeholders.count()


def test_deleted_items_headers_say_what_each_column_holds(window, qtbot):
    trust = services.stakeholders.create(kind="organisation", name="Quiet Partner Trust", sector="voluntary",
                                         influence=4, interest=2)
    services.stakeholders.delete(trust)
    deleted = window.show_view("deleted")
    deleted.search.setText("Quiet Partner")
    qtbot.waitUntil(lambda: deleted.model.search == "Quiet Partner" and deleted.model.total == 1)
    model = deleted.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    # Not "Grid" (it holds the power/interest quadrant) nor "Note" (it holds the record a merge kept).
    assert headers == ["Name", "Kind", "Sector", "Role", "Influence", "Interest", "Quadrant", "Merged into",
                       "Deleted on"]
    cells = dict(zip(headers, (model.data(model.index(0, c)) for c in range(model.columnCount()))))
    assert (cells["Name"], cells["Quadrant"], cells["Merged into"]) == ("Quiet Partner Trust", "Keep satisfied", "")



def test_deleted_items_fit_their_columns_when_their_rows_come(window, qtbot):
    """The list's stretched last column, before the first fitting, is not a width the user chose: the
    Deleted items list is fitted like the others (it kept Qt's 100-pixel columns, Role and scores shown)."""
    window.resize(1366, 768)
    services.stakeholders.delete(services.stakeholders.create(name="Quiet Partner Trust", kind="organisation"))
    deleted = window.show_view("deleted")
    qtbot.waitUntil(lambda: deleted.model.total >= 1)
    header = deleted.table.horizontalHeader()
    headers = [deleted.model.headerData(c, Qt.Orientation.Horizontal) for c in range(header.count())]
    qtbot.waitUntil(lambda: header.isSectionHidden(headers.index("Role")))
    shown = [h for c, h in enumerate(headers) if not header.isSectionHidden(c)]
    assert shown == ["Name", "Kind", "Sector", "Quadrant", "Merged into", "Deleted on"]
    assert header.sectionSize(headers.index("Name")) > 3 * header.sectionSize(headers.index("Kind"))
    # The last column fitted to its date and time too (it fell back to 100 pixels: "02/12/2026 0…").
    last = headers.index("Deleted on")
    assert header.sectionSize(last) >= deleted.table.sizeHintForColumn(last) > 100

def test_create_edit_delete_restore_an_event(window):
    page = window.show_view("events")
    page.new_button.click()
    fill(page.editor, title="Havering community safety meeting", kind="meeting", date=dt.date(2024, 3, 5),
         place="Romford Town Hall")
    page.editor.fields["council"].set(services.councils.find("Havering"))
    assert page.save()
    event = services.events.page(0, 1, search="Havering community safety")[0]
    assert event.date == dt.date(2024, 3, 5) and event.council.name == "Havering"
    fill(page.editor, place="Havering Town Hall, Romford")
    assert page.save()
    assert services.events.get(event.id).place == "Havering Town Hall, Romford"
    assert page.delete_current()
    window.show_view("deleted").kind.setCurrentIndex(1)
    deleted = window.pages["deleted"]
    deleted.table.setCurrentIndex(deleted.model.index(deleted.model.row_of(event.id), 0))
    assert deleted.restore_current()
    assert not services.events.get(event.id).is_deleted


def test_create_edit_delete_restore_a_commitment(window, qtbot):
    page = window.show_view("commitments")
    page.new_record()
    trust = services.stakeholders.find_by_name("Ben Kinsella Trust")[0]
    fill(page.editor, title="Knife crime workshops in every Havering secondary school",
         target_date=dt.date(2030, 7, 1), councils=["Havering"])
    page.editor.fields["made_by"].set(trust)
    assert page.save()
    com = page.editor.record
    assert com.made_by.id == trust.id and com.target_date == dt.date(2030, 7, 1)
    choose(qtbot, page.editor.fields["status"].input, "Agreed")
    assert page.editor.dirty
    assert page.save() and services.commitments.get(com.id).status == "agreed"
    assert page.delete_current()
    services.commitments.restore(services.commitments.get(com.id, include_deleted=True))
    deleted = window.show_view("deleted")
    deleted.kind.setCurrentIndex(2)
    assert deleted.model.row_of(com.id) == -1


def test_create_edit_delete_restore_an_action(window, qtbot):
    services.set_actor("test user", "Redbridge")
    page = window.show_view("actions")
    page.new_record()
    fill(page.editor, title="Book the venue for the youth forum", due_date=dt.date(2031, 2, 28))
    assert page.save()
    action = page.editor.record
    assert action.reference.startswith("RED-A") and action.status == "open"
    assert page.model.record(page.table.currentIndex().row()).id == action.id
    choose(qtbot, page.editor.fields["status"].input, "Done")
    assert page.editor.dirty
    assert page.save()
    assert services.actions.get(action.id).status == "done"
    assert page.delete_current()
    deleted = window.show_view("deleted")
    deleted.kind.setCurrentIndex(3)
    deleted.table.setCurrentIndex(deleted.model.index(deleted.model.row_of(action.id), 0))
    assert deleted.restore_current()
    window.show_view("actions")
    assert page.model.total == services.actions.count()


def test_validation_messages_sit_next_to_the_fields(window):
    page = window.show_view("stakeholders")
    page.new_record()
    fill(page.editor, name="", email="not an address", website="www.example.org")
    before = services.stakeholders.count()
    assert not page.save()
    fields = page.editor.fields
    assert fields["name"].error.isVisibleTo(page.editor) and fields["name"].error.text() == "Name is required."
    assert "email address" in fields["email"].error.text()
    assert "http://" in fields["website"].error.text()
    assert not fields["sector"].error.isVisibleTo(page.editor)
    assert services.stakeholders.count() == before and page.editor.dirty
    fill(page.editor, name="Fixed", email="ok@example.org", website="https://example.org")
    assert page.save()
    assert not fields["email"].error.isVisibleTo(page.editor)

    commitments = window.show_view("commitments")
    commitments.new_record()
    fill(commitments.editor, title="Dates the wrong way round", date_made=dt.date(2024, 5, 1),
         target_date=dt.date(2024, 4, 1))
    assert not commitments.save()
    errors = commitments.editor.fields
    assert errors["made_by"].error.text() == "Made by is required."
    assert "before the date" in errors["target_date"].error.text()


def test_dates_use_uk_format_with_a_calendar(window):
    page = window.show_view("actions")
    date_edit = page.editor.fields["due_date"].input
    assert date_edit.placeholderText() == "dd/mm/yyyy" and "calendar" in date_edit.calendar_action.toolTip()
    record = select_row(page, 0)
    assert date_edit.text() == record.due_date.strftime("%d/%m/%Y")


def test_stale_edit_asks_reload_or_keep(window, answers):
    # A record changed elsewhere while it is not being edited is shown again at once (see
    # test_the_shown_record_follows_a_change_made_elsewhere); the stale edit is one made meanwhile.
    page = window.show_view("stakeholders")
    record = select_row(page, 0)
    fill(page.editor, role="My change")
    services.stakeholders.update(record, role="Changed elsewhere")  # another window or the CLI
    answers.stale = [dialogs.KEEP]
    assert not page.save()
    assert answers.asked[-1][0] == "stale" and page.editor.dirty
    assert page.editor.fields["role"].get() == "My change"
    assert page.save()  # saving again applies the edit over the other version, knowingly
    assert services.stakeholders.get(record.id).role == "My change"

    fill(page.editor, role="Lost on reload")
    services.stakeholders.update(record, role="Changed again elsewhere")
    answers.stale = [dialogs.RELOAD]
    assert not page.save()
    assert page.editor.fields["role"].get() == "Changed again elsewhere" and not page.editor.dirty
