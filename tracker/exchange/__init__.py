"""Sharing records between councils through an exchange workbook (.xlsx).

``export_workbook`` writes one; ``import_workbook`` reads one back, merging by record ID;
``tracker.services`` holds the database side (``exchange``: records' states, loaded in bulk;
``bulk_writer``; ``sync``; ``imports``: the imports log and undo; ``conflicts``).  The
layout is in ``tracker.exchange_format`` (below the services, which store what it carries); every
file is checked by ``safety.check_file`` before a parser sees it.  The functions are imported
lazily so that importing this package, or its reader, merge, safety or rowcheck modules, loads no
spreadsheet library (the writer imports openpyxl).
"""

from tracker.bulk import gc_paused


def export_workbook(path, personal_data=True, since=None, progress=None):
    from tracker.exchange.writer import export_workbook as export

    with gc_paused():
        return export(path, personal_data=personal_data, since=since, progress=progress)


def import_workbook(path, dry_run=False, on_conflict="ask", progress=None):
    from tracker.exchange.importer import import_workbook as run

    with gc_paused():
        return run(path, dry_run=dry_run, on_conflict=on_conflict, progress=progress)
