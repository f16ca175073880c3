#!/usr/bin/env python
"""Record pickers at 20,000 stakeholders: the first use, and each keystroke until the list shows its matches.

    python bench/picker_search.py [--people N] [--repeats R]

Builds a database of N stakeholders (default 20,000: 2,000 organisations, the rest people at them,
with namesakes and accented names; deterministic seed) in a temporary folder, opens the Actions
view offscreen and types into the owner picker with real key events.  Reports, as medians:

- ``first use``: reading the choices the first time the picker is used (one query; folded once);
- ``keystroke``: one key press until the list holds the new matches and is painted (the search in
  memory, the model reset, the pop-up laid out and drawn), over the typing of several names;
- ``search only``: ``Choices.search`` alone for the same texts.

Numbers are recorded in docs/performance.md ("Record pickers").
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TYPED = ("ben pat", "amelie", "tri-borough", "o'brien", "khan", "trust 12", "zz")


def build(n_people):
    from tracker import services
    from tracker.db import database

    rng = random.Random(15)
    n_orgs = n_people // 10
    services.stakeholders.create_many([{"name": f"{rng.choice(('Tri-borough', 'East', 'Havering'))} Trust {i}",
                                        "kind": "organisation"} for i in range(n_orgs)])
    first = ("Ben", "Amélie", "Chloë", "Dan", "Priya", "José", "Zoë", "Sam", "Kate", "Tom", "Aisha", "Grace")
    last = ("Patel", "Smith", "Nguyen", "O'Brien", "Müller", "Khan", "Jones", "Ahmed", "Brown", "Davies")
    services.stakeholders.create_many([{"name": f"{rng.choice(first)} {rng.choice(last)}", "kind": "person",
                                        "role": rng.choice(("Officer", "Inspector", "Head teacher", ""))}
                                       for _ in range(n_people - n_orgs)])
    with database.atomic():
        database.execute_sql(f"UPDATE stakeholder SET organisation_id = (id % {n_orgs}) + 1 WHERE kind = 'person'")
    services.actions.create(title="Benchmark action")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="picker-bench-"))
    os.environ["TRACKER_DATA_DIR"] = str(folder / "data")
    os.environ.pop("TRACKER_DB", None)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from tracker.opening import open_database
    from tracker.services import choices

    app = QApplication.instance() or QApplication([])
    open_database(folder / "bench.db", create=True)
    build(args.people)

    from ui.mainwindow import MainWindow

    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    page = window.show_view("actions")
    page.table.setCurrentIndex(page.model.index(0, 0))
    picker = page.editor.fields["owner"].input
    picker.setFocus()
    app.processEvents()

    first_use, first_cpu, keystrokes, cpu, search_only = [], [], [], [], []
    for _ in range(args.repeats):
        picker._choices = None
        start, start_cpu = time.perf_counter(), time.process_time()
        picker.choices()
        first_use.append(time.perf_counter() - start)
        first_cpu.append(time.process_time() - start_cpu)
        for text in TYPED:
            picker.clear()
            picker.popup.hide()
            for char in text:
                start, start_cpu = time.perf_counter(), time.process_time()
                QTest.keyClick(picker, char if char.isascii() else Qt.Key.Key_A)
                picker.popup.repaint()  # painted, not only scheduled
                app.processEvents()
                keystrokes.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            start = time.perf_counter()
            picker.choices().search(text)
            search_only.append(time.perf_counter() - start)
    held = len(choices.stakeholders())
    print(f"{held:,} stakeholders held")
    print(f"first use (read and fold the choices): {statistics.median(first_use) * 1000:.0f} ms "
          f"({statistics.median(first_cpu) * 1000:.0f} ms of CPU)")
    print(f"keystroke to the list painted: median {statistics.median(keystrokes) * 1000:.1f} ms "
          f"({statistics.median(cpu) * 1000:.1f} ms of CPU), slowest {max(keystrokes) * 1000:.1f} ms "
          f"over {len(keystrokes)} keys")
    print(f"search only: median {statistics.median(search_only) * 1000:.1f} ms")
    page.editor.revert()  # the typing left the form edited: nothing to ask about
    window.close()


if __name__ == "__main__":
    main()
