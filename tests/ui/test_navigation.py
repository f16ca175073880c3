"""Search, filters, links both ways, updates, history, the grid, the overview, the unsaved prompt."""

import datetime as dt

from PySide6.QtCore import Qt

from tracker import records, services, vocab
from tests.ui.conftest import activate, choose, select_row
from tests.ui.map_driver import click_point, map_read
from ui import dialogs


def test_search_filters_as_you_type(window, qtbot):
    page = window.show_view("stakeholders")
    everyone = page.model.total
    page.search.setText("kinsella")
    qtbot.waitUntil(lambda: page.model.total == 1)
    assert page.model.rows[0].name == "Ben Kinsella Trust"
    assert page.count_label.text() == "1 stakeholder"
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.total == everyone)


def test_filters_build_the_services_filter_dict(window):
    page = window.show_view("actions")
    havering = services.councils.find("Havering")
    page.filter_widget("council").set_value(havering)
    page.filter_widget("overdue").setChecked(True)
    assert window.current_filters("actions") == {"council": havering, "overdue": True}
    assert page.model.total == services.actions.count(filters={"council": havering, "overdue": True}) > 0
    assert all(a.council_id == havering.id and a.due_date < dt.date.today() for a in page.model.rows)
    page.filter_widget("overdue").setChecked(False)
    page.filter_widget("status").set_value("done")
    assert {a.status for a in page.model.rows} == {"done"}
    page.filter_widget("status").set_value(None)
    page.filter_widget("due_within").set_value(30)
    soon = dt.date.today() + dt.timedelta(days=30)
    assert all(dt.date.today() <= a.due_date <= soon for a in page.model.rows)
    people = page.filter_widget("owner")
    assert people._choices is None  # the long list of people is read when the filter is first used
    owner = next(a.owner for a in services.actions.page(0, 200) if a.owner_id)
    page.filter_widget("due_within").set_value(None)
    page.filter_widget("council").set_value(None)
    page.filter_widget("owner").set_value(owner)
    assert window.current_filters("actions") == {"owner": owner}
    assert page.model.total == services.actions.count(filters={"owner": owner}) > 0
    assert all(a.owner_id == owner.id for a in page.model.rows)

    stakeholders = window.show_view("stakeholders")
    stakeholders.filter_widget("sector").set_value("faith")
    stakeholders.filter_widget("quadrant").set_value("keep_informed")
    assert stakeholders.model.total > 0
    assert all(s.sector == "faith" and s.influence < 3 <= s.interest for s in stakeholders.model.rows)


def test_unsaved_edits_are_never_lost_silently(window, answers):
    page = window.show_view("stakeholders")
    first = select_row(page, 0)
    page.editor.fields["role"].input.setText("Edited")
    page.editor.fields["role"].input.textEdited.emit("Edited")
    assert window.isWindowModified()  # the title shows "*"
    answers.unsaved = [dialogs.CANCEL]
    select_row(page, 1)
    assert answers.asked[-1][0] == "unsaved"
    assert page.editor.record.id == first.id and page.editor.fields["role"].get() == "Edited"
    assert page.table.currentIndex().row() == 0  # the selection went back to the edited record

    answers.unsaved = [dialogs.SAVE]
    second = select_row(page, 1)
    assert services.stakeholders.get(first.id).role == "Edited"
    assert page.editor.record.id == second.id and not window.isWindowModified()
    assert page.model.record(page.table.currentIndex().row()).id == second.id

    page.editor.fields["role"].input.textEdited.emit("x")
    answers.unsaved = [dialogs.DISCARD]
    page.new_record()
    assert page.editor.record is None and services.stakeholders.get(second.id).role == second.role

    # Closing the window asks too; Cancel keeps it open.
    page.editor.fields["name"].input.setText("Half-typed new stakeholder")
    page.editor.fields["name"].input.textEdited.emit("x")
    window.show_view("home")
    answers.unsaved = [dialogs.CANCEL]
    assert not window.close()
    assert window.isVisible() and window.current_view() == "stakeholders"
    answers.unsaved = [dialogs.DISCARD]
    assert window.close()


