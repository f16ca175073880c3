"""The record kinds the app lists, each declared once: words, service, columns, filters, form, links, icon.

A :class:`RecordKind` is what the window, a list page, its table model, the editor, the Links tab,
the deleted-items view and the report dialog ask instead of testing which kind they are showing.
Its words and fields are the domain's (``tracker.records``: "action", "actions", each field's
label); its rows come from its service.  To list another kind, declare it here and add it to
:data:`KINDS`: the navigation, the View menu, the deleted-items view and the tests follow.

What does not live here: how a column, a filter or a link section works (``ui.columns``,
``ui.filters``, ``ui.links``), how a field becomes a form widget (``ui.fields.form_field``).
"""

from dataclasses import dataclass
from typing import Callable

from tracker import records, services, vocab
from tracker.services.stakeholders import quadrant
from ui.columns import (COMMITMENT_STATUS_TINT, RAG_TINT, Column, action_status_text, action_status_tint,
                        field_column)
from ui.fields import form_field
from ui.filters import (FilterCheck, council_filter, due_within_filter, field_filter, people_filter,
                        vocabulary_filter)
from ui.links import LIST_LIMIT, Links, Section, action_text, commitment_text, event_text, linked


@dataclass(frozen=True)
class RecordKind:
    record: records.Kind  # its fields and its words, from the domain's registry
    service: object  # the RecordService its rows come from and its edits go to
    icon: str  # resources/icons/<icon>.svg, in the navigation and the View menu
    columns: Callable  # ListContext -> [Column], left to right
    filters: Callable  # () -> new filter widgets, in order (the list and the report dialog each have theirs)
    links: Links  # what its Links tab shows
    prefetch: Callable = None  # (ListContext, rows): lookups a batch of rows shows (the rolled-up RAG)
    prefetch_follows: tuple = ()  # tables whose changes change what ``prefetch`` looked up
    deleted_columns: Callable = None  # ListContext -> [Column] the deleted-items view adds (merged into …)

    @property
    def key(self):
        """The app's key for its list, view and settings: "actions"."""
        return self.record.plural

    @property
    def name(self):
        """One record in users' words: "action"."""
        return self.record.name

    @property
    def title(self):
        """Its list's name in the navigation: "Actions"."""
        return self.record.plural.capitalize()

    @property
    def has_updates(self):
        """Whether its records carry dated updates (an Updates tab)."""
        return self.record.name in records.UPDATE_TARGET_FIELDS

    def form(self):
        """New widgets for the fields a person edits, in the registry's order."""
        return [form_field(field) for field in self.record.editable]

    def count_text(self, n):
        return f"{n:,} {self.name if n == 1 else self.key}"

    def describe(self, record):
        """How a record is named in prompts: "the new action", "action “Book the venue”"."""
        return f"the new {self.name}" if record is None else f"{self.name} “{record}”"


S, E, C, A = records.STAKEHOLDER, records.EVENT, records.COMMITMENT, records.ACTION


def _stakeholder_columns(context):
    return [
        field_column(S["name"], sort=True, elastic=True),
        field_column(S["kind"], sort=True),
        field_column(S["sector"], sort=True),
        field_column(S["role"], key=False),
        field_column(S["influence"], sort=True, key=False),  # the quadrant column sums them up
        field_column(S["interest"], sort=True, key=False),
        Column("Quadrant", lambda s: vocab.GRID_QUADRANTS.get(quadrant(s.influence, s.interest), "")),
    ]


STAKEHOLDERS = RecordKind(
    S, services.stakeholders, "stakeholders",
    columns=_stakeholder_columns,
    filters=lambda: [council_filter(), field_filter(S["kind"], "All kinds"), field_filter(S["sector"], "All sectors"),
                     vocabulary_filter("quadrant", "Whole grid", vocab.GRID_QUADRANTS)],
    links=Links(sections=(
        Section("Organisation", "stakeholders", linked("organisation")),
        Section("Members", "stakeholders", services.stakeholders.members),
        Section("Commitments made", "commitments",
                lambda s: services.commitments.page(0, LIST_LIMIT, filters={"made_by": s}), commitment_text),
        Section("Actions owned", "actions",
                lambda s: services.actions.page(0, LIST_LIMIT, filters={"owner": s}), action_text),
        Section("Events attended", "events", lambda s: [a.event for a in services.attendance.events_of(s)],
                event_text),
    ), follows=(services.stakeholders.table, services.commitments.table, services.actions.table,
                services.attendance.table, services.events.table)),
    deleted_columns=lambda context: [Column("Merged into", context.merged_into)],
    prefetch=lambda context, rows: context.load_merges(rows),  # Deleted items' "merged into": once a batch
)

