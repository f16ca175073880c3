"""The summit demo data: realistic, linked, and idempotent."""

import datetime as dt
import hashlib
import json

import pytest

from tracker import services, vocab
from tracker.demo import ACTION_TEMPLATES, COMMITMENTS, SUMMIT_DATE, load_demo
from tracker.models import ActionItem, Attendance, AuditEntry, Commitment, Event, Stakeholder, utcnow
from tracker.services import dashboard, powermap


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


# The demo's stakeholders (name, email, organisation, UUID) and its events' titles, as they were before the
# demo was redated (issue 15): other councils' test files refer to them, so they never change.
STAKEHOLDERS_SHA256 = "5c6378d41af924844d3706d1404bcbc45999fbfb9f4f35c5378b1fb0615fe585"
EVENT_TITLES_SHA256 = "5b8d2186fa8a8b8f34f30862fbc8628cdeab61072b479e835d0d3151ab9b5d85"


def sha256_of(rows):
    return hashlib.sha256(json.dumps(sorted(rows)).encode()).hexdigest()


@pytest.mark.slow
def test_stakeholders_and_event_titles_never_change_whatever_the_day(db):
    day = dt.date(2031, 5, 1)
    load_demo(today=day)
    people = [(s.name, s.email or "", s.organisation.name if s.organisation_id else "", str(s.uuid))
              for s in Stakeholder.select()]
    assert len(people) == 273 and sha256_of(people) == STAKEHOLDERS_SHA256
    titles = [e.title for e in Event.select()]
    assert "Tri-borough Serious Violence Summit" in titles and sha256_of(titles) == EVENT_TITLES_SHA256
    assert_spread_around(day)  # dated from the day it is loaded on


def source_words():
    """Every word the demo's titles are made of, whole."""
    texts = [*ACTION_TEMPLATES, *(c[1] for c in COMMITMENTS), *(c[2] for c in COMMITMENTS)]
    return {w for text in texts for w in text.split()}


def cut_titles(titles):
    """The titles not made of whole words (one cut short: "... that m", "... Commissi…")."""
    words = source_words() | {":"}
    return [t for t in titles if t.endswith(("…", "...")) or not set(t.replace(":", " : ").split()) <= words]


def test_the_cutting_check_catches_a_cut_title():
    assert cut_titles(["Map existing services: Establish a Commission to tackle the cultural aspects that m",
                       "Evaluate the pilot: A named Safer Schools…", "Identify funding: Safer Schools Officers"]) \
        == ["Map existing services: Establish a Commission to tackle the cultural aspects that m",
            "Evaluate the pilot: A named Safer Schools…"]


def assert_spread_around(today):
    """Some open actions overdue, some due within a fortnight, most later; done work fell due in the
    past; a commitment or two late, most ahead; the next summit ahead."""
    open_actions = [a for a in ActionItem.select() if a.status not in vocab.ACTION_CLOSED]
    days = sorted((a.due_date - today).days for a in open_actions)
    overdue = [d for d in days if d < 0]
    soon = [d for d in days if 0 <= d <= 14]
    later = [d for d in days if d > 14]
    assert len(open_actions) >= 30
    assert 0 < len(overdue) < 0.25 * len(open_actions), days
    assert len(soon) >= 0.1 * len(open_actions), days
    assert len(later) > 0.5 * len(open_actions), days
    assert -60 <= days[0] and days[-1] <= 200, days  # around today, not years away
    assert all(a.due_date < today for a in ActionItem.select() if a.status == "done")
    open_commitments = [c for c in Commitment.select() if c.status in ("proposed", "agreed", "in_progress")]
    assert 0 < sum(c.target_date < today for c in open_commitments) <= 2
    assert sum(c.target_date > today for c in open_commitments) >= 8
    assert all(c.target_date < today for c in Commitment.select() if c.status in ("achieved", "lapsed"))
    events = {e.title: e.date for e in Event.select()}
    assert events["Second Tri-borough Serious Violence Summit (planned)"] > today
    assert events["Tri-borough Serious Violence Summit"] == SUMMIT_DATE


@pytest.mark.slow
def test_titles_are_whole_and_today_is_not_a_wall_of_red(db):
    load_demo()
    titles = [a.title for a in ActionItem.select()] + [c.title for c in Commitment.select()]
    assert cut_titles(titles) == []
    # An action's title is the task and what it is about, the commitment's short subject whole,
    action = ActionItem.select().where(ActionItem.title.startswith("Agree terms of reference")).get()
    assert action.title == "Agree terms of reference: Domestic Violence Commission"
    pairs = [(a.commitment_id, a.title) for a in ActionItem.select()]
    assert len(pairs) == len(set(pairs))  # and no commitment has the same task twice
    assert_spread_around(dt.date.today())
    # as the lists count them: the Overdue filter and "Due within 14 days"
    open_count = services.actions.count(filters={"open": True})
    assert 0 < services.actions.count(filters={"overdue": True}) < open_count / 4
    assert services.actions.count(filters={"due_within": 14}) >= open_count / 10


def test_the_demo_has_a_year_of_actions_opened_and_closed(demo_db):
    """Loaded today, the demo still has a past: the dashboard's actions over time span the year, not one month."""
    months = dashboard.months({}, dt.date.today())
    opened, closed = [m.opened for m in months], [m.closed for m in months]
    assert sum(n > 0 for n in opened) >= 8 and sum(n > 0 for n in closed) >= 5, (opened, closed)
    assert max(opened) < sum(opened) / 4 and sum(opened) >= 30  # about as many each month, not a spike today
    assert sum(m.overdue > 0 for m in months[:-1]) >= 3  # some were late before today too
    assert months[-1].overdue == services.actions.count(filters={"overdue": True})  # and today's five-ish
    # A closed action was made open and closed later, both before today, as its History tab says.
    now = utcnow()
    for action in ActionItem.select().where(ActionItem.status.in_(vocab.ACTION_CLOSED)):
        trail = list(AuditEntry.select().where(AuditEntry.record_uuid == action.uuid).order_by(AuditEntry.at))
        made, last = trail[0], trail[-1]
        assert made.operation == "create" and json.loads(made.new_value)["status"] == "in_progress"
        assert (last.field, last.old_value, last.new_value) == ("status", "in_progress", action.status)
        assert made.at < last.at < now and last.at.date() < dt.date.today()
        assert action.created_at == made.at
    assert_spread_around(dt.date.today())  # still as of today: a few overdue, most on track


def test_the_map_as_of_an_earlier_event_differs_from_today(demo_db):
    events = powermap.history_events()
    summit, board = events[0], [e for e in events if e[1] < dt.date.today()][-1]
    assert summit[1] == SUMMIT_DATE and board[2] == "Tri-borough Community Safety Partnership Board"
    then, now = powermap.snapshot(as_of=SUMMIT_DATE), powermap.snapshot()
    assert {p.id for p in then.points} == {p.id for p in now.points}  # everyone was there: made before the summit
    cells_then, cells_now = ({p.name: p.cell for p in snap.points} for snap in (then, now))
    assert cells_then != cells_now and then.quadrant_counts() != now.quadrant_counts()
    assert (cells_then["Ben Kinsella Trust"], cells_now["Ben Kinsella Trust"]) == ((2, 5), (3, 5))
    assert len(powermap.moves(since=SUMMIT_DATE)) >= 8
    # Since the latest board (a month ago) two partners moved: the arrows to today show them.
    assert sorted(m.after.name for m in powermap.moves(since=board[1])) == [
        "East London Boxing Academy (demo)", "Victim Support, East London"]
