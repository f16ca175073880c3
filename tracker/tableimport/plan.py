"""What importing a partner's table would do, worked out before anything changes.

:func:`plan_import` reads the file (``sources``), finds each sheet's header and maps its columns
(``table``, ``mapping``; a saved preset whose headers are the sheet's is used when no ``--map``
says otherwise), reads every value (``values``), matches the people and organisations
(``people``) or plans the actions and commitments (``tasks``), and checks each new record with the
registry's rules.  The :class:`Plan` is the preview (``--dry-run``, the wizard) and what
``apply.apply_plan`` writes.  Bad values (``rejected``) refuse the whole import unless the person
chose to leave those rows out.

Progress and Cancel follow the exchange import's protocol (``tracker.exchange.import_workbook``):
an optional ``progress(percent, text)``; returning False, or raising (the app's reporter raises
``ui.worker.OperationCancelled`` once Cancel is pressed), stops the work.  False raises
:class:`Cancelled`, the exchange's own, so the app handles both imports alike.
"""

import json
from dataclasses import dataclass, field

from tracker import services
from tracker.bulk import gc_paused
from tracker.dates import format_uk_date
from tracker.errors import TrackerError
from tracker.exchange.importer import Cancelled
from tracker.records import STAKEHOLDER
from tracker.services import tableimports
from tracker.services.matching import StakeholderMatcher
from tracker.tableimport import mapping as maps
from tracker.tableimport.decisions import decide_held
from tracker.tableimport.people import Organisation, plan_people
from tracker.tableimport.sources import describe, read_source
from tracker.tableimport.table import Problem, headers_of, read_sheet
from tracker.tableimport.tasks import plan_attendance, plan_tasks

AS = ("stakeholders", "actions", "commitments", "attendance")
__all__ = ["AS", "Cancelled", "ImportRefused", "Options", "Plan", "plan_import", "refusal", "step"]


def step(progress, percent, text):
    """Report ``percent`` done to ``progress`` (None: nobody asks); Cancelled when it returns False."""
    if progress is not None and progress(int(percent), text) is False:
        raise Cancelled()


class ImportRefused(TrackerError):
    """The table cannot be imported as asked; the message names the file (sheet, row, column) and why."""


@dataclass
class Options:
    kind: str = "stakeholders"
    sheets: tuple = ()
    header_row: int = None
    preset: str = None
    maps: tuple = ()
    map_values: tuple = ()
    dates: str = None  # "day-first" | "month-first" | None (decided per column)
    column_dates: dict = field(default_factory=dict)  # header -> "day-first" | "month-first" (before ``dates``)
    on_match: str = "fill"
    uncertain: str = "hold"
    skip_bad_rows: bool = False
    event: str = None
    encoding: str = None
    delimiter: str = None
    decisions: dict = field(default_factory=dict)  # (sheet, row) of a doubtful match -> "link" | "create" | "skip"
    draft: bool = False  # the wizard's: sheets no mapping fits give a plan to map by hand, not a refusal


