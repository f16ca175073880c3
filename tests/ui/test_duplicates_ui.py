"""Stakeholders → Find duplicates…, the group side by side, Merge, Not a duplicate, Edit → Undo merge and
Deleted items, driven as a user drives them (clicks and keys), on a database with planted duplicates."""

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from tracker import services
from tracker.models import ActionItem, Attendance, Commitment, Stakeholder
from tracker.services import duplicates, merges
from ui import deleted as ui_deleted
from ui import duplicates as ui_duplicates
from ui import mergereview

from .test_menus import menu_command
from .test_screen_sizes import AT_200


@pytest.fixture
def planted(db):
    """Daniel Okafor held twice (Dan, with his email in capitals and the links), Sam and Samuel Patel
    (one person? no: father and son at the same trust), and two Grace Adeyemis who are namesakes."""
    s = services.stakeholders
    met = s.create(name="Metropolitan Police Service", kind="organisation", sector="police")
    trust = s.create(name="Ben Kinsella Trust", kind="organisation", sector="voluntary")
    school = s.create(name="Eastbrook School", kind="organisation", sector="education")
    college = s.create(name="Barking and Dagenham College", kind="organisation", sector="education")
    daniel = s.create(name="Daniel Okafor", kind="person", organisation=met, sector="police", role="Inspector",
                      email="daniel.okafor@met.police.uk", notes="Leads the knife crime team.", tags="police")
    dan = s.create(name="Dan Okafor", kind="person", organisation=met, sector="police",
                   email="Daniel.Okafor@MET.police.uk", phone="020 7946 0001", notes="Met at the summit.",
                   tags="summit")
    sam = s.create(name="Sam Patel", kind="person", organisation=trust, sector="voluntary",
                   email="sam.patel@example.org")
    samuel = s.create(name="Samuel Patel", kind="person", organisation=trust, sector="voluntary",
                      email="sam.patel@example.org", role="Trustee")
    s.create(name="Grace Adeyemi", kind="person", organisation=school, sector="education",
             email="grace.adeyemi@eastbrook.example.org")
    s.create(name="Grace Adeyemi", kind="person", organisation=college, sector="education",
             email="g.adeyemi@college.example.org")
    summit = services.events.create(title="Serious Violence Summit", kind="summit", date=dt.date(2019, 1, 16))
    board = services.events.create(title="Partnership board", kind="meeting", date=dt.date(2019, 4, 10))
    services.attendance.attend(summit, daniel)
    services.attendance.attend(summit, dan)  # both at the summit: one attendance after the merge
    services.attendance.attend(board, dan)
    action = services.actions.create(title="Knife surrender bins in every borough", owner=dan)
    commitment = services.commitments.create(title="A Safer Schools Officer for every school", made_by=dan)
    return {"daniel": daniel, "dan": dan, "sam": sam, "samuel": samuel, "summit": summit, "board": board,
            "action": action, "commitment": commitment}


@pytest.fixture
def demo_db(planted):
    """The main window of tests/ui/conftest.py (``window``) opens on the planted records, not the demo data."""
    return planted


@pytest.fixture
def confirmations(monkeypatch):
    asked = {"merge": [], "undo": [], "restore": []}
    monkeypatch.setattr(mergereview.ConfirmMerge, "ask",
                        classmethod(lambda cls, parent, text: asked["merge"].append(text) or True))
    monkeypatch.setattr(ui_duplicates.ConfirmUndo, "ask",
                        classmethod(lambda cls, parent, what: asked["undo"].append(what) or True))
    monkeypatch.setattr(ui_deleted.UndoMergeInstead, "ask",
                        classmethod(lambda cls, parent, *about: asked["restore"].append(about) or True))
    return asked


def open_finder(qtbot, window):
    menu_command(window, "Stakeholders", "Find duplicates…").trigger()
    dialog = window.duplicates.dialog
    qtbot.waitUntil(lambda: dialog.operation is not None and dialog.operation.done, timeout=20_000)
    return dialog


def names(group):
    return {r.name for r in group.records}


def click_cell(qtbot, view, index):
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


