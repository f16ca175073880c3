"""Finding stakeholders held twice: candidate groups, best first, with a score and the reasons.

:func:`find_duplicates` reads the live stakeholders who have not been erased (one query, and one for
their councils) and returns candidate groups, best first, each with a score (0-100) and the reasons in
users' words.  People are compared with people and organisations with organisations, never across.
Names are read by the one matcher (``services/matching.py``: ``person_key`` turns titles, capitals,
punctuation, "Surname, First" and nicknames into one key; ``organisation_key`` reads "Met Police" as
"Metropolitan Police Service"), so an import and this review agree on who is who.

The evidence for a pair, each a reason (:data:`REASONS`) with a weight:

- **same email** (any case): strong; but a shared inbox (``info@``, ``enquiries@``, ``admin@``, ... or an
  address four or more records share) is only **shared inbox**, weak on its own;
- **same name and organisation** (normalised keys), or **same name** where one side has no organisation;
  the same name at two different organisations with two different emails is two people (namesakes), no
  candidate, as in the import's matcher (``matching.different_people``);
- **close name**: ``fuzz.ratio`` of the keys (words sorted) at or above the matcher's ``DOUBT_SCORE``
  (organisations: :data:`CLOSE_ORGANISATION`), or names that differ only by initials ("D. Okafor");
  namesakes as above are left out, and so are two organisations writing from two email domains;
- **same phone** (UK numbers normalised: ``+44 (0)20 ...`` is ``020 ...``): strong enough alone for a
  direct line, but a number three or more records share, or a person's number that is an organisation's, is
  a **shared switchboard**, weak on its own.

A pair's score combines its reasons' weights as independent evidence, ``100 * (1 - prod(1 - w))``; a
close name weighs more the closer it is and when the organisations agree.  A pair by name weighs
:data:`AMBIGUOUS` less when the records named like either of the two are not all alike each other ("A. Clawn"
is like Ava Clawn and Alfie Clawn, who are not alike: ambiguous; Daniel, Dan and D. Okafor are all alike: not),
so one initial does not chain two people into one group; and the same initials-only name ("A Clawn" twice)
without an organisation in common weighs no more than a close name (:data:`SAME_INITIALS`).

**Blocking: never all pairs.**  Pairs are only formed inside blocks: records with the same email key,
the same phone key, the same name key (exact), and for close names the blocks of
``matching.name_blocks``: each whole word of a name with the first letter of each of its other words
("daniel o", "okafor d").  Names that share a whole word and agree on another word's first letter meet
(initials, nicknames, a typo in one word, a middle name on one side); two names with no word in common
never do.  The close-name pairs from every block are scored in one batch by rapidfuzz's
``process.cpdist`` (``matching.close_pairs``), each pair once.  A block of weak evidence (a shared inbox,
a switchboard) larger than :data:`WEAK_BLOCK` records gives no pairs: fifty people at one switchboard are
fifty people.  At 20k stakeholders this scores a few hundred thousand pairs instead of 200 million
(docs/performance.md, ``find_duplicates_20k``).

Pairs at or above the minimum score are joined into groups (union-find, best pair first); a group's score
is its best pair's.  A pair a person said is not a duplicate (:func:`mark_not_duplicates`) is never joined,
and two groups whose joining would put such a pair together stay apart, so the pair is never offered
again, even through a third record.

The pairs said not to be duplicates live in ``services/not_duplicates.py`` (their functions are imported here,
so callers find the whole review in this module).

Progress and Cancel: ``progress(percent, text)`` (returning False stops) and ``cancelled()`` (True stops)
raise :class:`tracker.errors.Cancelled`, as the imports do.
"""

import itertools
import re
import uuid
from dataclasses import dataclass

from tracker.db import database
from tracker.errors import Cancelled, TrackerError
from tracker.models import Council, Stakeholder, StakeholderCouncil
from tracker.services.councils import find as find_council
from tracker.services.matching import (
    DOUBT_SCORE,
    close_pairs,
    different_people,
    email_key,
    initials_agree,
    is_generic_email,
    name_blocks,
    organisation_key,
    person_key,
    phone_key,
)
from tracker.services.not_duplicates import (
    TABLE,
    NotDuplicatePair,
    add_not_duplicate_pairs,
    forget_not_duplicates,
    mark_not_duplicates,
    not_duplicate_pairs,
    remembered_pairs,
)

