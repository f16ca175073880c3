"""What people see of each record kind's fields: form labels, access keys, hints, order and widgets,
list column headings and filter choices.  Pinned here as literals because users (and issue 15's
mnemonic work) rely on them; the registry (tracker.records) must reproduce them exactly."""

import pytest

from tracker import records
from ui.editors import RecordEditor
from ui.listpage import ListPage

# kind -> [(field, widget class, label with its access key, placeholder or None-able choice flag)]
FORMS = {
    "stakeholders": [
        ("kind", "VocabField", "&Kind", False),
        ("name", "TextField", "&Name", ""),
        ("organisation", "RecordField", "Or&ganisation", None),
        ("sector", "VocabField", "&Sector", False),
        ("role", "TextField", "R&ole", "e.g. Head of Community Safety"),
        ("email", "TextField", "E&mail", "name@example.org"),
        ("phone", "TextField", "&Phone", ""),
        ("address", "NotesField", "A&ddress", None),
        ("website", "TextField", "&Website", "https://…"),
        ("influence", "ScoreField", "Influen&ce", True),
        ("interest", "ScoreField", "In&terest", True),
        ("councils", "CouncilsField", "Councils", None),
        ("tags", "TextField", "T&ags", "comma-separated"),
        ("notes", "NotesField", "Notes", None),
    ],
    "events": [
        ("title", "TextField", "&Title", ""),
        ("kind", "VocabField", "&Kind", False),
        ("date", "DateField", "&Date", None),
        ("place", "TextField", "&Place", ""),
        ("council", "RecordField", "&Council", None),
        ("notes", "NotesField", "&Notes", None),
    ],
    "commitments": [
        ("title", "TextField", "&Title", ""),
        ("description", "NotesField", "Des&cription", None),
        ("made_by", "RecordField", "Made &by", None),
        ("made_at", "RecordField", "Made &at (event)", None),
        ("date_made", "DateField", "Date ma&de", None),
        ("target_date", "DateField", "Tar&get date", None),
        ("theme", "VocabField", "The&me", False),
        ("status", "VocabField", "&Status", False),
        ("rag", "VocabField", "RAG (o&wn)", True),
        ("councils", "CouncilsField", "Councils", None),
    ],
    "actions": [
        ("title", "TextField", "&Title", ""),
        ("description", "NotesField", "&Description", None),
        ("commitment", "RecordField", "Co&mmitment", None),
        ("owner", "RecordField", "O&wner", None),
        ("council", "RecordField", "&Council", None),
        ("due_date", "DateField", "Due d&ate", None),
        ("priority", "VocabField", "&Priority", False),
        ("status", "VocabField", "&Status", False),
    ],
}

CHOICES = {
    ("stakeholders", "kind"): ["Organisation", "Person"],
    ("stakeholders", "sector"): ["Police", "Health / NHS", "Courts / justice", "Education", "Local authority",
                                 "MOPAC / mayoral", "Voluntary / charity", "Faith", "Community", "Other"],
    ("stakeholders", "influence"): ["(not scored)", "1 – very low", "2 – low", "3 – medium", "4 – high",
                                    "5 – very high"],
    ("events", "kind"): ["Summit", "Meeting", "Commission session", "Workshop", "Other"],
    ("commitments", "theme"): ["Knife crime", "Domestic violence", "Youth", "Schools",
                               "Exploitation and county lines", "Gangs", "Public health approach",
                               "Community safety", "Other"],
    ("commitments", "status"): ["Proposed", "Agreed", "In progress", "Achieved", "Lapsed", "Withdrawn"],
    ("commitments", "rag"): ["(none)", "Red", "Amber", "Green"],
    ("actions", "priority"): ["Low", "Medium", "High", "Critical"],
    ("actions", "status"): ["Open", "In progress", "Blocked", "Done", "Cancelled"],
}

COLUMNS = {
    "stakeholders": [("Name", "name"), ("Kind", "kind"), ("Sector", "sector"), ("Role", None),
                     ("Influence", "influence"), ("Interest", "interest"), ("Quadrant", None)],
    "events": [("Date", "date"), ("Title", "title"), ("Kind", "kind"), ("Place", None), ("Council", None)],
    "commitments": [("Title", "title"), ("Status", "status"), ("RAG", None), ("Target", "target_date"),
                    ("Made by", "made_by"), ("Made", "date_made"), ("Theme", "theme")],
    "actions": [("Ref", "reference"), ("Title", "title"), ("Status", "status"), ("Due", "due_date"),
                ("Owner", "owner"), ("Priority", "priority"), ("Council", "council")],
}

