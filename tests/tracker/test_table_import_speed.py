"""The table import's fast paths give the straightforward paths' answers: the blocked close-name search
finds exactly what ``process.extract`` finds over the held names sharing a name block with the query
(planted near-duplicates among random names), and ``update_many`` writes what ``update`` one by one
writes, audit included."""

import random

import pytest
from rapidfuzz import fuzz, process

from tracker import services
from tracker.errors import ValidationError
from tracker.models import AuditEntry
from tracker.services import matching
from tracker.services.matching import (
    BLOCK_PREFIX,
    DOUBT_SCORE,
    MAX_CANDIDATES,
    block_index,
    close_names,
    name_blocks,
)

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _name(rng):
    return " ".join("".join(rng.choice(LETTERS[:rng.choice((8, 26))]) for _ in range(rng.randint(1, 9)))
                    for _ in range(rng.randint(1, 3)))


def _near(rng, name):
    """``name`` with one to three letters doubled, dropped, swapped or changed."""
    for _ in range(rng.randint(1, 3)):
        if len(name) < 3:
            break
        i = rng.randrange(len(name) - 1)
        name = rng.choice((name[:i] + name[i] + name[i:], name[:i] + name[i + 1:],
                           name[:i] + name[i + 1] + name[i] + name[i + 2:], name[:i] + rng.choice(LETTERS) + name[i + 1:]))
    return name


@pytest.mark.parametrize("seed", range(4))
def test_blocked_close_names_are_what_extract_finds_among_the_names_sharing_a_block(seed):
    rng = random.Random(100 + seed)
    held = [_name(rng) for _ in range(3000)]
    held += [_near(rng, rng.choice(held)) for _ in range(1000)]
    held = [" ".join(sorted(k.split())) for k in held if k.strip()]
    queries = [_near(rng, rng.choice(held)) for _ in range(300)] + [rng.choice(held) for _ in range(50)]
    queries += [_name(rng) for _ in range(150)] + ["a", "ab", "abc abd"]
    queries = [" ".join(sorted(q.split())) for q in queries]
    batch = close_names(queries, held, block_index(held))
    held_blocks = [set(name_blocks(key, BLOCK_PREFIX)) for key in held]
    generic = {}
    for position, blocks in enumerate(held_blocks):
        for block in blocks:
            generic.setdefault(block, []).append(position)
    assert block_index(held) == generic  # the two-word names' inline blocks are name_blocks' own
    found_some = 0
    for query in queries:
        blocks = set(name_blocks(query, BLOCK_PREFIX))
        sharing = [i for i, theirs in enumerate(held_blocks) if blocks & theirs]
        plain = process.extract(query, [held[i] for i in sharing], scorer=fuzz.ratio, processor=None,
                                score_cutoff=DOUBT_SCORE, limit=None)
        expected = sorted(((held[sharing[j]], s, sharing[j]) for _, s, j in plain), key=lambda f: (-f[1], f[2]))
        got = batch[query]
        assert [(k, i) for k, _, i in got] == [(k, i) for k, _, i in expected[:MAX_CANDIDATES * 4]], query
        assert [round(s, 3) for _, s, _ in got] == [round(s, 3) for _, s, _ in expected[:MAX_CANDIDATES * 4]]
        found_some += bool(plain)
    assert found_some > 150  # the planted near-duplicates (up to three letters changed) were there to be found


def test_close_names_scored_one_by_one_are_the_batchs(monkeypatch):
    """Few pairs are scored without numpy (matching._one_by_one): the same names, scores (float32, as cpdist's),
    order and cut."""
    rng = random.Random(7)
    held = [" ".join(sorted(_name(rng).split())) for _ in range(2000)]
    held = [k for k in held if k] + [" ".join(sorted(_near(rng, k).split())) for k in held[:500] if k.strip()]
    queries = [" ".join(sorted(_near(rng, rng.choice(held)).split())) for _ in range(400)]
    answers = []
    for one_by_one in (False, True):
        monkeypatch.setattr(matching, "_one_by_one", lambda pairs, answer=one_by_one: answer)
        answers.append(close_names(queries, held, block_index(held)))
    assert answers[0] == answers[1]
    assert sum(len(hits) for hits in answers[0].values()) > 200


def test_close_names_are_found_within_their_blocks():
    """A letter doubled, dropped, swapped or changed after the first three letters of every word ("Jonathon
    Whitfeld"), a typo in one word, a middle initial: a candidate; the same words in another order are the
    same key.  Names sharing no block (a word's first letter changed) are not compared at all: what the
    blocking gives up."""
    held = ["daniel okafor", "grace smith", "catherine smith", "jonathan whitfield"]
    keys = [" ".join(sorted(k.split())) for k in held]
    queries = {"daniel okaffor": 0, "daniel okfor": 0, "danile okafor": 0, "danial okafr": 0, "grace smiht": 1,
               "grace a smith": 1, "jonathon whitfeld": 3, "katherine smith": None, "amy smith": None}
    found = close_names([" ".join(sorted(q.split())) for q in queries], keys, block_index(keys))
    for query, position in queries.items():
        hits = found[" ".join(sorted(query.split()))]
        assert [i for _, _, i in hits] == ([] if position is None else [position]), query
        for key, score, _ in hits:
            assert score == pytest.approx(fuzz.ratio(" ".join(sorted(query.split())), key), abs=1e-3)
    assert fuzz.ratio("catherine smith", "katherine smith") >= DOUBT_SCORE  # close, but in no shared block


