"""Rows naming two people: a school, its head and a second contact (a deputy, the DSL).

A stakeholders or attendance table may give a second person in the same row: the targets ``contact2_name``,
``contact2_email``, ``contact2_phone`` and ``contact2_role`` (``mapping``: headers such as "Second
contact", "Deputy", "DSL", "Other contact" and their "… email", "… phone", "… role").
:func:`split` makes such a row two records before the people are planned (``people``): the first
person as the row gives them, the second with the second contact's values and the row's
organisation, councils, sector and tags.  Each is then matched on its own by the one matcher, and
both are linked to the organisation; in an attendance list both attend (the row's registration
status is both people's: a cancelled row is neither; a role at the event is the first person's).  A row whose second contact has no name stays one person (any
other second-contact value is kept in the first person's notes, under its header).

A column headed by a role ("Headteacher", "Principal", "Deputy head", "DSL") gives its person that
role, as the header writes it, when no role column gives one.  The second person's values are read
by their fields' rules as the first's are: "Surname, First" turned round, a phone that lost its
leading zero regains it, an email that is not one is a bad value naming its own column.
"""

from dataclasses import replace

from tracker.records import STAKEHOLDER, FieldError
from tracker.tableimport.mapping import ROLE_HEADERS, SECOND, header_key
from tracker.tableimport.table import Problem
from tracker.tableimport.values import name_of, value_of

SHARED = ("organisation", "councils", "sector", "tags", "attending")  # an attendance row's registration: both


def split(records, problems):
    """``records`` with each row naming a second person followed by a record of that person (the same
    sheet and row); bad second-contact values are added to ``problems``."""
    out = []
    second = frozenset(SECOND)
    for record in records:
        if second.isdisjoint(record.values) and second.isdisjoint(record.columns):  # most rows: one person
            header = record.columns.get("name")
            if header:  # (a sheet of first names and surnames has no name column)
                _role_from_header(record.values, header)
            out.append(record)
            continue
        given = {t[len("contact2_"):]: record.values.pop(t) for t in SECOND if t in record.values}
        columns = {t[len("contact2_"):]: record.columns.pop(t) for t in SECOND if t in record.columns}
        _role_from_header(record.values, record.columns.get("name"))
        out.append(record)
        if not given:
            continue
        if not given.get("name"):
            record.notes += [f"{columns[k]}: {v}" for k, v in given.items()]
            continue
        values = {k: record.values[k] for k in SHARED if record.values.get(k)}
        for name, text in given.items():
            value = _read(record, name, text, columns[name], problems)
            if value:
                values[name] = value
        _role_from_header(values, columns["name"])
        out.append(replace(record, values=values, columns={**{k: record.columns[k] for k in values
                                                              if k in record.columns}, **columns},
                           notes=[], written=record.written))
    return out


def _read(record, name, text, column, problems):
    if name == "name":
        return name_of(text)
    field = STAKEHOLDER[name]
    try:
        value = value_of(field, text)[0]
    except FieldError as exc:
        problems.append(Problem(record.sheet, record.row, column, text, exc.reason))
        return None
    why = field.problem(value) if value else None
    if why:  # checked here, where the column is known (the new people's check names the first's columns)
        problems.append(Problem(record.sheet, record.row, column, text, why))
        return None
    return value


def _role_from_header(values, header):
    if header and not values.get("role") and header_key(header) in ROLE_HEADERS:
        values["role"] = header
