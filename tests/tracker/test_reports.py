"""The managers' reports: rows in a fixed number of queries, workbooks read back, CLI options and errors."""

import datetime as dt

import openpyxl
import pytest
from playhouse.test_utils import count_queries

from tracker import reports, services
from tracker.cli import main
from tracker.models import ActionItem
from tracker.reports.xlsx import HEADER_ROW
from tests.tracker.ooxml import ooxml_unescape

TODAY = dt.date.today()
NASTY = ["=cmd|' /C calc'!A0", "+44 20 7946 0000", "-3 days", "@SUM(A1)", "=HYPERLINK(\"http://x\")"]


@pytest.fixture
def partners(db):
    """Two organisations with a person each, two commitments, actions in two councils."""
    bd, hav = services.councils.find("Barking and Dagenham"), services.councils.find("Havering")
    met = services.stakeholders.create(name="Metropolitan Police Service", sector="police")
    bkt = services.stakeholders.create(name="Ben Kinsella Trust", sector="voluntary")
    jade = services.stakeholders.create(name="Jade Clarke", kind="person", organisation=met, sector="police")
    sam = services.stakeholders.create(name="Sam Patel", kind="person", organisation=bkt, sector="voluntary")
    summit = services.events.create(title="Summit", kind="summit", date=dt.date(2019, 1, 16))
    bins = services.commitments.create(title="Knife bins in every borough", made_by=met, made_at=summit,
                                       date_made=dt.date(2019, 1, 16), target_date=TODAY - dt.timedelta(days=10),
                                       theme="knife_crime", status="in_progress", councils=[bd, hav])
    mentoring = services.commitments.create(title="Mentoring", made_by=sam, date_made=dt.date(2019, 2, 1),
                                            theme="youth", status="agreed", councils=[hav], rag="G")
    late = services.actions.create(title="Install bins", commitment=bins, owner=jade, council=hav,
                                   due_date=TODAY - dt.timedelta(days=5), priority="high")
    blocked = services.actions.create(title="Agree sites", commitment=bins, owner=jade, council=bd,
                                      due_date=TODAY + dt.timedelta(days=20), status="blocked")
    done = services.actions.create(title="Order bins", commitment=bins, owner=sam, council=hav,
                                   due_date=TODAY - dt.timedelta(days=40), status="done")
    soon = services.actions.create(title="Recruit mentors", owner=sam, council=hav,
                                   due_date=TODAY + dt.timedelta(days=3))
    services.updates.add(late, "Sites surveyed", date=TODAY - dt.timedelta(days=9))
    services.updates.add(late, "Bins ordered", date=TODAY - dt.timedelta(days=2))
    services.updates.add(bins, "Reported to the board", date=TODAY - dt.timedelta(days=1))
    return dict(bd=bd, hav=hav, met=met, bkt=bkt, jade=jade, sam=sam, summit=summit, bins=bins,
                mentoring=mentoring, late=late, blocked=blocked, done=done, soon=soon)


def rows_sheet(path, title="Action log"):
    wb = openpyxl.load_workbook(path)
    return wb, wb[title]


def data_rows(ws):
    return [[c.value for c in row] for row in ws.iter_rows(min_row=HEADER_ROW + 1) if any(c.value for c in row)]


# ---- services: one query each, whatever the size ------------------------------------------------

def test_action_report_rows_are_one_query_with_owner_organisation_council_commitment(partners):
    with count_queries() as counter:
        rows = list(services.actions.report_rows(filters={"council": partners["hav"]}))
    assert counter.count == 1
    assert [r["title"] for r in rows] == ["Order bins", "Install bins", "Recruit mentors"]  # by due date
    late = rows[1]
    assert (late["owner"], late["organisation"], late["council"], late["commitment"]) == (
        "Jade Clarke", "Metropolitan Police Service", "Havering", "Knife bins in every borough")


