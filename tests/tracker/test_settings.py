"""The settings file the app and the ``tracker`` command share (tracker.settings): Qt's ini rules both ways,
who makes changes (settings, the environment's override), and the command using them."""

import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tracker import settings

ROOT = Path(__file__).resolve().parents[2]

# Written by QSettings (PySide6 6.x, IniFormat) for the values below: what the app's Qt writes.
QT_WRITTEN = (
    b"[General]\ntop=t\n\n[%General]\nx=g\n\n[user]\n"
    b'a="Shah, Priya"\nb=" lead"\nc=@@home\nd=quote\\"back\\\\slash\ne=Zo\xc3\xab \xc3\x93 Briain\n'
    b'f="semi;colon"\ng="eq=ual"\nh=new\\nline\ni=\nj=tab\\tx\nk=\\x1\\x61\\x62\\x63\nl=\xe6\x97\xa5\xe6\x9c\xac\n'
    b'm=true\nn=42\no="a,b"\np=\\af\nr=@String(\\0)\nweird%20key\\x%20%E9=v\n\n'
    b"[window]\ngeometry=@ByteArray(\\0\\x1\\x61\\x62\\xff)\n"
)
VALUES = {"a": "Shah, Priya", "b": " lead", "c": "@home", "d": 'quote"back\\slash', "e": "Zoë Ó Briain",
          "f": "semi;colon", "g": "eq=ual", "h": "new\nline", "i": "", "j": "tab\tx", "k": "\x01abc", "l": "日本",
          "m": "true", "n": "42", "o": "a,b", "p": "\x07f", "r": "\x00"}


def test_what_qt_wrote_is_read_as_qt_reads_it(tmp_path):
    path = tmp_path / "settings.ini"
    path.write_bytes(QT_WRITTEN)
    held = settings.read(path)
    assert {key[5:]: value for key, value in held.items() if key.startswith("user/") and "/" not in key[5:]} == VALUES
    assert held["user/weird key/x é"] == "v" and held["top"] == "t" and held["General/x"] == "g"
    assert "window/geometry" not in held  # a typed value, not text: left alone


def test_values_are_written_as_qt_writes_them():
    lines = QT_WRITTEN.decode().splitlines()
    for key, value in VALUES.items():
        assert f"{key}={settings.escape_value(value)}" in lines, key
    assert settings.escape_key("weird key/x é") == "weird%20key\\x%20%E9"
    assert settings.unescape_key("weird%20key\\x%20%E9") == "weird key/x é"


def test_writing_changes_only_its_own_lines(tmp_path):
    path = tmp_path / "settings.ini"
    path.write_bytes(QT_WRITTEN)
    settings.save_user("Priya Shah", "Havering", path)
    written = path.read_bytes()
    # The two lines added at the end of [user]; every other line kept, byte for byte, in order.
    assert b"weird%20key\\x%20%E9=v\nname=Priya Shah\ncouncil=Havering\n\n[window]" in written
    assert written.replace(b"name=Priya Shah\ncouncil=Havering\n", b"") == QT_WRITTEN
    settings.save_user("Ben Patel, Inspector", "", path)  # the same keys again: replaced, not repeated
    text = path.read_bytes().decode()
    assert text.count("name=") == 1 and 'name="Ben Patel, Inspector"' in text and "council=\n" in text
    assert settings.user_name(path) == "Ben Patel, Inspector" and settings.home_council(path) == ""
    assert settings.read(path)["user/a"] == "Shah, Priya"
    assert "geometry=@ByteArray(\\0\\x1\\x61\\x62\\xff)" in text