def test_update_many_writes_what_update_writes(db):
    s = services.stakeholders
    org = s.create(name="Havering Primary", kind="organisation", sector="education")
    a = [s.create(name=f"Person {i}", kind="person", sector="education") for i in range(3)]
    b = [s.create(name=f"Person {i}", kind="person", sector="education") for i in range(3, 6)]
    changes = [{"role": "Head", "organisation": org}, {"email": "p@x.example"}, {"role": "Head", "phone": "0207"}]
    one_by_one = [s.update(rec, source="file", **c) for rec, c in zip(a, changes)]
    together = s.update_many(list(zip(b, changes)), source="file")

    def trail(rec):
        return sorted((e.operation, e.field, e.old_value, e.new_value, e.source) for e in
                      AuditEntry.select().where(AuditEntry.record_uuid == rec.uuid, AuditEntry.operation == "update"))

    for x, y in zip(one_by_one, together):
        assert (x.role, x.email, x.phone, x.organisation_id, x.version) == (y.role, y.email, y.phone,
                                                                             y.organisation_id, y.version)
        assert trail(x) == trail(y)
    unchanged = s.update_many([(together[0], {"role": "Head"})])
    assert unchanged[0].version == together[0].version  # nothing to change: no version bump, no audit


def test_update_many_is_all_or_nothing(db):
    s = services.stakeholders
    a, b = (s.create(name=n, kind="person", sector="education") for n in ("Ann", "Bob"))
    with pytest.raises(ValidationError):
        s.update_many([(a, {"role": "Head"}), (b, {"name": ""})])
    assert s.get(a.id).role == "" and s.get(a.id).version == 1


def test_records_by_id_are_what_select_gives(db):
    from tracker.bulk import records_by_id
    from tracker.models import Stakeholder

    s = services.stakeholders
    org = s.create(name="Havering Primary", kind="organisation", sector="education", influence=4)
    people = [s.create(name=f"Person {i}", kind="person", sector="education", organisation=org, email=f"p{i}@x.example")
              for i in range(3)]
    s.delete(people[1])
    ids = [p.id for p in people] + [org.id, 99999]
    fast = records_by_id(Stakeholder, ids)
    slow = {r.id: r for r in Stakeholder.select().where(Stakeholder.id.in_(ids))}
    assert set(fast) == set(slow) == {*ids[:-1]}
    for i, rec in fast.items():
        assert rec.__data__ == slow[i].__data__ and not rec._dirty
        assert (rec.uuid, rec.created_at, rec.organisation_id) == (slow[i].uuid, slow[i].created_at,
                                                                    slow[i].organisation_id)
    assert fast[people[0].id].organisation.name == "Havering Primary"  # links load as usual
    fast[people[0].id].role = "Head"
    fast[people[0].id].save()  # only what changed is written
    assert s.get(people[0].id).role == "Head" and s.get(people[0].id).email == "p0@x.example"


def test_the_undo_snapshot_of_some_records_is_what_the_whole_state_says(db):
    from tracker.services import exchange, tableimports

    s = services.stakeholders
    council = services.councils.find("Havering")
    org = s.create(name="Havering Primary", kind="organisation", sector="education")
    people = [s.create(name=f"Person {i}", kind="person", sector="education", organisation=org,
                       councils=[council] if i % 2 else None, influence=i % 5 + 1) for i in range(6)]
    others = [s.create(name=f"Other {i}", kind="person", sector="health") for i in range(3)]
    s.delete(people[4])
    wanted = [p.uuid for p in people[1:5]] + [org.uuid]
    state = exchange.load_state(["stakeholder"])
    records = state.tables["stakeholder"].records
    expected = {p.uuid.hex: (records[p.uuid.hex].version, records[p.uuid.hex].values, None)
                for p in [*people[1:5], org]}
    assert tableimports.snapshot("stakeholder", wanted) == expected
    assert others[0].uuid.hex not in tableimports.snapshot("stakeholder", wanted)
    contents = [v for _, values, _ in expected.values() for v in values]
    assert org.uuid.hex in contents and council.uuid.hex in contents  # links and councils were in it


def test_stored_timestamps_read_as_peewee_reads_them():
    import datetime as dt

    from peewee import DateTimeField

    from tracker.bulk import _stored_datetime

    field = DateTimeField()
    fast = _stored_datetime(field.python_value)
    for value in ("2026-12-01 19:29:09.270084", "2026-12-01 19:29:09", "2026-12-01", "2026-12-01T19:29:09",
                  "2026-13-01 19:29:09", "2026-12-01 19:29:09,270084", "2026-12-01 19:29:09.27", "", None,
                  dt.datetime(2020, 1, 1, 5)):
        assert fast(value) == field.python_value(value), value
    assert fast("2026-12-01 19:29:09.270084") == dt.datetime(2026, 12, 1, 19, 29, 9, 270084)


def test_load_records_reads_every_table_as_load_state_does(demo_db):
    """Periods' precision columns, links to other tables, councils: the same content tuples."""
    from tracker.services import exchange

    state = exchange.load_state()
    for table, loaded in state.tables.items():
        some = list(loaded.records)[::2]
        got, _ = exchange.load_records(table, some)
        assert {h: (r.version, r.values) for h, r in got.items()} == {
            h: (loaded.records[h].version, loaded.records[h].values) for h in some}, table
        assert got, table