__all__ = ["DEFAULT_MIN_SCORE", "REASONS", "TABLE", "DuplicateGroup", "DuplicateRecord", "NotDuplicatePair",
           "add_not_duplicate_pairs", "find_duplicates", "forget_not_duplicates", "mark_not_duplicates",
           "not_duplicate_pairs"]

DEFAULT_MIN_SCORE = 50
SAME_EMAIL = "same email"
SAME_NAME_AND_ORGANISATION = "same name and organisation"
SAME_NAME = "same name"
CLOSE_NAME = "close name"
SAME_PHONE = "same phone"
SHARED_INBOX = "shared inbox"
SHARED_SWITCHBOARD = "shared switchboard"
REASONS = (SAME_EMAIL, SAME_NAME_AND_ORGANISATION, SAME_NAME, CLOSE_NAME, SAME_PHONE, SHARED_INBOX,
           SHARED_SWITCHBOARD)  # strongest first, the order a group lists them in
WEIGHTS = {SAME_EMAIL: 95, SAME_NAME_AND_ORGANISATION: 90, SAME_NAME: 75, SAME_PHONE: 70, SHARED_INBOX: 30,
           SHARED_SWITCHBOARD: 25}
SAME_INITIALS = 55  # the same name with an initial ("A Clawn"), no organisation in common: no more than a close name
CLOSE_ORGANISATION = 90  # fuzz.ratio from which two organisations' names are close ("Redbridge CVS"/"Redbrige CVS")
INBOX_SHARED_BY = 4  # an address held by this many records is a shared inbox, whatever it is called
SWITCHBOARD_SHARED_BY = 3  # a number held by this many records is a switchboard
AMBIGUOUS = 20  # less weight for a pair whose names are also like other records' that are not like each other
WEAK_BLOCK = 30  # a shared inbox or switchboard held by more records than this pairs none of them
KINDS = {None: ("person", "organisation"), "people": ("person",), "organisations": ("organisation",),
         "person": ("person",), "organisation": ("organisation",)}


@dataclass(frozen=True)
class DuplicateRecord:
    id: int
    uuid: str
    kind: str  # "person" | "organisation"
    name: str
    organisation: str
    email: str
    phone: str
    councils: tuple


@dataclass(frozen=True)
class DuplicateGroup:
    score: int  # 0-100, the best pair's
    reasons: tuple  # of REASONS, strongest first
    records: tuple  # DuplicateRecord, 2 or more, oldest first


def _step(progress, cancelled, percent, text):
    if cancelled is not None and cancelled():
        raise Cancelled()
    if progress is not None and progress(int(percent), text) is False:
        raise Cancelled()


def find_duplicates(*, kind=None, council=None, min_score=DEFAULT_MIN_SCORE, progress=None, cancelled=None):
    """Candidate groups of live, non-erased stakeholders, best first (see the module's docstring).

    ``kind``: None (both), "people" or "organisations"; ``council``: a council's name or code, keeping the groups
    in which at least one record is that council's; ``min_score``: the lowest pair score joined (0-100)."""
    if kind not in KINDS:
        raise TrackerError(f"Duplicates are found among people or organisations, not {kind!r}.")
    wanted_council = find_council(council).id if council else None
    min_score = max(0, min(100, int(min_score)))
    _step(progress, cancelled, 0, "Reading the stakeholders")
    held = _Held.load()
    groups = []
    kinds = KINDS[kind]
    apart = held.not_duplicates()
    for n, which in enumerate(kinds):
        share = 90 / len(kinds)
        at = 5 + n * share
        records = held.of_kind(which)
        pairs = _pairs(held, records, which, progress, cancelled, at, share)
        _step(progress, cancelled, at + share * 0.9, "Grouping")
        groups += _groups(pairs, min_score, apart)
    if wanted_council is not None:
        groups = [g for g in groups if any(wanted_council in held.council_ids.get(r, ()) for r in g[2])]
    out = [DuplicateGroup(score, tuple(r for r in REASONS if r in reasons), tuple(held.record(i) for i in ids))
           for score, reasons, ids in groups]
    out.sort(key=lambda g: (-g.score, g.records[0].name.casefold(), g.records[0].id))
    _step(progress, cancelled, 100, "Done")
    return out


