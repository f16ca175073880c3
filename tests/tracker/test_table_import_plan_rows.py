"""The pass over a table's rows takes shortcuts that must answer as the long ways do: the matcher given the keys
the rows' pass has worked out (and skipping the erased people's hashes when nobody was erased) matches as it
does working them out itself; the new people's check, which finds most rows sound without ``validate``, reports
what ``validate`` of each row's whole state reports, with rules across fields that read a field rows give, or
fail on a value no row gives."""

from dataclasses import dataclass

from tracker import services
from tracker.records import STAKEHOLDER
from tracker.records.rules import Rule
from tracker.services import privacy
from tracker.services.matching import StakeholderMatcher, organisation_key, person_key
from tracker.tableimport import Options, plan_import
from tracker.tableimport.plan import _check_new_people, _sound_rows

from tests.tracker.table_import_helpers import validated_the_long_way, workbook


def _people():
    s = services.stakeholders
    met = s.create(name="Metropolitan Police Service", kind="organisation", sector="police")
    school = s.create(name="Havering Sixth Form College", kind="organisation", sector="education")
    s.create(name="Grace Okafor", kind="person", sector="police", organisation=met, email="grace@met.example")
    s.create(name="Daniel Smith", kind="person", sector="education", organisation=school, email="dan@hsfc.example")
    s.create(name="Daniel Smyth", kind="person", sector="police", organisation=met)
    s.create(name="Ann Oke", kind="person", sector="other")
    return met, school


# (name, email, organisation): email hits in any case, names at the same or another organisation, close names
# with and without an email or an organisation, nothing at all
ROWS = [("Grace Okafor", "GRACE@met.example ", "Other"), ("Grace Okafor", "", "Met Police"),
        ("Grace Okafr", "", "Met Police"), ("Grace Okafr", "g2@x.example", "Redbridge Mosque"),
        ("Dan Smith", "", "Havering Sixth Form College"), ("Daniel Smith", "other@x.example", "Elsewhere"),
        ("Daniel Smiht", "dan2@x.example", "Elsewhere"), ("Daniel Smiht", "dan2@x.example", ""),
        ("Daniel Smiht", "  ", "Elsewhere"), ("Ann Oke", "", ""), ("Anne Oke", "", "Somewhere"),
        ("Dr Ann Oke", "ann@x.example", ""), ("", "", "Met"), ("Nobody Here", "", ""), ("Daniel Gone", "", "Met"),
        ("Daniel Gone", "", "Metropolitan Police Service"), ("Someone", "dan.gone@college.example", "Other")]


def _answers(matcher, keyed):
    found = []
    for name, email, organisation in ROWS:
        keys = (person_key(name), organisation_key(organisation)) if keyed else None
        match = matcher.person(name, email, organisation, keys) if keyed else matcher.person(name, email, organisation)
        found.append((match.status, match.how, match.record.id if match.record else None,
                      [(h.id, score) for h, score in match.candidates]))
    return found


def test_the_matcher_given_the_rows_keys_answers_as_it_does_alone(db):
    _people()
    matcher = StakeholderMatcher()
    assert not matcher.erased  # nobody erased: the hashes are never asked for
    alone = _answers(matcher, keyed=False)
    assert alone == _answers(StakeholderMatcher(), keyed=True)
    assert [a[0] for a in alone] == ["matched", "matched", "doubtful", "new", "matched", "doubtful", "new", "doubtful", "new",
                                     "matched", "doubtful", "matched", "new", "new", "new", "new", "new"]


def test_with_someone_erased_the_hashes_are_still_asked(db):
    met, _ = _people()
    gone = services.stakeholders.create(name="Daniel Gone", kind="person", sector="police", organisation=met,
                                        email="Dan.Gone@College.example")
    privacy.erase(gone, source="request 12")
    matcher = StakeholderMatcher()
    assert matcher.erased
    alone = _answers(matcher, keyed=False)
    assert alone == _answers(StakeholderMatcher(), keyed=True)
    assert [a[0] for a in alone][-2:] == ["erased", "erased"]  # by name and organisation, and by email


