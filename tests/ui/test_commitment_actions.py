"""From a commitment: add an action prefilled from it, and see and open its actions."""

from PySide6.QtCore import Qt

from tests.ui.conftest import activate
from tracker import services


def commitment_with_one_council():
    for c in services.commitments.page(0, 100):
        if len(services.commitments.councils_of(c)) == 1:
            return c
    raise AssertionError("the demo has a commitment with one council")


def test_a_new_action_for_a_commitment_starts_with_it_its_maker_and_council(window, qtbot):
    commitment = commitment_with_one_council()
    council = services.commitments.councils_of(commitment)[0]
    page = window.open_record("commitments", commitment.id) and window.pages["commitments"]
    links = page.editor.links
    page.editor.tabs.setCurrentWidget(links)
    button = links.sections["Actions"].new_button
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)  # the keyboard presses it as a click would
    assert window.current_view() == "actions"
    editor = window.pages["actions"].editor
    assert editor.record is None
    assert editor.fields["commitment"].get() == commitment
    assert editor.fields["owner"].get() == commitment.made_by
    assert editor.fields["council"].get() == council
    assert editor.fields["title"].input.hasFocus() or not window.isActiveWindow()
    qtbot.keyClicks(editor.fields["title"].input, "Book the first workshop")
    assert editor.save()
    action = editor.record
    assert (action.commitment_id, action.owner_id, action.council_id) == (commitment.id, commitment.made_by_id,
                                                                          council.id)

    # the commitment's page lists it at once, and opening it goes to the action
    window.open_record("commitments", commitment.id)
    actions = links.sections["Actions"].list
    item = activate(actions, "Book the first workshop")
    assert item is not None and window.current_view() == "actions" and editor.record.id == action.id


def test_with_several_councils_the_home_council_is_chosen_when_among_them(window, qtbot):
    commitment = next(c for c in services.commitments.page(0, 100)
                      if len(services.commitments.councils_of(c)) > 1)
    home = services.commitments.councils_of(commitment)[-1]
    services.set_actor("test user", home.name)
    assert services.actions.for_commitment(commitment)["council"] == home
    services.set_actor("test user", "")
    assert "council" not in services.actions.for_commitment(commitment)