def test_gathering_a_report_takes_the_same_number_of_queries_for_4_or_40_actions(partners):
    with count_queries() as small:
        reports.action_log({})
    with count_queries() as small_register:
        reports.commitment_register({})
    for i in range(36):
        services.actions.create(title=f"Extra {i}", owner=partners["sam"], commitment=partners["mentoring"])
    with count_queries() as big:
        report = reports.action_log({})
    with count_queries() as big_register:
        reports.commitment_register({})
    assert len(report.rows) == 40
    assert small.count == big.count == 2  # actions with everything joined, latest updates
    assert small_register.count == big_register.count == 5  # commitments, RAGs, counts, councils, evidence


def test_bulk_rag_agrees_with_one_at_a_time(demo_db):
    ids = services.commitments.ids_matching()
    bulk = services.commitments.rolled_up_rags(ids)
    one_by_one = {c.id: services.commitments.rolled_up_rag(c) for c in services.commitments.query()}
    assert bulk == one_by_one and set(bulk.values()) >= {"R", "G"}


def test_latest_evidence_is_the_newest_update_on_the_commitment_or_its_actions(partners):
    evidence = services.updates.latest_for_commitments([partners["bins"].id, partners["mentoring"].id])
    assert evidence[partners["bins"].id].text == "Reported to the board"
    assert partners["mentoring"].id not in evidence
    services.updates.add(partners["blocked"], "Sites disputed", date=TODAY)
    evidence = services.updates.latest_for_commitments(services.commitments.ids_matching())
    assert evidence[partners["bins"].id].text == "Sites disputed"
    assert evidence[partners["bins"].id].action.reference == partners["blocked"].reference


@pytest.mark.slow  # 40,000 actions
def test_bulk_lookups_take_more_ids_than_sqlite_binds(db):
    """A 100k-action report passes its ids as a sub-select, not as 100k bound parameters."""
    now = dt.datetime(2024, 1, 1)
    rows = [{"uuid": f"00000000-0000-4000-8000-{i:012d}", "reference": f"X-A{i:05d}", "title": f"a{i}",
             "priority": "low", "status": "open", "created_at": now, "updated_at": now} for i in range(40_000)]
    for start in range(0, len(rows), 4000):
        ActionItem.insert_many(rows[start:start + 4000]).execute()
    assert services.updates.latest_for_actions(services.actions.ids_matching()) == {}


# ---- the action log workbook ------------------------------------------------------------------------

def test_action_log_content_filters_types_and_title_block(partners, tmp_path):
    services.set_actor("Priya Singh", "Havering")
    out = tmp_path / "log.xlsx"
    reports.write_action_log(out, {"council": partners["hav"], "status": ["open", "done"]})
    wb, ws = rows_sheet(out)
    assert wb.sheetnames == ["Action log", "Summary"]
    assert ws["A1"].value == "Action log"
    assert ws["A2"].value == "Filters: Council Havering; status Open, Done"
    assert ws["A3"].value.startswith(f"Generated on {dt.date.today():%d/%m/%Y} ")
    assert ws["A3"].value.endswith("by Priya Singh (Havering)")
    header = [c.value for c in ws[HEADER_ROW]]
    assert header[:4] == ["Reference", "Action", "Commitment it serves", "Owner"]
    rows = data_rows(ws)
    assert [r[1] for r in rows] == ["Order bins", "Install bins", "Recruit mentors"]
    late = dict(zip(header, rows[1]))
    assert late["Reference"] == partners["late"].reference
    assert late["Due date"] == dt.datetime.combine(TODAY - dt.timedelta(days=5), dt.time())  # a real date
    assert late["Status"] == "Open" and late["RAG"] == "R" and late["Days overdue"] == 5
    assert late["Update date"].date() == TODAY - dt.timedelta(days=2) and late["Latest update"] == "Bins ordered"
    assert late["Organisation"] == "Metropolitan Police Service" and late["Priority"] == "High"
    assert dict(zip(header, rows[0]))["RAG"] == "G" and dict(zip(header, rows[2]))["RAG"] == "A"
    assert dict(zip(header, rows[2]))["Days overdue"] is None
    due = ws.cell(HEADER_ROW + 2, header.index("Due date") + 1)
    assert due.is_date and due.number_format == "dd/mm/yyyy"
    assert due.font.bold and due.fill.fgColor.rgb.endswith("FDE9E7")  # overdue highlighted
    assert not ws.cell(HEADER_ROW + 3, header.index("Due date") + 1).font.bold


