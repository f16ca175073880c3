"""The user's settings file, shared by the app and the ``tracker`` command, and who is making changes.

The file is ``settings.ini`` in the per-user data folder (``tracker.paths``), in the ini format of
Qt's ``QSettings`` (the app also keeps its window state there through ``QSettings``).  This module
reads and writes it without Qt, keeping Qt's rules both ways, so a value written here is read back
by ``QSettings`` unchanged and the reverse:

- a key ``group/name`` is ``name=`` in section ``[group]``; a key's characters other than letters,
  digits, ``_ - .`` are written ``%XX`` (``%UXXXX`` above U+00FF), a ``/`` inside a key ``\\``; the
  section ``[General]`` holds keys without a group (a group called "General" is ``[%General]``);
- a string value is UTF-8; ``\\ "`` and control characters are escaped (``\\n``, ``\\x1``...), a value
  holding ``, ; =`` or starting or ending with a space is quoted (unquoted, a comma would make it a
  list), and one starting with ``@`` is written ``@@`` (``@`` starts Qt's typed values such as
  ``@ByteArray(...)``, which this module reads as "not a string" and leaves alone; a string holding
  a NUL character is ``@String(...)``).

Writing changes only the lines of the keys written (the rest of the file, the window state
included, stays byte for byte) and replaces the file atomically.

Who makes changes (:func:`identity`): the name and home council in this file, for the app and
the command alike; for the command the environment overrides them (``TRACKER_USER``,
``TRACKER_COUNCIL``: set but empty means no council).  With no name anywhere, the login name.
"""

import os
import tempfile
from pathlib import Path

from tracker.paths import data_dir, ensure_private_dir

USER_NAME, USER_COUNCIL = "user/name", "user/council"
ENV_USER, ENV_COUNCIL = "TRACKER_USER", "TRACKER_COUNCIL"
_KEY_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
_ESCAPES = {"\0": "\\0", "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "\v": "\\v", '"': '\\"', "\\": "\\\\"}
_UNESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", '"': '"', "?": "?",
              "'": "'", "\\": "\\"}
_HEX = "0123456789abcdefABCDEF"


def settings_file() -> Path:
    return data_dir() / "settings.ini"


# ---- Qt's ini rules ------------------------------------------------------------------------------

def escape_key(key):
    out = []
    for ch in key:
        if ch == "/":
            out.append("\\")
        elif ch in _KEY_PLAIN:
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"%{ord(ch):02X}")
        else:
            out.append(f"%U{ord(ch):04X}")
    return "".join(out)


def unescape_key(text):
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            out.append("/")
        elif ch == "%" and text[i + 1:i + 2] == "U" and _is_hex(text[i + 2:i + 6], 4):
            out.append(chr(int(text[i + 2:i + 6], 16)))
            i += 5
        elif ch == "%" and _is_hex(text[i + 1:i + 3], 2):
            out.append(chr(int(text[i + 1:i + 3], 16)))
            i += 2
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _is_hex(text, length):
    return len(text) == length and all(c in _HEX for c in text)


def escape_value(value):
    """A string as ``QSettings`` writes it (the text after ``=``)."""
    if "\0" in value:
        value = f"@String({value})"
    elif value.startswith("@"):
        value = "@" + value
    out, quote, after_hex = [], False, False
    for ch in value:
        if ch in ";,=":
            quote = True
        if after_hex and ch in _HEX:  # "\x1" then "a" would read as "\x1a"
            out.append(f"\\x{ord(ch):x}")
            continue
        after_hex = False
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
            after_hex = ch == "\0"
        elif ord(ch) <= 0x1F:
            out.append(f"\\x{ord(ch):x}")
            after_hex = True
        else:
            out.append(ch)
    text = "".join(out)
    if quote or text[:1] == " " or text[-1:] == " ":
        text = f'"{text}"'
    return text


def unescape_value(text):
    """What ``QSettings`` reads from the text after ``=``: a string, a list of strings (an unquoted
    comma), or None for one of Qt's typed values (``@ByteArray(...)``, ``@Variant(...)``...)."""
    parts, current, i, quoted_now, quoted_value = [], [], 0, False, False
    chop = 0  # trailing spaces before this length are kept (they were escaped or quoted)

    def skip_spaces(i):
        while i < len(text) and text[i] in " \t":
            i += 1
        return i

    i = skip_spaces(0)
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 1
            if i >= len(text):
                break
            ch = text[i]
            i += 1
            if ch in _UNESCAPES:
                current.append(_UNESCAPES[ch])
            elif ch == "x":
                j = i
                while j < len(text) and text[j] in _HEX:
                    j += 1
                if j > i:
                    current.append(chr(int(text[i:j], 16) & 0xFFFF))
                i = j
            elif ch in "01234567":
                j = i
                while j < len(text) and text[j] in "01234567":
                    j += 1
                current.append(chr(int(text[i - 1:j], 8) & 0xFFFF))
                i = j
            chop = len(current)
        elif ch == '"':
            i += 1
            quoted_value = True
            quoted_now = not quoted_now
            if not quoted_now:
                i = skip_spaces(i)
        elif ch == "," and not quoted_now:
            parts.append(_chopped(current, chop, quoted_value))
            current, chop, quoted_value = [], 0, False
            i = skip_spaces(i + 1)
        else:
            current.append(ch)
            i += 1
    last = _chopped(current, chop, quoted_value)
    if parts:
        return [*parts, last]
    if last.startswith("@@"):
        return last[1:]
    if last.startswith("@String(") and last.endswith(")"):
        return last[len("@String("):-1]
    if last.startswith("@"):
        return None
    return last


