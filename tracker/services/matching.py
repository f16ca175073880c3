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

Organisations are matched by their normalised names (``organisation_key``: "&" is "and", "Met" is
"Metropolitan", "the", "Ltd", "Trust", "Council" set aside); a close one ("Havering Sixth Form" and
"Havering Sixth Form College") is doubtful (:meth:`StakeholderMatcher.close_organisations`).

A person erased on request is reported as erased, so an import never re-creates or re-fills them:
their tombstone holds no name or email, so they are recognised by the keyed hashes kept when they
were erased (``tracker.services.erasures``), by email or by name and organisation, after the live
records (someone added again since, with consent, is matched as themselves).

Why rapidfuzz: a maintained C++ implementation of the standard
string metrics (Levenshtein, token sort/set ratios) with ``process.extract`` over a whole list,
about 100x faster than a Python loop over ``difflib``, which matters at 20k stakeholders; a
hand-rolled distance would be slower and less tested.  The duplicates review can reuse this class.

Speed: a 10k-row sheet against 20k stakeholders would be 200M comparisons.  Close names are looked for
only within **name blocks** (:func:`name_blocks`, the duplicates review's blocking, here by each word's
first :data:`BLOCK_PREFIX` letters): each word's first three letters with the first letter of each of
its other words ("daniel okafor" is in "dan o" and "oka d").  Two names sharing a block agree on the
start of one word and the first letter of another: a typo or a letter doubled, dropped or swapped
after the first three letters of any word ("Jonathon Whitfeld"), or anywhere in one word, initials
("D Okafor"), a nickname read as the full name, a middle name on one side, names swapped or in
capitals.  The pairs of all the incoming names with the held names sharing one of their blocks are
scored in one batch (:func:`close_pairs`: rapidfuzz's ``process.cpdist``, SIMD, every core) by
``fuzz.ratio`` with the cutoff, a few dozen pairs per name instead of every held name.  What this
gives up, on purpose: two names differing in the first three letters of *every* word ("Jnoathan
Wihtfield"), or in the first letter of a word ("Katherine"/"Catherine Smith"), share no block and
are not candidates (docs/performance.md gives the measured cost).

The duplicates review (``services/duplicates.py``) compares the held stakeholders with each other by the
same keys and rules: ``person_key``, ``organisation_key``, :func:`different_people` (namesakes), and the
helpers at the end of this module: :func:`email_key`, :func:`is_generic_email` (shared inboxes),
:func:`phone_key` (UK numbers), :func:`initials_agree`, :func:`name_blocks` (its blocking) and
:func:`close_pairs` (``process.cpdist`` over chosen pairs).

(A little over 450 lines because this is the one matcher: the import's matching, its batch search and the keys
and blocking the duplicates review shares live together, so the rules are written once.)
"""

import functools
import re
import sys
import unicodedata
from array import array
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from tracker.models import Stakeholder
from tracker.services.erasures import ErasedKeys

DOUBT_SCORE = 85  # token_sort_ratio (0-100) from which a different-looking name is a possible match
ORGANISATION_DOUBT_SCORE = 80  # the same for organisations' names ("Havering Sixth Form" / "... College": 83)
MAX_CANDIDATES = 5
BLOCK_PREFIX = 3  # the import's close-name blocks: each word's first three letters (see name_blocks)
FEW_PAIRS = 20_000  # close_names scores this many pairs one by one rather than import numpy (see there)
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
    if not text.isascii():  # (most names are: the pickers fold 20,000 at once)
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode() or text
    return " ".join(_PUNCT.sub(" ", text.casefold().replace("\u00a0", " ")).split())


plain = _plain  # a name folded as the matcher compares it: what the record pickers search too (services/choices)
# plain() of ASCII text in one str.translate: letters to lower case; punctuation and spaces to a space.
_ASCII_FOLD = {c: " " if not (chr(c).isalnum() or chr(c) in "_&") else chr(c).lower()
               for c in range(128) if chr(c) != "\n"}


def plain_all(texts):
    """``[plain(t) for t in texts]`` for many texts at once, folded in a few passes over them all joined
    by line breaks (20,000 names: a few ms rather than 50 ms one by one)."""
    texts = [t or "" for t in texts]
    joined, kept = "\n".join(texts), []
    if not joined.isascii():
        joined = unicodedata.normalize("NFKD", joined).encode("ascii", "ignore").decode()
        # plain() keeps a text with nothing ASCII in it as it is ("北京"): those are folded one by one
        kept = [i for i, line in enumerate(joined.split("\n")) if not line and i < len(texts) and texts[i]]
    folded = joined.translate(_ASCII_FOLD)
    while "  " in folded:
        folded = folded.replace("  ", " ")
    folded = folded.replace(" \n", "\n").replace("\n ", "\n").strip(" ").split("\n")
    if len(folded) != len(texts):  # a text with a line break of its own
        return [_plain(t) for t in texts]
    for i in kept:
        folded[i] = _plain(texts[i])
    return folded


@functools.lru_cache(maxsize=1 << 16)
def person_key(name):
    """A person's name as compared: no titles, nicknames as the full name, "Surname, First" turned round."""
    name = str(name or "")
    if name.count(",") == 1:
        surname, first = name.split(",")
        name = f"{first} {surname}"
    words = [w for w in _plain(name).split() if w not in TITLES]
    return " ".join(NICKNAMES.get(w, w) for w in words)


@functools.lru_cache(maxsize=1 << 16)
def _sorted_words(key):
    return " ".join(sorted(key.split()))


@functools.lru_cache(maxsize=1 << 16)
def organisation_key(name):
    """An organisation's name as compared: abbreviations read in full ("Met" is "Metropolitan"), letters with
    full stops read as one word ("C.V.S." is "CVS"), words such as "the", "Ltd", "Service" left out."""
    words = []
    for w in _letters_joined(_plain(name).split()):
        words += ORGANISATION_WORDS.get(w, w).split()
    kept = [w for w in words if w not in ORGANISATION_NOISE]
    return " ".join(kept or words)


def _letters_joined(words):
    """Runs of two or more one-letter words as one word: "c v s" (from "C.V.S.") is "cvs"."""
    out, run = [], []
    for w in [*words, ""]:
        if len(w) == 1 and w.isalnum():
            run.append(w)
            continue
        if run:
            out += ["".join(run)] if len(run) > 1 else run
            run = []
        if w:
            out.append(w)
    return out


def block_index(keys):
    """{name block: [positions in ``keys``]} (:func:`name_blocks` of each key, words sorted, by their first
    :data:`BLOCK_PREFIX` letters)."""
    index = {}
    for position, key in enumerate(keys):
        first, _, second = key.partition(" ")
        if len(first) > 1 and len(second) > 1 and " " not in second:  # most names: name_blocks, inline (20k at once)
            one, two = f"{first[:BLOCK_PREFIX]} {second[0]}", f"{second[:BLOCK_PREFIX]} {first[0]}"
            index.setdefault(one, []).append(position)
            if two != one:
                index.setdefault(two, []).append(position)
            continue
        for block in set(name_blocks(key, BLOCK_PREFIX)):
            index.setdefault(block, []).append(position)
    return index


def close_names(queries, keys, index, cutoff=DOUBT_SCORE, limit=MAX_CANDIDATES * 4):
    """{query: [(key, score, position)]}: the ``keys`` sharing a name block with each query (``index``, from
    :func:`block_index`) whose ``fuzz.ratio`` to it is at least ``cutoff``, best first (ties in list order),
    at most ``limit`` (an empty tuple for a query with none).  Every pair is scored in one batch
    (:func:`close_pairs`), or, up to :data:`FEW_PAIRS` of them while numpy is not loaded, one by one: importing
    numpy, which the batch answers in, costs more (0.15-0.4 s) than scoring that many pairs (about 0.5 µs each)."""
    queries = list(dict.fromkeys(queries))
    found = dict.fromkeys(queries, ())
    lefts, seconds = [], []  # each pair: its query, and the position of its key (the texts scored: no positions)
    nothing = ()
    for query in queries:
        first, _, second = query.partition(" ")
        if len(first) > 1 and len(second) > 1 and " " not in second:  # most names: name_blocks, inline
            one = index.get(f"{first[:BLOCK_PREFIX]} {second[0]}")
            two = index.get(f"{second[:BLOCK_PREFIX]} {first[0]}")
            # (a block holds a position once: only two blocks together need a set)
            near = ({*one, *two} if two else one) if one else two
        else:
            near = set()
            for block in name_blocks(query, BLOCK_PREFIX):
                near.update(index.get(block, nothing))
        if near:
            lefts += [query] * len(near)
            seconds += near
    if not seconds:
        return found
    rights = [keys[j] for j in seconds]
    if _one_by_one(len(seconds)):  # (the same scores, float32 as cpdist's)
        scores = array("f", map(fuzz.ratio, lefts, rights)).tolist()
        scored = [(k, score) for k, score in enumerate(scores) if score >= cutoff]
    else:
        scores = _scores(lefts, rights, cutoff)
        kept = scores.nonzero()[0]
        scored = zip(kept.tolist(), scores[kept].tolist())
    for k, score in scored:
        position = seconds[k]
        hits = found[lefts[k]]
        if not hits:
            hits = found[lefts[k]] = []
        hits.append((keys[position], score, position))
    for hits in found.values():
        if len(hits) > 1:
            hits.sort(key=lambda f: (-f[1], f[2]))
            del hits[limit:]
    return found


def _one_by_one(pairs):
    """Whether :func:`close_names` scores ``pairs`` pairs one by one rather than in a numpy batch."""
    return pairs <= FEW_PAIRS and "numpy" not in sys.modules


def different_people(organisation_a, organisation_b, email_a, email_b):
    """The same name at another organisation (normalised keys) with another email is a different person."""
    other_org = bool(organisation_a and organisation_b and organisation_a != organisation_b)
    other_email = bool(email_a and email_b and email_key(email_a) != email_key(email_b))
    return other_org and other_email


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
    stored_uuid: object  # as the database gives it (hex text in SQLite, a UUID in PostgreSQL)

    @property
    def uuid(self):
        """The record's UUID as ``str(UUID)`` writes it, worked out when asked (for few of the thousands loaded)."""
        return _dashed(self.stored_uuid)


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
        self.by_id, self.by_email, self.people, self.organisations = by_id, by_email, people, organisations = {}, {}, {}, {}
        for rid, kind, name, email, org, erased, uuid in rows.fetchall():  # (not a Python call per row)
            held = by_id[rid] = Held(rid, kind, name, email or "", org, erased is not None, uuid)
            if email:
                by_email.setdefault(email.strip().casefold(), held)
            if kind == "organisation":
                organisations.setdefault(organisation_key(name), held)
            else:
                people.setdefault(person_key(name), []).append(held)
        # token_sort_ratio is ratio() over the words sorted: sort them once here rather than per comparison
        persons = [h for h in by_id.values() if h.kind == "person"]
        self._ids = [h.id for h in persons]
        self._keys = [_sorted_words(person_key(h.name)) for h in persons]
        self._blocks = None  # name block -> positions in _keys, built for the first close-name search
        self._close = {}  # sorted-words key -> close_names' answer, from prepare()
        self.erased = ErasedKeys()
        self._organisation_keys = self._organisation_sorted = None  # for close_organisations(), when first asked

    def prepare(self, people):
        """Search the close names of many incoming people ``(name, email)`` at once (:func:`close_names`,
        far faster than one search per person); :meth:`person` then reads the answers.  Those matched by
        email need no search.  Only a speed-up: a name not prepared is searched when asked for."""
        queries = [_sorted_words(key) for key in (person_key(name) for name, email in people
                   if not (email and email.strip().casefold() in self.by_email)) if key]
        self._close.update(close_names(queries, self._keys, self._block_index()))

    def warmed(self):
        """This matcher with its index of name blocks built now rather than at the first close-name search (an
        import builds it while its file is parsed on another thread); returns itself."""
        self._block_index()
        return self

    def _block_index(self):
        if self._blocks is None:
            self._blocks = block_index(self._keys)
        return self._blocks

    def organisation(self, name):
        """The held organisation ``name`` means (normalised names equal), or None."""
        return self.organisations.get(organisation_key(name)) if name else None

    def organisation_name(self, held):
        org = self.by_id.get(held.organisation_id) if held.organisation_id else None
        return org.name if org else ""

    def person(self, name, email="", organisation="", keys=None):
        """The :class:`Match` for an incoming person.  ``keys``: ``(person_key(name), organisation_key(organisation))``
        when the caller has worked them out already (the import's pass over its rows has)."""
        erased = self.erased.digests  # (nobody erased, most databases: neither hash is worked out)
        if email:
            held = self.by_email.get(email.strip().casefold())
            if held is not None:
                return Match("erased" if held.erased else "matched", held, how="email")
            if erased and self.erased.email(email):
                return Match("erased")
        if keys is None:
            key = person_key(name)
            wanted_org = organisation_key(organisation) if organisation and key else ""
        else:
            key, wanted_org = keys
        if not key:
            return Match("new")
        for held in self.people.get(key, ()):
            if organisation_key(self.organisation_name(held)) == wanted_org:  # both none counts too
                return Match("erased" if held.erased else "matched", held, how="name and organisation")
        if erased and self.erased.person(key, wanted_org):
            return Match("erased")
        query = _sorted_words(key)
        found = self._close.get(query)
        if found is None:
            found = close_names([query], self._keys, self._block_index())[query]
        if not found:
            return Match("new")
        candidates = []
        by_id, ids = self.by_id, self._ids
        for _, score, index in found:
            held = by_id[ids[index]]
            # (the same name at another organisation with another email: _someone_else, its cheap tests first)
            if email and held.email and wanted_org and self._someone_else(held, email, wanted_org):
                continue
            candidates.append((held, round(score)))
        candidates = candidates[:MAX_CANDIDATES]
        if not candidates:
            return Match("new")
        return Match("doubtful", candidates=candidates, how="close name")

    def _someone_else(self, held, email, wanted_org):
        return different_people(organisation_key(self.organisation_name(held)), wanted_org, held.email, email)

    def remember(self, held):
        """Count a record made during the import as held (a later row of the same file finds it)."""
        self.by_id[held.id] = held
        if held.email:
            self.by_email.setdefault(held.email.casefold(), held)
        if held.kind == "organisation":
            self.organisations.setdefault(organisation_key(held.name), held)
        else:
            self.people.setdefault(person_key(held.name), []).append(held)

    def close_organisations(self, name):
        """[(Held, score)] of the held organisations whose name is close to ``name`` but not the same
        (token_sort_ratio of the normalised names at or above :data:`ORGANISATION_DOUBT_SCORE`), best
        first: a doubtful match, as for people.  The same normalised name is :meth:`organisation`."""
        key = organisation_key(name) if name else ""
        if not key or key in self.organisations:
            return []
        if self._organisation_keys is None:
            self._organisation_keys = list(self.organisations)
            self._organisation_sorted = [_sorted_words(k) for k in self._organisation_keys]
        found = process.extract(_sorted_words(key), self._organisation_sorted, scorer=fuzz.ratio, processor=None,
                                score_cutoff=ORGANISATION_DOUBT_SCORE, limit=MAX_CANDIDATES)
        return [(self.organisations[self._organisation_keys[i]], round(score)) for _, score, i in found]


# ---- what the duplicates review (services/duplicates.py) compares besides names ---------------------------
GENERIC_INBOXES = frozenset(
    "info enquiries enquiry inquiries admin administrator office contact contactus hello mail post reception "
    "general team hr jobs careers recruitment finance accounts press media comms communications marketing "
    "support help helpdesk sales bookings events membership members secretary clerk webmaster noreply "
    "no-reply donotreply".split())


def email_key(email):
    """An email as compared: no surrounding spaces, any case."""
    return str(email or "").strip().casefold()


def is_generic_email(email):
    """A shared inbox (info@, enquiries@, admin@, office@, contact@, hello@ ...), weak evidence of one person."""
    local = email_key(email).partition("@")[0]
    return local in GENERIC_INBOXES


_NOT_DIGITS = re.compile(r"\D")


def phone_key(phone):
    """A UK phone number as compared: digits only, +44 / 0044 (and a "(0)" after it) read as the leading 0;
    "" for anything too short to be a whole number.  Only the first number of "020 ... / 07700 ..." counts."""
    if not phone:
        return ""
    text = str(phone).split("/")[0].split(" or ")[0]
    text = text.replace("(0)", "")
    digits = _NOT_DIGITS.sub("", text)
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44") and text.lstrip().startswith("+"):
        digits = "0" + digits[2:]
    elif len(digits) == 10 and digits[0] in "1237":  # a spreadsheet dropped the leading 0
        digits = "0" + digits
    return digits if len(digits) >= 10 else ""


def initials_agree(key_a, key_b):
    """Whether two name keys differ only by initials: "d okafor" and "daniel okafor", "j r smith" and
    "john robert smith" (at least one whole word shared; each word left over on one side is the initial of one
    on the other)."""
    a, b = key_a.split(), key_b.split()
    if len(a) != len(b) or a == b:
        return False
    rest_a, rest_b = list(a), list(b)
    shared = 0
    for word in a:
        if len(word) > 1 and word in rest_b:
            rest_a.remove(word)
            rest_b.remove(word)
            shared += 1
    if not shared:
        return False
    rest_a.sort()
    rest_b.sort()
    for x, y in zip(rest_a, rest_b):
        if len(x) > 1 and len(y) > 1 or x[0] != y[0]:
            return False
    return True


def name_blocks(key, prefix=None):
    """The blocks a name key (words sorted) is compared within: each word of two or more letters with the
    first letter of each other word ("daniel okafor" -> "daniel o", "okafor d").  Two names that share one
    whole word and agree on the first letter of another share a block: initials, a nickname read as the full
    name, a typo in one word, a middle name on one side only.  A one-word name is its own block.  With
    ``prefix``, each word counts by its first ``prefix`` letters ("dan o", "oka d"): a typo after them in
    every word ("Jonathon Whitfeld" for "Jonathan Whitfield") still shares a block (the import's search)."""
    words = key.split()
    if len(words) == 1:
        return [key]
    return [f"{word[:prefix]} {other[0]}" for i, word in enumerate(words) if len(word) > 1
            for j, other in enumerate(words) if j != i]


def close_pairs(keys, firsts, seconds, cutoff=DOUBT_SCORE):
    """The ``fuzz.ratio`` of each pair ``keys[firsts[k]]``, ``keys[seconds[k]]`` (positions: numpy arrays, or lists),
    0 below ``cutoff``: one batch in rapidfuzz's ``process.cpdist`` (each pair once, SIMD, every core), a float32
    array."""
    import numpy  # cpdist's answer is a numpy array; imported here, not at start-up

    if not len(firsts):
        return numpy.zeros(0, dtype=numpy.float32)
    if isinstance(firsts, numpy.ndarray):
        firsts, seconds = firsts.tolist(), seconds.tolist()
    return _scores([keys[i] for i in firsts], [keys[j] for j in seconds], cutoff)


def _scores(lefts, rights, cutoff):
    """:func:`close_pairs` of the texts themselves: ``fuzz.ratio(lefts[k], rights[k])`` for each k (two lists)."""
    import numpy

    return process.cpdist(lefts, rights, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff,
                          dtype=numpy.float32, workers=-1)
