"""A workbook's sheets are parsed on a thread of their own while the import loads the held stakeholders for
matching (``sources.read_source(meanwhile=)``): the same tables as a read without it, the caller's work done
on its own thread while the parser runs, nothing of it once the gate refuses the file, and the parser's
refusals (and the caller's errors) as before, with no thread left running."""

import io
import sys
import threading
import zipfile

import pytest

from tracker.exchange.safety import FileRefused
from tracker.services import matching
from tracker.tableimport import Options, plan_import
from tracker.tableimport import sources
from tracker.tableimport.sources import read_source

from tests.tracker.table_import_helpers import SIGN_IN, workbook


def _parsers():
    return [t for t in threading.enumerate() if t.name == "calamine"]


def _within(function):
    """Whether ``function`` is among the callers of the code asking."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_name != function:
        frame = frame.f_back
    return frame is not None


def _tables(source):
    return [(s.name, s.rows, s.first_row, s.first_column, s.unsaved) for s in source.sheets], source.hidden


def test_the_caller_works_on_its_own_thread_while_the_sheets_are_parsed(tmp_path):
    path = workbook(tmp_path / "sign-in.xlsx", {"Sign-in": SIGN_IN, "Notes": ([["Hidden"]], {"hidden": True}),
                                                "Merged": ([["Name", "Organisation"], ["Ann Oke", "Havering"],
                                                            ["Bob Lee", None]], {"merged": ["B2:B3"]})})
    seen = []

    def meanwhile(busy):
        seen.append((threading.current_thread() is threading.main_thread(), len(_parsers())))

    with_work = read_source(path, meanwhile=meanwhile)
    assert len(seen) == 1 and seen[0][0]  # once, on the caller's thread
    assert _tables(with_work) == _tables(read_source(path))  # the same sheets, rows, merged areas filled, hidden
    assert _tables(with_work)[1] == ["Notes"]
    assert [r[1] for r in with_work.sheets[1].rows] == ["Organisation", "Havering", "Havering"]
    assert _parsers() == []  # waited for


def test_the_parse_runs_beside_the_callers_work(tmp_path, monkeypatch):
    """The parser's thread is still working while ``meanwhile`` runs (it waits here for the caller's work to
    start): the two overlap, they do not take turns."""
    path = workbook(tmp_path / "sign-in.xlsx", {"Sign-in": SIGN_IN})
    started, parse = threading.Event(), sources._Parsing._parse
    overlapped = []

    def slow_parse(self):
        overlapped.append(started.wait(10))  # the caller's work began while the parse had not finished
        return parse(self)

    def meanwhile(busy):
        overlapped.append(busy())  # (the parse waits for the line below)
        started.set()

    monkeypatch.setattr(sources._Parsing, "_parse", slow_parse)
    source = read_source(path, meanwhile=meanwhile)
    assert overlapped == [True, True]
    assert source.sheets[0].name == "Sign-in"


def test_a_file_the_gate_refuses_does_no_work_of_the_callers(tmp_path):
    bad = tmp_path / "old.xlsx"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)  # an Excel 97-2003 file
    called = []
    with pytest.raises(FileRefused, match="old Excel 97-2003"):
        read_source(bad, meanwhile=lambda busy: called.append(1))
    assert called == [] and _parsers() == []


def _broken_sheet(tmp_path):
    """A workbook whose sheet is cut in half: it passes the gate, the parser cannot read it."""
    path = workbook(tmp_path / "whole.xlsx", {"Sign-in": SIGN_IN})
    out = io.BytesIO()
    with zipfile.ZipFile(path) as whole, zipfile.ZipFile(out, "w") as cut:
        for info in whole.infolist():
            data = whole.read(info.filename)
            cut.writestr(info, data[:len(data) // 2] if info.filename == "xl/worksheets/sheet1.xml" else data)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(out.getvalue())
    return broken


def test_a_sheet_the_parser_cannot_read_is_refused_in_a_sentence(tmp_path):
    broken = _broken_sheet(tmp_path)
    with pytest.raises(FileRefused, match=r"^broken\.xlsx was not imported: sheet 'Sign-in' cannot be read \("):
        read_source(broken, meanwhile=lambda busy: None)
    assert _parsers() == []


def test_the_parsers_refusal_comes_before_an_error_of_the_callers_work(tmp_path):
    def failing(busy):
        raise RuntimeError("the database went away")

    with pytest.raises(FileRefused, match="cannot be read"):
        read_source(_broken_sheet(tmp_path), meanwhile=failing)
    good = workbook(tmp_path / "good.xlsx", {"Sign-in": SIGN_IN})
    with pytest.raises(RuntimeError, match="went away"):
        read_source(good, meanwhile=failing)
    assert _parsers() == []


def test_a_csv_is_read_then_the_callers_work_done(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Name,Email\nAnn Oke,ann@x.example\n", encoding="utf-8")
    order = []
    source = read_source(path, meanwhile=lambda busy: order.append(busy()))
    assert order == [False] and source.sheets[0].rows[1] == ["Ann Oke", "ann@x.example"]


def test_the_plan_matches_with_the_stakeholders_loaded_during_the_parse(db, tmp_path, monkeypatch):
    """One load of the held stakeholders per plan, the one made while the sheet was parsed."""
    from tracker import services

    services.stakeholders.create(name="Grace Okafor", kind="person", email="grace.okafor@met.example")
    made = []
    original = matching.StakeholderMatcher.__init__

    def counted(self):
        made.append((threading.current_thread() is threading.main_thread(), _within("_read_workbook")))
        original(self)

    monkeypatch.setattr(matching.StakeholderMatcher, "__init__", counted)
    plan = plan_import(workbook(tmp_path / "sign-in.xlsx", {"Sign-in": SIGN_IN}), Options())
    assert made == [(True, True)]  # once, on this thread, as the workbook was read (beside its parse: above)
    grace = next(e for e in plan.entries if e.values.get("email", "").casefold() == "grace.okafor@met.example")
    assert grace.action == "match" and grace.how == "email"


def _people_sheet(tmp_path, held):
    """A sign-in sheet of ``held`` people (email, name, organisation, a phone to fill) and two new ones."""
    rows = [["Name", "Organisation", "Email", "Telephone"]]
    rows += [[p.name, "Havering Council", p.email, "07700 900%03d" % i] for i, p in enumerate(held)]
    rows += [["Nina New", "Redbridge CVS", "nina@new.example", ""], ["Omar New", "", "", ""]]
    return workbook(tmp_path / "sign-in.xlsx", {"Sign-in": rows})


def _held_people(count):
    from tracker import services

    return [services.stakeholders.create(name=f"Person {i:03d} Held", kind="person", email=f"p{i}@held.example")
            for i in range(count)]


def _outcome(plan):
    return [(e.row, e.action, e.record_id, sorted(e.changes.items())) for e in plan.entries]


def test_held_people_are_read_ahead_while_the_sheet_is_parsed_and_not_read_again(db, tmp_path, monkeypatch):
    """While the parse goes on (held here until the plan has read two batches ahead), the held people are read as the
    matched ones are; the plan is the one made without reading ahead, and the matched people already read are not
    read again."""
    from tracker.services import tableimports
    from tracker.tableimport import plan as planning

    held = _held_people(7)
    path = _people_sheet(tmp_path, held[:5])
    monkeypatch.setattr(planning, "READ_AHEAD", 3)
    reads, two_read, parse = [], threading.Event(), sources._Parsing._parse
    original = tableimports.read_as_previewed

    def counted(ids):
        reads.append(sorted(ids))
        if len(reads) == 2:
            two_read.set()
        return original(ids)

    def held_parse(self):
        two_read.wait(10)
        return parse(self)

    monkeypatch.setattr(tableimports, "read_as_previewed", counted)
    monkeypatch.setattr(sources._Parsing, "_parse", held_parse)
    ahead = plan_import(path, Options())
    assert [len(r) for r in reads[:2]] == [3, 3]  # (a third batch may start as the parse ends)
    read_ahead = {i for r in reads[:-1] for i in r}
    assert read_ahead <= {p.id for p in held}
    assert read_ahead.isdisjoint(reads[-1])  # the matched people left to read: those not read ahead
    matched = {e.record_id for e in ahead.entries if e.action == "match"}
    assert matched == {p.id for p in held[:5]}
    assert {i for r in reads for i in r} >= matched

    monkeypatch.setattr(planning, "READ_AHEAD_MOST", 0)
    monkeypatch.setattr(sources._Parsing, "_parse", parse)
    reads.clear()
    assert _outcome(plan_import(path, Options())) == _outcome(ahead)
    assert reads == [sorted(matched)]  # without reading ahead: the matched people, once


def test_nothing_is_read_ahead_once_the_parse_is_over(db, tmp_path, monkeypatch):
    """A CSV is read before the plan's work begins: the matched people are read, and no other."""
    from tracker.services import tableimports

    held = _held_people(4)
    path = tmp_path / "list.csv"
    path.write_text("Name,Email,Telephone\n" + "".join(f"{p.name},{p.email},07700 900{i:03d}\n"
                                                       for i, p in enumerate(held[:2])), encoding="utf-8")
    reads = []
    original = tableimports.read_as_previewed
    monkeypatch.setattr(tableimports, "read_as_previewed", lambda ids: reads.append(sorted(ids)) or original(ids))
    plan_import(path, Options())
    assert reads == [sorted(p.id for p in held[:2])]