@dataclass
class Plan:
    options: Options
    source: object = None
    tables: list = field(default_factory=list)  # table.SheetTable, every sheet looked at
    entries: list = field(default_factory=list)  # people.Entry / tasks.Entry
    organisations: dict = field(default_factory=dict)  # key -> people.Organisation
    problems: list = field(default_factory=list)  # table.Problem
    event: object = None  # attendance: the event
    attendance: list = field(default_factory=list)  # tasks.Visit
    preset: str = ""
    preset_dates: dict = field(default_factory=dict)  # {header key: order} the preset used chose per column
    records_of: dict = field(default_factory=dict)  # organisation key -> its record, once applied
    _held: dict = field(default_factory=dict)
    _held_councils: dict = field(default_factory=dict)
    _previewed: dict = field(default_factory=dict)  # id -> (hex, exchange.Rec) of a person prefetched
    held_tasks: dict = field(default_factory=dict)  # (kind, id) -> the action or commitment matched, as previewed

    # ---- what the database holds, read once per record ----
    def prefetch(self, ids):
        """Read the held people ``ids`` and their councils, a few queries per 500 (not any per record): each
        as a record (what ``people._changes`` compares) with its content and version as the preview saw them,
        which ``apply`` writes against (:meth:`previewed`)."""
        wanted = [i for i in set(ids) if i not in self._held]
        for i, (record, hex_, content, councils) in tableimports.read_as_previewed(wanted).items():
            self._held[i], self._previewed[i], self._held_councils[i] = record, (hex_, content), councils

    def previewed(self, ids):
        """[(hex, exchange.Rec)] of the records ``ids`` as the preview read them; None unless it read them all so
        (a record read by ``held_record`` alone has no content)."""
        found = [self._previewed.get(i) for i in ids]
        return None if None in found else found

    def held_record(self, record_id):
        if record_id not in self._held:
            self._held[record_id] = services.stakeholders.get(record_id)
        return self._held[record_id]

    def held_councils(self, record_id):
        if record_id not in self._held_councils:
            self._held_councils[record_id] = services.stakeholders.councils_of(self.held_record(record_id))
        return self._held_councils[record_id]

    # ---- the preview ----
    @property
    def used(self):
        return [t for t in self.tables if not t.refused]

    @property
    def bad_rows(self):
        return {(p.sheet, p.row) for p in self.problems}

    def live(self):
        """The entries that will be applied (rows with bad values left out)."""
        bad = self.bad_rows
        return [e for e in self.entries if (e.sheet, e.row) not in bad]

    def counts(self, live=None, new_organisations=None):
        """``live``, ``new_organisations``: :meth:`live` and :meth:`new_organisations`, when the caller has them."""
        live = self.live() if live is None else live
        new_organisations = self.new_organisations(live) if new_organisations is None else new_organisations
        added = (sum(e.action == "add" and e.kind != "organisation" for e in live) + len(new_organisations)
                 + sum(a.action == "add" for a in self.attendance))
        matched = [e for e in live if e.action == "match"]
        return {"added": added, "matched": len(matched), "updated": sum(bool(e.changes) for e in matched),
                "unchanged": sum(not e.changes for e in matched), "held": sum(e.action == "held" for e in live)}

    def new_organisations(self, live=None):
        """The organisations the import creates: named by a row it applies (``live``: :meth:`live`, when the
        caller has it), and not held."""
        wanted = set()
        for e in self.live() if live is None else live:
            if e.action not in ("add", "match"):  # a held row's organisation waits with it
                continue
            wanted.add(e.organisation)
            maker = e.values.get("made_by")
            wanted.add(getattr(maker, "key", None) if isinstance(maker, Organisation) else None)
        return [o for o in self.organisations.values() if o.record_id is None and o.key in wanted]

    def as_json(self, import_id=None, applied=False):
        first = self.used[0] if self.used else None
        mapping, dates = {}, {}
        for t in self.used:
            mapping.update(t.mapping)
            dates.update({h: order + ("" if h not in t.undecided else " (undecided)") for h, order in t.dates.items()})
        return {
            **self.counts(),
            "held": [{"sheet": e.sheet, "row": e.row, "name": e.name, "email": e.email,
                      "candidates": [{"id": c["id"], "name": c["name"], "score": c["score"],
                                      **({"kind": c["kind"]} if "kind" in c else {})} for c in e.candidates]}
                     for e in self.live() if e.action == "held"],
            "rejected": [p.as_json() for p in self.problems],
            "sheets": [{"name": t.name, "header_row": t.header_row, "imported": not t.refused,
                        **({"reason": t.refused} if t.refused else {}),
                        "records": len(t.records), "skipped": [{"row": r, "why": w} for r, w in t.skipped]}
                       for t in self.tables],
            "header_row": first.header_row if first else None,
            "mapping": mapping,
            "dates": dates,
            "import_id": import_id,
            "applied": applied,
            "file": self.source.path.name if self.source else None,
            "read_as": describe(self.source) if self.source else None,
            "preset": self.preset or None,
            "erased": [{"sheet": e.sheet, "row": e.row} for e in self.live() if e.action == "erased"],
            "records": [{"sheet": e.sheet, "row": e.row, "action": e.action, "kind": e.kind,
                         "name": e.values.get("name") or e.values.get("title", ""), "record_id": e.record_id,
                         "changes": {k: [_shown(old), _shown(new)] for k, (old, new) in e.changes.items()},
                         **e.flags}
                        for e in self.live()],
        }

    def details(self):
        """What the import run records about how the file was read (JSON)."""
        return json.dumps({"as": self.options.kind, "on_match": self.options.on_match,
                           "uncertain": self.options.uncertain, "read_as": describe(self.source),
                           "mapping": {t.name: t.mapping for t in self.used},
                           "dates": {t.name: t.dates for t in self.used}}, ensure_ascii=False)


