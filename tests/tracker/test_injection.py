"""Formula and link injection: every text field of every record kind, filled with each payload a
spreadsheet program could evaluate, comes out of every workbook the app writes (the exchange
workbook, the action log, the commitment register) as text (a string cell, quote-prefixed), and
back in byte-identical; hyperlinks only for http, https and mailto; CSV cells escaped."""

import datetime as dt

import openpyxl
import pytest
from peewee import CharField, TextField

from tracker import services
from tracker.errors import ValidationError
from tracker.exchange import export_workbook, import_workbook
from tracker.reports import write_action_log, write_commitment_register
from tracker.spreadsheet import SAFE_LINK_SCHEMES, csv_safe, looks_like_formula

PAYLOADS = [
    "=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0",
    "=HYPERLINK(\"http://attacker.invalid\",\"click\")", "-2+3+cmd|' /C calc'!A0", "=WEBSERVICE(\"http://x\")",
]


def text_fields(service):
    return [name for name in service.fields
            if isinstance(service.model._meta.fields.get(name), (CharField, TextField))]


def make_records(payload):
    """One record of each kind with ``payload`` in every text field that accepts free text."""
    org = services.stakeholders.create(name=f"Org {payload}")
    person = services.stakeholders.create(name="Person", kind="person", organisation=org)
    event = services.events.create(title="Event", date=dt.date(2024, 1, 16))
    visit = services.attendance.create(event=event, stakeholder=person)
    commitment = services.commitments.create(title="C", made_by=org, date_made=dt.date(2024, 1, 16))
    action = services.actions.create(title="A", commitment=commitment)
    note = services.updates.add(action, "note")
    filled = []
    for service, record in ((services.stakeholders, person), (services.events, event), (services.attendance, visit),
                            (services.commitments, commitment), (services.actions, action), (services.updates, note)):
        for name in text_fields(service):
            try:
                record = service.update(record, **{name: payload})
                filled.append((service, record.uuid, name, getattr(record, name)))  # as stored (trimmed)
            except ValidationError:
                pass  # a field with rules (email, website, codes) cannot hold it at all
    return filled


def formula_like_text_cells(path):
    """Check every cell of ``path``: never a formula, formula-like text quote-prefixed, safe links only.
    Returns how many formula-like texts were seen."""
    wb = openpyxl.load_workbook(path)
    seen = 0
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    where = f"{path.name} {ws.title}!{cell.coordinate}"
                    assert cell.data_type != "f", f"{where} is a formula: {cell.value!r}"
                    if isinstance(cell.value, str) and looks_like_formula(cell.value):
                        assert cell.data_type == "s" and cell.quotePrefix, where
                        seen += 1
                    if cell.hyperlink is not None and cell.hyperlink.target:
                        assert cell.hyperlink.target.lower().startswith(SAFE_LINK_SCHEMES), cell.hyperlink.target
    finally:
        wb.close()
    return seen


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_text_cell_of_the_exchange_workbook_is_text(db, tmp_path, payload):
    filled = make_records(payload)
    assert len(filled) >= 12, [(s.what, n) for s, _, n, _ in filled]  # names, titles, notes, descriptions, roles, places, text ...
    out = tmp_path / "export.xlsx"
    export_workbook(out)
    assert formula_like_text_cells(out) >= len(filled) - 1
    for write in (write_action_log, write_commitment_register):  # every other workbook the app writes
        report = tmp_path / f"{write.__name__}.xlsx"
        write(report)
        assert formula_like_text_cells(report) >= 1
    # and back, byte-identical, into a fresh database
    from tracker.db import close_database
    from tracker.opening import open_database
    close_database()
    open_database(tmp_path / "other.db", create=True)
    import_workbook(out)
    for service, identity, name, stored in filled:
        assert getattr(service.get(identity), name) == stored, (service.what, name)


def test_only_web_and_mail_links_become_hyperlinks(db, tmp_path):
    services.stakeholders.create(name="Linked", website="https://example.org/partner")
    services.stakeholders.create(name="Mailed", kind="person", email="someone@example.org")
    out = tmp_path / "links.xlsx"
    export_workbook(out)
    wb = openpyxl.load_workbook(out)
    targets = [c.hyperlink.target for ws in wb.worksheets for row in ws.iter_rows() for c in row
               if c.hyperlink is not None and c.hyperlink.target]
    wb.close()
    assert targets and all(t.lower().startswith(SAFE_LINK_SCHEMES) for t in targets)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_csv_cells_are_escaped(payload):
    assert csv_safe(payload).startswith("'") and csv_safe(payload)[1:] == payload
    assert csv_safe("plain text") == "plain text"