FILTERS = {
    "stakeholders": [("council", "All councils"), ("kind", "All kinds", "Organisation", "Person"),
                     ("sector", "All sectors", *CHOICES[("stakeholders", "sector")]),
                     ("quadrant", "Whole grid", "Manage closely", "Keep satisfied", "Keep informed", "Monitor")],
    "events": [("council", "All councils"), ("kind", "All kinds", *CHOICES[("events", "kind")])],
    "commitments": [("council", "All councils"), ("status", "All statuses", *CHOICES[("commitments", "status")]),
                    ("theme", "All themes", *CHOICES[("commitments", "theme")]), ("made_by", "Made by anyone"),
                    ("rag", "Any RAG", "Red", "Amber", "Green"), ("due_within", "Any due date"), ("overdue",)],
    "actions": [("council", "All councils"), ("status", "All statuses", *CHOICES[("actions", "status")]),
                ("owner", "Any owner"), ("priority", "Any priority", *CHOICES[("actions", "priority")]),
                ("due_within", "Any due date"), ("overdue",), ("open",)],
}


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_each_form_shows_its_fields_in_order_with_their_access_keys(qtbot, db, kind):
    editor = RecordEditor(kind)
    qtbot.addWidget(editor)
    shown = []
    for name, field in editor.fields.items():
        if hasattr(field, "allow_empty"):
            extra = field.allow_empty
        elif hasattr(field.input, "placeholderText") and type(field).__name__ == "TextField":
            extra = field.input.placeholderText()
        else:
            extra = None
        shown.append((name, type(field).__name__, field.label, extra))
        assert field.input.accessibleName() == field.label.replace("&", "")
    assert shown == FORMS[kind]


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_tab_goes_through_the_form_in_the_registry_order(qtbot, db, kind):
    editor = RecordEditor(kind)
    qtbot.addWidget(editor)
    editor.show()
    inputs = [f.input for f in editor.fields.values() if type(f).__name__ != "CouncilsField"]
    order = []
    widget = inputs[0]
    for _ in range(200):
        if widget in inputs and widget not in order:
            order.append(widget)
        widget = widget.nextInFocusChain()
        if widget is inputs[0]:
            break
    assert order == inputs


@pytest.mark.parametrize("kind, name", sorted(CHOICES))
def test_choices_read_as_they_always_have(qtbot, db, kind, name):
    editor = RecordEditor(kind)
    qtbot.addWidget(editor)
    combo = editor.fields[name].input
    assert [combo.itemText(i) for i in range(combo.count())] == CHOICES[(kind, name)]


@pytest.mark.parametrize("kind", sorted(COLUMNS))
def test_list_columns_and_filters_keep_their_headings(qtbot, db, kind):
    page = ListPage(kind)
    qtbot.addWidget(page)
    assert [(c.title, c.sort) for c in page.model.columns] == COLUMNS[kind]
    shown = []
    for widget in page.filters:
        if hasattr(widget, "none_text"):  # a record filter (ui.filters.RecordFilter): its list's first row
            shown.append((widget.key, widget.none_text))
        elif hasattr(widget, "itemText"):
            words = [widget.itemText(i) for i in range(widget.count())]
            shown.append((widget.key, *(words if widget.key not in ("council", "made_by", "owner", "due_within")
                                        else words[:1])))
        else:
            shown.append((widget.key,))
    assert shown == FILTERS[kind]


WIDGETS = {records.TEXT: "TextField", records.EMAIL: "TextField", records.URL: "TextField",
           records.PHONE: "TextField", records.LONG_TEXT: "NotesField", records.DATE: "DateField",
           records.CHOICE: "VocabField", records.SCORE: "ScoreField", records.LINK: "RecordField",
           records.COUNCILS: "CouncilsField"}


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_each_form_is_its_kinds_fields_in_the_registry(qtbot, db, kind):
    editor = RecordEditor(kind)
    qtbot.addWidget(editor)
    registry = records.BY_PLURAL[kind]
    assert [(name, f.label) for name, f in editor.fields.items()] == [(f.name, f.label) for f in registry.editable]
    for field in registry.editable:
        assert type(editor.fields[field.name]).__name__ == WIDGETS[field.type]
        if field.type == records.TEXT:
            assert editor.fields[field.name].input.placeholderText() == field.hint


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_a_blank_form_shows_the_registrys_reasons_under_the_fields(qtbot, db, kind):
    editor = RecordEditor(kind)
    qtbot.addWidget(editor)
    editor.new()
    assert not editor.save()
    registry = records.BY_PLURAL[kind]
    expected = registry.validate(editor.service.defaults())
    assert expected  # every kind has a required field a blank form leaves empty
    shown = {name: f.error.text() for name, f in editor.fields.items() if f.error.text()}
    assert shown == {name: f"{registry[name].title} {reason}." for name, reason in expected.items()}
