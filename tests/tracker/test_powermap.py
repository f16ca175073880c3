"""The power/interest map's data: today's map, the map as of a date from the audit trail, moves."""

import datetime as dt

import pytest
from playhouse.test_utils import count_queries

from tracker import services
from tracker.models import AuditEntry, Stakeholder
from tracker.services import audit, base, powermap

SUMMIT = dt.date(2019, 1, 16)
BOARD = dt.date(2019, 6, 20)


def backdate(record, when):
    """As if ``record`` had been created at ``when`` (its row and its creation's audit entry)."""
    Stakeholder.update(created_at=when).where(Stakeholder.id == record.id).execute()
    AuditEntry.update(at=when).where(AuditEntry.record_uuid == record.uuid, AuditEntry.operation == "create").execute()


@pytest.fixture
def clock(monkeypatch):
    """Edits made through the services at a chosen time: the audit trail's and the record's clock."""
    def at(when):
        monkeypatch.setattr(audit, "utcnow", lambda: when)
        monkeypatch.setattr(base, "utcnow", lambda: when)
    return at


def make(name, influence=None, interest=None, **values):
    return services.stakeholders.create(name=name, influence=influence, interest=interest, **values)


def test_today_lists_scored_points_and_the_unscored_apart(db):
    met = make("Metropolitan Police Service", 5, 4, sector="police")
    make("Jo Bloggs", 2, None, kind="person", organisation=met, sector="police")
    make("Ben Kinsella Trust", 2, 5, sector="voluntary")
    snap = powermap.snapshot()
    assert [(p.name, p.influence, p.interest, p.quadrant) for p in snap.points] == [
        ("Ben Kinsella Trust", 2, 5, "keep_informed"), ("Metropolitan Police Service", 5, 4, "manage_closely")]
    assert [(p.name, p.organisation) for p in snap.unscored] == [("Jo Bloggs", "Metropolitan Police Service")]
    assert snap.quadrant_counts() == {"manage_closely": 1, "keep_satisfied": 0, "keep_informed": 1, "monitor": 0}
    assert snap.cell_counts() == {(5, 4): 1, (2, 5): 1}
    assert powermap.summary_text(snap) == ("Manage closely: 1 · Keep satisfied: 0 · Keep informed: 1 · Monitor: 0 · "
                                           "Not scored: 1")


def test_filters_are_the_stakeholder_lists(db):
    council = services.councils.all_councils()[0]
    make("Metropolitan Police Service", 5, 4, sector="police", tags="summit, police", councils=[council])
    make("Ben Kinsella Trust", 2, 5, sector="voluntary", tags="summit")
    make("Jo Bloggs", 1, 1, kind="person", sector="police")
    assert [p.name for p in powermap.snapshot({"sector": "police"}).points] == ["Jo Bloggs",
                                                                                "Metropolitan Police Service"]
    assert [p.name for p in powermap.snapshot({"kind": "person"}).points] == ["Jo Bloggs"]
    assert [p.name for p in powermap.snapshot({"council": council}).points] == ["Metropolitan Police Service"]
    assert [p.name for p in powermap.snapshot({"tag": "summit"}).points] == ["Ben Kinsella Trust",
                                                                            "Metropolitan Police Service"]


def test_as_of_an_event_date_shows_the_scores_then(db, clock):
    met = make("Metropolitan Police Service", 3, 2)
    backdate(met, dt.datetime(2018, 12, 1, 9))
    clock(dt.datetime(2019, 3, 1, 10))
    services.stakeholders.update(met, influence=5, interest=4)
    clock(dt.datetime(2019, 9, 1, 10))
    services.stakeholders.update(services.stakeholders.get(met.id), interest=5)
    then = {p.name: p.cell for p in powermap.snapshot(as_of=SUMMIT).points}
    assert then == {"Metropolitan Police Service": (3, 2)}
    assert {p.name: p.cell for p in powermap.snapshot(as_of=BOARD).points} == {"Metropolitan Police Service": (5, 4)}
    assert {p.name: p.cell for p in powermap.snapshot().points} == {"Metropolitan Police Service": (5, 5)}
    # An edit made on the day itself counts for that day
    clock(dt.datetime(2019, 1, 16, 23, 0))
    assert powermap.snapshot(as_of=dt.date(2019, 3, 1)).points[0].cell == (5, 4)


def test_as_of_leaves_out_who_came_later_and_keeps_who_was_deleted_since(db, clock):
    early = make("Early Trust", 1, 2)
    backdate(early, dt.datetime(2018, 1, 1))
    make("Newcomer", 4, 4)  # created today
    gone = make("Gone Group", 2, 2)
    backdate(gone, dt.datetime(2018, 1, 1))
    clock(dt.datetime(2019, 5, 1))
    services.stakeholders.delete(gone)
    names_then = [p.name for p in powermap.snapshot(as_of=SUMMIT).points]
    assert names_then == ["Early Trust", "Gone Group"]
    assert [p.name for p in powermap.snapshot().points] == ["Early Trust", "Newcomer"]


