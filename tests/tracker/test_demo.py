"""The summit demo data: realistic, linked, and idempotent."""

import datetime as dt

from tracker import services
from tracker.demo import SUMMIT_DATE, load_demo
from tracker.models import Attendance, AuditEntry, Event


def test_demo_is_realistic(db):
    assert load_demo() > 500
    counts = services.stats()
    assert counts["commitments"] >= 12 and 50 <= counts["actions"] <= 70
    summit = Event.get(Event.date == SUMMIT_DATE)
    assert summit.kind == "summit" and "Dagenham" in summit.place
    assert 200 <= Attendance.select().where(Attendance.event == summit).count() <= 240
    titles = [c.title for c in services.commitments.page(0, 100)]
    assert any("normalise domestic violence" in t for t in titles)
    names = {s.name for s in services.stakeholders.organisations()}
    assert {"Metropolitan Police Service", "Ben Kinsella Trust", "Mayor's Office for Policing and Crime (MOPAC)"} <= names
    assert services.actions.count(filters={"overdue": True}) > 0
    assert services.actions.count(filters={"due_after": dt.date.today()}) > 0
    councils = {a.council.name for a in services.actions.page(0, 100)}
    assert councils == {"Barking and Dagenham", "Havering", "Redbridge"}
    assert services.check() == []


def test_demo_twice_adds_nothing(db):
    load_demo()
    counts, audit = services.stats(), AuditEntry.select().count()
    assert load_demo() == 0
    assert services.stats() == counts and AuditEntry.select().count() == audit
