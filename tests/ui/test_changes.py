"""Views update themselves from the changes the services announce (issue 12 §4): no F5 anywhere."""

import datetime as dt
import subprocess
import sys
import threading

import openpyxl
import pytest
from playhouse.test_utils import count_queries

from tests.tracker.test_robustness import ROOT
from tests.ui.conftest import select_row
from tests.ui.map_driver import click_point, map_read
from tests.ui.test_editing import fill
from tests.ui.test_exchange_ui import asked, wait  # noqa: F401 - the fixture, scripted exchange dialogs
from tracker import backups, services
from tracker.exchange import export_workbook
from tracker.models import Stakeholder
from tracker.services.base import writing
from ui import mainwindow, safety
from ui.models import RecordTableModel
from ui.worker import run_in_background


@pytest.fixture
def delivered():
    """What the app's notifier delivered to the views, and on which thread."""
    from ui import changes as ui_changes

    got = []

    def listen(change):
        got.append((change, threading.current_thread()))

    ui_changes.notifier().changed.connect(listen)
    yield got
    ui_changes.notifier().changed.disconnect(listen)


def texts(list_widget):
    return [list_widget.item(i).text() for i in range(list_widget.count())]


def test_an_action_added_for_a_commitment_shows_in_its_links_at_once(window):
    trust = services.stakeholders.find_by_name("Ben Kinsella Trust")[0]
    commitment = services.commitments.create(title="Mentors for every Havering secondary school", made_by=trust)
    commitments = window.pages["commitments"]
    assert window.open_record("commitments", commitment.id)
    links = commitments.editor.links
    assert "from 0 actions " in links.summary.text()

    actions = window.show_view("actions")
    window.actions["new"].trigger()
    fill(actions.editor, title="Recruit ten mentors")
    fill(actions.editor, commitment=commitment)
    window.actions["save"].trigger()
    assert actions.editor.record.commitment_id == commitment.id

    assert "from 1 action (1 open, 0 overdue, 0 done)" in links.summary.text()
    assert texts(links.sections["Actions"].list) == [f"{actions.editor.record.reference} Recruit ten mentors (Open)"]
    window.show_view("commitments")
    assert commitments.editor.record.id == commitment.id and "from 1 action " in links.summary.text()


def test_an_edit_in_one_list_shows_in_the_other_lists_the_dashboard_and_the_grid(window, qtbot):
    window.resize(1366, 768)  # a council laptop's screen: room for every demo point (crowded cells show counts)
    action = services.actions.page(0, 1, filters={"overdue": True}, sort="due_date")[0]
    owner = action.owner
    home = window.show_view("home")
    overdue = int(home.tiles["overdue"].number.text())
    window.show_view("grid")
    actions = window.pages["actions"]
    actions.open_record(action.id)  # shown in the actions' editor, its owner among its links
    resets, changed = [], []
    actions.model.modelReset.connect(lambda: resets.append(True))
    actions.model.dataChanged.connect(lambda top, bottom, roles=(): changed.extend(range(top.row(), bottom.row() + 1)))

    stakeholders = window.show_view("stakeholders")
    assert window.open_record("stakeholders", owner.id)
    name = stakeholders.editor.fields["name"].input
    name.setFocus()
    name.selectAll()
    qtbot.keyClicks(name, "Renamed Officer")
    window.actions["save"].trigger()

    owner_column = [c.title for c in actions.model.columns].index("Owner")
    owned = [r for r in range(actions.model.rowCount()) if actions.model.record(r).owner_id == owner.id]
    assert owned and {actions.model.data(actions.model.index(r, owner_column)) for r in owned} == {"Renamed Officer"}
    assert resets == [] and set(owned) <= set(changed)  # those rows changed; the list was not read again
    assert texts(actions.editor.links.sections["Owner"].list) == ["Renamed Officer"]
    grid = window.show_view("grid")
    map_read(qtbot, grid)
    # (the reading on screen; the page may still lay the map out again for its final size)
    qtbot.waitUntil(lambda: owner.id in grid.view.map.items_by_id)
    assert grid.view.map.items_by_id[owner.id].point.name == "Renamed Officer"
    services.actions.update(action, status="done")  # the dashboard, not on screen, counts it when shown
    assert home.stale
    home = window.show_view("home")
    qtbot.waitUntil(lambda: int(home.tiles["overdue"].number.text()) == overdue - 1)  # read on a worker


def test_the_shown_record_follows_a_change_made_elsewhere(window):
    page = window.show_view("stakeholders")
    record = select_row(page, 0)
    services.stakeholders.update(record, role="Changed in another window")
    assert page.editor.fields["role"].get() == "Changed in another window" and not page.editor.dirty
    assert page.editor.version == record.version + 1
    assert page.editor.history.rows()[-1][2].endswith("→ Changed in another window")
    services.updates.add(record, "Met them at the board")  # a note added from anywhere
    assert "Met them at the board" in page.editor.updates.list.item(0).text()
    services.stakeholders.delete(services.stakeholders.get(record.id))
    assert page.editor.record.is_deleted and page.model.row_of(record.id) == -1


