"""Issue 14's benchmark row: ``find_duplicates_20k``, candidate groups among 20k stakeholders.  Used by
bench/run.py; see docs/performance.md.

The data (deterministic): about 5% organisations and 95% people with distinct realistic names (a first name
and a made-up surname, so many surnames look alike, as in life), each person at an organisation with their
own email and, for half, a direct phone; some use the organisation's switchboard or its info@ inbox.  Then
duplicates are planted, 150 of each reason the issue names: a person again with the name swapped
("Surname, First"), in capitals, with an initial, with a nickname ("Dan" for "Daniel"), with the email in
another case, at the organisation written as an abbreviation ("Met Police"), with the same phone written
another way; and organisations again under an abbreviation ("St"/"Saint", "&"/"and", "Met").  The copies
carry no email of their own (one written on paper, say).  Namesakes are planted too: the same name at
another organisation with another email, which must not be offered.

Recall per reason: planted pairs whose two records end in one group.  Precision: of all pairs inside the
groups returned, those planted.  The baseline is the issue's: rapidfuzz ``process.cdist`` over the same
blocks (``matching.name_blocks`` of the same keys), after reading the same rows with raw sqlite3; the
blocks themselves are built outside its timing.
"""

import random
import sqlite3
import time
import uuid

SEED = 20260114
PLANTED = 150  # per reason
REASONS = ("names swapped", "in capitals", "initials", "nicknames", "email case", "organisation abbreviations",
           "same phone", "organisation records abbreviated")
FIRST = ("Grace Ravi Amelia Olivia Isla Ava Mia Ivy Lily Freya Florence Sophia Noah Oliver George Arthur Leo Oscar "
         "Archie Theo Jack Charlie Muhammad Jacob Alfie Aisha Fatima Priya Anjali Kwame Chidi Ngozi Tomasz "
         "Agnieszka Andrei Ioana Mehmet Elif Siobhan Niamh Ciaran Rhys Megan Catherine").split()
NICK = {"Daniel": "Dan", "William": "Bill", "Michael": "Mike", "Christopher": "Chris", "Jennifer": "Jenny",
        "Rebecca": "Becky", "Jonathan": "Jon", "Stephen": "Steve", "Patricia": "Pat", "Robert": "Bob",
        "Elizabeth": "Liz", "Thomas": "Tom", "Joshua": "Josh", "Samuel": "Sam", "Anthony": "Tony",
        "Benjamin": "Ben", "Alexander": "Alex", "Andrew": "Andy", "Matthew": "Matt", "Nicholas": "Nick"}
SYLLABLES = ("ok af or pat el smi th jo nes wil li am bro wn tay lor da vi ev ans tho mas rob ert son wal ker whi te "
             "har ri gre en ha ll woo d ja ck cla rk ki ng mo rg an ben ne tt co op er hu gh ed ow ka r ma si "
             "ngh kh an no va k ow al sk i ad e ye mi").split()
ORG_KINDS = ("Foodbank", "Youth Club", "Community Trust", "Tenants Association", "Mosque", "Church", "Academy",
             "Housing Association", "Sports Club", "Advice Centre")
# (full, abbreviated): how an organisation's name is written both ways (tracker.services.matching reads them alike)
ABBREVIATIONS = (("Saint {} Church", "St {} Church"), ("{} and District Trust", "{} & District Trust"),
                 ("Metropolitan Police {} Unit", "Met Police {} Unit"), ("London Borough of Havering {} Team",
                                                                          "LBH {} Team"))


def _surnames(rng, n):
    out = set()
    while len(out) < n:
        out.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title())
    return sorted(out)


