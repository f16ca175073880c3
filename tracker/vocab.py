"""The fixed lists the councils use: sectors, themes, statuses, priorities, RAG, grid quadrants.

Each list maps the stored code to the label people see, and this is the one place both are
written: a record kind's field names the list it offers (``tracker.records``), and the rest of the
code reads a list through that field or from here.  Codes never change (spreadsheets and other
councils' databases depend on them); labels may be reworded.  ``parse`` accepts either a
code or a label, case-insensitively, so hand-edited spreadsheets still import.
"""

STAKEHOLDER_KINDS = {"organisation": "Organisation", "person": "Person"}

SECTORS = {
    "police": "Police",
    "health": "Health / NHS",
    "justice": "Courts / justice",
    "education": "Education",
    "local_authority": "Local authority",
    "mayoral": "MOPAC / mayoral",
    "voluntary": "Voluntary / charity",
    "faith": "Faith",
    "community": "Community",
    "other": "Other",
}

COUNCIL_KINDS = {"borough": "Borough", "tri_borough": "Tri-borough", "pan_london": "Pan-London"}

EVENT_KINDS = {
    "summit": "Summit",
    "meeting": "Meeting",
    "commission": "Commission session",
    "workshop": "Workshop",
    "other": "Other",
}

THEMES = {
    "knife_crime": "Knife crime",
    "domestic_violence": "Domestic violence",
    "youth": "Youth",
    "schools": "Schools",
    "exploitation": "Exploitation and county lines",
    "gangs": "Gangs",
    "health": "Public health approach",
    "community_safety": "Community safety",
    "other": "Other",
}

COMMITMENT_STATUSES = {
    "proposed": "Proposed",
    "agreed": "Agreed",
    "in_progress": "In progress",
    "achieved": "Achieved",
    "lapsed": "Lapsed",
    "withdrawn": "Withdrawn",
}

ACTION_STATUSES = {
    "open": "Open",
    "in_progress": "In progress",
    "blocked": "Blocked",
    "done": "Done",
    "cancelled": "Cancelled",
}
# Statuses after which an action no longer counts as overdue or outstanding.
ACTION_CLOSED = frozenset({"done", "cancelled"})
COMMITMENT_CLOSED = frozenset({"achieved", "lapsed", "withdrawn"})

PRIORITIES = {"low": "Low", "medium": "Medium", "high": "High", "critical": "Critical"}

RAG = {"R": "Red", "A": "Amber", "G": "Green"}

# Where a stakeholder sits on the power/interest grid (worked out from its scores, never stored).
GRID_QUADRANTS = {
    "manage_closely": "Manage closely",  # high influence, high interest
    "keep_satisfied": "Keep satisfied",  # high influence, low interest
    "keep_informed": "Keep informed",  # low influence, high interest
    "monitor": "Monitor",  # low influence, low interest
}


def label(vocabulary, code):
    """The label for ``code``, or '' for no value."""
    if code is None or code == "":
        return ""
    return vocabulary.get(code, code)


def parse(vocabulary, text):
    """Return the code for ``text`` (a code or a label, any case), or None if it is not in the list."""
    if text is None:
        return None
    wanted = str(text).strip().casefold()
    if not wanted:
        return None
    for code, lab in vocabulary.items():
        if wanted in (code.casefold(), lab.casefold(), code.replace("_", " ").casefold()):
            return code
    return None