def click_header(qtbot, view, section):
    header = view.horizontalHeader()
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def open_group_named(qtbot, dialog, wanted):
    row = next(i for i, g in enumerate(dialog.model.groups) if names(g) == wanted)
    click_cell(qtbot, dialog.table, dialog.model.index(row, 4))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # Enter opens the group
    assert dialog.stack.currentWidget() is dialog.review
    return dialog.review


def test_find_lists_groups_best_first_and_not_namesakes(qtbot, qtmodeltester, window):
    dialog = open_finder(qtbot, window)
    qtmodeltester.check(dialog.model)
    found = [names(g) for g in dialog.model.groups]
    assert {"Daniel Okafor", "Dan Okafor"} in found and {"Sam Patel", "Samuel Patel"} in found
    assert {"Grace Adeyemi"} not in found and not any("Grace Adeyemi" in n for n in found)
    scores = [g.score for g in dialog.model.groups]
    assert scores == sorted(scores, reverse=True)
    dan_row = found.index({"Daniel Okafor", "Dan Okafor"})
    why = dialog.model.index(dan_row, 1).data()
    assert "same email" in why  # the reason in words, as the domain gives it
    assert "Daniel Okafor (Metropolitan Police Service)" in dialog.model.index(dan_row, 4).data()
    assert dialog.model.index(dan_row, 2).data() == "People"
    assert dialog.count.text().endswith("best first.")
    # The kind filter: no organisations among the planted ones, so nothing for "Organisations".
    dialog.kind.setFocus()
    qtbot.keyClick(dialog.kind, Qt.Key.Key_End)
    assert dialog.kind.currentData() == "organisations"
    qtbot.mouseClick(dialog.find_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.operation.done, timeout=20_000)
    assert all(g.records[0].kind == "organisation" for g in dialog.model.groups)


def test_merge_with_chosen_values_then_undo_merge(qtbot, qtmodeltester, window, planted, confirmations,
                                                  no_blocking_dialogs):
    dan, daniel = planted["dan"], planted["daniel"]
    dialog = open_finder(qtbot, window)
    review = open_group_named(qtbot, dialog, {"Daniel Okafor", "Dan Okafor"})
    model = review.model
    qtmodeltester.check(model)
    # Dan has the links, so he is offered as the one to keep; keep Daniel instead (his column's heading).
    assert model.keep_id == dan.id
    click_header(qtbot, review.table, model.column_of(daniel.id))
    assert model.keep_id == daniel.id
    assert "✔ kept" in model.headerData(model.column_of(daniel.id), Qt.Orientation.Horizontal)
    # Differences are marked in words, not colour alone; the links are counted per record.
    phone = model.row_of("phone")
    assert model.headerData(phone, Qt.Orientation.Vertical).endswith("≠")
    links = {model.headerData(r, Qt.Orientation.Vertical): model.index(r, model.column_of(dan.id)).data()
             for r in range(model.rowCount()) if str(model.headerData(r, Qt.Orientation.Vertical)).startswith("Links")}
    assert links["Links: Attendance"] == "2" and links["Links: Actions owned"] == "1"
    # Take Dan's phone (a click on his cell) and keep both notes (keys: to the row, Right to "Keep both", Space).
    click_cell(qtbot, review.table, model.index(phone, model.column_of(dan.id)))
    assert model.index(phone, model.column_of(dan.id)).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    notes = model.row_of("notes")
    review.table.setCurrentIndex(model.index(notes, 0))
    review.table.setFocus()
    for _ in range(model.columnCount() - 1):
        qtbot.keyClick(review.table, Qt.Key.Key_Right)
    qtbot.keyClick(review.table, Qt.Key.Key_Space)
    assert model.chosen_take()["notes"] == "both"
    assert "Phone “020 7946 0001” from Dan Okafor" in review.summary.text()

    qtbot.mouseClick(review.merge_button, Qt.MouseButton.LeftButton)
    assert confirmations["merge"] and "Dan Okafor" in confirmations["merge"][0]
    kept, retired = Stakeholder.get_by_id(daniel.id), Stakeholder.get_by_id(dan.id)
    assert retired.deleted_at is not None and kept.deleted_at is None
    assert kept.phone == "020 7946 0001" and kept.email == "daniel.okafor@met.police.uk"
    assert "Leads the knife crime team." in kept.notes and "Met at the summit." in kept.notes
    assert ActionItem.get_by_id(planted["action"].id).owner_id == daniel.id
    assert Commitment.get_by_id(planted["commitment"].id).made_by_id == daniel.id
    live = Attendance.select().where(Attendance.deleted_at.is_null())
    assert sorted((a.event_id, a.stakeholder_id) for a in live) == sorted(
        [(planted["summit"].id, daniel.id), (planted["board"].id, daniel.id)])  # no double attendance
    # The merged group is gone from the list; the window went on to the next group.
    assert not any(names(g) == {"Daniel Okafor", "Dan Okafor"} for g in dialog.model.groups)
    qtbot.waitUntil(lambda: window.actions["undo_merge"].isEnabled())

    # Deleted items: Dan shows as merged into Daniel; Restore offers Undo merge instead.
    page = window.show_view("deleted")
    qtbot.waitUntil(lambda: page.model.row_of(dan.id) >= 0)
    row = page.model.row_of(dan.id)
    into = [c.title for c in page.model.columns].index("Merged into")
    assert page.model.index(row, into).data() == f"Daniel Okafor (ID {daniel.id})"

    # Edit → Undo merge: everything back as it was.
    menu_command(window, "Edit", "Undo merge").trigger()
    qtbot.waitUntil(lambda: window.duplicates.last_operation.done, timeout=10_000)
    assert confirmations["undo"][0].endswith(": “Dan Okafor” into “Daniel Okafor”")
    assert no_blocking_dialogs["info"][0].startswith(f"Undone: {confirmations['undo'][0]}.")
    assert Stakeholder.get_by_id(dan.id).deleted_at is None
    assert Stakeholder.get_by_id(daniel.id).phone == ""
    assert ActionItem.get_by_id(planted["action"].id).owner_id == dan.id
    assert Commitment.get_by_id(planted["commitment"].id).made_by_id == dan.id
    qtbot.waitUntil(lambda: page.model.row_of(dan.id) < 0)  # the views followed the announcement
    qtbot.waitUntil(lambda: not window.actions["undo_merge"].isEnabled())
    # The pair is offered again once the search runs after the change.
    qtbot.waitUntil(lambda: any(names(g) == {"Daniel Okafor", "Dan Okafor"} for g in dialog.model.groups),
                    timeout=10_000)