def test_action_log_presentation_for_printing(partners, tmp_path):
    out = tmp_path / "log.xlsx"
    reports.write_action_log(out, {})
    wb, ws = rows_sheet(out)
    last = HEADER_ROW + 4
    assert ws.freeze_panes == f"B{HEADER_ROW + 1}"
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:M{last}"
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.oddFooter.center.text == "Page &P of &N"
    assert all(c.font.bold for c in ws[HEADER_ROW])
    rules = {str(cf.sqref): [r.formula for r in cf.rules] for cf in ws.conditional_formatting}
    assert rules == {f"I{HEADER_ROW + 1}:I{last}": [['"R"'], ['"A"'], ['"G"']]}
    fills = [r.dxf.fill.bgColor.rgb[-6:] for cf in ws.conditional_formatting for r in cf.rules]
    assert fills == ["C00000", "FFC000", "00B050"]
    assert ws.column_dimensions["B"].width == 30 and ws.cell(HEADER_ROW + 1, 2).alignment.wrap_text
    summary = wb["Summary"]
    assert summary.page_setup.orientation == "landscape" and summary.oddFooter.center.text == "Page &P of &N"


def test_summary_counts_by_status_and_rag_per_council_and_owner(partners, tmp_path):
    out = tmp_path / "log.xlsx"
    reports.write_action_log(out, {})
    ws = openpyxl.load_workbook(out)["Summary"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = values[values.index(next(r for r in values if r[0] == "Council"))]
    assert header == ["Council", "Open", "In progress", "Blocked", "Done", "Cancelled", "Red (R)", "Amber (A)",
                      "Green (G)", "Overdue", "Total"]
    table = {r[0]: r[1:] for r in values if r[0] in ("Barking and Dagenham", "Havering", "Total")}
    assert table["Havering"] == [2, 0, 0, 1, 0, 1, 1, 1, 1, 3]
    assert table["Barking and Dagenham"] == [0, 0, 1, 0, 0, 1, 0, 0, 0, 1]
    owners = {r[0]: r[1:] for r in values if r[0] and "(" in str(r[0]) and r[0] not in header}
    assert owners["Jade Clarke (Metropolitan Police Service)"][-2:] == [1, 2]
    assert owners["Sam Patel (Ben Kinsella Trust)"][-2:] == [0, 2]
    totals = [r for r in values if r[0] == "Total"]
    assert len(totals) == 2 and all(t[-2:] == [1, 4] for t in totals)
    styles = {row[0].value: [c.style for c in row] for row in ws.iter_rows() if row[0].value in table}
    assert styles["Havering"] == ["Report wrap"] + ["Report text"] * 10
    assert styles["Total"] == ["Report total"] * 11
    assert all(isinstance(c.value, int) and c.data_type == "n" and c.border.left.style == "thin"
               for row in ws.iter_rows() if row[0].value == "Havering" for c in row[1:])


def test_no_cell_is_ever_a_formula(partners, tmp_path):
    org = services.stakeholders.create(name=NASTY[1], sector="other")
    person = services.stakeholders.create(name=NASTY[2], kind="person", organisation=org, sector="other")
    com = services.commitments.create(title=NASTY[3], made_by=person, date_made=TODAY, theme="other")
    action = services.actions.create(title=NASTY[0], owner=person, commitment=com, due_date=TODAY)
    services.updates.add(action, NASTY[4])
    services.updates.add(com, NASTY[0], date=TODAY + dt.timedelta(days=1))
    seen = set()
    for write, name in ((reports.write_action_log, "Action log"), (reports.write_commitment_register,
                                                                     "Commitment register")):
        out = tmp_path / f"{name}.xlsx"
        write(out, {})
        wb = openpyxl.load_workbook(out)
        for ws in wb:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (name, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        seen.add(ooxml_unescape(cell.value))
                        if cell.value.startswith(("=", "+", "-", "@")):
                            assert cell.quotePrefix, (name, cell.coordinate)
    assert set(NASTY) <= seen


def test_an_empty_report_is_still_a_valid_printable_workbook(db, tmp_path):
    out = tmp_path / "empty.xlsx"
    report = reports.write_action_log(out, {"overdue": True})
    assert report.rows == [] and report.notes.startswith("0 actions, 0 overdue")
    _, ws = rows_sheet(out)
    assert data_rows(ws) == [] and ws.auto_filter.ref == f"A{HEADER_ROW}:M{HEADER_ROW + 1}"


# ---- the commitment register --------------------------------------------------------------------

def test_register_rows_grouped_by_partner_with_rolled_up_rag_counts_and_evidence(partners, tmp_path):
    out = tmp_path / "register.xlsx"
    reports.write_commitment_register(out, {})
    wb, ws = rows_sheet(out, "Commitment register")
    assert wb.sheetnames == ["Commitment register", "Summary"]
    header = [c.value for c in ws[HEADER_ROW]]
    rows = [dict(zip(header, r)) for r in data_rows(ws)]
    assert [(r["Partner"], r["Person"], r["Commitment"]) for r in rows] == [
        ("Ben Kinsella Trust", "Sam Patel", "Mentoring"),
        ("Metropolitan Police Service", None, "Knife bins in every borough")]
    mentoring, bins = rows
    assert mentoring["RAG"] == "G" and mentoring["Latest evidence"] is None  # no actions: its own RAG
    assert bins["RAG"] == "R" and (bins["Actions open"], bins["Actions done"], bins["Actions overdue"]) == (2, 1, 1)
    assert bins["Made at (event)"] == "Summit" and bins["Theme"] == "Knife crime"
    assert bins["Councils"] == "Barking and Dagenham, Havering" and bins["Status"] == "In progress"
    assert bins["Date made"] == dt.datetime(2019, 1, 16) and bins["Latest evidence"] == "Reported to the board"
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:O{HEADER_ROW + 2}"
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}" and ws.page_setup.fitToWidth == 1
    target = ws.cell(HEADER_ROW + 2, header.index("Target date") + 1)
    assert target.number_format == "dd/mm/yyyy" and target.font.bold  # past its target: highlighted


def test_register_filters_map_onto_the_services_filter_dict(partners):
    def titles(**filters):
        return [r["title"] for r in reports.commitment_register(filters).rows]

    assert titles(council=partners["bd"]) == ["Knife bins in every borough"]
    assert titles(made_by=partners["sam"]) == ["Mentoring"]
    assert titles(theme="youth", status=["agreed"]) == ["Mentoring"]
    assert titles(event=partners["summit"]) == ["Knife bins in every borough"]
    assert reports.describe_filters("commitments", {"made_by": partners["sam"].id, "theme": "youth"}) == \
        "Filters: Theme Youth; made by Sam Patel"


# ---- the command -----------------------------------------------------------------------------------

def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli_db(partners, db_path):
    return str(db_path)


@pytest.mark.parametrize("options, expected", [
    ([], ["Order bins", "Install bins", "Recruit mentors", "Agree sites"]),
    (["--council", "Havering"], ["Order bins", "Install bins", "Recruit mentors"]),
    (["--council", "bd"], ["Agree sites"]),
    (["--owner", "jade clarke"], ["Install bins", "Agree sites"]),
    (["--status", "open", "--status", "Blocked"], ["Install bins", "Recruit mentors", "Agree sites"]),
    (["--overdue"], ["Install bins"]),
    (["--due-before", (TODAY - dt.timedelta(days=5)).strftime("%d/%m/%Y")], ["Order bins", "Install bins"]),
    (["--due-after", TODAY.isoformat()], ["Recruit mentors", "Agree sites"]),
    (["--council", "Havering", "--overdue"], ["Install bins"]),
])
def test_action_log_command_options(cli_db, tmp_path, capsys, options, expected):
    out = tmp_path / "board.xlsx"
    code, stdout, err = run(capsys, "--db", cli_db, "action-log", str(out), *options)
    assert code == 0, err
    assert f"({len(expected)} action" in stdout
    assert [r[1] for r in data_rows(rows_sheet(out)[1])] == expected


def test_action_log_by_owner_id_and_commitment(cli_db, partners, tmp_path, capsys):
    out = tmp_path / "a.xlsx"
    assert run(capsys, "--db", cli_db, "action-log", str(out), "--owner", str(partners["sam"].id))[0] == 0
    assert [r[1] for r in data_rows(rows_sheet(out)[1])] == ["Order bins", "Recruit mentors"]
    code, stdout, _ = run(capsys, "--db", cli_db, "action-log", str(out), "--commitment", str(partners["bins"].uuid))
    assert code == 0 and "Knife bins in every borough" in stdout
    assert [r[1] for r in data_rows(rows_sheet(out)[1])] == ["Order bins", "Install bins", "Agree sites"]


@pytest.mark.parametrize("options, message", [
    (["--council", "Hackney"], "There is no council called 'Hackney'. Known councils: Barking and Dagenham"),
    (["--owner", "Jade"], "There is no stakeholder called 'Jade'. Did you mean: Jade Clarke?"),
    (["--owner", "Nobody"], "Known: Jade Clarke; Sam Patel."),
    (["--status", "closed"], "'closed' is not an action status. Valid: Open, In progress, Blocked, Done, Cancelled."),
    (["--commitment", "999"], "There is no commitment with ID '999'"),
])
def test_action_log_command_errors(cli_db, tmp_path, capsys, options, message):
    out = tmp_path / "a.xlsx"
    code, _, err = run(capsys, "--db", cli_db, "action-log", str(out), *options)
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not out.exists()


def test_ambiguous_owner_name_asks_for_the_id(cli_db, partners, tmp_path, capsys):
    other = services.stakeholders.create(name="Jade Clarke", kind="person", sector="other")
    code, _, err = run(capsys, "--db", cli_db, "action-log", str(tmp_path / "a.xlsx"), "--owner", "Jade Clarke")
    assert code == 1 and f"(ID {partners['jade'].id})" in err and f"(ID {other.id})" in err


def test_bad_dates_and_folders(cli_db, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", cli_db, "action-log", str(tmp_path / "a.xlsx"), "--due-before", "31/02/2026"])
    assert exit_info.value.code == 2 and "'31/02/2026' is not a real date" in capsys.readouterr().err
    code, _, err = run(capsys, "--db", cli_db, "action-log", str(tmp_path / "no" / "a.xlsx"))
    assert code == 1 and "does not exist" in err


@pytest.mark.parametrize("options, expected", [
    ([], ["Mentoring", "Knife bins in every borough"]),
    (["--council", "Barking and Dagenham"], ["Knife bins in every borough"]),
    (["--status", "agreed", "--status", "in progress"], ["Mentoring", "Knife bins in every borough"]),
    (["--status", "Achieved"], []),
    (["--theme", "Knife crime"], ["Knife bins in every borough"]),
    (["--made-by", "sam patel"], ["Mentoring"]),
    (["--event", "Summit"], ["Knife bins in every borough"]),
])
def test_commitments_command_options(cli_db, tmp_path, capsys, options, expected):
    out = tmp_path / "register.xlsx"
    code, stdout, err = run(capsys, "--db", cli_db, "commitments", str(out), *options)
    assert code == 0, err
    ws = rows_sheet(out, "Commitment register")[1]
    assert [r[2] for r in data_rows(ws)] == expected


@pytest.mark.parametrize("options, message", [
    (["--council", "Nowhere"], "There is no council called 'Nowhere'"),
    (["--status", "done"], "'done' is not a commitment status. Valid: Proposed, Agreed"),
    (["--theme", "litter"], "'litter' is not a theme. Valid: Knife crime"),
    (["--made-by", "Nobody"], "Known: Metropolitan Police Service; Sam Patel."),
    (["--event", "Gala"], "There is no event called 'Gala'. Known: Summit."),
])
def test_commitments_command_errors(cli_db, tmp_path, capsys, options, message):
    code, _, err = run(capsys, "--db", cli_db, "commitments", str(tmp_path / "r.xlsx"), *options)
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1


def test_demo_reports_from_the_issue(demo_db, db_path, tmp_path, capsys):
    board, register = tmp_path / "board.xlsx", tmp_path / "register.xlsx"
    n_commitments = services.commitments.count()
    assert run(capsys, "--db", str(db_path), "action-log", str(board), "--council", "Havering", "--overdue")[0] == 0
    assert run(capsys, "--db", str(db_path), "commitments", str(register))[0] == 0
    ws = rows_sheet(board)[1]
    header = [c.value for c in ws[HEADER_ROW]]
    rows = [dict(zip(header, r)) for r in data_rows(ws)]
    assert rows and all(r["Council"] == "Havering" and r["Days overdue"] > 0 and r["RAG"] == "R" for r in rows)
    assert [r["Due date"] for r in rows] == sorted(r["Due date"] for r in rows)
    assert len(data_rows(rows_sheet(register, "Commitment register")[1])) == n_commitments


def test_cancelled_write_leaves_no_file_and_no_temporary_files(partners, tmp_path, monkeypatch):
    import tempfile

    from tracker.reports import xlsx

    monkeypatch.setattr(xlsx, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    seen = []

    def cancel_at_second_row(done, total):
        seen.append((done, total))
        if done >= 2:
            raise KeyboardInterrupt("cancelled")

    target = tmp_path / "out.xlsx"
    with pytest.raises(KeyboardInterrupt):
        reports.write_report(reports.action_log({}), target, cancel_at_second_row)
    assert seen[:2] == [(1, 4), (2, 4)]
    assert not target.exists() and list(tmp_path.glob(".*partial")) == [] and list((tmp_path / "tmp").iterdir()) == []


def test_wrapped_rows_are_tall_enough_to_print(partners, tmp_path):
    services.actions.update(partners["late"], title="Install knife surrender bins " * 6)
    out = tmp_path / "log.xlsx"
    reports.write_action_log(out, {})
    ws = rows_sheet(out)[1]
    row = next(r[0].row for r in ws.iter_rows(min_row=HEADER_ROW + 1) if r[1].value.startswith("Install knife"))
    assert ws.row_dimensions[row].height >= 4 * 12.75  # about 170 characters in a 30-wide column
    assert ws.row_dimensions[row + 1].height in (None, 15.0) or ws.row_dimensions[row + 1].height < 20


@pytest.mark.parametrize("write, title", [(reports.write_action_log, "Action log"),
                                          (reports.write_commitment_register, "Commitment register")])
def test_every_report_cell_carries_its_columns_style(partners, tmp_path, write, title):
    """Each row cell has its column's named style (its overdue variant where highlighted), quote-prefixed
    when its text looks like a formula, and every style looks as the named style says (cells are handed to
    openpyxl with prepared style indices, tracker/sheet_stream.py)."""
    from tracker.reports.rows import ACTION_COLUMNS, REGISTER_COLUMNS
    from tracker.reports.xlsx import CELL_STYLE, OVERDUE_STYLE, _styles

    services.actions.update(partners["late"], title=NASTY[0])
    services.commitments.update(partners["bins"], title=NASTY[1])
    out = tmp_path / "out.xlsx"
    report = write(out)
    named = {s.name: s for s in _styles()}
    ws = rows_sheet(out, title)[1]
    columns = ACTION_COLUMNS if title == "Action log" else REGISTER_COLUMNS
    rows = list(ws.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + len(report.rows)))
    assert len(rows) == len(report.rows) >= 2
    seen = set()
    for row, values in zip(rows, report.rows):
        for cell, column in zip(row, columns):
            if values.get(column.key) is None:
                assert cell.value is None and not cell.has_style
                continue
            name = OVERDUE_STYLE[column.kind] if report.highlighted(values, column) else CELL_STYLE[column.kind]
            style = named[name]
            assert cell.style == name, (cell.coordinate, cell.style, name)
            assert (cell.font, cell.border, cell.alignment, cell.fill) == (
                style.font, style.border, style.alignment, style.fill), cell.coordinate
            assert cell.number_format == style.number_format, cell.coordinate
            assert cell.quotePrefix == (isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")))
            seen.add(name)
    assert "Report overdue date" in seen and "Report wrap" in seen and "Report date" in seen
