"""Deterministic benchmark data: a database of N actions with proportional other records.

Built with raw ``executemany`` (not the services) so that making a 100k database takes seconds;
the schema comes from ``open_database(create=True)``, so it is always the app's current one.
Per N actions: N/20 stakeholders (a fifth of them organisations), N/1000 events, N/10
commitments and N/4 updates on actions.  Text is plain English-like words with the odd awkward
value (a leading ``=``, an apostrophe, a non-ASCII name) so that writers take their real paths.
"""

import datetime as dt
import random
import sqlite3
import uuid

from tracker import vocab
from tracker.db import close_database
from tracker.models import utcnow
from tracker.opening import open_database

SEED = 20190116
WORDS = ("review", "youth", "outreach", "knife", "crime", "referral", "pathway", "school", "exclusion", "hospital",
         "navigator", "county", "lines", "mentoring", "funding", "bid", "data", "sharing", "protocol", "training",
         "parents", "estate", "patrol", "trauma", "informed", "practice", "summer", "programme", "board", "report")
AWKWARD = ("=SUM(A1:A2) is not a formula", "O'Brien's follow-up", "Zoë's café – résumé", "+44 line", "-minus first")
TODAY = dt.date(2026, 6, 1)  # fixed, so every run has the same overdue share


def sizes(n_actions, stakeholders=None):
    return {"actions": n_actions, "stakeholders": stakeholders or max(n_actions // 20, 10), "events": max(n_actions // 1000, 3),
            "commitments": max(n_actions // 10, 5), "updates": n_actions // 4}


def _uuid(rng):
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def _text(rng, low, high):
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))
    if rng.random() < 0.01:
        words = rng.choice(AWKWARD) + " " + words
    return words[:1].upper() + words[1:]


def _insert(conn, table, columns, rows):
    marks = ", ".join("?" * len(columns))
    names = ", ".join(f'"{c}"' for c in columns)
    conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


def build(path, n_actions, seed=SEED, with_actions=True, stakeholders=None):
    """Create the database at ``path`` (it must not exist) and fill it; returns the counts.
    ``stakeholders``: this many instead of N/20 (the list benchmark's 50k)."""
    open_database(path, create=True)
    close_database()
    rng = random.Random(seed * 1_000_003 + n_actions)
    n = sizes(n_actions, stakeholders)
    now = utcnow()
    conn = sqlite3.connect(str(path))
    try:
        councils = [row[0] for row in conn.execute("SELECT id FROM council ORDER BY id")]
        boroughs = councils[:3]
        common = ("uuid", "created_at", "updated_at", "origin_council_id", "version")

        def base():
            return (_uuid(rng), now, now, rng.choice(boroughs), 1)

        n_orgs = max(n["stakeholders"] // 5, 2)
        people = []
        for i in range(n["stakeholders"]):
            is_org = i < n_orgs
            name = (f"{_text(rng, 1, 3)} Partnership {i}" if is_org else f"Person {i} {rng.choice(WORDS).title()}")
            people.append(base() + ("organisation" if is_org else "person", name,
                                    None if is_org else rng.randint(1, n_orgs), rng.choice(list(vocab.SECTORS)),
                                    "" if is_org else _text(rng, 1, 3), "" if is_org else f"person{i}@example.org",
                                    "", "", "", rng.randint(1, 5), rng.randint(1, 5), "", ""))
        _insert(conn, "stakeholder", common + ("kind", "name", "organisation_id", "sector", "role", "email", "phone",
                                               "address", "website", "influence", "interest", "tags", "notes"), people)
        _insert(conn, "stakeholder_council", ("stakeholder_id", "council_id"),
                [(i + 1, rng.choice(councils)) for i in range(n["stakeholders"])])

        _insert(conn, "event", common + ("title", "kind", "date", "place", "council_id", "notes"),
                [base() + (f"{_text(rng, 2, 4)} meeting {i}", rng.choice(list(vocab.EVENT_KINDS)),
                           TODAY - dt.timedelta(days=rng.randint(0, 2000)), "Town hall", rng.choice(councils), "")
                 for i in range(n["events"])])

        commitments = []
        for i in range(n["commitments"]):
            made = TODAY - dt.timedelta(days=rng.randint(0, 2000))
            commitments.append(base() + (_text(rng, 3, 8), _text(rng, 8, 20), rng.randint(1, n["stakeholders"]),
                                         rng.randint(1, n["events"]) if rng.random() < 0.7 else None, made,
                                         made + dt.timedelta(days=rng.randint(30, 900)),
                                         rng.choice(list(vocab.THEMES)), rng.choice(list(vocab.COMMITMENT_STATUSES)),
                                         rng.choice((None, "R", "A", "G"))))
        _insert(conn, "commitment", common + ("title", "description", "made_by_id", "made_at_id", "date_made",
                                              "target_date", "theme", "status", "rag"), commitments)
        _insert(conn, "commitment_council", ("commitment_id", "council_id"),
                [(i + 1, rng.choice(councils)) for i in range(n["commitments"])])

        if with_actions:
            _insert(conn, "action_item", common + ("reference", "title", "description", "commitment_id",
                                                   "owner_id", "council_id", "due_date", "priority", "status"),
                    [base() + row for row in action_rows(rng, n)])
            _insert(conn, "record_update", common + ("date", "text", "author", "action_id"),
                    [base() + (TODAY - dt.timedelta(days=rng.randint(0, 700)), _text(rng, 6, 25), "Bench Officer",
                               rng.randint(1, n["actions"])) for _ in range(n["updates"])])
        conn.commit()
    finally:
        conn.close()
    return n


def action_rows(rng, n):
    """(reference, title, description, commitment id, owner id, council id, due, priority, status) per action."""
    rows = []
    priorities, statuses = list(vocab.PRIORITIES), list(vocab.ACTION_STATUSES)
    for i in range(n["actions"]):
        rows.append((f"BD-A{i + 1:04d}", _text(rng, 3, 9), _text(rng, 0, 25) if rng.random() < 0.6 else "",
                     rng.randint(1, n["commitments"]) if rng.random() < 0.9 else None,
                     rng.randint(1, n["stakeholders"]) if rng.random() < 0.95 else None, rng.randint(1, 3),
                     TODAY + dt.timedelta(days=rng.randint(-400, 400)) if rng.random() < 0.97 else None,
                     rng.choice(priorities), rng.choice(statuses)))
    return rows


def action_fields(n_actions, seed=SEED):
    """The same actions as dicts of fields by id (for services ``create_many``): deterministic."""
    rng = random.Random(seed * 7 + n_actions)
    n = sizes(n_actions)
    out = []
    for _ref, title, description, commitment, owner, council, due, priority, status in action_rows(rng, n):
        out.append({"title": title, "description": description, "commitment": commitment, "owner": owner,
                    "council": council, "due_date": due, "priority": priority, "status": status})
    return out