def test_deleted_before_the_date_and_restored_after_it_was_not_on_the_map_then(db, clock):
    kept = make("Early Trust", 1, 2)
    away = make("Away Group", 2, 2)
    back_and_gone = make("Twice Gone Forum", 3, 3)
    for s in (kept, away, back_and_gone):
        backdate(s, dt.datetime(2018, 1, 1))
    clock(dt.datetime(2018, 6, 1))
    services.stakeholders.delete(away)
    services.stakeholders.delete(back_and_gone)
    clock(dt.datetime(2019, 3, 1))
    away = services.stakeholders.restore(away)
    back_and_gone = services.stakeholders.restore(back_and_gone)
    clock(dt.datetime(2019, 4, 1))
    services.stakeholders.update(away, influence=4)  # a score changed after its return: not a return before it
    services.stakeholders.delete(back_and_gone)
    assert [p.name for p in powermap.snapshot(as_of=SUMMIT).points] == ["Early Trust"]
    assert [p.name for p in powermap.snapshot(as_of=dt.date(2018, 5, 31)).points] == [
        "Away Group", "Early Trust", "Twice Gone Forum"]
    assert {p.name: p.cell for p in powermap.snapshot(as_of=dt.date(2019, 3, 15)).points} == {
        "Away Group": (2, 2), "Early Trust": (1, 2), "Twice Gone Forum": (3, 3)}
    assert [p.name for p in powermap.snapshot().points] == ["Away Group", "Early Trust"]
    assert [m.before.name for m in powermap.moves(since=SUMMIT)] == []  # not there then: a return, not a move


def test_scored_later_was_unscored_then(db, clock):
    s = make("Havering Faith Forum")
    backdate(s, dt.datetime(2018, 1, 1))
    clock(dt.datetime(2019, 2, 1))
    services.stakeholders.update(s, influence=2, interest=4)
    snap = powermap.snapshot(as_of=SUMMIT)
    assert snap.points == [] and [p.name for p in snap.unscored] == ["Havering Faith Forum"]


def test_moves_between_a_date_and_now(db, clock):
    met = make("Metropolitan Police Service", 3, 2)
    still = make("Still Trust", 1, 1)
    for s in (met, still):
        backdate(s, dt.datetime(2018, 1, 1))
    make("Newcomer", 4, 4)
    clock(dt.datetime(2019, 3, 1))
    services.stakeholders.update(met, influence=5)
    moved = powermap.moves(since=SUMMIT)
    assert [(m.before.name, m.before.cell, m.after.cell) for m in moved] == [
        ("Metropolitan Police Service", (3, 2), (5, 2))]
    assert powermap.moves(since=SUMMIT, until=dt.date(2019, 2, 1)) == []


def test_history_events_by_date(db):
    services.events.create(title="Board", kind="meeting", date=BOARD)
    services.events.create(title="Summit", kind="summit", date=SUMMIT)
    assert [(d, t) for _, d, t in powermap.history_events()] == [(SUMMIT, "Summit"), (BOARD, "Board")]


@pytest.mark.slow
def test_twenty_thousand_in_a_fixed_number_of_queries(db, clock):
    rows = [{"name": f"Partner {n:05}", "influence": n % 5 + 1, "interest": (n // 5) % 5 + 1} for n in range(20_000)]
    services.stakeholders.create_many(rows)
    Stakeholder.update(created_at=dt.datetime(2018, 1, 1)).execute()
    clock(dt.datetime(2019, 3, 1))
    for s in services.stakeholders.page(0, 50):
        services.stakeholders.update(s, influence=1 if s.influence != 1 else 2)
    with count_queries() as now:
        snap = powermap.snapshot()
    with count_queries() as then:
        old = powermap.snapshot(as_of=SUMMIT)
    assert len(now.get_queries()) == 1 and len(then.get_queries()) == 3
    assert len(snap.points) == len(old.points) == 20_000
    assert snap.cell_counts()[(1, 1)] != old.cell_counts()[(1, 1)]
    assert sum(old.cell_counts().values()) == 20_000


def test_tags_in_use_once_each(db):
    make("A", tags="summit, Police")
    make("B", tags="police,schools")
    make("C")
    assert [tag.lower() for tag in powermap.tags()] == ["police", "schools", "summit"]  # once, whatever the case


@pytest.mark.slow
def test_a_record_imported_after_the_date_was_not_on_the_map_then(tmp_path, clock):
    """An imported record's created_at is the exporting council's; it arrived here with the import."""
    from tests.tracker.exchange_helpers import council_db
    from tracker.exchange import export_workbook, import_workbook

    with council_db(tmp_path / "havering.db", "Havering"):
        youth = make("Havering Youth Council", 1, 5)
        backdate(youth, dt.datetime(2018, 6, 1))
        out = export_workbook(tmp_path / "share.xlsx").path
    with council_db(tmp_path / "barking.db", "Barking and Dagenham"):
        local = make("Barking Youth Forum", 2, 4)
        backdate(local, dt.datetime(2018, 6, 1))
        import_workbook(out)
        imported = Stakeholder.get(Stakeholder.name == "Havering Youth Council")
        assert imported.created_at == dt.datetime(2018, 6, 1)  # the exporter's
        assert [p.name for p in powermap.snapshot(as_of=SUMMIT).points] == ["Barking Youth Forum"]
        assert [p.name for p in powermap.snapshot().points] == ["Barking Youth Forum", "Havering Youth Council"]
