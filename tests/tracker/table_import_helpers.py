"""What the table-import tests share: partners' files built the way their programs write them, and
the engine run as the command runs it."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl

from tracker.tableimport import Options, import_table

ROOT = Path(__file__).resolve().parents[2]


def corpus_folder():
    """../shared/corpus/xlsx-real beside the checkout (as tests/tracker/test_corpus.py finds it), or
    TRACKER_CORPUS, or the same folder two levels up (a git worktree under wt/)."""
    for candidate in (os.environ.get("TRACKER_CORPUS"), ROOT.parent / "shared" / "corpus" / "xlsx-real",
                      ROOT.parents[1] / "shared" / "corpus" / "xlsx-real"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def workbook(path, sheets):
    """Write ``sheets`` ({name: rows}, or {name: (rows, options)}) with openpyxl; options: hidden,
    merged (list of ranges)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, content in sheets.items():
        rows, opts = content if isinstance(content, tuple) else (content, {})
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for area in opts.get("merged", ()):
            ws.merge_cells(area)
        if opts.get("hidden"):
            ws.sheet_state = "hidden"
        for cell, fmt in opts.get("formats", {}).items():
            ws[cell].number_format = fmt
    wb.save(path)
    return path


SIGN_IN = [
    ["Serious Violence Summit: sign-in sheet"],
    ["Wednesday 16 January, London East, Dagenham"],
    [],
    ["Surname", "First name", "Organisation", "Job title", "E-mail", "Telephone", "Borough"],
    ["Okafor", "Grace", "Metropolitan Police Service", "Inspector", "grace.okafor@met.example", 7700900123,
     "Havering"],
    ["Patel", "Ravi", "Redbridge Youth Trust", "Youth worker", "ravi@ryt.example", "020 7946 0001", "Redbridge"],
    ["— Barking and Dagenham —", None, None, None, None, None, None],
    ["Smith", "Dan", "Barking Faith Forum", "Chair", "", "", "Barking and Dagenham"],
    ["Okafor", "Grace", "Metropolitan Police Service", "Inspector", "GRACE.OKAFOR@met.example", "", "Havering"],
    [None, None, None, None, None, None, None],
    ["Total attendees", 4, None, None, None, None, None],
]


def doubtful_forum(tmp_path):
    """Three people held at a forum, and a CSV naming each spelt a little otherwise (doubtful matches,
    each with a role to fill): (the people held, the file)."""
    from tracker import services

    org = services.stakeholders.create(name="Redbridge Youth Forum", kind="organisation", sector="other")
    held = [services.stakeholders.create(name=n, kind="person", organisation=org, email=e) for n, e in (
        ("Jonathan Whitfield", "j.whitfield@example.org"), ("Margaret Oyelaran", "m.oyelaran@example.org"),
        ("Olusegun Adebayo", "o.adebayo@example.org"))]
    path = tmp_path / "forum.csv"
    path.write_text("Name,Organisation,Role\nJonathon Whitfeld,Redbridge Youth Forum,Chair\n"
                    "Margret Oyelaren,Redbridge Youth Forum,Treasurer\n"
                    "Olusegun Adebayoh,Redbridge Youth Forum,Secretary\n", encoding="utf-8")
    return held, path


def run(path, kind="stakeholders", dry_run=False, **options):
    return import_table(path, Options(kind=kind, **options), dry_run=dry_run)


def tracker(db, *argv):
    """``python -m tracker --db DB ...`` in its own process; (exit status, stdout, stderr)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "tracker", "--db", str(db), *map(str, argv)],
                            capture_output=True, text=True, env=env, timeout=120)
    return result.returncode, result.stdout, result.stderr


def tracker_json(db, *argv):
    code, out, err = tracker(db, *argv, "--json")
    assert out.strip(), err
    return code, json.loads(out)


def today():
    return dt.date.today()


def validated_the_long_way(plan):
    """[(row, column, value, reason)]: what ``validate`` of each new person's whole state reports, the column named as
    the plan's problems name it (to compare the plan's own check of new people with)."""
    from tracker.records import STAKEHOLDER
    from tracker.tableimport.plan import _mapping_of

    defaults = STAKEHOLDER.defaults()
    found = []
    for entry in plan.entries:
        if entry.action not in ("add", "held"):
            continue
        state = {**defaults, **{k: v for k, v in entry.values.items() if k != "councils"}}
        state.pop("organisation", None)
        for name, reason in STAKEHOLDER.validate(state).items():
            column = next((h for h, t in _mapping_of(plan, entry.sheet).items() if t == name), STAKEHOLDER[name].title)
            found.append((entry.row, column, str(state.get(name) or ""), reason))
    return found
