"""The six record kinds, their fields in form order and the rules across them.

Read top to bottom, this is what each kind holds as the forms show it: label (with the access key
the form uses: unique within its form and not one of the window's own, F E V R H for the menus and
I L U Y for the editor's tabs, O and N for the lists' tick boxes; tests/ui/test_keyboard.py checks), type, vocabulary, limits, whether it is required, its default, and the rules across
fields.  Lengths are the database columns' (a test compares them with ``tracker.models``).
"""

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from tracker import vocab
from tracker.records.fields import (COUNCILS, LINK, choice, councils, date, email, link, long_text, phone,
                                    reference, score, text, url)
from tracker.records.rules import (TARGET_BEFORE_MADE, ExactlyOne, NotBefore, OrganisationLink, UniqueTogether,
                                   already_attending)


@dataclass(frozen=True, eq=False)  # compared and hashed as itself
class Kind:
    name: str  # one record, in users' words: "The action was not saved."
    plural: str  # the app's key for its list and form: "actions"
    table: str  # the database table (what the audit trail and the exchange workbook name)
    fields: tuple  # Field, in form order
    rules: tuple = ()  # Rule, applied after each field's own check

    def __getitem__(self, name):
        return self._by_name[name]

    def __contains__(self, name):
        return name in self._by_name

    @cached_property
    def _by_name(self):
        return {f.name: f for f in self.fields}

    @cached_property
    def editable(self):
        """The fields a person sets (every field but those the service assigns), in form order."""
        return tuple(f for f in self.fields if f.editable)

    @cached_property
    def own_fields(self):
        """Names of the editable fields kept on the record's own row (councils are a table of their own)."""
        return tuple(f.name for f in self.editable if f.type != COUNCILS)

    @cached_property
    def has_councils(self):
        return any(f.type == COUNCILS for f in self.fields)

    @cached_property
    def links(self):
        return tuple(f for f in self.fields if f.type == LINK)

    def find(self, heading):
        """The field a column heading names (its title, its short heading or its name, in any case and
        spacing), or None: how a spreadsheet's columns are matched to fields ("Due date", "DUE", "due_date")."""
        return self._by_heading.get(_words(heading))

    @cached_property
    def _by_heading(self):
        found = {}
        for f in self.fields:
            for heading in (f.title, f.heading, f.name):
                found.setdefault(_words(heading), f)
        return found

    def defaults(self):
        """A new record's values, for the fields that have one (worked out now: today's date is today's)."""
        return {f.name: f.new_value() for f in self.fields if f.default is not None}

    @cached_property
    def _checks(self):
        return tuple((f.name, f.problem) for f in self.fields if f.editable and f.type != COUNCILS)

    def _checks_but(self, checked):
        """:attr:`_checks` without the fields ``checked`` (a frozenset; worked out once per set)."""
        found = self._checks_without.get(checked)
        if found is None:
            found = self._checks_without[checked] = tuple(c for c in self._checks if c[0] not in checked)
        return found

    @cached_property
    def _checks_without(self):
        return {}

    def validate(self, values, existing=None, taken=None, checked=frozenset()):
        """{field: reason} for the complete new state ``values``, in form order; empty when all is well.

        Each field's own rule first (:meth:`Field.problem`), then the rules across fields; a rule's
        reason replaces a field's (it is the more particular one), and a rule whose ``needs_valid``
        fields already failed is not applied.  ``existing``: the stored record being changed (None for
        a new one); ``taken``: for uniqueness rules (see :class:`rules.UniqueTogether`); ``checked``: fields
        whose own rule the caller has already applied to these very values and found no problem (an
        import's plan checks each new person before its preview): not applied again, the rules across
        fields are.
        """
        errors = {}
        for name, problem in (self._checks_but(checked) if checked else self._checks):
            reason = problem(values.get(name))
            if reason is not None:
                errors[name] = reason
        return self._apply_rules(self.rules, values, existing, taken, errors)

    @staticmethod
    def _apply_rules(rules, values, existing, taken, errors, failed=()):
        """``errors`` with the reasons of ``rules`` (across fields), each replacing its field's; a rule is not applied
        when a field it needs valid (``needs_valid``) already failed: among ``errors``, or ``failed``."""
        for rule in rules:
            if (errors or failed) and any(name in errors or name in failed for name in rule.needs_valid):
                continue
            reason = rule.reason(values, existing, taken)
            if reason is not None:
                errors[rule.field] = reason
        return errors

    def validate_change(self, changes, state_of, existing, taken=None):
        """:meth:`validate` of a change to the stored record ``existing``, judging only what the change touches: the
        own rules of the fields ``changes`` gives, then the rules across fields that read one of them, each given the
        fields it reads (its ``reads``, as a bulk path hands them: ``state_of(names)`` gives {name: value} of the new
        state, asked for only when such a rule applies).  A field the change leaves alone keeps the value it had,
        which is not the change's to judge: a record holding a value saved before a rule existed may still be filled
        (an import's matched records, ``update_many``); a rule needing such a field valid (``needs_valid``) is not
        applied, as :meth:`validate` applies none whose fields failed."""
        changed = frozenset(changes)
        found = self._change_checks.get(changed)
        if found is None:
            rules = tuple(r for r in self.rules if changed.intersection(r.reads))
            found = self._change_checks[changed] = (tuple(c for c in self._checks if c[0] in changed), rules, tuple(
                dict.fromkeys(name for r in rules for name in (*r.reads, *r.needs_valid))))
        checks, rules, read = found
        errors = {}
        for name, problem in checks:
            reason = problem(changes[name])
            if reason is not None:
                errors[name] = reason
        if rules:
            values, problem_of = state_of(read), self._problem_of
            # a field a rule needs valid, left alone, whose stored value fails its own rule
            failed = {name for rule in rules for name in rule.needs_valid
                      if name not in changed and name in problem_of and problem_of[name](values.get(name)) is not None}
            self._apply_rules(rules, values, existing, taken, errors, failed)
        return errors

    @cached_property
    def _change_checks(self):
        return {}

    @cached_property
    def _problem_of(self):
        return dict(self._checks)

    def first_invalid(self, states, existing=None, taken=None, checked=frozenset(), unchecked=()):
        """The index of the first of ``states`` in which :meth:`validate` finds a problem, None when it finds none:
        what ``validate(states[i], existing[i], taken, checked)`` of each in turn tells (``existing``: a list beside
        ``states``, or None for new records; the rows whose index is in ``unchecked`` with no field ``checked``), but
        each record's fields tested by one compiled expression (:meth:`_all_pass`), then the rules across fields as
        :meth:`validate` applies them to a record whose fields all passed.  The caller words that record's problems
        with :meth:`validate` itself, so the reasons are always its own.  (A field at a time over the columns was
        tried: as fast on hot data, slower in an import, where 13 passes over 3k records' dicts miss the cache.)
        """
        passes, whole = self._all_pass(checked), self._all_pass(frozenset())
        unchecked, rules = set(unchecked), self.rules
        for i, values in enumerate(states):
            if not (whole if i in unchecked else passes)(values.get):
                return i
            if rules:
                record = None if existing is None else existing[i]
                for rule in rules:
                    if rule.reason(values, record, taken) is not None:
                        return i
        return None

    def _all_pass(self, checked):
        """A function of a record's ``values.get`` telling whether each field but those ``checked`` passes its own
        rule (:meth:`validate`'s first loop finding nothing), compiled once per set of fields into one expression."""
        found = self._passing.get(checked)
        if found is None:
            checks = self._checks_but(checked) if checked else self._checks
            test = " and ".join(f"rule{k}(get({name!r})) is None" for k, (name, _) in enumerate(checks)) or "True"
            rules = {f"rule{k}": problem for k, (_, problem) in enumerate(checks)}
            found = self._passing[checked] = eval(f"lambda get: {test}", rules)  # noqa: S307 - our own field names
        return found

    @cached_property
    def _passing(self):
        return {}