def test_restoring_a_merged_record_undoes_its_merge(qtbot, window, planted, confirmations, no_blocking_dialogs):
    dan, daniel = planted["dan"], planted["daniel"]
    merges.merge(daniel.id, [dan.id])
    page = window.show_view("deleted")
    qtbot.waitUntil(lambda: page.model.row_of(dan.id) >= 0)
    page.table.setCurrentIndex(page.model.index(page.model.row_of(dan.id), 0))
    page.table.setFocus()
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert confirmations["restore"] == [("Dan Okafor", "Daniel Okafor", daniel.id)]
    assert Stakeholder.get_by_id(dan.id).deleted_at is None
    assert ActionItem.get_by_id(planted["action"].id).owner_id == dan.id
    assert no_blocking_dialogs["info"] and "Dan Okafor is back" in no_blocking_dialogs["info"][0]


def test_undo_merge_refused_shows_the_reason(qtbot, window, planted, confirmations, no_blocking_dialogs):
    dan, daniel = planted["dan"], planted["daniel"]
    merges.merge(daniel.id, [dan.id], take={"phone": dan.id})
    services.stakeholders.update(Stakeholder.get_by_id(daniel.id), role="Chief Inspector")  # changed since
    qtbot.waitUntil(lambda: window.actions["undo_merge"].isEnabled())
    menu_command(window, "Edit", "Undo merge").trigger()
    qtbot.waitUntil(lambda: window.duplicates.last_operation.done, timeout=10_000)
    assert no_blocking_dialogs["messages"] and "cannot be undone" in no_blocking_dialogs["messages"][-1]
    assert not no_blocking_dialogs["info"]
    assert Stakeholder.get_by_id(dan.id).deleted_at is not None