EVENTS = RecordKind(
    E, services.events, "events",
    columns=lambda context: [
        field_column(E["date"], sort=True),
        field_column(E["title"], sort=True, elastic=True),
        field_column(E["kind"], sort=True),
        field_column(E["place"], key=False),
        field_column(E["council"], text=lambda e: context.council_name(e.council_id)),  # names looked up once a batch
    ],
    filters=lambda: [council_filter(), field_filter(E["kind"], "All kinds")],
    links=Links(sections=(
        Section("Commitments made here", "commitments",
                lambda e: services.commitments.page(0, LIST_LIMIT, filters={"event": e}), commitment_text),
    ), follows=(services.attendance.table, services.stakeholders.table, services.commitments.table),
        attendance=True),
)


def _rag_summary(commitment, shown):
    actions = shown["Actions"]
    open_, done, overdue = services.commitments.action_counts([commitment.id]).get(commitment.id, (0, 0, 0))
    rag = vocab.label(vocab.RAG, services.commitments.rolled_up_rag(commitment)) or "not set"
    return (f"Rolled-up RAG: {rag} — from {len(actions)} action{'' if len(actions) == 1 else 's'} "
            f"({open_} open, {overdue} overdue, {done} done).")


COMMITMENTS = RecordKind(
    C, services.commitments, "commitments",
    columns=lambda context: [
        field_column(C["title"], sort=True, elastic=True),
        field_column(C["status"], sort=True, tint=lambda c: COMMITMENT_STATUS_TINT.get(c.status)),
        # The RAG rolled up from the commitment's actions, under the heading of its own RAG.
        field_column(C["rag"], text=lambda c: C["rag"].show(context.rag(c)),
                     tint=lambda c: RAG_TINT.get(context.rag(c))),
        field_column(C["target_date"], sort=True),
        field_column(C["made_by"], sort=True),
        field_column(C["date_made"], sort=True, key=False),
        field_column(C["theme"], sort=True, key=False),
    ],
    filters=lambda: [council_filter(), field_filter(C["status"], "All statuses"),
                     field_filter(C["theme"], "All themes"), people_filter("made_by", "Made by anyone"),
                     field_filter(C["rag"], "Any RAG"),
                     due_within_filter(), FilterCheck("overdue", "&Overdue")],
    links=Links(sections=(
        Section("Made by", "stakeholders", linked("made_by")),
        Section("Made at", "events", linked("made_at")),
        Section("Actions", "actions", services.actions.of_commitment, action_text,
                new=services.actions.for_commitment, new_text="&New action for this commitment"),
    ), follows=(services.stakeholders.table, services.events.table, services.actions.table), summary=_rag_summary),
    prefetch=lambda context, rows: context.load_rags(rows),
    prefetch_follows=(services.actions.table,),  # an action's progress changes its commitment's RAG
)

ACTIONS = RecordKind(
    A, services.actions, "actions",
    columns=lambda context: [
        field_column(A["reference"], sort=True),
        field_column(A["title"], sort=True, elastic=True),
        field_column(A["status"], sort=True, text=action_status_text, tint=action_status_tint),
        field_column(A["due_date"], sort=True),
        field_column(A["owner"], sort=True),
        field_column(A["priority"], sort=True, key=False),
        field_column(A["council"], sort=True, key=False),
    ],
    filters=lambda: [council_filter(), field_filter(A["status"], "All statuses"), people_filter("owner", "Any owner"),
                     field_filter(A["priority"], "Any priority"), due_within_filter(),
                     FilterCheck("overdue", "&Overdue"), FilterCheck("open", "Ope&n only")],
    links=Links(sections=(
        Section("Commitment", "commitments", linked("commitment")),
        Section("Owner", "stakeholders", linked("owner")),
    ), follows=(services.commitments.table, services.stakeholders.table)),
)

# The listed kinds in the order the navigation shows them.
KINDS = {kind.key: kind for kind in (STAKEHOLDERS, EVENTS, COMMITMENTS, ACTIONS)}
BY_NAME = {kind.name: kind for kind in KINDS.values()}  # "action" -> ACTIONS: what a link field points to