def _shown(value):
    """A value of the preview as people read it (records by name, councils by name, UK dates)."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return "; ".join(_shown(v) for v in value)
    if hasattr(value, "_meta") or isinstance(value, Organisation):
        return getattr(value, "name", None) or getattr(value, "title", str(value))
    if hasattr(value, "strftime"):
        return format_uk_date(value)  # a period as written: "Mar 2019"
    return value


def plan_import(path, options, progress=None):
    """The :class:`Plan` for importing ``path``; ImportRefused (or FileRefused) when it cannot be.
    ``progress(percent, text)``: see the module's docstring (Cancelled, or what it raises, stops it).
    Python's cycle collector waits until the plan is made (``tracker.bulk.gc_paused``): a 10k-row sheet
    is tens of thousands of dicts and entries, none in a cycle, and its collections cost a sixth of the plan."""
    with gc_paused():
        return _plan_import(path, options, progress)


def _plan_import(path, options, progress):
    step(progress, 0, "Reading the file")
    if options.kind not in AS:
        raise ImportRefused(f"--as must be one of {', '.join(AS)}")
    try:
        told = maps.parse_map_options(options.kind, options.maps)
        told_values = maps.parse_value_options(options.map_values)
    except ValueError as exc:
        raise ImportRefused(str(exc)) from None
    plan, loaded = Plan(options), []  # (loaded: the matcher, made while the parser reads the sheets)
    plan.source = read_source(path, options.encoding, options.delimiter,
                              meanwhile=lambda busy: _while_parsing(plan, loaded, busy))
    source = plan.source
    if options.kind == "attendance":
        plan.event = _event(options.event)
    name = source.path.name
    sheets = source.sheets
    if options.sheets:
        wanted = {s.casefold() for s in options.sheets}
        hidden = [h for h in source.hidden if h.casefold() in wanted]
        if hidden:
            raise ImportRefused(f"{name} was not imported: sheet '{hidden[0]}' is hidden; hidden sheets are never "
                                f"imported (show it in the spreadsheet program first if it is meant to be).")
        sheets = [s for s in sheets if s.name.casefold() in wanted]
        missing = wanted - {s.name.casefold() for s in sheets}
        if missing:
            raise ImportRefused(f"{name} was not imported: it has no sheet named {sorted(missing)[0]!r} (its sheets: "
                                f"{', '.join(s.name for s in source.sheets)}).")
    for i, sheet in enumerate(sheets):
        step(progress, 10 + 30 * i // max(len(sheets), 1), f"Reading sheet {sheet.name}")
        preset_told, column_dates = told, options.column_dates
        if options.preset or not told:
            found = tableimports.preset_for(options.kind, options.preset,
                                            headers_of(sheet, options.kind, options.header_row))
            if found is not None:
                plan.preset = found.name
                preset_told = {**json.loads(found.mapping), **told}
                told_values = {**json.loads(found.values), **told_values}
                plan.preset_dates = {maps.header_key(h): o for h, o in json.loads(found.dates or "{}").items()}
                column_dates = {**plan.preset_dates, **{maps.header_key(h): o for h, o in column_dates.items()}}
            elif options.preset:
                raise ImportRefused(f"There is no preset named {options.preset!r} for {options.kind}.")
        plan.tables.append(read_sheet(sheet, options.kind, preset_told, told_values, options.header_row,
                                      options.dates, column_dates))
    if not plan.used and options.draft and plan.tables:
        step(progress, 100, "Nothing mapped yet")
        return plan
    if not plan.used:
        reasons = "; ".join(f"sheet '{t.name}': {t.refused}" for t in plan.tables) or "it has no visible sheet"
        raise ImportRefused(f"{name} was not imported as {options.kind}: {reasons}.")
    records = []
    for t in plan.used:
        plan.problems += t.problems
        records += t.records
    step(progress, 40, "Comparing with the records held")
    matcher, = loaded  # (loaded as the file was read: read_source does it for every file it does not refuse)
    if options.kind in ("stakeholders", "attendance"):
        plan_people(plan, records, matcher, lambda done: step(progress, 40 + 50 * done // max(len(records), 1),
                                                              "Comparing with the records held"))
        decide_held(plan)
        step(progress, 90, "Checking the new records")
        _check_new_people(plan)
        if options.kind == "attendance":
            plan_attendance(plan)
    else:
        plan_tasks(plan, records, matcher)
    order = {t.name: i for i, t in enumerate(plan.tables)}
    columns = {(t.name, h): i for t in plan.tables for i, h in enumerate(t.headers)}
    plan.problems.sort(key=lambda p: (order.get(p.sheet, 0), p.row, columns.get((p.sheet, p.column), 999)))
    step(progress, 100, "Preview ready")
    return plan


# People read ahead while the parser works: a batch (about 3 ms for 200), and at most this many in all (a few MB).
READ_AHEAD, READ_AHEAD_MOST = 200, 5_000


def _while_parsing(plan, loaded, busy):
    """What a plan does while python-calamine parses the file on its own thread (``read_source(meanwhile=)``;
    ``busy()``: whether it still is): load the held stakeholders for matching, then, for as long as the parse goes on,
    read ahead the held people a row may match (those with an email first) as :meth:`Plan.prefetch` reads the
    matched ones, which it then does not read again.  This thread would otherwise wait for the parse (a 10k-row
    sheet: 25-65 ms after the matcher's load); a small file's parse ends before a batch is read."""
    matcher = StakeholderMatcher().warmed()
    loaded.append(matcher)
    if plan.options.kind not in ("stakeholders", "attendance") or not busy():  # (a small file: parsed already)
        return
    people = sorted((h for h in matcher.by_id.values() if h.kind == "person" and not h.erased),
                    key=lambda h: not h.email)
    ids = [h.id for h in people[:READ_AHEAD_MOST]]
    for start in range(0, len(ids), READ_AHEAD):
        if not busy():
            return
        plan.prefetch(ids[start:start + READ_AHEAD])


def _event(text):
    if not text:
        raise ImportRefused("--event is needed to import attendance: the event, by ID or exact title.")
    event = tableimports.find_event(text)
    if event is None:
        raise ImportRefused(f"There is no event {text!r} (give its ID, or its exact title; add the date, "
                            f"\"Title dd/mm/yyyy\", when titles repeat).")
    return event


# The fields _check_new_people checks, in the state create_many builds: apply passes them as ``checked``, so each
# new person's values are checked once (create_many still applies the rules across fields: the organisation link).
CHECKED_PEOPLE = frozenset(STAKEHOLDER.own_fields) - {"organisation"}


def _check_new_people(plan):
    """Each record the import adds, checked by the registry's rules before anything is written.

    A field a row does not give holds the same value in every such row (its default, or none): its own rule is
    applied to that value once, and passed to ``validate`` as ``checked`` when it holds (worked out once for each
    set of fields rows give), so each row's own values are checked, and the rules across fields, as before.
    Most rows are found sound without ``validate``: when the rules across fields read none of the fields a set
    gives (their answer is then the same for every row of the set, worked out once, :func:`_sound_rows`), and
    every field not given passes, a row whose given values each pass their field's rule has no problem; any
    other row goes through ``validate`` as before, which words its problems."""
    defaults = STAKEHOLDER.defaults()  # (no "councils" nor "organisation" among them: both have no default)
    validate = STAKEHOLDER.validate
    passing = frozenset(name for name in STAKEHOLDER.own_fields if STAKEHOLDER[name].problem(defaults.get(name)) is None)
    checked_for = {}  # the fields an entry gives (in order) -> (the fields not given whose value passes, checks)
    for entry in plan.entries:
        if entry.action != "add" and entry.action != "held":
            continue
        values = entry.values
        given = tuple(values)
        found = checked_for.get(given)
        if found is None:  # ("organisation" is left out of the state below: none, whatever the row gives)
            found = checked_for[given] = (passing - (set(given) - {"organisation"}),
                                          _sound_rows(given, defaults, passing))
        checked, checks = found
        if checks is not None:
            for name, problem in checks:
                if problem(values[name]) is not None:
                    break
            else:
                continue
        state = {**defaults, **values}
        state.pop("councils", None)
        state.pop("organisation", None)
        for name, reason in validate(state, checked=checked).items():
            column = next((h for h, t in _mapping_of(plan, entry.sheet).items() if t == name), STAKEHOLDER[name].title)
            plan.problems.append(Problem(entry.sheet, entry.row, column, str(state.get(name) or ""), reason))


def _sound_rows(given, defaults, passing):
    """((field, its rule), ...) of the fields ``given`` whose values, each passing its rule, make a row giving
    ``given`` sound as ``validate`` judges it (its state: the defaults, then the row's values, without councils
    or organisation); None when that cannot be told without ``validate``: a field not given fails its rule on the
    value it then holds, or a rule across fields reads a field given, or fails on the values every such row
    holds (a rule reads only its ``reads``)."""
    gives = set(given) - {"councils", "organisation"}
    own = STAKEHOLDER.own_fields
    if not set(own) - gives <= passing:
        return None
    for rule in STAKEHOLDER.rules:
        if gives.intersection(rule.reads):
            return None
        state = {name: defaults[name] for name in rule.reads
                 if name in defaults and name not in ("councils", "organisation")}
        if rule.reason(state, None, None) is not None:
            return None
    return tuple((name, STAKEHOLDER[name].problem) for name in given if name in gives and name in own)


def _mapping_of(plan, sheet):
    return next((t.mapping for t in plan.tables if t.name == sheet), {})


def refusal(plan):
    """The sentence refusing a plan with bad rows (None when it can be applied)."""
    if not plan.problems or plan.options.skip_bad_rows:
        return None
    first = plan.problems[0]
    more = f" (and {len(plan.problems) - 1} more)" if len(plan.problems) > 1 else ""
    return (f"{plan.source.path.name} was not imported: {first.sentence()}{more}. Fix the file, or leave these rows "
            f"out with --skip-bad-rows; nothing was changed.")