def build(path, n, seed=SEED):
    """A database at ``path`` of ``n`` stakeholders with planted duplicates; returns [(reason, id, id)]."""
    from tracker.db import close_database
    from tracker.opening import open_database

    open_database(path, create=True)
    close_database()
    rng = random.Random(seed + n)
    planted_each = min(PLANTED, max(n // 60, 2))
    n_orgs = max(n // 20, 10)
    places = _surnames(rng, n_orgs)
    orgs = []  # (name, email domain, switchboard)
    for i, place in enumerate(places):
        domain = f"{place.lower()}{i}.org.uk"
        orgs.append((f"{place} {rng.choice(ORG_KINDS)}", domain, f"020 8{i:03d} {rng.randint(1000, 9999)}"))
    abbreviated = []  # org positions whose name has a second way of writing it
    for k in range(min(planted_each, n_orgs // 2)):
        full, short = ABBREVIATIONS[k % len(ABBREVIATIONS)]
        place = places[k]
        orgs[k] = (full.format(place), orgs[k][1], orgs[k][2])
        abbreviated.append((k, short.format(place)))
    n_people = n - len(orgs) - len(abbreviated) - planted_each * 7 - planted_each  # planted copies, namesakes
    firsts = FIRST + list(NICK)
    surnames = _surnames(rng, max(n_people // 8, 50))
    people, seen = [], set()
    while len(people) < n_people:
        pair = (rng.choice(firsts), rng.choice(surnames))
        if pair not in seen:
            seen.add(pair)
            people.append(pair)
    rows = []  # (kind, name, organisation position or None, email, phone); positions in rows are ids - 1

    def add(kind, name, org=None, email="", phone=""):
        rows.append((kind, name, org, email, phone))
        return len(rows)

    org_ids = [add("organisation", name, None, f"info@{domain}", board) for name, domain, board in orgs]
    person_ids = []
    for i, (first, surname) in enumerate(people):
        o = rng.randrange(len(orgs))
        _, domain, board = orgs[o]
        email = f"{first}.{surname}.{i}@{domain}".lower() if rng.random() > 0.03 else f"info@{domain}"
        phone = f"07{rng.randint(100, 999)} {i:06d}" if rng.random() < 0.5 else (board if rng.random() < 0.3 else "")
        person_ids.append(add("person", f"{first} {surname}", org_ids[o], email, phone))
    planted, shorts = [], {}

    def short_org(k, short):
        if k not in shorts:
            shorts[k] = add("organisation", short)
        return shorts[k]

    chosen = rng.sample(range(len(people)), planted_each * 8)
    with_nick = [i for i in range(len(people)) if people[i][0] in NICK and i not in set(chosen)]
    for r, reason in enumerate(REASONS[:7]):
        for i in chosen[r * planted_each:(r + 1) * planted_each]:
            first, surname = people[i]
            pid = person_ids[i]
            _, name, org, email, phone = rows[pid - 1]
            if reason == "names swapped":
                copy = add("person", f"{surname}, {first}", org)
            elif reason == "in capitals":
                copy = add("person", f"{first} {surname}".upper(), org)
            elif reason == "initials":
                copy = add("person", f"{first[0]}. {surname}", org)
            elif reason == "nicknames":
                i = with_nick.pop()
                first, surname = people[i]
                pid = person_ids[i]
                org = rows[pid - 1][2]
                copy = add("person", f"{NICK[first]} {surname}", org)
            elif reason == "email case":
                copy = add("person", f"{first[0]} {surname}", None, email.upper())
            elif reason == "organisation abbreviations":
                k, short = abbreviated[len(planted) % len(abbreviated)]
                rows[pid - 1] = ("person", name, org_ids[k], email, phone)  # at the long name, the copy at the short
                copy = add("person", f"{first} {surname}", short_org(k, short))
            else:  # same phone, written another way
                number = f"07{rng.randint(100, 999)} 9{i:05d}"
                rows[pid - 1] = (*rows[pid - 1][:4], number)
                copy = add("person", f"{first} {surname}", None, "", "+44 (0)" + number[1:])
            planted.append((reason, pid, copy))
    for k, short in abbreviated:
        planted.append(("organisation records abbreviated", org_ids[k], short_org(k, short)))
    for i in chosen[7 * planted_each:]:  # namesakes: not duplicates
        first, surname = people[i]
        o = rng.randrange(len(orgs))
        add("person", f"{first} {surname}", org_ids[o], f"{first}.{surname}.namesake{i}@{orgs[o][1]}".lower())
    _insert(path, rows, rng)
    return planted


def _insert(path, rows, rng):
    now = "2026-01-14 09:00:00"
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO stakeholder (id, uuid, created_at, updated_at, version, kind, name, organisation_id, sector, "
            "role, email, phone, address, website, tags, notes) VALUES (?, ?, ?, ?, 1, ?, ?, ?, 'voluntary', '', ?, ?, "
            "'', '', '', '')",
            [(i, uuid.UUID(int=rng.getrandbits(128), version=4).hex, now, now, kind, name, org, email, phone)
             for i, (kind, name, org, email, phone) in enumerate(rows, start=1)])
        conn.execute("COMMIT")
    finally:
        conn.close()


def quality(groups, planted):
    """Recall per planted reason and precision over every pair inside the groups."""
    where = {}
    for n, group in enumerate(groups):
        for record in group.records:
            where[record.id] = n
    truth = {frozenset((a, b)) for _, a, b in planted}
    recall = {}
    for reason in REASONS:
        pairs = [(a, b) for r, a, b in planted if r == reason]
        if pairs:
            found = sum(a in where and where.get(a) == where.get(b) for a, b in pairs)
            recall[reason] = round(found / len(pairs), 3)
    inside = [frozenset((a.id, b.id)) for g in groups for i, a in enumerate(g.records) for b in g.records[i + 1:]]
    right = sum(p in truth for p in inside)
    # a record planted twice over (the long-named organisation's member and its copy) makes pairs of pairs
    # that are the same person: count a pair right when both records are one planted person's
    person = {}
    for _, a, b in planted:
        person.setdefault(a, a)
        person[b] = person[a]
    right = sum(p in truth or len({person.get(x, x) for x in p}) == 1 for p in inside)
    return {"planted": len(planted), "recall": recall, "min_recall": min(recall.values()) if recall else None,
            "pairs_in_groups": len(inside), "false_pairs": len(inside) - right,
            "precision": round(right / len(inside), 3) if inside else None}


def baseline(path, blocks):
    """Raw sqlite3 read of the same rows, then ``process.cdist`` within each block of names; seconds."""
    import numpy
    from rapidfuzz import fuzz, process

    start = time.perf_counter()
    conn = sqlite3.connect(str(path))
    try:
        rows = conn.execute("SELECT id, uuid, kind, name, organisation_id, email, phone FROM stakeholder WHERE "
                            "deleted_at IS NULL AND erased_at IS NULL").fetchall()
    finally:
        conn.close()
    assert rows
    found = 0
    for keys in blocks:
        scores = process.cdist(keys, keys, scorer=fuzz.ratio, processor=None, score_cutoff=85, dtype=numpy.uint8,
                               workers=-1)
        found += int(numpy.count_nonzero(scores))
    return time.perf_counter() - start


def name_blocks_of(path):
    """The blocks of name keys find_duplicates compares within (built once, outside any timing)."""
    from tracker.services.matching import name_blocks, organisation_key, person_key

    conn = sqlite3.connect(str(path))
    try:
        rows = conn.execute("SELECT kind, name FROM stakeholder").fetchall()
    finally:
        conn.close()
    blocks = {}
    for kind, name in rows:
        key = " ".join(sorted((person_key if kind == "person" else organisation_key)(name).split()))
        for block in name_blocks(key) if key else ():
            blocks.setdefault((kind, block), {})[key] = None  # each name once, as find_duplicates blocks them
    return [list(keys) for keys in blocks.values() if len(keys) > 1]


def find_duplicates_row(folder, n, repeats, ratio_row, median_pair, log):
    from tracker.db import close_database
    from tracker.opening import open_database
    from tracker.services.duplicates import find_duplicates

    path = folder / f"duplicates-{n}.db"
    t = time.perf_counter()
    planted = build(path, n)
    blocks = name_blocks_of(path)
    log(f"[duplicates {n}] data built in {time.perf_counter() - t:.1f} s: {len(planted)} planted pairs, "
        f"{len(blocks)} name blocks, {sum(len(b) * (len(b) - 1) // 2 for b in blocks):,} pairs within them")
    found = {}

    def ours():
        open_database(path)
        try:
            start = time.perf_counter()
            groups = find_duplicates()
            seconds = time.perf_counter() - start
        finally:
            close_database()
        found["groups"] = groups
        return seconds

    row = ratio_row(*median_pair(ours, lambda: baseline(path, blocks), repeats), 2.0)
    row.update(quality(found["groups"], planted), groups=len(found["groups"]), stakeholders=n)
    return row