class _Held:
    """The live, non-erased stakeholders as plain tuples, with the keys they are compared by."""

    def __init__(self):
        self.rows = {}  # id -> (uuid, kind, name, organisation id, email, phone)
        self.organisation_names = {}  # organisation id -> name
        self.council_ids = {}  # stakeholder id -> {council id}
        self.council_names = {}

    @classmethod
    def load(cls):
        """Every live, non-erased stakeholder (the other kind too: members name their organisations, and an
        organisation's number is its members' switchboard)."""
        held = cls()
        S = Stakeholder
        query = S.select(S.id, S.uuid, S.kind, S.name, S.organisation, S.email, S.phone).where(
            S.deleted_at.is_null(), S.erased_at.is_null())
        for rid, identity, kind, name, org, email, phone in database.execute(query).fetchall():  # raw: UUIDs unparsed
            held.rows[rid] = (_hex(identity), kind, name or "", org, email or "", phone or "")
            if kind == "organisation":
                held.organisation_names[rid] = name or ""
        missing = {r[3] for r in held.rows.values() if r[3] and r[3] not in held.organisation_names}
        if missing:  # members of a deleted organisation still name it
            held.organisation_names.update(S.select(S.id, S.name).where(S.id.in_(list(missing))).tuples())
        held.council_names = dict(Council.select(Council.id, Council.name).tuples())
        link = StakeholderCouncil
        for sid, cid in database.execute(link.select(link.stakeholder, link.council)).fetchall():
            held.council_ids.setdefault(sid, set()).add(cid)
        return held

    def of_kind(self, kind):
        return [rid for rid, row in self.rows.items() if row[1] == kind]

    def organisation(self, rid):
        org = self.rows[rid][3]
        return self.organisation_names.get(org, "") if org else ""

    def record(self, rid):
        identity, kind, name, _, email, phone = self.rows[rid]
        councils = tuple(sorted(self.council_names[c] for c in self.council_ids.get(rid, ())))
        return DuplicateRecord(rid, str(uuid.UUID(identity)), kind, name, self.organisation(rid), email, phone, councils)

    def not_duplicates(self):
        """{id: {ids said not to be duplicates of it}} among the records held."""
        by_hex = {row[0]: rid for rid, row in self.rows.items()}
        apart = {}
        for first, second in remembered_pairs():
            a, b = by_hex.get(_hex(first)), by_hex.get(_hex(second))
            if a is not None and b is not None:
                apart.setdefault(a, set()).add(b)
                apart.setdefault(b, set()).add(a)
        return apart


_INITIAL = re.compile(r"(?:^|\s)\w(?:\s|$)")  # a word of one letter


def _domain(email):
    return email_key(email).rpartition("@")[2]


def _hex(identity):
    """A UUID as SQLite stores it (32 hex digits), from whatever the database returned."""
    if identity.__class__ is str and len(identity) == 32:
        return identity
    return uuid.UUID(str(identity)).hex


