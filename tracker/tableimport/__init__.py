"""Importing the spreadsheets partners already have: any sheet, mapped, matched, previewed, undoable.

A partner's sign-in sheet, contact list, action log or form export (.xlsx, .xlsm, .ods, .csv) becomes
stakeholders, attendance, actions or commitments:

- ``sources``: reading the file (the exchange's gate for workbooks; CSV encoding and delimiter);
- ``header``: where the table starts and which rows are records;
- ``mapping``: which column means which field (synonyms, ``--map``, presets);
- ``values``: values read as people write them, through the registry's parsing and the one UK date
  parser;
- ``table``: a sheet read into records and problems;
- ``people`` and ``tasks``: matching and what each kind creates; ``plan``: the preview;
- ``apply``: writing it through the services, atomic and undoable; ``report``: the bad rows as a
  workbook for the partner.

The matcher lives in the services (``tracker.services.matching``), the run, held rows and presets
in ``tracker.services.tableimports``.  Nothing here imports Qt; the wizard is the app's.
"""

from tracker.tableimport.apply import apply_plan
from tracker.tableimport.plan import AS, Cancelled, ImportRefused, Options, Plan, plan_import

__all__ = ["AS", "Cancelled", "ImportRefused", "Options", "Plan", "apply_plan", "import_table", "plan_import"]


def import_table(path, options, dry_run=False, progress=None):
    """(plan, import ID or None): plan the import of ``path`` and, unless ``dry_run``, apply it.
    ``progress(percent, text)`` as the exchange import's (see ``plan``): planning reports 0-50, saving 50-100."""
    plan = plan_import(path, options, None if progress is None else lambda p, t: progress(p // 2, t))
    if dry_run:
        return plan, None
    return plan, apply_plan(plan, None if progress is None else lambda p, t: progress(50 + p // 2, t))