def test_stakeholder_links_lead_both_ways(window):
    page = window.pages["stakeholders"]
    trust = services.stakeholders.find_by_name("Ben Kinsella Trust")[0]
    assert window.open_record("stakeholders", trust.id)
    links = page.editor.links
    member = services.stakeholders.members(trust)[0]
    activate(links.sections["Members"].list, member.name)
    assert window.current_view() == "stakeholders" and page.editor.record.id == member.id
    activate(page.editor.links.sections["Organisation"].list, "Ben Kinsella Trust")
    assert page.editor.record.id == trust.id

    made = services.commitments.page(0, 1, filters={"made_by": trust})[0]
    activate(page.editor.links.sections["Commitments made"].list, made.title)
    commitments = window.pages["commitments"]
    assert window.current_view() == "commitments" and commitments.editor.record.id == made.id
    assert "Rolled-up RAG" in commitments.editor.links.summary.text()
    activate(commitments.editor.links.sections["Made by"].list, trust.name)
    assert window.current_view() == "stakeholders" and page.editor.record.id == trust.id

    action = services.actions.of_commitment(made)[0]
    window.open_record("commitments", made.id)
    activate(commitments.editor.links.sections["Actions"].list, action.reference)
    actions = window.pages["actions"]
    assert window.current_view() == "actions" and actions.editor.record.id == action.id
    activate(actions.editor.links.sections["Owner"].list, action.owner.name)
    assert page.editor.record.id == action.owner_id
    assert action.reference in "".join(page.editor.links.sections["Actions owned"].list.item(i).text()
                                       for i in range(page.editor.links.sections["Actions owned"].list.count()))


def test_event_attendance_is_editable_and_linked(window, qtbot):
    page = window.show_view("events")
    event = select_row(page, 0)
    attendance = page.editor.links.attendance
    before = len(services.attendance.attendees(event))
    present = {a.stakeholder_id for a in services.attendance.attendees(event)}
    newcomer = next(s for s in services.stakeholders.page(0, 500, sort="name") if s.id not in present)
    page.editor.tabs.setCurrentWidget(page.editor.links)
    attendance.person.setFocus()
    qtbot.keyClicks(attendance.person, newcomer.name)  # typed, and chosen from what matches
    row = next(n for n, c in enumerate(attendance.person.model.rows) if getattr(c, "id", None) == newcomer.id)
    attendance.person.choose(attendance.person.model.rows[row])
    person_id = attendance.person.value().id
    assert person_id == newcomer.id
    attendance.role.setText("speaker")
    attendance.add_button.click()
    rows = services.attendance.attendees(event)
    assert len(rows) == before + 1 and any(a.stakeholder_id == person_id and a.role == "speaker" for a in rows)
    person = services.stakeholders.get(person_id)
    item = activate(attendance.list, person.name)
    stakeholders = window.pages["stakeholders"]
    assert stakeholders.editor.record.id == person_id
    assert event.title in stakeholders.editor.links.sections["Events attended"].list.item(0).text() or any(
        event.title in stakeholders.editor.links.sections["Events attended"].list.item(i).text()
        for i in range(stakeholders.editor.links.sections["Events attended"].list.count()))
    window.open_record("events", event.id)
    attendance.list.setCurrentItem(next(attendance.list.item(i) for i in range(attendance.list.count())
                                        if attendance.list.item(i).text() == item.text()))
    attendance.remove_button.click()
    assert len(services.attendance.attendees(event)) == before