def _chopped(chars, keep, quoted):
    text = "".join(chars)
    if quoted:
        return text
    return text[:keep] + text[keep:].rstrip(" \t")


def _logical_lines(raw):
    """The file's lines, a line ending in an unescaped backslash joined to the next (Qt continues it)."""
    lines, pending = [], ""
    for line in raw.splitlines():
        line = pending + line
        trailing = len(line) - len(line.rstrip("\\"))
        if trailing % 2:
            pending = line[:-1]
            continue
        pending = ""
        lines.append(line)
    if pending:
        lines.append(pending)
    return lines


def _section_of(line):
    stripped = line.strip()
    if not (stripped.startswith("[") and "]" in stripped):
        return None
    raw = stripped[1:stripped.index("]")]
    if raw.lower() == "general":
        return ""
    return "General" if raw.lower() == "%general" else unescape_key(raw)


def _parse(raw):
    """(key, value) of every ``key=value`` line, in order, keys with their group ("user/name")."""
    group = ""
    for line in _logical_lines(raw):
        section = _section_of(line)
        if section is not None:
            group = section
            continue
        stripped = line.strip()
        if not stripped or stripped[0] in ";#" or "=" not in stripped:
            continue
        key, _, value = stripped.partition("=")
        key = unescape_key(key.strip())
        yield (f"{group}/{key}" if group else key), unescape_value(value)


# ---- the file --------------------------------------------------------------------------------------

def read(path=None):
    """Every setting held as text: key -> string (a list is joined by ", "); typed values left out."""
    path = Path(path or settings_file())
    try:
        raw = path.read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return {}
    values = {}
    for key, value in _parse(raw):
        if value is not None:
            values[key] = ", ".join(value) if isinstance(value, list) else value
    return values


def value(key, default="", path=None):
    return read(path).get(key, default)


def write(values, path=None):
    """Set the string settings ``values`` (key -> text), leaving every other line as it was."""
    path = Path(path or settings_file())
    ensure_private_dir(path.parent)
    try:
        raw = path.read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        raw = ""
    lines = raw.splitlines()
    for key, text in values.items():
        group, name = (key.split("/", 1) if "/" in key else ("", key))
        lines = _set_line(lines, group, name, str(text))
    _replace(path, ("\n".join(lines) + "\n").encode("utf-8"))


def _set_line(lines, group, name, text):
    line = f"{escape_key(name)}={escape_value(text)}"
    current, section_end, found_section = None, None, False
    for n, raw in enumerate(lines):
        section = _section_of(raw)
        if section is not None:
            if found_section and section_end is None:
                section_end = n
            current = section
            found_section = found_section or current == group
            continue
        if (current == group and "=" in raw and not raw.strip().startswith((";", "#"))
                and unescape_key(raw.partition("=")[0].strip()) == name):
            return [*lines[:n], line, *lines[n + 1:]]
    if not found_section:
        header = "[General]" if not group else f"[{'%General' if group == 'General' else escape_key(group)}]"
        blank = [""] if lines and lines[-1].strip() else []
        return [*lines, *blank, header, line]
    end = len(lines) if section_end is None else section_end
    while end > 0 and not lines[end - 1].strip() and _section_of(lines[end - 1]) is None:
        end -= 1
    return [*lines[:end], line, *lines[end:]]


def _replace(path, data):
    fd, temp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# ---- who is making changes ---------------------------------------------------------------------------

def user_name(path=None):
    return value(USER_NAME, "", path).strip()


def home_council(path=None):
    return value(USER_COUNCIL, "", path).strip()


def save_user(name, council, path=None):
    write({USER_NAME: (name or "").strip(), USER_COUNCIL: (council or "").strip()}, path)


def identity(environ=None, path=None):
    """(name, council, where each came from) of whoever makes changes: the settings file, or the
    environment where ``environ`` is given and sets them (the command passes ``os.environ``).  The
    name is "" when neither holds one (the caller falls back to the login name)."""
    held = read(path)
    name, council = held.get(USER_NAME, "").strip(), held.get(USER_COUNCIL, "").strip()
    name_from = council_from = "settings"
    if environ is not None and (environ.get(ENV_USER) or "").strip():
        name, name_from = environ[ENV_USER].strip(), ENV_USER
    if environ is not None and ENV_COUNCIL in environ:
        council, council_from = environ[ENV_COUNCIL].strip(), ENV_COUNCIL
    return name, council, {"name": name_from, "council": council_from}