def test_not_a_duplicate_hides_the_pair(qtbot, window, planted):
    dialog = open_finder(qtbot, window)
    review = open_group_named(qtbot, dialog, {"Sam Patel", "Samuel Patel"})
    qtbot.mouseClick(review.not_duplicate_button, Qt.MouseButton.LeftButton)
    assert not any(names(g) == {"Sam Patel", "Samuel Patel"} for g in dialog.model.groups)
    assert not any(names(g) == {"Sam Patel", "Samuel Patel"} for g in duplicates.find_duplicates())
    # The search again after the announcement does not bring it back either.
    qtbot.waitUntil(lambda: dialog.operation.done and not dialog.refind.isActive(), timeout=10_000)
    assert not any(names(g) == {"Sam Patel", "Samuel Patel"} for g in dialog.model.groups)
    assert Stakeholder.get_by_id(planted["sam"].id).deleted_at is None


def press_by_tab(qtbot, start, button):
    """Reach ``button`` from ``start`` with Tab, as a keyboard user does, and press it with Space."""
    start.setFocus()
    for _ in range(20):
        if button.hasFocus():
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert button.hasFocus(), f"{button.text()} cannot be reached with Tab"
    qtbot.keyClick(button, Qt.Key.Key_Space)


def test_next_group_and_back_by_keyboard(qtbot, window):
    dialog = open_finder(qtbot, window)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    first = dialog.model.groups[0]
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # Enter on the first group opens it
    assert dialog.review.group == first and dialog.review.table.hasFocus()
    press_by_tab(qtbot, dialog.review.table, dialog.review.next_button)
    assert dialog.review.group == dialog.model.groups[1]
    press_by_tab(qtbot, dialog.review.table, dialog.review.back_button)
    assert dialog.stack.currentIndex() == 0 and dialog.table.currentIndex().row() == 1
    press_by_tab(qtbot, dialog.table, dialog.open_button)
    assert dialog.stack.currentIndex() == 1 and dialog.review.group == dialog.model.groups[1]


def test_the_window_has_unique_access_keys(qtbot, window):
    from PySide6.QtWidgets import QAbstractButton, QLabel

    from ui.menus import access_key

    dialog = open_finder(qtbot, window)
    texts = [w.text() for w in dialog.findChildren(QAbstractButton)] + [w.text() for w in dialog.findChildren(QLabel)]
    keys = [k for k in map(access_key, texts) if k]
    assert len(keys) == len(set(keys)) and {"m", "n", "x", "b", "f", "o", "k", "s"} <= set(keys)


# ---- 20,000 stakeholders ----------------------------------------------------------------------------------
N_PEOPLE = 20_000
N_PLANTED = 40


def made_up_name(rng):
    syllables = ("ka", "lo", "mi", "ra", "te", "vu", "no", "shi", "da", "pe", "zo", "ri", "ba", "fe", "gu", "hy")
    word = lambda n: "".join(rng.choice(syllables) for _ in range(n)).capitalize()
    return f"{word(2)} {word(3)}"


@pytest.fixture
def big_planted(db):
    """20,000 people at 200 organisations; 40 of them held twice, the second with the email in capitals."""
    import random

    rng = random.Random(14)
    services.stakeholders.create_many(
        {"name": f"Organisation {i:03d} {made_up_name(rng)}", "kind": "organisation"} for i in range(200))
    orgs = list(Stakeholder.select().where(Stakeholder.kind == "organisation"))
    names = sorted({made_up_name(rng) for _ in range(N_PEOPLE * 2)})
    rng.shuffle(names)
    rows = [{"name": names[i], "kind": "person", "organisation": orgs[i % 200],
             "email": f"person{i}@example.org"} for i in range(N_PEOPLE - N_PLANTED)]
    rows += [{"name": rows[i]["name"], "kind": "person", "email": rows[i]["email"].upper()}
             for i in range(0, N_PLANTED * 97, 97)]
    services.stakeholders.create_many(rows)
    return [rows[i]["email"] for i in range(0, N_PLANTED * 97, 97)]


