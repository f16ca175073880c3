"""Record pickers: type any part of a name (spaces, any case, accents) and choose by keyboard; namesakes
are told apart; a missing organisation or person is added in one step; lists are read only when used."""

from playhouse.test_utils import count_queries
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import select_row
from tracker import services
from tracker.services import choices
from ui import pickers
from ui.pickers import ChoiceModel, Offer


def shown(picker):
    return [picker.model.data(picker.model.index(r, 0)) for r in range(picker.model.rowCount())]


def type_into(qtbot, picker, text):
    picker.window().activateWindow()
    picker.setFocus()
    qtbot.waitUntil(picker.hasFocus)
    picker.selectAll()
    for char in text:
        if char.isascii():
            qtbot.keyClicks(picker, char)
        else:  # QTest types ASCII only: the key event a keyboard with the letter sends
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(picker, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def test_showing_a_record_does_not_read_the_pickers_lists(window):
    page = window.show_view("actions")
    with count_queries() as counter:
        action = select_row(page, 0)
    lists = [q.msg[0] for q in counter.get_queries() if 'FROM "commitment"' in q.msg[0] and "JOIN" in q.msg[0]
             or 'FROM "stakeholder" AS "t1" LEFT OUTER JOIN' in q.msg[0]]
    assert lists == []
    owner = page.editor.fields["owner"]
    assert owner.input._choices is None
    assert owner.get() == action.owner if action.owner_id else owner.get() is None
    assert not page.editor.dirty


def test_typing_a_name_with_a_space_finds_both_namesakes_told_apart(window, qtbot):
    page = window.show_view("actions")
    select_row(page, 0)
    picker = page.editor.fields["owner"].input
    type_into(qtbot, picker, "ben pat")
    assert picker.popup.isVisible()  # the space searched; it did not open a plain list
    rows = shown(picker)
    assert rows[:2] == ["Ben Patel — Victim Support, East London · Youth Mentor",
                        "Ben Patel — Romford Churches Together (demo) · Vicar"]
    assert all("patel" in r.lower() or "ben" in r.lower() for r in rows)
    qtbot.keyClick(picker.popup, Qt.Key.Key_Down)  # the second Ben Patel
    qtbot.keyClick(picker.popup, Qt.Key.Key_Return)
    vicar = services.stakeholders.get(picker.model.rows[1].id)
    assert picker.value() == vicar and picker.text() == rows[1] and not picker.popup.isVisible()
    assert page.editor.dirty and page.save()
    assert services.actions.get(page.editor.record.id).owner_id == vicar.id


def test_search_ignores_case_accents_and_punctuation(window, qtbot):
    amelie = services.stakeholders.create(kind="person", name="Amélie Dubois-Laurent")
    page = window.show_view("commitments")
    select_row(page, 0)
    picker = page.editor.fields["made_by"].input
    for typed in ("AMELIE", "dubois laur", "élie DUB"):
        type_into(qtbot, picker, typed)
        assert picker.model.rows[0].id == amelie.id, typed


def test_events_are_told_apart_by_their_date(window, qtbot):
    page = window.show_view("commitments")
    select_row(page, 0)
    picker = page.editor.fields["made_at"].input
    type_into(qtbot, picker, "Tri-borough Community")
    boards = [r for r in shown(picker) if r.startswith("Tri-borough Community Safety Partnership Board —")]
    assert len(boards) == 2 and len(set(boards)) == 2
    for row, text in zip(picker.model.rows, boards):
        event = services.events.get(row.id)
        assert text == f"{event.title} — {event.date:%d/%m/%Y} · {event.place}"


def test_adding_a_missing_organisation_from_the_picker_is_one_step(window, qtbot):
    people = window.show_view("stakeholders")
    page = people
    page.new_record()
    page.editor.fields["name"].set("Jo Bloggs")
    page.editor.fields["kind"].set("person")
    picker = page.editor.fields["organisation"].input
    type_into(qtbot, picker, "Dagenham Boxing Club")
    assert shown(picker) == ["Add ‘Dagenham Boxing Club’ as a new organisation"]
    assert picker.popup.currentIndex().row() == -1  # Enter or Tab never adds by accident
    qtbot.keyClick(picker.popup, Qt.Key.Key_Down)
    qtbot.keyClick(picker.popup, Qt.Key.Key_Return)
    club = services.stakeholders.find_by_name("Dagenham Boxing Club")
    assert len(club) == 1 and club[0].kind == "organisation"
    assert picker.value() == club[0]
    assert page.model.row_of(club[0].id) is not None  # announced: the list took it in
    assert page.save() and page.editor.record.organisation_id == club[0].id
    # and the picker offers it from now on, without being told
    type_into(qtbot, picker, "dagenham boxing")
    assert [r.id for r in picker.model.rows if not isinstance(r, Offer)] == [club[0].id]


def test_the_owner_picker_offers_a_person_or_an_organisation(window, qtbot):
    page = window.show_view("actions")
    select_row(page, 0)
    picker = page.editor.fields["owner"].input
    type_into(qtbot, picker, "Zara Okafor")
    assert shown(picker) == ["Add ‘Zara Okafor’ as a new person", "Add ‘Zara Okafor’ as a new organisation"]


def test_an_emptied_picker_is_no_record_and_text_naming_none_is_refused(window, qtbot):
    page = window.show_view("actions")
    action = next(a for a in services.actions.page(0, 50) if a.owner_id)
    page.open_record(action.id)
    picker = page.editor.fields["owner"].input
    type_into(qtbot, picker, "nobody of that name")
    qtbot.keyClick(picker.popup, Qt.Key.Key_Escape)
    assert not page.save()
    assert "must be chosen from the list" in page.editor.fields["owner"].error.text()
    type_into(qtbot, picker, "x")
    qtbot.keyClick(picker, Qt.Key.Key_Backspace)
    assert picker.value() is None
    assert page.save() and services.actions.get(action.id).owner_id is None


def test_typing_a_whole_name_held_once_and_leaving_chooses_it(window, qtbot):
    page = window.show_view("actions")
    select_row(page, 0)
    picker = page.editor.fields["owner"].input
    trust = services.stakeholders.find_by_name("Ben Kinsella Trust")[0]
    type_into(qtbot, picker, "ben kinsella trust")
    qtbot.keyClick(picker.popup, Qt.Key.Key_Escape)
    qtbot.keyClick(picker, Qt.Key.Key_Tab)
    assert picker.value() == trust


def test_down_opens_the_whole_list_with_the_chosen_record_current(window, qtbot):
    page = window.show_view("actions")
    action = next(a for a in services.actions.page(0, 50) if a.owner_id)
    page.open_record(action.id)
    picker = page.editor.fields["owner"].input
    picker.window().activateWindow()
    picker.setFocus()
    qtbot.waitUntil(picker.hasFocus)
    qtbot.keyClick(picker, Qt.Key.Key_Down)
    assert picker.popup.isVisible() and picker.model.rowCount() == services.stakeholders.count()
    assert picker.model.rows[picker.popup.currentIndex().row()].id == action.owner_id


def test_the_choice_model_passes_the_model_tester(window, qtmodeltester):
    model = ChoiceModel()
    model.set_rows(choices.stakeholders().search("pat") + [Offer("person", "Pat")])
    qtmodeltester.check(model)


def test_a_long_list_shows_the_first_matches_and_says_how_many_more(window, qtbot, monkeypatch):
    monkeypatch.setattr(pickers, "MAX_SHOWN", 10)
    page = window.show_view("actions")
    action = next(a for a in services.actions.page(0, 50) if a.owner_id)
    page.open_record(action.id)
    picker = page.editor.fields["owner"].input
    type_into(qtbot, picker, "a")
    everyone = picker.choices().search("a")
    assert len(everyone) > 10
    assert [r.id for r in picker.model.rows[:10]] == [c.id for c in everyone[:10]]
    more = picker.model.rows[10]
    assert isinstance(more, pickers.More) and more.text == f"… and {len(everyone) - 10:,} more of {len(everyone):,}: " \
                                                          "type more of the name"
    assert picker.model.flags(picker.model.index(10, 0)) == Qt.ItemFlag.NoItemFlags  # it cannot be chosen
    qtbot.keyClick(picker.popup, Qt.Key.Key_Escape)
    qtbot.keyClick(picker, Qt.Key.Key_Escape)  # the chosen owner again
    qtbot.keyClick(picker, Qt.Key.Key_Down)  # the whole list, around the chosen owner
    assert picker.model.rows[picker.popup.currentIndex().row()].id == action.owner_id
