"""The table import's fast paths give the straightforward paths' answers: the bigram-indexed close-name
search finds exactly what ``process.extract`` over every held name finds (planted near-duplicates
among random names), and ``update_many`` writes what ``update`` one by one writes, audit included."""

import random

import pytest
from rapidfuzz import fuzz, process

from tracker import services
from tracker.errors import ValidationError
from tracker.models import AuditEntry
from tracker.services.matching import (DOUBT_SCORE, MAX_CANDIDATES, bigram_index, close_names, close_names_many,
                                       least_shared)

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
def test_indexed_close_names_are_exactly_what_extract_over_every_name_finds(seed):
    rng = random.Random(seed)
    held = [_name(rng) for _ in range(3000)]
    held += [_near(rng, rng.choice(held)) for _ in range(1000)]  # near-duplicates among those held
    held = [" ".join(sorted(k.split())) for k in held if k.strip()]
    index = bigram_index(held)
    queries = [_near(rng, rng.choice(held)) for _ in range(300)] + [rng.choice(held) for _ in range(50)]
    queries += [_name(rng) for _ in range(150)] + ["a", "ab", "abc abd"]
    found_some = 0
    for query in queries:
        query = " ".join(sorted(query.split()))
        plain = process.extract(query, held, scorer=fuzz.ratio, processor=None, score_cutoff=DOUBT_SCORE,
                                limit=MAX_CANDIDATES * 4)
        fast = close_names(query, held, index)
        assert [(k, s, i) for k, s, i in fast] == [(k, s, i) for k, s, i in plain], query
        found_some += bool(plain)
    assert found_some > 200  # the planted near-duplicates were there to be found


@pytest.mark.parametrize("seed", range(4))
def test_batched_close_names_are_exactly_what_extract_over_every_name_finds(seed):
    rng = random.Random(100 + seed)
    held = [_name(rng) for _ in range(3000)]
    held += [_near(rng, rng.choice(held)) for _ in range(1000)]
    held = [" ".join(sorted(k.split())) for k in held if k.strip()]
    queries = [_near(rng, rng.choice(held)) for _ in range(300)] + [rng.choice(held) for _ in range(50)]
    queries += [_name(rng) for _ in range(150)] + ["a", "ab", "abc abd"]
    queries = [" ".join(sorted(q.split())) for q in queries]
    batch = close_names_many(queries, held)
    found_some = 0
    for query in queries:
        plain = process.extract(query, held, scorer=fuzz.ratio, processor=None, score_cutoff=DOUBT_SCORE,
                                limit=MAX_CANDIDATES * 4)
        assert batch[query] == [(k, s, i) for k, s, i in plain], query
        found_some += bool(plain)
    assert found_some > 200


def test_the_bigram_bound_never_rules_out_a_name_that_scores():
    rng = random.Random(7)
    for _ in range(20000):
        a = _name(rng)
        b = _near(rng, a)
        if a and b and fuzz.ratio(a, b) >= DOUBT_SCORE:
            shared = len(set(_pairs(a)) & set(_pairs(b)))
            assert shared >= least_shared(len(a)), (a, b)


def _pairs(text):
    from tracker.services.matching import _bigrams
    return _bigrams(text)


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