# ---- the new people's check: rows found sound without validate ---------------------------------------------
def _mixed_sheet(tmp_path):
    return workbook(tmp_path / "mixed.xlsx", {"People": [
        ["Name", "Organisation", "Email", "Website", "Role", "Sector", "Influence", "Councils", "Kind"],
        ["Grace Okafor", "Met", "grace@met.example", "", "Inspector", "", "", "Havering", ""],
        ["Ravi Patel", "", "not an email", "www.ryt.example", "", "police", 3, "", ""],
        ["Amy Lee", "New Org", "amy@x.example", "", "Officer", "", "", "", ""],
        ["Ann Oke", "", "", "not a website", "Officer", "", "", "", "person"],
        ["", "Lone Org", "", "", "", "education", "", "", ""],
        ["Redbridge Mosque", "", "info@mosque.example", "", "", "faith", "", "", "organisation"],
        ["Bad Role", "New Org", "", "", "Bad role", "", "", "", ""],
        ["Kim Li", "", "kim@x.example", "", "", "", "", "", ""],
    ]})


def _checked(plan):
    plan.problems = []
    _check_new_people(plan)
    return [(p.row, p.column, p.value, p.reason) for p in plan.problems]


@dataclass(frozen=True)
class _Refusing(Rule):
    """A rule across fields for the test: ``field`` may not be ``value`` (None: may not be empty)."""
    value: str = None

    def reason(self, values, existing=None, taken=None):
        found = values.get(self.field)
        return "is refused here" if (found == self.value if self.value else not found) else None


def _with_rules(rules, check):
    kept = STAKEHOLDER.rules
    object.__setattr__(STAKEHOLDER, "rules", kept + rules)  # (a frozen Kind: put back below)
    try:
        return check()
    finally:
        object.__setattr__(STAKEHOLDER, "rules", kept)


def test_the_new_peoples_check_finds_what_validate_of_each_row_finds(db, tmp_path):
    plan = plan_import(_mixed_sheet(tmp_path), Options())
    expected = validated_the_long_way(plan)
    assert len({tuple(e.values) for e in plan.entries}) >= 5  # rows giving different fields
    assert {r[1] for r in expected} == {"Email", "Website"}
    assert _checked(plan) == expected


def test_a_rule_across_fields_reading_a_field_given_is_applied_to_each_row(db, tmp_path):
    plan = plan_import(_mixed_sheet(tmp_path), Options())
    expected = _with_rules((_Refusing("role", value="Bad role"),), lambda: validated_the_long_way(plan))
    assert [r[:3] for r in expected if r[1] == "Role"] == [(8, "Role", "Bad role")]
    assert _with_rules((_Refusing("role", value="Bad role"),), lambda: _checked(plan)) == expected


def test_a_rule_across_fields_failing_on_what_no_row_gives_is_reported_for_each_row(db, tmp_path):
    plan = plan_import(_mixed_sheet(tmp_path), Options())
    expected = _with_rules((_Refusing("address"),), lambda: validated_the_long_way(plan))
    assert len([r for r in expected if r[1] == "Address"]) == len([e for e in plan.entries if e.action == "add"])
    assert _with_rules((_Refusing("address"),), lambda: _checked(plan)) == expected


def test_a_field_not_given_whose_value_fails_its_rule_sends_the_rows_to_validate():
    defaults = STAKEHOLDER.defaults()
    passing = frozenset(STAKEHOLDER.own_fields) - {"address"}  # as if an address were required
    assert _sound_rows(("name", "kind", "email"), defaults, passing) is None
    given = ("name", "kind", "email", "address", "organisation", "councils")
    assert [name for name, _ in _sound_rows(given, defaults, passing)] == ["name", "kind", "email", "address"]