def test_updates_and_history(window, qtbot):
    page = window.show_view("actions")
    action = select_row(page, 0)
    panel = page.editor.updates
    page.editor.tabs.setCurrentWidget(panel)
    panel.text.setFocus()
    qtbot.keyClicks(panel.text, "Venue booked")
    qtbot.keyClick(panel.text, Qt.Key.Key_Return)  # a new line, not the end of the update
    qtbot.keyClicks(panel.text, "Deposit paid")
    assert services.updates.of(action) == [] or services.updates.of(action)[0].text != "Venue booked"
    qtbot.keyClick(panel.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter adds it
    assert services.updates.of(action)[0].text == "Venue booked\nDeposit paid"
    assert services.updates.of(action)[0].date == dt.date.today()
    assert "Venue booked\nDeposit paid" in panel.list.item(0).text() and "test user" in panel.list.item(0).text()
    assert panel.text.toPlainText() == ""
    panel.add_button.click()  # empty text: a message, nothing saved
    assert not panel.error.isHidden() and "required" in panel.error.text()

    choose(qtbot, page.editor.fields["priority"].input, "Low")
    assert page.save()
    rows = page.editor.history.rows()
    assert rows[0][2] == "Created"
    assert rows[-1][1:] == ["test user", f"Priority: {vocab.PRIORITIES[action.priority]} → Low"]


def test_grid_places_and_opens_stakeholders(window, qtbot):
    window.resize(1366, 768)  # a council laptop's screen: room for every demo point (crowded cells show counts)
    grid = window.show_view("grid")
    map_read(qtbot, grid)
    assert set(grid.view.map.items_by_id) == {s.id for s in services.stakeholders.grid()}
    met = services.stakeholders.find_by_name("Metropolitan Police Service")[0]
    click_point(grid.view, met.id)
    assert window.current_view() == "stakeholders"
    assert window.pages["stakeholders"].editor.record.id == met.id


def test_dashboard_counts_and_opens_overdue_actions(window):
    home = window.show_view("home")
    assert f"{services.actions.count():,} actions" in home.totals.text()
    assert home.tiles["overdue"].number.text() == str(services.actions.count(filters={"overdue": True}))
    home.tiles["overdue"].click()
    assert window.current_view() == "actions"
    page = window.pages["actions"]
    assert page.model.total == services.actions.count(filters={"overdue": True})
    assert all(page.model.record(r).due_date < dt.date.today() for r in range(page.model.rowCount()))


def test_keyboard_shortcuts_and_accessible_names(window):
    shortcuts = {k: window.actions[k].shortcut().toString() for k in ("new", "save", "find", "quit", "refresh")}
    assert shortcuts == {"new": "Ctrl+N", "save": "Ctrl+S", "find": "Ctrl+F", "quit": "Ctrl+Q", "refresh": "F5"}
    assert window.actions["delete"].shortcut().toString() == "Del"
    assert set(window.menus) >= {"file", "edit", "view", "reports", "help"}
    page = window.show_view("actions")
    window.actions["find"].trigger()
    assert page.search.hasFocus() or window.focusWidget() is page.search or not window.isActiveWindow()
    for field in page.editor.fields.values():
        assert field.input.accessibleName()
    for widget in page.filters:
        assert widget.accessibleName()
    assert page.table.accessibleName() == "Actions list"


def test_history_names_linked_records(window, qtbot):
    page = window.show_view("actions")
    action = select_row(page, 0)
    other = services.stakeholders.find_by_name("Ben Kinsella Trust")[0]
    picker = page.editor.fields["owner"].input
    picker.setFocus()
    picker.selectAll()
    qtbot.keyClicks(picker, "kinsella trust")
    qtbot.keyClick(picker.popup, Qt.Key.Key_Return)
    assert page.editor.fields["owner"].get().id == other.id
    assert page.save()
    assert page.editor.history.rows()[-1][2] == f"Owner: {action.owner.name} → Ben Kinsella Trust"


def test_history_shows_words_and_uk_dates_not_stored_codes(window, qtbot):
    page = window.show_view("actions")
    action = next(a for a in services.actions.page(0, 50) if a.status == "open")
    page.open_record(action.id)
    choose(qtbot, page.editor.fields["status"].input, "Done")
    due = page.editor.fields["due_date"].input
    due.setFocus()
    due.selectAll()
    qtbot.keyClicks(due, "15/01/2027")
    assert page.save()
    changes = [row[2] for row in page.editor.history.rows()]
    was = records.ACTION["due_date"].show(action.due_date)
    assert "Status: Open → Done" in changes and f"Due date: {was} → 15/01/2027" in changes
    assert not any("2027-01-15" in c or "done" in c.split(" → ")[-1] for c in changes)
    when = page.editor.history.rows()[-1][0]
    assert when[2] == when[5] == "/" and len(when.split()[0]) == 10  # dd/mm/yyyy hh:mm
    history = page.editor.history  # a change cut short by a narrow tab is whole in its tooltip
    assert all(history.topLevelItem(i).toolTip(2).startswith(history.topLevelItem(i).text(2))
               for i in range(history.topLevelItemCount()))


def test_delete_key_deletes_the_record_but_not_text_being_typed(window, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    page = window.show_view("events")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    event = select_row(page, 0)
    title = page.editor.fields["title"].input
    title.setFocus()
    title.setCursorPosition(0)
    QTest.keyClick(title, Qt.Key.Key_Delete)  # deletes a character, not the event
    assert title.text() == event.title[1:]
    assert not services.events.get(event.id, include_deleted=True).is_deleted
    page.editor.revert()
    page.table.setFocus()
    QTest.keyClick(page.table, Qt.Key.Key_Delete)
    assert services.events.get(event.id, include_deleted=True).is_deleted


def test_a_record_can_be_created_with_the_keyboard_alone(window, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keySequence(window, QKeySequence("Ctrl+5"))  # Actions
    assert window.current_view() == "actions"
    page = window.pages["actions"]
    QTest.keySequence(window, QKeySequence("Ctrl+N"))
    assert page.editor.record is None
    title = page.editor.fields["title"].input
    qtbot.waitUntil(title.hasFocus)
    QTest.keyClicks(title, "Phone the venue")
    QTest.keySequence(window, QKeySequence("Ctrl+S"))
    assert page.editor.record is not None and page.editor.record.title == "Phone the venue"
    QTest.keySequence(window, QKeySequence("Ctrl+F"))
    qtbot.waitUntil(page.search.hasFocus)
    QTest.keyClicks(page.search, "Phone the venue")
    qtbot.waitUntil(lambda: page.model.total == 1)
    QTest.keyClick(page.search, Qt.Key.Key_Tab)  # on to the filters and the list
    assert not page.search.hasFocus()
