"""Properties of the exchange workbook, checked on generated data (hypothesis)."""

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.tracker.exchange_helpers import council_db, dump, make_records, read_both_ways, snapshot
from tracker import services
from tracker.exchange import export_workbook, import_workbook
from tracker.models import ActionItem, Commitment, Event, Stakeholder, Update

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
            read_both_ways(tmp / "x.xlsx")
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