def sql_of(counter):
    return [q.msg[0] for q in counter.get_queries()]


def test_an_edit_is_a_data_change_of_its_row_never_a_page_read_again(window):
    page = window.show_view("actions")
    with count_queries() as refreshing:  # F5 reads a page of the list: the query a save must not repeat
        window.actions["refresh"].trigger()
    [page_query] = [sql for sql, params in (q.msg for q in refreshing.get_queries())
                    if 'FROM "action_item"' in sql and sql.endswith("LIMIT ? OFFSET ?") and params[-2] > 1]
    record = select_row(page, 3)
    resets, changed = [], []
    page.model.modelReset.connect(lambda: resets.append(True))
    page.model.dataChanged.connect(lambda top, bottom, roles=(): changed.append((top.row(), bottom.row())))
    fill(page.editor, description="Venue booked for March")
    with count_queries() as saving:
        window.actions["save"].trigger()
    assert services.actions.get(record.id).description == "Venue booked for March"
    assert resets == [] and page_query not in sql_of(saving) and changed == [(3, 3)]
    assert page.table.currentIndex().row() == 3  # still selected

    from tracker.changes import Change

    with count_queries() as counter:  # following one changed row: read it, where it stands (two)
        page.model.follow(Change.of_updated("action_item", record.id))
    assert counter.count == 3 and page_query not in sql_of(counter)


@pytest.mark.parametrize("kind, sort", [("actions", "title"), ("actions", "due_date"), ("commitments", "target_date")])
def test_models_stay_valid_and_in_the_lists_order_through_changes(qtmodeltester, qtlog, demo_db, kind, sort):
    model = RecordTableModel(kind, sort=sort)
    qtmodeltester.check(model)  # Qt's model tester watches every signal from here on
    service = model.service

    def in_order():
        expected = service.page(0, len(model.rows), **model.query_args())
        assert [r.id for r in model.rows] == [r.id for r in expected]
        assert model.total == service.count(search=model.search, filters=model.filters)

    first, middle, last = model.rows[0], model.rows[len(model.rows) // 2], model.rows[-1]
    if kind == "actions":
        new = service.create(title="AAA first of all", due_date=first.due_date)
        service.update(middle, title="ZZZ after the rest", due_date=None)
        services.stakeholders.update(last.owner, name="Aaron Renamed")
    else:
        new = service.create(title="AAA new", made_by=first.made_by, date_made=first.date_made,
                             target_date=first.target_date)
        service.update(middle, target_date=None)
        late = services.actions.create(title="Late", commitment=last, due_date=dt.date.today() - dt.timedelta(days=1))
        assert model.context.rag(model.rows[model.row_of(last.id)]) == "R"  # its rolled-up RAG followed
        services.actions.delete(late)
    in_order()
    service.delete(first)
    service.restore(first)
    service.delete(new)
    in_order()
    leaving = model.rows[1]
    model.set_query(filters={"status": leaving.status})
    other = {"actions": ("cancelled", "done"), "commitments": ("withdrawn", "achieved")}[kind]
    service.update(leaving, status=other[0] if leaving.status != other[0] else other[1])
    assert model.row_of(leaving.id) == -1
    in_order()
    qtmodeltester.check(model)
    assert not [r for r in qtlog.records if "FAIL" in r.message]


def test_a_change_made_on_a_worker_reaches_the_views_on_the_gui_thread(window, qtbot, delivered):
    page = window.show_view("stakeholders")
    before = page.model.total
    op = run_in_background(window, lambda progress: services.stakeholders.create(name="Made on a worker",
                                                                                  sector="police").id)
    qtbot.waitUntil(lambda: op.done)
    assert op.error is None and page.model.total == before + 1
    assert [thread for _, thread in delivered] == [threading.main_thread()]


def test_an_import_is_announced_once(window, qtbot, asked, tmp_path):  # noqa: F811 - asked is the fixture
    from tracker import changes

    heard = []
    window.watch.set_active(False)  # our own worker's commit would be noticed as another program's too
    changes.changed.connect(heard.append)
    try:
        book = _with_a_new_stakeholder(export_workbook(tmp_path / "share.xlsx").path, "Dagenham Boxing Club")
        page = window.show_view("stakeholders")
        page.search.setText("Boxing Club")
        qtbot.waitUntil(lambda: page.model.total == 0)
        asked["file"] = str(book)
        window.actions["import_sharing"].trigger()
        wait(qtbot, window)  # the preview
        wait(qtbot, window)  # the import
        assert heard == [changes.EVERYTHING]  # the preview changed nothing; the import, one announcement
        assert page.model.total == 1 and page.model.record(0).name == "Dagenham Boxing Club"  # read with its page if not yet
    finally:
        changes.changed.disconnect(heard.append)


def _with_a_new_stakeholder(book, name):
    """The workbook with a stakeholder added as a manager would: a row without an ID."""
    wb = openpyxl.load_workbook(book)
    ws = wb["Stakeholders"]
    header = [c.value for c in ws[1]]
    row = [None] * len(header)
    row[header.index("Name")], row[header.index("Kind")], row[header.index("Sector")] = name, "Organisation", "Community"
    ws.append(row)
    wb.save(book)
    return book


def test_a_stakeholder_added_by_the_tracker_command_shows_after_the_next_look(window, qtbot, db_path, tmp_path):
    book = _with_a_new_stakeholder(export_workbook(tmp_path / "share.xlsx").path, "Dagenham Boxing Club")
    page = window.show_view("stakeholders")
    page.search.setText("Boxing Club")
    qtbot.waitUntil(lambda: page.model.total == 0)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # polled while active
    subprocess.run([sys.executable, "-m", "tracker", "--db", str(db_path), "import-workbook", str(book)], check=True,
                   capture_output=True, timeout=120, cwd=ROOT)
    qtbot.waitUntil(lambda: page.model.total == 1, timeout=10_000)  # the window looks every two seconds
    assert page.model.record(0).name == "Dagenham Boxing Club"


def test_erasure_restore_and_opening_a_database_run_on_a_worker(window, monkeypatch, tmp_path, answers):
    threads = {}

    def on_a_worker(name, fn):
        def run(*args, **kwargs):
            threads[name] = threading.current_thread()
            return fn(*args, **kwargs)
        return run

    monkeypatch.setattr(safety.ConfirmErase, "ask", classmethod(lambda cls, parent, name: True))
    monkeypatch.setattr(services.privacy, "erase", on_a_worker("erase", services.privacy.erase))
    person = Stakeholder.get(Stakeholder.kind == "person")
    page = window.pages["stakeholders"]
    window.open_record("stakeholders", person.id)
    assert window.safety.erase_current() is True
    assert page.editor.record.name == services.privacy.ERASED_NAME

    backups.backup_before("import")
    services.stakeholders.create(name="Made after the backup")
    before = page.model.total
    monkeypatch.setattr(safety.ChooseBackup, "ask", classmethod(lambda cls, parent, found: found[0]))
    monkeypatch.setattr(safety, "restore_backup", on_a_worker("restore", safety.restore_backup))
    assert window.safety.restore_backup() is True
    assert page.model.total == before - 1  # the list shows the restored database

    monkeypatch.setattr(mainwindow, "open_database", on_a_worker("open", mainwindow.open_database))
    answers.first_run = False  # no demo data in the new file
    assert window.switch_database(str(tmp_path / "another.db"))
    assert page.model.total == 0 and page.editor.record is None  # the record shown was in the other file
    assert set(threads) == {"erase", "restore", "open"}
    assert threading.main_thread() not in threads.values()


def test_opening_the_database_at_start_runs_on_a_worker(qtbot, tmp_path, monkeypatch, answers):
    from ui import app as app_module

    threads, real = [], app_module.open_database
    monkeypatch.setattr(app_module, "open_database",
                        lambda *args, **kwargs: threads.append(threading.current_thread()) or real(*args, **kwargs))
    answers.first_run = False
    window = app_module.start(["--db", str(tmp_path / "new.db")])
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.daily_backup.done)  # its thread's connection is closed
    assert len(threads) == 1 and threads[0] is not threading.main_thread()
    assert window.pages["stakeholders"].model.total == 0 and window.isVisible()


