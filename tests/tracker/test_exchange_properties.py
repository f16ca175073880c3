"""Properties of the exchange workbook, checked on generated data (hypothesis)."""

import datetime as dt
import re
import tempfile
from pathlib import Path

import openpyxl
import pytest

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.tracker.exchange_helpers import council_db, dump, make_records, read_both_ways, snapshot
from tracker import services
from tracker.exchange import export_workbook, import_workbook
from tracker.exchange.rowcheck import is_edited
from tracker.models import ActionItem, Commitment, Event, Stakeholder, Update
from tracker.services import conflicts
from tracker.services import exchange as store

# Text people type, paste or have mangled: unicode, newlines, CR, tabs, control characters, the
# characters spreadsheet programs treat as formulas, OOXML escape look-alikes, long text.
PREFIXES = st.sampled_from(["", "=", "+", "-", "@", "\t", "\r", "=cmd|' /C calc'!A0 ", "_x000D_", " "])
BODY = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
AWKWARD = st.builds(lambda p, b: p + b, PREFIXES, BODY)
LONG = st.builds(lambda c, n: c * n, st.sampled_from(["ab\n", "é", "= ", "_x0041_"]), st.integers(1, 2500))
TEXT = st.one_of(AWKWARD, LONG)
SHORT = AWKWARD.map(lambda s: s[:100])

SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _put_awkward_text(records, short, long_, deleted):
    """Write generated text straight into the rows (services would trim it; an import must not)."""
    Stakeholder.update(notes=long_, role=short, address=short + long_[:50]).where(
        Stakeholder.uuid == records["person"].uuid).execute()
    Stakeholder.update(name=short or "x").where(Stakeholder.uuid == records["org"].uuid).execute()
    Event.update(place=short, notes=long_).execute()
    Commitment.update(description=long_, title=short or "x").execute()
    ActionItem.update(description=long_, title=short or "x").execute()
    Update.update(text=long_ or "x").execute()
    if deleted:
        services.actions.delete(services.actions.get(records["actions"][0].uuid))


@SETTINGS
@given(short=SHORT, long_=TEXT, deleted=st.booleans())
def test_export_import_into_empty_database_reproduces_every_record_and_link(short, long_, deleted):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with council_db(tmp / "a.db", "Havering"):
            _put_awkward_text(make_records(n=2), short, long_, deleted)
            before = snapshot()
            export_workbook(tmp / "x.xlsx")
        with council_db(tmp / "b.db", "Redbridge"):
            book = read_both_ways(tmp / "x.xlsx")
            assert not [(row.sheet.name, row.number) for rows in book.rows.values() for row in rows
                        if is_edited(row.check, row.sheet.table, row.values,
                                     store.content_hash(row.sheet.table, row.values))], "read back as edited"
            report = import_workbook(tmp / "x.xlsx")
            assert report.applied, report.refused
            assert snapshot() == before
            assert services.check() == []
        # and back into the first database: nothing to do
        with council_db(tmp / "a.db", "Havering"):
            pass
        unchanged = dump(tmp / "a.db")
        with council_db(tmp / "a.db", "Havering"):
            report = import_workbook(tmp / "x.xlsx")
            assert (report.added, report.updated, report.conflicts) == (0, 0, 0)
        assert dump(tmp / "a.db") == unchanged


EDITS = st.lists(st.tuples(st.sampled_from(["BD", "HAV", "RED"]), st.sampled_from(["status", "title", "delete"]),
                           st.integers(0, 2)), min_size=1, max_size=4)
ORDERS = st.permutations(["BD", "HAV", "RED"])
NAMES = {"BD": "Barking and Dagenham", "HAV": "Havering", "RED": "Redbridge"}


