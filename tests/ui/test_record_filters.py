"""The list filters choosing a person (the Actions list's owner, the Commitments list's maker) are the
app's record picker: typed and searched at 20,000 stakeholders, namesakes told apart, chosen and
cleared by keyboard, back to "Any owner"; the list then shows exactly the rows the services find."""

import random

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import shown_window
from tracker import services
from ui.filters import RecordFilter
from ui.pickers import NoRecord

N_STAKEHOLDERS = 20_000


def list_ids(page):
    """The ids of every row the list shows (read page by page, as scrolling would)."""
    return sorted(page.model.record(r).id for r in range(page.model.rowCount()))


def service_ids(service, filters):
    return sorted(r.id for r in service.page(0, 100_000, filters=filters))


def shown(picker):
    return [picker.model.data(picker.model.index(r, 0)) for r in range(picker.model.rowCount())]


def tab_into(qtbot, before, picker):
    """Focus ``before`` and press Tab: the picker is the next stop."""
    before.window().activateWindow()
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    qtbot.waitUntil(picker.hasFocus)


def choose_row(qtbot, picker, text):
    """Down from the best match until the current row is ``text``, then Enter."""
    rows = shown(picker)
    assert text in rows, rows
    for _ in range(rows.index(text) - max(picker.popup.currentIndex().row(), 0)):
        qtbot.keyClick(picker.popup, Qt.Key.Key_Down)
    assert picker.popup.currentIndex().data() == text
    qtbot.keyClick(picker.popup, Qt.Key.Key_Return)
    assert not picker.popup.isVisible()