def test_the_overview_and_grid_catch_up_when_shown(window, qtbot):
    window.resize(1366, 768)  # room for every demo point: crowded cells show counts, not points
    grid = window.show_view("grid")
    map_read(qtbot, grid)
    scored = len(grid.view.map.items_by_id)
    window.show_view("stakeholders")
    club = services.stakeholders.create(name="Dagenham Boxing Club", sector="community", influence=2, interest=5)
    assert grid.stale  # not on screen: read when next shown, not now
    window.show_view("grid")
    map_read(qtbot, grid)
    assert len(grid.view.map.items_by_id) == scored + 1
    assert grid.view.map.items_by_id[club.id].point.cell == (2, 5)
    click_point(grid.view, club.id)
    assert window.pages["stakeholders"].editor.record.name == "Dagenham Boxing Club"


def test_a_list_read_again_for_everything_keeps_its_place(window, qtbot):
    from tracker.changes import EVERYTHING, announce

    with writing():  # one announcement for the 250, not 250 updates of every view
        for i in range(250):
            services.stakeholders.create(name=f"Youth club {i:03d}", sector="community")
    page = window.show_view("stakeholders")
    assert page.model.rowCount() >= 400  # counted, not read: the rows are read where the view looks
    page.table.scrollTo(page.model.index(380, 0))
    place = page.table.verticalScrollBar().value()
    top = page.model.record(page.table.rowAt(0)).id
    assert place > 0
    announce(EVERYTHING)  # an import, another program's change
    assert page.model.rowCount() >= 400 and page.table.verticalScrollBar().value() == place
    assert page.model.record(page.table.rowAt(0)).id == top