@pytest.mark.slow
def test_find_at_20k_stays_responsive_and_cancels(qtbot, big_planted, monkeypatch):
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QPushButton

    from ui.mainwindow import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(50)  # the UI thread's event loop, measured while the search runs
    started = time.perf_counter()
    dialog = open_finder(qtbot, window)
    took = time.perf_counter() - started
    grouped = [{r.email for r in g.records} for g in dialog.model.groups]
    missing = [e for e in big_planted if not any({e, e.upper()} <= emails for emails in grouped)]
    assert not missing, f"missing {len(missing)} of {len(big_planted)} planted pairs"
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    print(f"\nfind at 20k in the app: {took:.2f} s, {len(dialog.model.groups)} groups; "
          f"longest UI pause {max(gaps, default=0) * 1000:.0f} ms")
    assert max(gaps, default=0) < 0.5  # the window kept answering while the search ran

    # Find again and press Cancel in the progress dialog (it shows after 400 ms): the last list stays.  The
    # search waits until Cancel is pressed (a second search at 20k may end before the box would show).
    import threading

    from tracker.services import duplicates

    pressed, search = threading.Event(), duplicates.find_duplicates
    monkeypatch.setattr(duplicates, "find_duplicates", lambda **kw: pressed.wait(20) and search(**kw))
    before = list(dialog.model.groups)
    qtbot.mouseClick(dialog.find_button, Qt.MouseButton.LeftButton)
    progress = dialog.operation.dialog
    qtbot.waitUntil(lambda: progress.isVisible(), timeout=10_000)
    qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    pressed.set()
    qtbot.waitUntil(lambda: dialog.operation.done, timeout=20_000)
    assert dialog.operation.was_cancelled
    assert dialog.model.groups == before and "cancelled" in dialog.count.text()
    timer.stop()


def inside(widget, window, margin=4):
    """Whether the whole of ``widget`` shows inside ``window``, ``margin`` pixels clear of its edges."""
    corner = widget.mapTo(window, QPoint(0, 0))
    shown = QRect(corner, widget.size())
    return widget.isVisible() and window.rect().adjusted(margin, margin, -margin, -margin).contains(shown)


def test_at_200_percent_the_window_fits_683x384_with_its_buttons_inside(qtbot, window):
    """Issue 15: at 200% on a 1366x768 screen (683x384 logical pixels) the window asked for 722 pixels of
    width (the filters and Find in one row), so Find and Close sat at the very edge.  Now the score and Find
    go under the kind and council when narrow, and both the list and a group side by side fit."""
    dialog = open_finder(qtbot, window)
    dialog.resize(1000, 640)
    qtbot.waitUntil(lambda: dialog.size().toTuple() == (1000, 640))
    assert not dialog.filter_bar.wrapped  # wide: one row, as before
    assert dialog.find_button.mapTo(dialog, QPoint(0, 0)).y() == dialog.kind.mapTo(dialog, QPoint(0, 0)).y()
    assert dialog.minimumSizeHint().width() <= AT_200[0]  # (over 700 before: the filters and Find in one row)
    dialog.resize(*AT_200)
    qtbot.waitUntil(lambda: dialog.size().toTuple() == AT_200)
    [close] = [b for b in dialog.stack.widget(0).findChildren(QPushButton) if b.text() == "&Close"]
    for state in ("list", "review"):
        if state == "review":
            open_group_named(qtbot, dialog, {"Daniel Okafor", "Dan Okafor"})
            review = dialog.review
            buttons = (review.merge_button, review.not_duplicate_button, review.next_button, review.back_button)
        else:
            buttons = (dialog.find_button, dialog.open_button, close, dialog.kind, dialog.council, dialog.min_score)
        hint = dialog.minimumSizeHint()
        assert hint.width() <= AT_200[0] and hint.height() <= AT_200[1], f"{state}: needs {hint.toTuple()}"
        assert dialog.minimumSize().width() <= AT_200[0] and dialog.minimumSize().height() <= AT_200[1]
        qtbot.waitUntil(lambda shown=buttons: all(inside(b, dialog) for b in shown))
        assert dialog.size().toTuple() == AT_200  # the window did not grow past the screen to fit them
    dialog.review.back_button.click()
    assert dialog.filter_bar.wrapped  # narrow: Find under the filters, every control in view
    assert dialog.find_button.mapTo(dialog, QPoint(0, 0)).y() > dialog.kind.mapTo(dialog, QPoint(0, 0)).y()