def _words(heading):
    return " ".join(str(heading).replace("_", " ").split()).casefold()


STAKEHOLDER = Kind("stakeholder", "stakeholders", "stakeholder", fields=(
    choice("kind", "&Kind", vocab.STAKEHOLDER_KINDS, required=True, default="organisation"),
    text("name", "&Name", 200, required=True),
    link("organisation", "Or&ganisation", to="stakeholder"),
    choice("sector", "&Sector", vocab.SECTORS, required=True, default="other"),
    text("role", "R&ole", 200, hint="e.g. Head of Community Safety"),
    email("email", "E&mail", 254, hint="name@example.org"),
    phone("phone", "&Phone", 50),
    long_text("address", "A&ddress"),
    url("website", "&Website", 500, hint="https://…"),
    score("influence", "Influen&ce"),
    score("interest", "In&terest"),
    councils(),
    text("tags", "T&ags", 500, hint="comma-separated"),
    long_text("notes", "Notes"),
), rules=(
    OrganisationLink("organisation"),  # a person's organisation: an organisation, and not itself
))

EVENT = Kind("event", "events", "event", fields=(
    text("title", "&Title", 300, required=True),
    choice("kind", "&Kind", vocab.EVENT_KINDS, required=True, default="meeting"),
    date("date", "&Date", required=True),
    text("place", "&Place", 300),
    link("council", "&Council", to="council"),
    long_text("notes", "&Notes"),
))