@pytest.mark.slow  # three councils' databases per example
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=EDITS, order=ORDERS, mode=st.sampled_from(["take-theirs", "keep-mine"]))
def test_three_councils_converge_and_conflicts_are_surfaced(edits, order, mode):
    """Each council edits (possibly the same records), then they exchange in some order until quiet.
    Every edit made on two sides at once is reported as a conflict, and the databases converge."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        paths = {c: tmp / f"{c}.db" for c in NAMES}
        with council_db(paths["HAV"], NAMES["HAV"]):
            make_records(n=3)
            export_workbook(tmp / "seed.xlsx")
        for c in ("BD", "RED"):
            with council_db(paths[c], NAMES[c]):
                assert import_workbook(tmp / "seed.xlsx").added == 10
        touched = {}
        for k, (council, what, which) in enumerate(edits):
            with council_db(paths[council], NAMES[council]):
                action = sorted(services.actions.page(0, 10, deleted=False) +
                                services.actions.page(0, 10, deleted=True), key=lambda a: a.title)[which]
                if what == "status":
                    services.actions.update(action, status=["done", "blocked", "in_progress"][k % 3])
                elif what == "title":
                    services.actions.update(action, title=f"{action.title} / {council} {k}")
                elif not action.is_deleted:
                    services.actions.delete(action)
                touched.setdefault(action.uuid, []).append((council, what))
        conflicts = 0
        for round_ in range(3):
            for sender in order:
                out = tmp / f"{sender}-{round_}.xlsx"
                with council_db(paths[sender], NAMES[sender]):
                    export_workbook(out)
                for receiver in order:
                    if receiver != sender:
                        with council_db(paths[receiver], NAMES[receiver]):
                            report = import_workbook(out, on_conflict=mode)
                            assert report.applied, report.refused
                            conflicts += report.conflicts
        snaps = []
        for c in order:
            with council_db(paths[c], NAMES[c]):
                snaps.append(snapshot())
                assert services.check() == []
        assert snaps[0] == snaps[1] == snaps[2]
        contested = [u for u, changes in touched.items()
                     if len({c for c, _ in changes}) > 1 and any(w != "delete" for _, w in changes)]
        if contested:  # the same record changed differently at two councils: a person was told
            assert conflicts >= 1
        else:
            assert conflicts == 0


@settings(max_examples=8, deadline=None)
@given(text=st.text(alphabet="abcXYZ éü-", min_size=1, max_size=12).filter(lambda s: s.strip()),
       day=st.dates(dt.date(1990, 1, 1), dt.date(2060, 12, 31)))
def test_uk_text_dates_in_a_hand_made_row_land_on_the_right_day(text, day):
    import openpyxl

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with council_db(tmp / "a.db", "Havering"):
            make_records()
            export_workbook(tmp / "x.xlsx")
            wb = openpyxl.load_workbook(tmp / "x.xlsx")
            ws = wb["Actions"]
            header = [c.value for c in ws[1]]
            row = [None] * len(header)
            row[header.index("Title")] = "hand " + text.strip()
            row[header.index("Priority")] = "Low"
            row[header.index("Status")] = "Open"
            row[header.index("Due date")] = day.strftime("%d/%m/%Y")
            ws.append(row)
            wb.save(tmp / "y.xlsx")
            report = import_workbook(tmp / "y.xlsx")
            assert report.added == 1, report.refused
            [hand] = [a for a in services.actions.page(0, 50) if a.title.startswith("hand ")]
            assert hand.due_date == day


# ---- any order of edits, exports, deliveries and decisions ---------------------------------------------
# Every write (an officer's in the app, a manager's in a file, a person's merge of a conflict) appends a
# token to the field, so a value's tokens are its history and a write that is not in a value was either
# lost or not yet seen.
FIELDS = {"title": "Title", "description": "Description"}
TOKEN = re.compile(r"\bw\d+\b")
MANAGER = st.none() | st.tuples(st.integers(0, 2), st.sampled_from(sorted(FIELDS)))
COUNCIL = st.sampled_from(sorted(NAMES))
STEPS = st.lists(st.one_of(
    st.tuples(st.just("edit"), COUNCIL, st.integers(0, 2), st.sampled_from(sorted(FIELDS))),
    st.tuples(st.just("export"), COUNCIL),
    # a file exported earlier (0: the latest) reaches a council, maybe edited by a manager on the way;
    # files arrive late, twice, or never, and a council may get its own back
    st.tuples(st.just("deliver"), COUNCIL, st.integers(0, 6), MANAGER),
    st.tuples(st.just("decide"), COUNCIL),
), min_size=3, max_size=14)
CHOICES = st.lists(st.sampled_from(["mine", "theirs", "both"]), min_size=1, max_size=3)


def _tokens(*texts):
    return {t for text in texts for t in TOKEN.findall(text or "")}


class _Partnership:
    """Three council databases seeded with the same three actions, the files exported so far, every
    write made and every write a person was shown in a conflict."""

    def __init__(self, tmp, choices):
        self.tmp, self.paths, self.choices = tmp, {c: tmp / f"{c}.db" for c in NAMES}, choices
        self.files, self.written, self.surfaced, self.n, self.decided = [], set(), set(), 0, 0
        with council_db(self.paths["HAV"], NAMES["HAV"]):
            r = make_records(n=3)
            self.actions = sorted(a.uuid for a in r["actions"])
            export_workbook(tmp / "seed.xlsx")
        for c in ("BD", "RED"):
            with council_db(self.paths[c], NAMES[c]):
                assert import_workbook(tmp / "seed.xlsx").added == 10

    def token(self):
        self.n += 1
        self.written.add(f"w{self.n}")
        return f"w{self.n}"

    def edit(self, council, which, field):
        with council_db(self.paths[council], NAMES[council]):
            action = services.actions.get(self.actions[which])
            services.actions.update(action, **{field: f"{getattr(action, field)} {self.token()}"})

    def managed(self, path, manager):
        """``path`` as a manager left it: one cell appended to in a spreadsheet (or untouched)."""
        if manager is None:
            return path
        which, field = manager
        wb = openpyxl.load_workbook(path)
        ws = wb["Actions"]
        header = [c.value for c in ws[1]]
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, header.index("ID") + 1).value == str(
            self.actions[which]))
        cell = ws.cell(row, header.index(FIELDS[field]) + 1)
        cell.value = f"{cell.value or ''} {self.token()}"
        edited = self.tmp / f"managed-{self.n}.xlsx"
        wb.save(edited)
        return edited

    def send(self, sender):
        out = self.tmp / f"{sender}-{len(self.files)}.xlsx"
        with council_db(self.paths[sender], NAMES[sender]):
            export_workbook(out)
        self.files.append(out)
        return out

    def receive(self, council, path):
        with council_db(self.paths[council], NAMES[council]):
            report = import_workbook(path)  # conflicts are held for a person
            assert report.applied, report.refused
            for d in report.details:
                if d.kind == "conflict":
                    self.surfaced |= {t for _, before, after in d.changes for t in _tokens(before, after)}
            return report

    def decide(self, council):
        """A person at ``council`` decides every held conflict, seeing both sides: keeps this database's
        values, takes the file's, or keeps both (appending the file's new words); how many there were."""
        with council_db(self.paths[council], NAMES[council]):
            held = conflicts.pending_conflicts()
            for conflict in held:
                sides = conflicts.conflict_sides(conflict)
                self.surfaced |= {t for _, _, mine, theirs in sides for t in _tokens(mine, theirs)}
                choice = self.choices[self.decided % len(self.choices)]
                self.decided += 1
                both = {f: " ".join([mine, *sorted(_tokens(theirs) - _tokens(mine))]) for f, _, mine, theirs in sides
                        if f in FIELDS}
                if choice == "both" and both:
                    conflicts.resolve_conflict(conflict, "edited", both)
                else:
                    conflicts.resolve_conflict(conflict, "theirs" if choice == "theirs" else "mine")
            return len(held)


@pytest.mark.slow  # three councils' databases per example
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=STEPS, order=ORDERS, choices=CHOICES)
# Two councils each export a change to the same title before the other's file arrives.
@example(steps=[("edit", "HAV", 0, "title"), ("export", "HAV"), ("edit", "RED", 0, "title"), ("export", "RED")],
         order=["HAV", "BD", "RED"], choices=["mine"])
# A ring: Redbridge passes Havering's change on to Barking and Dagenham, whose own went out before; a
# manager edits a copy on the way; a person decides one side, the other keeps its conflict until the end.
@example(steps=[("edit", "HAV", 0, "title"), ("export", "HAV"), ("edit", "BD", 0, "title"), ("export", "BD"),
                ("deliver", "RED", 1, None), ("export", "RED"), ("deliver", "BD", 0, (0, "description")),
                ("deliver", "HAV", 2, None), ("decide", "BD"), ("export", "BD"), ("deliver", "RED", 0, None)],
         order=["RED", "HAV", "BD"], choices=["both", "theirs"])
def test_changes_in_any_order_are_never_lost_silently_and_councils_converge(steps, order, choices):
    """Officers edit at three councils; a council exports whenever it likes, and any file exported so far
    reaches any council at any time (late, twice, or never; a manager may edit the copy on its way);
    people decide the conflicts held at their council when they like.  Every write either survives or
    was shown to a person in a conflict (so two concurrent changes to one field are always surfaced,
    never one silently overwritten), and once the conflicts are decided the councils agree."""
    with tempfile.TemporaryDirectory() as tmp:
        p = _Partnership(Path(tmp), choices)
        for step in steps:
            if step[0] == "edit":
                p.edit(*step[1:])
            elif step[0] == "export":
                p.send(step[1])
            elif step[0] == "decide":
                p.decide(step[1])
            elif p.files:
                _, receiver, back, manager = step
                p.receive(receiver, p.managed(p.files[-1 - back % len(p.files)], manager))
        for _ in range(8):  # decide the conflicts and exchange until nothing changes
            busy = sum(p.decide(c) for c in order)
            for sender in order:
                out = p.send(sender)
                for receiver in order:
                    if receiver != sender:
                        report = p.receive(receiver, out)
                        busy += report.added + report.updated + report.conflicts + p.decide(receiver)
            if not busy:
                break
        assert not busy, "the councils did not settle"
        snaps = []
        for c in order:
            with council_db(p.paths[c], NAMES[c]):
                snaps.append(snapshot())
                assert services.check() == [] and conflicts.pending_conflicts() == []
        assert snaps[0] == snaps[1] == snaps[2]
        final = _tokens(*(v for h in p.actions for v in snaps[0]["action_item"][h.hex][:2]))
        lost = p.written - final - p.surfaced
        assert not lost, f"lost without a conflict: {sorted(lost)}"