def empty_by_keyboard(qtbot, picker):
    qtbot.keyClick(picker, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(picker, Qt.Key.Key_Backspace)


# ---- 20,000 stakeholders -----------------------------------------------------------------------------------

@pytest.fixture
def twenty_thousand(db):
    """20,000 stakeholders (made-up names at 200 organisations) and two Zoë Whitfields late in the
    alphabet, beyond the first 5,000 names, each owning actions and having made commitments."""
    rng = random.Random(15)
    syllables = ("ka", "lo", "mi", "ra", "te", "vu", "no", "shi", "da", "pe", "ri", "ba", "fe", "gu")
    word = lambda n: "".join(rng.choice(syllables) for _ in range(n)).capitalize()  # noqa: E731
    services.stakeholders.create_many({"name": f"{word(2)} {word(3)} Trust", "kind": "organisation"}
                                      for _ in range(198))
    zephyr = services.stakeholders.create(kind="organisation", name="Zephyr Youth Trust")
    yew = services.stakeholders.create(kind="organisation", name="Yewtree Academy")
    orgs = services.stakeholders.page(0, 200, filters={"kind": "organisation"})
    services.stakeholders.create_many({"name": f"{word(2)} {word(3)}", "kind": "person", "organisation": orgs[i % 200],
                                       "role": rng.choice(("Officer", "Inspector", "Head teacher", ""))}
                                      for i in range(N_STAKEHOLDERS - 202))
    mentor = services.stakeholders.create(kind="person", name="Zoë Whitfield", organisation=zephyr, role="Mentor")
    head = services.stakeholders.create(kind="person", name="Zoë Whitfield", organisation=yew, role="Head teacher")
    people = services.stakeholders.page(0, 300, filters={"kind": "person"})
    owners = [mentor] * 3 + [head] * 2 + [rng.choice(people) for _ in range(40)] + [None] * 5
    for n, owner in enumerate(owners):
        services.actions.create(title=f"Action {n}", owner=owner)
    for n, maker in enumerate([head] * 3 + [mentor] + [rng.choice(people) for _ in range(30)]):
        services.commitments.create(title=f"Commitment {n}", made_by=maker)
    assert services.stakeholders.count() == N_STAKEHOLDERS
    first_5000 = {s.id for s in services.stakeholders.page(0, 5000, sort="name")}
    assert mentor.id not in first_5000 and head.id not in first_5000  # the old drop-down's limit
    return {"mentor": mentor, "head": head}


@pytest.mark.slow
def test_owner_filter_finds_a_late_name_at_20k_and_shows_exactly_their_actions(qtbot, twenty_thousand):
    mentor, head = twenty_thousand["mentor"], twenty_thousand["head"]
    window = shown_window(qtbot)
    page = window.show_view("actions")
    everything = service_ids(services.actions, {})
    assert list_ids(page) == everything
    picker = page.filter_widget("owner")
    assert isinstance(picker, RecordFilter) and picker.accessibleName() == "Filter by owner"
    assert picker.placeholderText() == "Any owner"

    tab_into(qtbot, page.filter_widget("status"), picker)
    qtbot.keyClicks(picker, "zoe whit")  # no accent typed; the name has one
    assert picker.popup.isVisible()
    rows = shown(picker)
    assert rows[:2] == ["Zoë Whitfield — Yewtree Academy · Head teacher", "Zoë Whitfield — Zephyr Youth Trust · Mentor"] \
        or rows[:2] == ["Zoë Whitfield — Zephyr Youth Trust · Mentor", "Zoë Whitfield — Yewtree Academy · Head teacher"]
    assert page.model.total == len(everything)  # typing alone filters nothing: choosing does
    choose_row(qtbot, picker, "Zoë Whitfield — Zephyr Youth Trust · Mentor")
    assert picker.value().id == mentor.id and picker.text() == "Zoë Whitfield — Zephyr Youth Trust · Mentor"
    assert window.current_filters("actions") == {"owner": picker.value()}
    assert list_ids(page) == service_ids(services.actions, {"owner": mentor}) != []
    assert {page.model.record(r).owner_id for r in range(page.model.rowCount())} == {mentor.id}

    # the namesake: typed again over the chosen name (Tab selects it all), the other one chosen
    tab_into(qtbot, page.filter_widget("status"), picker)
    qtbot.keyClicks(picker, "whitfield yew")  # any part, in any order: name and organisation
    choose_row(qtbot, picker, "Zoë Whitfield — Yewtree Academy · Head teacher")
    assert list_ids(page) == service_ids(services.actions, {"owner": head}) != []

    # text naming no one is put back when the user leaves; the list stays as it was
    qtbot.keyClicks(picker, "qqq")
    qtbot.keyClick(picker, Qt.Key.Key_Tab)
    assert picker.text() == "Zoë Whitfield — Yewtree Academy · Head teacher" and picker.value().id == head.id
    assert list_ids(page) == service_ids(services.actions, {"owner": head})

    # back to "Any owner" from the list: Down opens it at the chosen one, Ctrl+Home goes to the first row
    tab_into(qtbot, page.filter_widget("status"), picker)
    qtbot.keyClick(picker, Qt.Key.Key_Down)
    assert picker.popup.isVisible() and picker.popup.currentIndex().data() == picker.text()
    assert isinstance(picker.model.rows[0], NoRecord) and shown(picker)[0] == "Any owner"
    qtbot.keyClick(picker.popup, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(picker.popup, Qt.Key.Key_Return)
    assert picker.value() is None and picker.text() == "" and window.current_filters("actions") == {}
    assert list_ids(page) == everything

    # and by emptying the box
    qtbot.keyClicks(picker, "zoe whitfield zephyr")
    qtbot.keyClick(picker.popup, Qt.Key.Key_Return)
    assert picker.value().id == mentor.id and page.model.total == len(service_ids(services.actions, {"owner": mentor}))
    empty_by_keyboard(qtbot, picker)
    assert picker.value() is None and list_ids(page) == everything


@pytest.mark.slow
def test_made_by_filter_finds_a_late_name_at_20k_and_shows_exactly_their_commitments(qtbot, twenty_thousand):
    head = twenty_thousand["head"]
    window = shown_window(qtbot)
    page = window.show_view("commitments")
    everything = service_ids(services.commitments, {})
    picker = page.filter_widget("made_by")
    assert isinstance(picker, RecordFilter) and picker.accessibleName() == "Filter by maker"
    assert picker.placeholderText() == "Made by anyone"
    tab_into(qtbot, page.filter_widget("theme"), picker)
    qtbot.keyClicks(picker, "WHITFIELD ZO")
    choose_row(qtbot, picker, "Zoë Whitfield — Yewtree Academy · Head teacher")
    assert window.current_filters("commitments") == {"made_by": picker.value()}
    assert list_ids(page) == service_ids(services.commitments, {"made_by": head}) != []
    assert {page.model.record(r).made_by_id for r in range(page.model.rowCount())} == {head.id}

    # Escape closes the list, a second one puts the chosen name back
    qtbot.keyClick(picker, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(picker, "zoe")
    assert picker.popup.isVisible()
    qtbot.keyClick(picker.popup, Qt.Key.Key_Escape)
    qtbot.keyClick(picker, Qt.Key.Key_Escape)
    assert picker.text() == "Zoë Whitfield — Yewtree Academy · Head teacher" and picker.value().id == head.id

    empty_by_keyboard(qtbot, picker)
    assert picker.value() is None and window.current_filters("commitments") == {}
    assert list_ids(page) == everything
    qtbot.keyClick(picker, Qt.Key.Key_Down)  # the whole list, "Made by anyone" first and current
    assert shown(picker)[0] == "Made by anyone" and picker.popup.currentIndex().row() == 0
    assert shown(picker)[-1] == f"… and {N_STAKEHOLDERS - 300:,} more of {N_STAKEHOLDERS:,}: type more of the name"
    qtbot.keyClick(picker.popup, Qt.Key.Key_Escape)


# ---- the demo data -------------------------------------------------------------------------------------

def test_namesakes_are_told_apart_in_the_owner_filter(window, qtbot):
    page = window.show_view("actions")
    picker = page.filter_widget("owner")
    tab_into(qtbot, page.filter_widget("status"), picker)
    qtbot.keyClicks(picker, "ben pat")
    rows = shown(picker)
    assert rows[:2] == ["Ben Patel — Victim Support, East London · Youth Mentor",
                        "Ben Patel — Romford Churches Together (demo) · Vicar"]
    choose_row(qtbot, picker, rows[1])
    vicar = services.stakeholders.get(picker.value().id)
    assert vicar.role == "Vicar"
    assert list_ids(page) == service_ids(services.actions, {"owner": vicar})


def test_a_filter_set_elsewhere_shows_in_the_picker_and_the_report_starts_from_it(window, qtbot):
    """A link's filter dict (an id, as the dashboard's) and the report dialog prefilled from the list."""
    from ui.reports import ReportDialog

    owner = next(a.owner for a in services.actions.page(0, 200) if a.owner_id)
    window.show_list("actions", {"owner": owner.id, "open": True})
    page = window.pages["actions"]
    picker = page.filter_widget("owner")
    assert picker.value().id == owner.id and picker.text().startswith(owner.name)
    assert list_ids(page) == service_ids(services.actions, {"owner": owner, "open": True})
    dialog = ReportDialog(window, "actions", window.current_filters("actions"))
    qtbot.addWidget(dialog)
    chosen = dict((w.key, w) for w in dialog.filters)["owner"]
    assert chosen.value().id == owner.id and dialog.values()["filters"]["owner"].id == owner.id
    window.show_list("actions", {"open": True})
    assert picker.value() is None and picker.text() == ""


def test_a_person_added_is_offered_by_the_filter_without_a_refresh(window, qtbot):
    page = window.show_view("actions")
    picker = page.filter_widget("owner")
    tab_into(qtbot, page.filter_widget("status"), picker)
    qtbot.keyClicks(picker, "okonkwo")
    assert not picker.popup.isVisible()  # no one of that name yet (and no offer to add: a filter adds no one)
    added = services.stakeholders.create(kind="person", name="Adaeze Okonkwo")
    services.actions.create(title="Chair the new panel", owner=added)
    empty_by_keyboard(qtbot, picker)
    qtbot.keyClicks(picker, "okonkwo")
    assert shown(picker) == ["Adaeze Okonkwo"]
    qtbot.keyClick(picker.popup, Qt.Key.Key_Return)
    assert [page.model.record(r).title for r in range(page.model.rowCount())] == ["Chair the new panel"]


def test_the_chosen_owner_renamed_shows_the_new_name_and_deleted_shows_everyone(window, qtbot):
    page = window.show_view("actions")
    owner = next(a.owner for a in services.actions.page(0, 200) if a.owner_id and a.owner.kind == "person")
    picker = page.filter_widget("owner")
    tab_into(qtbot, page.filter_widget("status"), picker)
    qtbot.keyClicks(picker, owner.name)
    choose_row(qtbot, picker, next(r for r in shown(picker) if r.startswith(owner.name)))
    mine = service_ids(services.actions, {"owner": owner})
    assert picker.value().id == owner.id and list_ids(page) == mine
    services.stakeholders.update(services.stakeholders.get(owner.id), name="Renamed Person")
    assert picker.text().startswith("Renamed Person") and list_ids(page) == mine
    services.stakeholders.delete(services.stakeholders.get(owner.id))
    assert picker.value() is None and picker.text() == ""
    assert list_ids(page) == service_ids(services.actions, {})
