"""Issue 13's benchmark rows: importing a partner's sheet (``import_table``) and a sign-in sheet's
preview against many stakeholders (``match_preview``).  Used by bench/run.py; see docs/performance.md.

The data: the bench database of N actions (N/20 stakeholders), its people renamed to realistic,
distinct names (first name + surname, so that fuzzy matching meets names that look alike, as in
life), topped up with people for ``match_preview``.  The partner's sheet has two title rows and
N/10 people: 30% held with the same email, 10% held under another spelling (a typo or a nickname,
no email: the planted misspellings whose recall and precision are reported), 60% new.
"""

import random
import sqlite3
import time
import uuid

SEED = 20190116
FIRST = ("Grace Ravi Daniel Sam Amelia Olivia Isla Ava Mia Ivy Lily Freya Florence Sophia Noah Oliver George "
         "Arthur Leo Harry Oscar Archie Henry Theo Jack Charlie Muhammad Jacob Thomas Alfie Joshua William Aisha "
         "Fatima Priya Anjali Kwame Chidi Ngozi Tomasz Agnieszka Andrei Ioana Mehmet Elif Siobhan Niamh Ciaran "
         "Rhys Megan Catherine Elizabeth Michael Christopher Jennifer Rebecca Jonathan Stephen Patricia Robert").split()
NICK = {"Daniel": "Dan", "William": "Will", "Michael": "Mike", "Christopher": "Chris", "Jennifer": "Jen",
        "Rebecca": "Becky", "Jonathan": "Jon", "Stephen": "Steve", "Patricia": "Pat", "Robert": "Rob",
        "Elizabeth": "Liz", "Thomas": "Tom", "Joshua": "Josh", "Samuel": "Sam"}
SYLLABLES = ("ok af or pat el smi th jo nes wil li am bro wn tay lor da vi ev ans tho mas rob ert son wal ker whi te "
             "har ri gre en ha ll woo d ja ck cla rk ki ng mo rg an ben ne tt co op er hu gh ed ow ka r ma si "
             "ngh kh an no va k ow al sk i ad e ye mi").split()
HEADER = ["Surname", "First name", "Organisation", "Job title", "E-mail", "Telephone"]


def _surnames(rng, n):
    out = set()
    while len(out) < n:
        out.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title())
    return sorted(out)


