"""Who an incoming person or organisation is among the stakeholders already held.

:class:`StakeholderMatcher` loads the live stakeholders once (one query) and answers, for a name, an
email and an organisation's name:

1. the same email, ignoring case → **matched**;
2. the same normalised name (titles, punctuation, case, "Surname, First" and spacing ignored;
   nicknames such as Dan/Daniel read as the full name) at the same normalised organisation
   ("Met Police" and "Metropolitan Police Service" are one) → **matched**;
3. a close name (rapidfuzz's ``token_sort_ratio`` at or above :data:`DOUBT_SCORE`: initials, typos,
   names in capitals or swapped) → **doubtful**, with the candidates and their scores; the same
   name at another organisation with another email is a different person and no candidate;
4. otherwise **new**.

A person erased on request is found like anyone else and reported as erased, so an import never
re-creates or re-fills them.  Why rapidfuzz: a maintained C++ implementation of the standard
string metrics (Levenshtein, token sort/set ratios) with ``process.extract`` over a whole list,
about 100x faster than a Python loop over ``difflib``, which matters at 20k stakeholders; a
hand-rolled distance would be slower and less tested.  The duplicates review can reuse this class.

Speed: a 10k-row sheet against 20k stakeholders would be 200M comparisons.  Close names are found
through an index of the held names' character pairs (bigrams) instead: two names within the indel
distance ``DOUBT_SCORE`` allows share at least so many bigrams (the q-gram lemma: strings within
edit distance k share at least max(len) - 1 - 2k bigrams, counted with repeats; the indel
distance is never below the edit distance), so only held names sharing that many are scored, by
the same ``fuzz.ratio`` with the same cutoff.  This is exact, not a heuristic blocking key: the
candidates and their order are what ``process.extract`` over every name gives (the tests compare
both on random samples); names too short for the bound to say anything are compared with all.
A whole table's names are searched at once by :meth:`StakeholderMatcher.prepare`: rapidfuzz's
``process.cdist`` scores every incoming name against every held one with SIMD on every core (10k
rows x 4k names: 0.34 s against 1.95 s for the indexed search per row), and the pairs it finds are
scored again with ``fuzz.ratio``, so the answer is again exactly ``process.extract``'s (tested).
"""

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from tracker.models import Stakeholder

DOUBT_SCORE = 85  # token_sort_ratio (0-100) from which a different-looking name is a possible match
MAX_CANDIDATES = 5
PRUNE = 3  # close_names scores every key when the rarest bigrams' keys add up to over 1/PRUNE of them
TITLES = frozenset("mr mrs ms miss mx dr prof professor rev revd sir dame lord lady cllr councillor insp inspector "
                   "ch supt superintendent chief sgt sergeant pc dc ds di dci dcs det cmdr commander".split())
NICKNAMES = {
    "dan": "daniel", "danny": "daniel", "dave": "david", "davy": "david", "mike": "michael", "mick": "michael",
    "chris": "christopher", "jim": "james", "jimmy": "james", "jamie": "james", "bob": "robert", "rob": "robert",
    "bobby": "robert", "bill": "william", "will": "william", "liz": "elizabeth", "beth": "elizabeth",
    "kate": "katherine", "kathy": "katherine", "cathy": "catherine", "tom": "thomas", "tony": "anthony",
    "steve": "stephen", "sam": "samuel", "ben": "benjamin", "alex": "alexander", "andy": "andrew", "matt": "matthew",
    "nick": "nicholas", "pete": "peter", "rich": "richard", "rick": "richard", "dick": "richard", "sue": "susan",
    "jen": "jennifer", "jenny": "jennifer", "jo": "joanne", "pat": "patricia", "nat": "natalie", "vicky": "victoria",
    "becky": "rebecca", "abi": "abigail", "josh": "joshua", "jon": "jonathan", "ed": "edward", "ted": "edward",
    "fred": "frederick", "harry": "henry", "greg": "gregory", "joe": "joseph", "ron": "ronald", "phil": "philip",
}
ORGANISATION_WORDS = {"met": "metropolitan", "mps": "metropolitan police", "lbbd": "barking and dagenham",
                      "lbh": "havering", "lbr": "redbridge", "nhs": "nhs", "&": "and", "st": "saint"}
ORGANISATION_NOISE = frozenset("the ltd limited plc cic service services trust uk london borough of council".split())
_PUNCT = re.compile(r"[^\w\s&]")


def _plain(text):
    text = str(text or "")
    if not text.isascii():  # (NFKD of ASCII is itself: most names need none of this)
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode() or text
    return " ".join(_PUNCT.sub(" ", text.casefold().replace("\u00a0", " ")).split())


@functools.lru_cache(maxsize=1 << 16)
def person_key(name):
    """A person's name as compared: no titles, nicknames as the full name, "Surname, First" turned round."""
    name = str(name or "")
    if name.count(",") == 1:
        surname, first = name.split(",")
        name = f"{first} {surname}"
    words = [w for w in _plain(name).split() if w not in TITLES]
    return " ".join(NICKNAMES.get(w, w) for w in words)


