"""What an import keeps to undo its change to a record (``exchange_import_change.before``), in its two forms.

*Whole* (a council's workbook import, and every import before schema 13): ``[version, [value, ...]]``, the
record's content in the exchange's form (``exchange.content_kinds``), every field in order.

*The fields it changed* (a partner's table import since schema 13): ``[version, {field: value before}]``.  Undo
is allowed only while the record is still at the version the import left (``imports.undo_import`` refuses it
otherwise), so every field the import did not write still holds the value it had before; keeping a copy of the
person's other details (address, notes, phone) for undo said nothing more.  Only what undo needs is kept.

An app before schema 13 reads only the whole form: it would undo a newer table import by emptying the fields
not in the snapshot, so the schema version was raised and such an app refuses the database.  Both forms are
read here, and only here: undo (:func:`restore`) and the erasure code (:func:`read`, :func:`rewrite`).
"""

import functools
import json

from tracker.services.exchange import content_kinds

_as_json = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(..., ensure_ascii=False), its encoder made once


def whole(version, values):
    """The whole form: every field of the record's content (``values``, in ``content_kinds`` order)."""
    return _as_json([version, list(values)])


def changed_many(snapshots):
    """Each of ``snapshots`` ([(table, version, values, names)]: a record's state before an import wrote the fields
    ``names``) in the changed fields' form, only those fields; the whole form should one of them not be a content
    field, which undo could not put back by name.  Written from a template per table and set of names (an
    import's matched records mostly change the same fields), the values' JSON joined in (``json.dumps`` of a list
    holding a dict costs twice as much a record)."""
    templates, out = {}, []
    for table, version, values, names in snapshots:
        names = tuple(names)
        made = templates.get((table, names))
        if made is None:
            at = positions(table)
            if not all(name in at for name in names):
                out.append(whole(version, values))
                continue
            fields = ", ".join(f"{_text(name)}: %s" for name in names)  # (content fields: identifiers, no "%")
            made = templates[table, names] = ("[%s, {" + fields + "}]", [at[name] for name in names])
        template, where = made
        out.append(template % (_json(version), *[_json(values[i]) for i in where]))
    return out


def _json(value):
    """One value as ``_as_json`` writes it: texts, whole numbers and nothing directly, anything else encoded."""
    kind = value.__class__
    if kind is str:
        return _text(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    return _as_json(value)


_text = json.encoder.encode_basestring  # a text as _as_json writes it (ensure_ascii=False)


def read(table, text):
    """(version, {field: value}) of a snapshot in either form: every field of a whole one, the changed ones of
    the other."""
    version, values = json.loads(text)
    if isinstance(values, dict):
        return version, values
    return version, dict(zip(positions(table), values))


def restore(table, text, current):
    """(version, content) the record had before the import, ``current`` being its content now, as the import left
    it (undo checks that first): a field the snapshot does not hold is as it was."""
    version, values = json.loads(text)
    if isinstance(values, dict):
        return version, tuple(values[name] if name in values else now
                              for name, now in zip(positions(table), current))
    return version, tuple(values)


def rewrite(table, text, replacements):
    """The snapshot, in its own form, with the fields in ``replacements`` ({field: value}) that it holds replaced:
    an erasure leaves nothing of the person in what undo would put back."""
    version, values = json.loads(text)
    if isinstance(values, dict):
        values.update((name, value) for name, value in replacements.items() if name in values)
    else:
        for name, i in positions(table).items():
            if name in replacements and i < len(values):
                values[i] = replacements[name]
    return _as_json([version, values])


@functools.cache
def positions(table):
    """{field: its position in the content} (dicts keep their order: the content's)."""
    return {name: i for i, (name, _, _) in enumerate(content_kinds(table))}