def _pairs(held, ids, kind, progress, cancelled, at, share):
    """{(id, id): (score, reasons)} for the records ``ids`` of one kind."""
    evidence = {}

    def add(a, b, reason, weight):
        key = (a, b) if a < b else (b, a)
        found = evidence.setdefault(key, {})
        if found.get(reason, -1) < weight:
            found[reason] = weight

    person = kind == "person"
    rows = held.rows
    names = {rid: (person_key if person else organisation_key)(rows[rid][2]) for rid in ids}
    sorted_names = {rid: " ".join(sorted(key.split())) for rid, key in names.items()}
    orgs = {rid: organisation_key(held.organisation(rid)) for rid in ids} if person else dict.fromkeys(ids, "")
    emails = {rid: rows[rid][4] for rid in ids}

    def namesakes(a, b):
        if person:
            return different_people(orgs[a], orgs[b], emails[a], emails[b])
        return False

    def other_domains(a, b):  # two organisations writing from two domains are two, however alike their names
        return not person and _domain(emails[a]) and _domain(emails[b]) and _domain(emails[a]) != _domain(emails[b])

    # Same email: a shared inbox is weak.
    _step(progress, cancelled, at, "Comparing emails and phone numbers")
    for email, block in _blocks((rid, email_key(emails[rid])) for rid in ids).items():
        weak = is_generic_email(email) or len(block) >= INBOX_SHARED_BY
        if not (weak and len(block) > WEAK_BLOCK):
            for a, b in itertools.combinations(block, 2):
                add(a, b, SHARED_INBOX if weak else SAME_EMAIL, WEIGHTS[SHARED_INBOX if weak else SAME_EMAIL])
    # Same phone: a switchboard is weak.
    boards = {phone_key(row[5]) for row in rows.values() if row[1] == "organisation"} if person else set()
    for phone, block in _blocks((rid, phone_key(rows[rid][5])) for rid in ids).items():
        weak = len(block) >= SWITCHBOARD_SHARED_BY or phone in boards
        if not (weak and len(block) > WEAK_BLOCK):
            for a, b in itertools.combinations(block, 2):
                add(a, b, SHARED_SWITCHBOARD if weak else SAME_PHONE, WEIGHTS[SHARED_SWITCHBOARD if weak else SAME_PHONE])
    # Names, the same or close (scored in one batch); namesakes are not candidates.
    _step(progress, cancelled, at + share * 0.2, "Comparing names")
    name_pairs = []  # (a, b, reason, weight)
    for key, block in _blocks((rid, sorted_names[rid]) for rid in ids).items():
        initials = person and _INITIAL.search(key) is not None  # "A Clawn" and "A Clawn" may be Ava and Alfie
        for a, b in itertools.combinations(block, 2):
            if namesakes(a, b):
                continue
            if orgs[a] and orgs[a] == orgs[b]:
                name_pairs.append((a, b, SAME_NAME_AND_ORGANISATION, WEIGHTS[SAME_NAME_AND_ORGANISATION]))
            else:
                name_pairs.append((a, b, SAME_NAME, SAME_INITIALS if initials else WEIGHTS[SAME_NAME]))
    order = list(ids)
    keys = [sorted_names[rid] for rid in order]
    firsts, seconds = close_candidates(keys)
    _step(progress, cancelled, at + share * 0.4, f"Scoring {len(firsts):,} pairs of close names")
    cutoff = DOUBT_SCORE if person else CLOSE_ORGANISATION
    scores = close_pairs(keys, firsts, seconds, cutoff)
    _step(progress, cancelled, at + share * 0.7, "Weighing the evidence")
    close = [(i, j, score) for i, j, score in zip(firsts[scores > 0].tolist(), seconds[scores > 0].tolist(),
                                                  scores[scores > 0].tolist())]
    if person:  # initials: "D. Okafor" and "Daniel Okafor"
        import numpy

        initial = numpy.fromiter((_INITIAL.search(key) is not None for key in keys), dtype=bool, count=len(keys))
        maybe = (scores == 0) & (initial[firsts] | initial[seconds])
        close += [(i, j, cutoff) for i, j in zip(firsts[maybe].tolist(), seconds[maybe].tolist())
                  if initials_agree(keys[i], keys[j])]
    for i, j, score in close:
        a, b = order[i], order[j]
        if not namesakes(a, b) and not other_domains(a, b):
            same_org = bool(orgs[a]) and orgs[a] == orgs[b]
            name_pairs.append((a, b, CLOSE_NAME, _close_weight(score, cutoff, same_org)))
    # A name that could be several people's is weaker evidence for each pair it is in: "A. Clawn" beside Ava and
    # Alfie Clawn, or "Anthony Robno" beside the Robno it copies and an Anthony Roban who is someone else.
    partners = {}
    for a, b, _, _ in name_pairs:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    for a, b, reason, weight in name_pairs:
        if _ambiguous(a, b, partners):
            weight -= AMBIGUOUS
        add(a, b, reason, weight)
    return {pair: _combined(found) for pair, found in evidence.items()}


def _ambiguous(a, b, partners, most=12):
    """Whether the records whose names are like ``a``'s or ``b``'s are not all alike each other: then the pair's
    names could be other people's too.  ("Daniel Okafor", "Dan Okafor" and "D. Okafor" are all alike: not
    ambiguous; "A. Clawn" is like Ava Clawn and Alfie Clawn, who are not like each other: ambiguous.)"""
    around = partners[a] | partners[b]
    if len(around) <= 2:
        return False
    if len(around) > most:
        return True
    return any(y not in partners[x] for x in around for y in around if x < y)


