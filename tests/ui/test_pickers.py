"""Record pickers and the people filter read their long lists only when used, and keep the value shown."""

from playhouse.test_utils import count_queries

from tests.ui.conftest import select_row
from tracker import services


def test_showing_a_record_does_not_read_the_pickers_lists(window):
    page = window.show_view("actions")
    with count_queries() as counter:
        action = select_row(page, 0)
    lists = [q.msg[0] for q in counter.get_queries() if "ORDER BY" in q.msg[0]
             and ('FROM "commitment"' in q.msg[0] or 'FROM "stakeholder"' in q.msg[0])]
    assert lists == []
    owner = page.editor.fields["owner"]
    assert owner.input.count() <= 2  # "(none)" and the action's owner
    assert owner.get() == action.owner if action.owner_id else owner.get() is None

    owner.input.showPopup()  # the user opens the picker: now it lists every live stakeholder
    owner.input.hidePopup()
    assert owner.input.count() == services.stakeholders.count() + 1
    assert owner.get() == action.owner if action.owner_id else owner.get() is None
    assert not page.editor.dirty


def test_choosing_from_a_loaded_picker_saves_the_choice(window):
    page = window.show_view("actions")
    action = select_row(page, 0)
    field = page.editor.fields["owner"]
    field.input.showPopup()
    field.input.hidePopup()
    other = next(i for i in range(1, field.input.count()) if field.input.itemData(i).id != action.owner_id)
    field.input.setCurrentIndex(other)
    field.input.activated.emit(other)
    chosen = field.input.itemData(other)
    assert page.editor.dirty and page.save()
    assert services.actions.get(action.id).owner_id == chosen.id


def test_the_people_filter_keeps_its_choice_when_people_change(window):
    page = window.show_view("actions")
    people = page.filter_widget("owner")
    owner = services.stakeholders.find_by_name("Ben Kinsella Trust")[0]
    people.set_value(owner)
    assert people.value() == owner and page.model.total == services.actions.count(filters={"owner": owner})
    page.reload_filter_choices()  # e.g. after a stakeholder was saved elsewhere
    assert people.value() == owner
    people.showPopup()
    people.hidePopup()
    assert people.value() == owner and people.count() == services.stakeholders.count() + 1