ATTENDANCE = Kind("attendance", "attendance", "attendance", fields=(
    link("event", "Event", to="event", required=True),
    link("stakeholder", "Stakeholder", to="stakeholder", required=True),
    text("role", "Role", 100),  # e.g. speaker, delegate, chair
    long_text("notes", "Notes"),
), rules=(
    UniqueTogether("stakeholder", fields=("event", "stakeholder"),
                   message=lambda v: already_attending(v["stakeholder"].name, v["event"].title)),
))

COMMITMENT = Kind("commitment", "commitments", "commitment", fields=(
    text("title", "&Title", 300, required=True),
    long_text("description", "Des&cription"),
    link("made_by", "Made &by", to="stakeholder", required=True),
    link("made_at", "Made &at (event)", to="event"),
    date("date_made", "Date ma&de", required=True, short="Made", default=dt.date.today),
    date("target_date", "Tar&get date", short="Target", periods=True),  # "Q2 2019" too
    choice("theme", "The&me", vocab.THEMES, required=True, default="other"),
    choice("status", "&Status", vocab.COMMITMENT_STATUSES, required=True, default="proposed"),
    choice("rag", "RAG (o&wn)", vocab.RAG, short="RAG"),  # its own; lists show the one rolled up from actions
    councils(),
), rules=(
    NotBefore("target_date", needs_valid=("date_made", "target_date"), earlier="date_made",
              message=TARGET_BEFORE_MADE),
))

ACTION = Kind("action", "actions", "action_item", fields=(
    reference("reference", "Reference", 20, short="Ref"),  # HAV-A0042: tracker.records.references
    text("title", "&Title", 300, required=True),
    long_text("description", "&Description"),
    link("commitment", "Co&mmitment", to="commitment"),
    link("owner", "O&wner", to="stakeholder"),
    link("council", "&Council", to="council"),
    date("due_date", "Due d&ate", short="Due", periods=True),  # "Mar 2019" too: due on its last day
    choice("priority", "&Priority", vocab.PRIORITIES, required=True, default="medium"),
    choice("status", "&Status", vocab.ACTION_STATUSES, required=True, default="open"),
))

UPDATE_TARGET_FIELDS = ("stakeholder", "commitment", "action")
UPDATE = Kind("update", "updates", "record_update", fields=(
    date("date", "Date", required=True, default=dt.date.today),
    long_text("text", "Text", required=True),
    text("author", "Author", 100),  # the services fill in the person using the app
    link("stakeholder", "Stakeholder", to="stakeholder"),
    link("commitment", "Commitment", to="commitment"),
    link("action", "Action", to="action"),
), rules=(
    ExactlyOne("target", fields=UPDATE_TARGET_FIELDS,
               message="an update belongs to exactly one stakeholder, commitment or action"),
))

KINDS = (STAKEHOLDER, EVENT, ATTENDANCE, COMMITMENT, ACTION, UPDATE)
BY_PLURAL = {k.plural: k for k in KINDS}
BY_TABLE = {k.table: k for k in KINDS}