def people_names(rng, n, avoid=()):
    """``n`` distinct (first, surname) pairs, none in ``avoid``."""
    surnames = _surnames(rng, max(n // 10, 50))
    seen, out = set(avoid), []
    while len(out) < n:
        pair = (rng.choice(FIRST), rng.choice(surnames))
        if pair not in seen:
            seen.add(pair)
            out.append(pair)
    return out


def realistic_people(path, people, seed=SEED):
    """Rename the people of the bench database at ``path`` and add people up to ``people``; returns
    [(id, first, surname, email, organisation name)] of every person."""
    rng = random.Random(seed + people)
    conn = sqlite3.connect(str(path))
    try:
        rows = conn.execute("SELECT id FROM stakeholder WHERE kind = 'person' ORDER BY id").fetchall()
        orgs = conn.execute("SELECT id, name FROM stakeholder WHERE kind = 'organisation' ORDER BY id").fetchall()
        extra = max(people - len(rows), 0)
        names = people_names(rng, len(rows) + extra)
        if extra:
            template = conn.execute("SELECT * FROM stakeholder WHERE kind = 'person' LIMIT 1")
            columns = [d[0] for d in template.description]
            first = list(template.fetchone())
            made = []
            for _ in range(extra):
                row = dict(zip(columns, first), id=None, uuid=uuid.UUID(int=rng.getrandbits(128), version=4).hex)
                made.append([row[c] for c in columns])
            conn.executemany(f"INSERT INTO stakeholder VALUES ({', '.join('?' * len(columns))})", made)
            rows = conn.execute("SELECT id FROM stakeholder WHERE kind = 'person' ORDER BY id").fetchall()
        held = []
        for (rid,), (first, surname) in zip(rows, names):
            email = f"{first}.{surname}.{rid}@partner.example".lower()
            org_id, org_name = orgs[rid % len(orgs)]
            held.append((rid, first, surname, email, org_name))
        conn.executemany("UPDATE stakeholder SET name = ?, email = ?, organisation_id = ? WHERE id = ?",
                         [(f"{f} {s}", e, orgs[rid % len(orgs)][0], rid) for rid, f, s, e, _ in held])
        conn.commit()
        return held
    finally:
        conn.close()


def misspelt(rng, first, surname):
    """Another spelling of a held name: a nickname, or one letter doubled, dropped or swapped in the surname."""
    if first in NICK and rng.random() < 0.3:
        return NICK[first], surname
    if len(surname) < 4:
        return first, surname + surname[-1]
    i = rng.randrange(1, len(surname) - 1)
    how = rng.choice(("double", "drop", "swap"))
    if how == "double":
        surname = surname[:i] + surname[i] + surname[i:]
    elif how == "drop":
        surname = surname[:i] + surname[i + 1:]
    else:
        surname = surname[:i] + surname[i + 1] + surname[i] + surname[i + 2:]
    return first, surname


def partner_sheet(path, held, n_rows, seed=SEED, shares=(0.3, 0.1)):
    """Write the partner's .xlsx; returns {row number: ("email" | "spelling", held id) or ("new", None)}."""
    from openpyxl import Workbook

    rng = random.Random(seed + n_rows)
    chosen = rng.sample(held, min(len(held), int(n_rows * (shares[0] + shares[1]))))
    n_email = int(n_rows * shares[0])
    new = people_names(rng, n_rows - len(chosen), avoid={(f, s) for _, f, s, _, _ in held})
    planted, rows = {}, []
    for i in range(n_rows):
        if i < n_email and i < len(chosen):
            rid, first, surname, email, org = chosen[i]
            rows.append(("email", rid, surname, first, org, email.upper() if i % 3 == 0 else email))
        elif i < len(chosen):
            rid, first, surname, _, org = chosen[i]
            first, surname = misspelt(rng, first, surname)
            rows.append(("spelling", rid, surname, first, org, ""))
        else:
            first, surname = new[i - len(chosen)]
            rows.append(("new", None, surname, first, "New Partner Org", f"{first}.{surname}.new{i}@new.example".lower()))
    rng.shuffle(rows)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sign-in")
    ws.append(["Partnership event: sign-in sheet"])
    ws.append(["Collected by the partner"])
    ws.append(HEADER)
    for n, (what, rid, surname, first, org, email) in enumerate(rows, start=4):
        ws.append([_text_cell(ws, v) for v in (surname, first, org, "Officer", email, f"0770090{n:04d}")])
        planted[n] = (what, rid)
    wb.save(str(path))
    return planted


def _text_cell(ws, value):
    """``value`` as the text cell a person typing it makes: openpyxl writes a text starting with "=" (the
    held organisations' "=SUM(A1:A2) is not a formula ..." names, bench/data.py's awkward names) as a formula
    without a saved result, which the import rightly refuses (tracker.tableimport.formulas)."""
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def recall_precision(plan, planted):
    """Of the planted other spellings, how many were found (matched or doubtful with the held record
    among the candidates); of everything found by name, how many were right."""
    found = wrong = 0
    spellings = sum(what == "spelling" for what, _ in planted.values())
    for e in plan.entries:
        what, rid = planted.get(e.row, ("?", None))
        ids = {c["id"] for c in e.candidates} | ({e.record_id} if e.record_id else set())
        if e.how == "email":
            continue
        if ids and what == "spelling" and rid in ids:
            found += 1
        elif ids:
            wrong += 1
    return {"planted": spellings, "found": found, "false_matches": wrong,
            "recall": round(found / spellings, 3) if spellings else None,
            "precision": round(found / (found + wrong), 3) if found + wrong else None}


def bare_import_table(sheet, db_path):
    """The floor: python-calamine read of the sheet, a dict lookup on lowercased email, raw executemany of
    the new people into ``stakeholder``; seconds."""
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    conn = sqlite3.connect(str(db_path), isolation_level=None)
    try:
        held = {e.casefold(): i for i, e in conn.execute("SELECT id, email FROM stakeholder WHERE email != ''")}
        book = CalamineWorkbook.from_path(str(sheet))
        rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()[3:]
        now = time.strftime("%Y-%m-%d %H:%M:%S")
        new = [(uuid.uuid4().hex, now, now, 1, "person", f"{r[1]} {r[0]}", "voluntary", r[3], r[4], str(r[5]))
               for r in rows if str(r[4]).casefold() not in held]
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO stakeholder (uuid, created_at, updated_at, version, kind, name, sector, role, "
                         "email, phone, address, website, influence, interest, tags, notes) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', 3, 3, '', '')", new)
        conn.execute("COMMIT")
    finally:
        conn.close()
    return time.perf_counter() - start


# ---- the rows --------------------------------------------------------------------------------------------
def _database(bench, people, name):
    """A copy of the bench's full database with realistic people (``people`` of them at least)."""
    import shutil

    path = bench.folder / name
    if not path.exists():
        shutil.copy(bench.db, path)
        bench.held[name] = realistic_people(path, people)
    return path, bench.held[name]


def _ours(bench, db, sheet, planted, found):
    from tracker.db import close_database
    from tracker.opening import open_database
    from tracker.tableimport import Options, apply_plan, plan_import

    path = bench.copy(db)
    open_database(path)
    try:
        start = time.perf_counter()
        plan = plan_import(sheet, Options(uncertain="hold"))
        planned = time.perf_counter() - start
        assert apply_plan(plan) is not None and plan.counts()["added"] > 0, plan.counts()
        seconds = time.perf_counter() - start
        found.update(recall_precision(plan, planted), plan_s=planned)
    finally:
        close_database()
    bench.drop(path)
    return seconds


def import_table(bench, ratio_row, median_pair):
    """``import_table``: the partner's sheet of N/10 rows into the N-action database (N/20 stakeholders)."""
    db, held = _database(bench, 0, "people.db")
    sheet = bench.folder / "partner.xlsx"
    planted = partner_sheet(sheet, held, max(bench.n // 10, 10))
    found = {}

    def baseline():
        path = bench.copy(db)
        seconds = bare_import_table(sheet, path)
        bench.drop(path)
        return seconds

    row = ratio_row(*median_pair(lambda: _ours(bench, db, sheet, planted, found), baseline, bench.repeats), 3.0)
    row.update(rows=len(planted), stakeholders=len(held), **found)
    bench.put("import_table", row)


def match_preview(bench, absolute_row):
    """``match_preview``: a 240-row sign-in sheet (fewer for small N) against N/5 stakeholders, until the
    preview is ready; ms (median), no target given by the issue: reported."""
    import statistics

    from tracker.db import close_database
    from tracker.opening import open_database
    from tracker.tableimport import Options, plan_import

    db, held = _database(bench, max(bench.n // 5, 20), "many-people.db")
    sheet = bench.folder / "sign-in.xlsx"
    planted = partner_sheet(sheet, held, min(240, max(bench.n // 10, 10)))
    open_database(db)
    try:
        times, found = [], {}
        for _ in range(bench.repeats):
            start = time.perf_counter()
            plan = plan_import(sheet, Options(uncertain="hold"))
            times.append(time.perf_counter() - start)
            found = recall_precision(plan, planted)
    finally:
        close_database()
    row = absolute_row("ms", statistics.median(times) * 1000, None)
    row.update(rows=len(planted), stakeholders=len(held), **found)
    bench.put("match_preview", row)
