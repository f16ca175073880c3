"""Services announce what they changed (tracker.changes): once, after the commit, never after a rollback."""

import datetime as dt
import sqlite3
import threading

import pytest

from tests.tracker.exchange_helpers import council_db, make_records
from tracker import changes, services
from tracker.changes import Change
from tracker.db import database
from tracker.errors import ValidationError
from tracker.services import conflicts
from tracker.services.base import writing
from tracker.services.maintenance import data_version


@pytest.fixture
def heard():
    """Every change announced during the test, with the thread it was announced on."""
    class Heard(list):
        pass

    got = Heard()
    got.threads = []

    def listen(change):
        got.append(change)
        got.threads.append(threading.current_thread())

    changes.changed.connect(listen)
    yield got
    changes.changed.disconnect(listen)


def test_each_change_of_a_record_is_announced_once_with_its_kind_and_id(db, heard):
    org = services.stakeholders.create(name="Ben Kinsella Trust", sector="voluntary")
    assert heard == [Change.of_created("stakeholder", org.id)]
    services.stakeholders.update(org, role="Charity")
    services.stakeholders.update(org, role="Charity")  # nothing changed: nothing announced
    services.stakeholders.delete(org)
    services.stakeholders.restore(org)
    assert heard[1:] == [Change.of_updated("stakeholder", org.id), Change.of_deleted("stakeholder", org.id),
                         Change.of_updated("stakeholder", org.id)]
    note = services.updates.add(org, "Met the lead")
    assert heard[-1] == Change.of_created("record_update", note.id)
    with pytest.raises(ValidationError):
        services.stakeholders.create(name="")
    assert len(heard) == 5


def test_changes_inside_one_transaction_are_announced_once_after_it_commits(db, heard):
    with writing():
        org = services.stakeholders.create(name="Metropolitan Police Service", sector="police")
        person = services.stakeholders.create(name="Inspector Jones", kind="person", organisation=org,
                                              sector="police")
        services.stakeholders.update(org, role="Police")
        assert heard == []  # not before the commit
    assert heard == [Change(created=frozenset({("stakeholder", org.id), ("stakeholder", person.id)}),
                            updated=frozenset({("stakeholder", org.id)}))]


def test_a_change_that_rolls_back_is_never_announced(db, heard):
    with pytest.raises(RuntimeError), writing():
        services.stakeholders.create(name="Gone with the rollback", sector="police")
        raise RuntimeError("the batch fails")
    assert heard == [] and services.stakeholders.count() == 0
    with writing():
        kept = services.stakeholders.create(name="Kept", sector="police")
        with pytest.raises(RuntimeError), writing():  # a savepoint that rolls back, inside a commit
            services.stakeholders.create(name="Rolled back to the savepoint", sector="police")
            raise RuntimeError("the inner part fails")
    assert heard == [Change.of_created("stakeholder", kept.id)]
    assert [s.name for s in services.stakeholders.query()] == ["Kept"]


def test_attending_again_is_one_announcement(db, heard):
    event = services.events.create(title="Summit", date=dt.date(2019, 1, 16))
    person = services.stakeholders.create(name="Ana Smith", kind="person", sector="police")
    visit = services.attendance.attend(event, person, role="delegate")
    services.attendance.delete(visit)
    heard.clear()
    services.attendance.attend(event, person, role="speaker")  # restored and its role changed
    assert heard == [Change.of_updated("attendance", visit.id)]


def test_bulk_changes_are_one_announcement_each(db, heard):
    from tracker.demo import load_demo

    services.stakeholders.create_many([{"name": f"Org {i}", "sector": "police"} for i in range(50)])
    assert heard == [Change.of_whole("stakeholder")]
    heard.clear()
    load_demo()
    assert len(heard) == 1 and heard[0].touches("stakeholder", "event", "attendance", "commitment",
                                                  "action_item", "record_update")


def test_an_erasure_is_one_announcement(db, heard):
    person = services.stakeholders.create(name="Ana Smith", kind="person", sector="police")
    services.updates.add(person, "Phoned Ana")
    heard.clear()
    services.privacy.erase(person)
    [change] = heard
    assert change.ids("stakeholder") == {person.id} and change.rereads("record_update")


def test_an_import_and_its_undo_are_one_announcement_each(tmp_path, heard):
    from tracker.exchange import export_workbook, import_workbook
    from tracker.services import imports as store

    with council_db(tmp_path / "hav.db", "Havering"):
        make_records(n=20)
        export_workbook(tmp_path / "share.xlsx")
    with council_db(tmp_path / "red.db", "Redbridge"):
        heard.clear()
        report = import_workbook(tmp_path / "share.xlsx")
        assert report.added > 20 and heard == [changes.EVERYTHING]
        store.undo_import(report.import_id)
        assert heard == [changes.EVERYTHING, changes.EVERYTHING]


def test_deciding_a_conflict_announces_the_record(tmp_path, heard):
    from tests.tracker.test_exchange import _conflicting_edit, import_into

    three = {code: tmp_path / f"{code}.db" for code in ("BD", "HAV", "RED")}
    uuid = _conflicting_edit(three, tmp_path)
    import_into(three["RED"], "Redbridge", tmp_path / "hav.xlsx")
    with council_db(three["RED"], "Redbridge"):
        heard.clear()
        conflicts.resolve_conflict(conflicts.pending_conflicts()[0], "theirs")
        assert heard == [Change.of_updated("action_item", services.actions.get(uuid).id)]


def test_a_change_made_on_a_worker_thread_is_announced_on_that_thread(db, heard):
    def work():
        try:
            services.stakeholders.create(name="Made on a worker", sector="police")
        finally:
            database.close()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert len(heard) == 1 and heard.threads == [worker]  # the listener hands it on (ui.changes: to the GUI)
    assert heard[0].touches("stakeholder") and not heard[0].touches("event")


def test_listeners_may_come_and_go_from_any_thread_while_changes_are_announced():
    signal, calls, stop = changes.Signal(), [], threading.Event()

    def churn():
        listener = calls.append
        while not stop.is_set():
            signal.connect(listener)
            signal.disconnect(listener)

    threads = [threading.Thread(target=churn) for _ in range(3)]
    for t in threads:
        t.start()
    steady = []
    signal.connect(steady.append)
    for n in range(2000):
        signal.emit(n)
    stop.set()
    for t in threads:
        t.join()
    assert steady == list(range(2000))


def test_change_values_combine_and_answer_what_they_touch():
    a = Change.of_created("stakeholder", 1) | Change.of_updated("action_item", 2) | Change.of_deleted("event", 3)
    assert a.ids("stakeholder") == {1} and a.ids("action_item") == {2} and a.ids("event") == {3}
    assert a.touches("event") and not a.touches("commitment") and not a.rereads("stakeholder")
    assert (a | Change.of_whole("commitment")).rereads("commitment")
    assert (a | changes.EVERYTHING) == changes.EVERYTHING and changes.EVERYTHING.rereads("anything")
    assert not Change() and a


def test_data_version_moves_when_another_program_commits(db, db_path):
    first = data_version()
    services.stakeholders.create(name="Made here", sector="police")
    assert data_version() == first  # this connection's own commits do not count
    other = sqlite3.connect(db_path)
    other.execute("UPDATE stakeholder SET role = 'changed elsewhere'")
    other.commit()
    other.close()
    assert data_version() != first