def close_candidates(keys):
    """The pairs of positions in ``keys`` (name keys, words sorted) that share a name block and whose keys differ,
    as two numpy arrays (firsts < seconds, each pair once): what :func:`find_duplicates` scores for close names."""
    import numpy

    key_ids, blocks = {}, {}
    kid = numpy.fromiter((key_ids.setdefault(key, len(key_ids)) for key in keys), dtype=numpy.int64, count=len(keys))
    for key, i in key_ids.items():  # one name's blocks once, however many records hold it
        if key:
            for block in name_blocks(key):
                blocks.setdefault(block, {})[i] = None
    # The pairs of distinct names within each block, made by numpy for all blocks of one size at once.
    by_size = {}
    for block in blocks.values():
        if len(block) > 1:
            by_size.setdefault(len(block), []).append(list(block))
    n = len(key_ids)
    codes = [numpy.zeros(0, dtype=numpy.int64)]
    for size, members in by_size.items():
        members = numpy.array(members, dtype=numpy.int64)
        first, second = numpy.triu_indices(size, 1)
        a, b = members[:, first].ravel(), members[:, second].ravel()
        codes.append(numpy.minimum(a, b) * n + numpy.maximum(a, b))
    name_pairs = numpy.sort(numpy.concatenate(codes))  # sorted, then each once (numpy.unique's hashing is slower)
    name_pairs = name_pairs[numpy.concatenate(([True], name_pairs[1:] != name_pairs[:-1]))[:len(name_pairs)]]
    # Each pair of names stands for every pair of the records holding them (usually one each).
    holders = numpy.argsort(kid, kind="stable")  # record positions, grouped by name
    starts = numpy.searchsorted(kid[holders], numpy.arange(n + 1))
    held_by = starts[1:] - starts[:-1]
    x, y = name_pairs // n, name_pairs % n
    each = held_by[x] * held_by[y]
    which = numpy.repeat(numpy.arange(len(x)), each)
    offset = numpy.arange(int(each.sum())) - numpy.repeat(numpy.cumsum(each) - each, each)
    wide = held_by[y][which]
    firsts = holders[starts[x][which] + offset // wide]
    seconds = holders[starts[y][which] + offset % wide]
    swap = firsts > seconds
    firsts[swap], seconds[swap] = seconds[swap], firsts[swap]
    return firsts, seconds


def _blocks(keyed):
    """{key: [ids]} of (id, key) pairs, empty keys left out; only keys held by two or more."""
    blocks = {}
    for rid, key in keyed:
        if key:
            blocks.setdefault(key, []).append(rid)
    return {k: v for k, v in blocks.items() if len(v) > 1}


def _close_weight(score, cutoff, same_org):
    """A close name's weight: 55 at the cutoff up to 70 just below the same name; 20 more at the same organisation."""
    weight = 55 + 15 * (score - cutoff) / max(100 - cutoff, 1)
    return min(weight + (20 if same_org else 0), 88)


def _combined(found):
    doubt = 1.0
    for weight in found.values():
        doubt *= 1 - weight / 100
    return round(100 * (1 - doubt)), frozenset(found)


_NONE = frozenset()


def _groups(pairs, min_score, apart):
    """[(score, reasons, ids)]: pairs at or above ``min_score`` joined best first, never putting together two
    records said not to be duplicates."""
    parent = {}
    members = {}

    def root(x):
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    kept = []
    for (a, b), (score, reasons) in sorted(pairs.items(), key=lambda p: (-p[1][0], p[0])):
        if score < min_score or b in apart.get(a, ()):
            continue
        ra, rb = root(a), root(b)
        if ra != rb:
            group_a, group_b = members.get(ra, {ra}), members.get(rb, {rb})
            if len(group_a) > len(group_b):
                group_a, group_b, ra, rb = group_b, group_a, rb, ra
            if apart and any(not apart.get(x, _NONE).isdisjoint(group_b) for x in group_a):
                continue
            parent[ra] = rb
            group_b |= group_a  # the smaller joins the larger, in place
            members[rb] = group_b
            members.pop(ra, None)
        kept.append((a, b, score, reasons))
    out = {}
    for a, b, score, reasons in kept:
        group = out.setdefault(root(a), [0, set()])
        group[0] = max(group[0], score)
        group[1] |= reasons
    return [(score, reasons, tuple(sorted(members[r]))) for r, (score, reasons) in out.items()]