def test_any_text_survives_writing_and_reading(tmp_path):
    path = tmp_path / "settings.ini"
    rng = random.Random(7)
    alphabet = 'ab ,;="\\@\t\n\x01\x00é日%/[]#x0F'
    values = {f"user/v{n}": "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10))) for n in range(400)}
    settings.write(values, path)
    assert settings.read(path) == values
    if os.name == "posix":
        assert path.stat().st_mode & 0o077 == 0  # readable by its user only, as the app's other files


def test_who_makes_changes_settings_then_the_environment(tmp_path):
    path = tmp_path / "settings.ini"
    assert settings.identity({}, path) == ("", "", {"name": "settings", "council": "settings"})
    settings.save_user("Priya Shah", "Havering", path)
    assert settings.identity({}, path)[:2] == ("Priya Shah", "Havering")
    assert settings.identity(None, path)[:2] == ("Priya Shah", "Havering")  # the app: no environment
    name, council, where = settings.identity({"TRACKER_USER": "Ben Patel", "TRACKER_COUNCIL": "RED"}, path)
    assert (name, council, where) == ("Ben Patel", "RED", {"name": "TRACKER_USER", "council": "TRACKER_COUNCIL"})
    assert settings.identity({"TRACKER_USER": "  ", "TRACKER_COUNCIL": ""}, path)[:2] == ("Priya Shah", "")


# ---- the tracker command reads them ----------------------------------------------------------------------

def tracker(data, *argv, **env):
    environ = {k: v for k, v in os.environ.items() if k not in ("TRACKER_USER", "TRACKER_COUNCIL", "TRACKER_DB")}
    environ.update({"PYTHONPATH": str(ROOT), "TRACKER_DATA_DIR": str(data), **env})
    return subprocess.run([sys.executable, "-m", "tracker", *argv], capture_output=True, text=True, env=environ, check=False,
                          timeout=120)


def added_action(db, data, csv, title, **env):
    csv.write_text(f"Title,Due date\n{title},01/03/2031\n", encoding="utf-8")
    done = tracker(data, "--db", str(db), "import-table", str(csv), "--as", "actions", **env)
    assert done.returncode == 0, done.stderr
    con = sqlite3.connect(db)
    try:
        reference, uuid = con.execute("SELECT reference, uuid FROM action_item WHERE title = ?", (title,)).fetchone()
        # who made it, as History tells: the run of the import that added it (no creation entry of its own)
        audit = con.execute("SELECT r.user, r.council FROM exchange_import r JOIN exchange_import_change c "
                            "ON c.import_id = r.id WHERE c.kind = 'add' AND c.added LIKE ?", (f"%{uuid}:%",)).fetchall()
        audit += con.execute("SELECT user, council FROM audit_entry WHERE record_uuid = ?", (uuid,)).fetchall()
    finally:
        con.close()
    return reference, audit


@pytest.mark.slow
def test_the_command_records_the_settings_and_the_environment_overrides(tmp_path):
    data, db = tmp_path / "data", tmp_path / "t.db"
    settings.save_user("Priya Shah", "Havering", data / "settings.ini")
    assert tracker(data, "--db", str(db), "init").returncode == 0
    reference, audit = added_action(db, data, tmp_path / "a.csv", "Light the Heathway underpass")
    assert reference == "HAV-A0001" and set(audit) == {("Priya Shah", "Havering")}

    reference, audit = added_action(db, data, tmp_path / "b.csv", "Fund the youth forum",
                                       TRACKER_USER="Ben Patel", TRACKER_COUNCIL="red")
    assert reference == "RED-A0001" and set(audit) == {("Ben Patel", "Redbridge")}  # a code names the council

    reference, audit = added_action(db, data, tmp_path / "c.csv", "Walk the estate", TRACKER_COUNCIL="")
    assert reference == "X-A0001" and set(audit) == {("Priya Shah", "")}

    refused = tracker(data, "--db", str(db), "stats", TRACKER_COUNCIL="Hackney")
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert "'Hackney' (from TRACKER_COUNCIL) is not a council of this database" in refused.stderr


def test_help_names_the_environment_variables(capsys):
    from tracker.cli import main

    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "TRACKER_USER" in out and "TRACKER_COUNCIL" in out and "--read-only" in out
    assert str(settings.settings_file()) in out