def _sorted_words(key):
    return " ".join(sorted(key.split()))


@functools.lru_cache(maxsize=1 << 16)
def organisation_key(name):
    words = []
    for w in _plain(name).split():
        words += ORGANISATION_WORDS.get(w, w).split()
    kept = [w for w in words if w not in ORGANISATION_NOISE]
    return " ".join(kept or words)


def _bigrams(key):
    """The key's character pairs, a repeated pair numbered (a multiset as a set)."""
    seen, out = {}, []
    for i in range(len(key) - 1):
        pair = key[i:i + 2]
        n = seen[pair] = seen.get(pair, 0) + 1
        out.append(pair if n == 1 else f"{pair}{n}")
    return out


@functools.lru_cache(maxsize=None)
def least_shared(length, cutoff=DOUBT_SCORE):
    """The fewest bigrams a name of ``length`` shares with any name whose ``fuzz.ratio`` to it can reach ``cutoff``."""
    least = None
    for other in range(1, 3 * length + 10):
        k = (length + other) * (100 - cutoff) // 100  # the most indel edits that still score cutoff
        if abs(length - other) > k:
            continue
        bound = max(length, other) - 1 - 2 * k
        least = bound if least is None else min(least, bound)
    return least if least is not None else 0


def close_names(query, keys, index, cutoff=DOUBT_SCORE, limit=MAX_CANDIDATES * 4):
    """[(key, score, position)] of ``keys`` whose ``fuzz.ratio`` to ``query`` is at least ``cutoff``, best
    first (ties in list order): ``process.extract``'s answer, scoring only the keys sharing enough
    bigrams (``index``: bigram -> positions, from :func:`bigram_index`)."""
    need = least_shared(len(query), cutoff)
    if need <= 0:
        return process.extract(query, keys, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, limit=limit)
    pairs = sorted(set(_bigrams(query)), key=lambda p: len(index.get(p, ())))
    # A key sharing ``need`` of the query's bigrams holds at least one of any len(pairs) - need + 1 of
    # them (pigeonhole): only the keys of the rarest that many are scored.  When those are most of the
    # keys anyway, scoring every key in rapidfuzz's own loop is cheaper than gathering them.
    rare = [index.get(p, ()) for p in pairs[:len(pairs) - need + 1]]
    if sum(map(len, rare)) * PRUNE > len(keys):
        return process.extract(query, keys, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, limit=limit)
    order = list(set().union(*rare))
    found = [(keys[order[j]], score, order[j]) for _, score, j in process.extract(
        query, [keys[i] for i in order], scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, limit=None)]
    found.sort(key=lambda f: (-f[1], f[2]))
    return found[:limit]


def close_names_many(queries, keys, cutoff=DOUBT_SCORE, limit=MAX_CANDIDATES * 4):
    """{query: :func:`close_names`' answer} for many queries at once: ``process.cdist`` (SIMD, on every
    core) scores each query against every key; the pairs it finds are scored again one by one with
    ``fuzz.ratio`` and the same cutoff, so scores and order are exactly ``process.extract``'s.  cdist's
    own pass uses a cutoff one point lower and keeps rounded scores: it only says which pairs to rescore."""
    import numpy  # cdist's answer is a numpy matrix; imported here, not at start-up

    queries = list(dict.fromkeys(queries))
    found = {q: [] for q in queries}
    if not keys or not queries:
        return found
    for chunk, columns in _length_bands(queries, keys, cutoff):
        scores = process.cdist(chunk, [keys[i] for i in columns], scorer=fuzz.ratio, processor=None,
                               score_cutoff=max(cutoff - 1, 0), dtype=numpy.uint8, workers=-1)
        # the few rows with a score, then their columns: nonzero() over the whole matrix costs ten times more
        for row in numpy.flatnonzero(scores.any(axis=1)).tolist():
            query = chunk[row]
            for col in numpy.flatnonzero(scores[row]).tolist():
                col = columns[col]
                score = fuzz.ratio(query, keys[col], score_cutoff=cutoff)
                if score:
                    found[query].append((keys[col], score, col))
    for query, hits in found.items():
        hits.sort(key=lambda f: (-f[1], f[2]))
        del hits[limit:]
    return found


