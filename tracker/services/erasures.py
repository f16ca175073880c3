"""Who was erased on request, kept so that an import never brings them back, and nothing more.

Erasing a person (``privacy.erase``) wipes their name and email, so a partner's sheet naming them
again would look like someone new.  Before the details go, two keyed hashes are kept in
``erased_identity``: HMAC-SHA256 of their email (trimmed, case ignored) and of their name with their
organisation (both as the matcher compares them: ``matching.person_key`` and
``matching.organisation_key``).  The key is a random secret made for this database the first time
someone is erased (``meta``: ``erasure_secret``); without the database the hashes cannot be
checked against a list of emails or names, and with it they only answer "was this person erased?"
for a person one already has the details of.  No hash is linked to its tombstone.

The same secret keys one other remembered decision: a partner's row whose person was only close to a
held one and was linked to that record by hand (``tableimports.link_key``), kept as a hash so the
decided row holds no name in the clear.

This module hashes keys it is given; the matcher (``tracker.services.matching``) and the privacy
service normalise them, so the rule for "the same person" stays in one place.
"""

import hashlib
import hmac
import secrets

from tracker.models import ErasedIdentity, Meta

SECRET_KEY = "erasure_secret"


def _digest(secret, *parts):
    return hmac.new(secret, "\x1f".join(parts).encode("utf-8"), hashlib.sha256).hexdigest()


def email_digest(secret, email):
    return _digest(secret, "email", email.strip().casefold())


def person_digest(secret, name_key, organisation_key):
    return _digest(secret, "person", name_key, organisation_key)


def linked_digest(name_key, organisation_key, create=False):
    """The keyed hash of a person's name and organisation that a row linked by hand is remembered by
    (``tableimports``), with this database's secret (made when ``create``); None without one."""
    secret = _secret(create)
    return _digest(secret, "linked", name_key, organisation_key) if secret is not None and name_key else None


def _secret(create=False):
    row = Meta.get_or_none(Meta.key == SECRET_KEY)
    if row is None and create:
        Meta.insert(key=SECRET_KEY, value=secrets.token_hex(32)).on_conflict_ignore().execute()
        row = Meta.get(Meta.key == SECRET_KEY)
    return bytes.fromhex(row.value) if row is not None else None


def remember(email, name_key, organisation_key):
    """Keep the hashes of a person about to be erased (inside the caller's transaction)."""
    secret = _secret(create=True)
    digests = [person_digest(secret, name_key, organisation_key)] if name_key else []
    if email and email.strip():
        digests.append(email_digest(secret, email))
    if digests:
        ErasedIdentity.insert_many([{"digest": d} for d in digests]).on_conflict_ignore().execute()


class ErasedKeys:
    """The hashes held, loaded once (one query) for a whole import; empty when nobody was erased."""

    def __init__(self):
        self.digests = {d for (d,) in ErasedIdentity.select(ErasedIdentity.digest).tuples()}
        self.secret = _secret() if self.digests else None

    def __bool__(self):
        return bool(self.digests)

    def email(self, email):
        if not (self.digests and email and email.strip()):
            return False
        return email_digest(self.secret, email) in self.digests

    def person(self, name_key, organisation_key):
        if not (self.digests and name_key):
            return False
        return person_digest(self.secret, name_key, organisation_key) in self.digests