def _length_bands(queries, keys, cutoff):
    """(queries of one length, the positions of the keys whose length lets them reach ``cutoff``), at most
    16 MB of scores at a time.  ``fuzz.ratio`` is 100 * (1 - indel distance / (la + lb)) and the distance
    is at least |la - lb|, so a key of a length outside the band can never score ``cutoff``: leaving it
    out changes no answer and saves most of the comparisons (a name is compared with names of about its
    length, not with all of them)."""
    by_length = {}
    for position, key in enumerate(keys):
        by_length.setdefault(len(key), []).append(position)
    lengths = sorted(by_length)
    slack = 100 - cutoff + 1  # one point more than the cutoff allows: a bound, never a loss
    grouped = {}
    for query in queries:
        grouped.setdefault(len(query), []).append(query)
    for length, group in sorted(grouped.items()):
        columns = sorted(p for other in lengths if 100 * abs(length - other) <= slack * (length + other)
                         for p in by_length[other])
        if not columns:
            continue
        step = max(1, (16 << 20) // len(columns))
        for start in range(0, len(group), step):
            yield group[start:start + step], columns


def bigram_index(keys):
    index = {}
    for i, key in enumerate(keys):
        for pair in _bigrams(key):
            index.setdefault(pair, []).append(i)
    return index


def _dashed(uuid):
    """A stored UUID (hex in SQLite, a UUID in PostgreSQL) as str(UUID) writes it."""
    if isinstance(uuid, str) and len(uuid) == 32:
        uuid = uuid.lower()
        return f"{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:]}"
    return str(uuid)


@dataclass
class Held:
    id: int
    kind: str
    name: str
    email: str
    organisation_id: int
    erased: bool
    uuid: str


@dataclass
class Match:
    status: str  # matched, doubtful, new, erased
    record: Held = None
    candidates: list = field(default_factory=list)  # (Held, score) for doubtful
    how: str = ""  # "email", "name and organisation", ...


class StakeholderMatcher:
    def __init__(self):
        S = Stakeholder
        query = S.select(S.id, S.kind, S.name, S.email, S.organisation, S.erased_at, S.uuid).where(
            S.deleted_at.is_null())
        # the driver's values as they are (peewee's conversions per value cost more than the rest of this)
        rows = S._meta.database.execute_sql(*query.sql())
        self.by_id, self.by_email, self.people, self.organisations = {}, {}, {}, {}
        for rid, kind, name, email, org, erased, uuid in rows:
            held = Held(rid, kind, name, email or "", org, erased is not None, _dashed(uuid))
            self.by_id[rid] = held
            if email:
                self.by_email.setdefault(email.strip().casefold(), held)
            if kind == "organisation":
                self.organisations.setdefault(organisation_key(name), held)
            else:
                self.people.setdefault(person_key(name), []).append(held)
        # token_sort_ratio is ratio() over the words sorted: sort them once here rather than per comparison
        self._ids = [rid for rid, h in self.by_id.items() if h.kind == "person"]
        self._keys = [_sorted_words(person_key(self.by_id[rid].name)) for rid in self._ids]
        self._index = None  # bigram -> positions in _keys, built for the first close-name search
        self._close = {}  # sorted-words key -> close_names' answer, from prepare()

    def prepare(self, people):
        """Search the close names of many incoming people ``(name, email)`` at once (:func:`close_names_many`,
        far faster than one search per person); :meth:`person` then reads the answers.  Those matched by
        email need no search.  Only a speed-up: a name not prepared is searched when asked for."""
        queries = [_sorted_words(key) for key in (person_key(name) for name, email in people
                   if not (email and email.strip().casefold() in self.by_email)) if key]
        self._close.update(close_names_many(queries, self._keys))

    def organisation(self, name):
        """The held organisation ``name`` means (normalised names equal), or None."""
        return self.organisations.get(organisation_key(name)) if name else None

    def organisation_name(self, held):
        org = self.by_id.get(held.organisation_id) if held.organisation_id else None
        return org.name if org else ""

    def person(self, name, email="", organisation=""):
        """The :class:`Match` for an incoming person."""
        if email:
            held = self.by_email.get(email.strip().casefold())
            if held is not None:
                return Match("erased" if held.erased else "matched", held, how="email")
        key = person_key(name)
        if not key:
            return Match("new")
        wanted_org = organisation_key(organisation) if organisation else ""
        same_name = self.people.get(key, [])
        for held in same_name:
            if organisation_key(self.organisation_name(held)) == wanted_org:  # both none counts too
                return Match("erased" if held.erased else "matched", held, how="name and organisation")
        candidates = []
        query = _sorted_words(key)
        found = self._close.get(query)
        if found is None:
            if self._index is None:
                self._index = bigram_index(self._keys)
            found = close_names(query, self._keys, self._index)
        for _, score, index in found:
            held = self.by_id[self._ids[index]]
            if self._someone_else(held, email, wanted_org):
                continue
            candidates.append((held, round(score)))
        candidates = candidates[:MAX_CANDIDATES]
        if not candidates:
            return Match("new")
        return Match("doubtful", candidates=candidates, how="close name")

    def _someone_else(self, held, email, wanted_org):
        """The same name at another organisation with another email is a different person."""
        held_org = organisation_key(self.organisation_name(held))
        other_org = bool(wanted_org and held_org and held_org != wanted_org)
        other_email = bool(email and held.email and held.email.casefold() != email.strip().casefold())
        return other_org and other_email

    def remember(self, held):
        """Count a record made during the import as held (a later row of the same file finds it)."""
        self.by_id[held.id] = held
        if held.email:
            self.by_email.setdefault(held.email.casefold(), held)
        if held.kind == "organisation":
            self.organisations.setdefault(organisation_key(held.name), held)
        else:
            self.people.setdefault(person_key(held.name), []).append(held)
