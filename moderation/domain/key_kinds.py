"""The two kinds of key a site holds, its API key and its scoring key, and what replacing one does.

Each kind has a current key and the one it replaced, which keeps working under its own key id until
its grace period ends: a site's servers, or a Perspective client such as Coral, send the old key
until someone pastes the new one in. Coral fails open, so a scoring key that ended at once let every
comment between its replacement and the paste through unscored (a Coral developer's walk).

Both kinds share this one mechanism (the row's lock, the form's key id, the refusal to end a key in
its grace); sites.py names what each replacement is audited as.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import InstrumentedAttribute, Session

from moderation.domain.errors import Conflict, ValidationFailed
from moderation.domain.passwords import hash_key_secret
from moderation.models import Site


class KeyInGrace(Conflict):
    """A rotation that would end, unasked, a rotated-out key the site may still send."""


@dataclass(frozen=True)
class KeyKind:
    prefix: str
    name: str  # as messages say it
    replaced: str  # as in "was rotated"
    replacing: str  # as in "rotating again"
    sender: str  # who may still send the old key
    id: str  # Site's columns: current key, the one rotated out of it
    hash: str
    previous_id: str
    previous_hash: str
    previous_until: str

    def column(self, attribute: str) -> InstrumentedAttribute:
        return getattr(Site, getattr(self, attribute))

    def shown(self, key_id: str | None) -> str:
        return f"{self.prefix}_{key_id}_…"

    def current(self, site: Site) -> str | None:
        """The current key's id, None if it has none or it was revoked."""
        return getattr(site, self.id) if getattr(site, self.hash) else None

    def in_grace(self, site: Site, now: datetime) -> bool:
        until = getattr(site, self.previous_until)
        return bool(getattr(site, self.previous_hash)) and until is not None and now < until

    def previous(self, site: Site, now: datetime) -> str | None:
        """The rotated-out key's id while it still works."""
        return getattr(site, self.previous_id) if self.in_grace(site, now) else None

    def stored_hash(self, site: Site, key_id: str, now: datetime) -> str | None:
        """The hash a key with this id is checked against: the current key's ("" once revoked), or the
        rotated-out one's in its grace; None when no key of the site with this id works."""
        if getattr(site, self.id) == key_id:
            return getattr(site, self.hash)
        return getattr(site, self.previous_hash) if getattr(site, self.previous_id) == key_id \
            and self.in_grace(site, now) else None

    def holds(self, site: Site, key_hash: str, now: datetime) -> bool:
        return bool(key_hash) and (getattr(site, self.hash) == key_hash
                                   or (getattr(site, self.previous_hash) == key_hash and self.in_grace(site, now)))

    def end_previous(self, site: Site, now: datetime) -> list[str]:
        """End the rotated-out key now; its id if it was still working."""
        ended = [self.previous(site, now)] if self.previous(site, now) else []
        for attribute in (self.previous_id, self.previous_hash, self.previous_until):
            setattr(site, attribute, None)
        return ended

    def end_current(self, site: Site) -> list[str]:
        """Revoke the current key now (its id stays, so a reload's form still sees what it was drawn with)."""
        ended = [self.current(site)] if self.current(site) else []
        if getattr(site, self.id):
            setattr(site, self.hash, "")
        return ended


API_KEY = KeyKind("mk", "key", "rotated", "rotating", "the site", "key_id", "key_hash",
                  "previous_key_id", "previous_key_hash", "previous_key_expires_at")
SCORING_KEY = KeyKind("mks", "scoring key", "replaced", "replacing it", "its Perspective client", "scoring_key_id",
                      "scoring_key_hash", "previous_scoring_key_id", "previous_scoring_key_hash",
                      "previous_scoring_key_expires_at")
KINDS = {kind.prefix: kind for kind in (API_KEY, SCORING_KEY)}


def new_key() -> tuple[str, str]:
    return secrets.token_hex(8), secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Replaced:
    key: str  # shown once
    key_id: str
    rotated_out: str | None  # the old key's id, working until valid_until
    valid_until: datetime | None
    ended: list[str]  # ids of keys that stopped working


def replace_key(session: Session, site: Site, kind: KeyKind, *, grace: timedelta, now: datetime,
                expected_key_id: str | None, replace_previous: bool) -> Replaced:
    """A new key of `kind`; the current one stays valid for `grace`. Refused (KeyInGrace) while an
    earlier rotated-out key is in its grace, which this would end, unless `replace_previous`: an
    incident walk reloaded the page that showed a new API key, the rotation was sent again, and the
    key the site's servers still sent stopped at once (14 comments lost in 10 s). `expected_key_id`,
    the current key a form was drawn with, refuses a replacement sent twice from one page (Conflict)."""
    if grace < timedelta(0):
        raise ValidationFailed("grace period must not be negative", field="grace")
    # Under the row's lock: two rotations sent at once had both succeeded, one admin shown a key that
    # never worked and the log naming neither as ended (a re-check).
    session.refresh(site, with_for_update=True)
    current_id = getattr(site, kind.id)
    if expected_key_id is not None and expected_key_id != (current_id or ""):
        raise Conflict(f"the {kind.name} of {site.name} was {kind.replaced} since this page was drawn, and nothing "
                       f"was changed: its current {kind.name} is {kind.shown(current_id)}, the one shown when it "
                       f"was {kind.replaced}")
    if kind.in_grace(site, now) and not replace_previous:
        raise KeyInGrace(f"the previous {kind.name} of {site.name}, {kind.shown(getattr(site, kind.previous_id))}, "
                         f"still works until {getattr(site, kind.previous_until):%Y-%m-%d %H:%M} UTC, and "
                         f"{kind.sender} may still send it: {kind.replacing} again would end it at once; revoke "
                         f"the previous {kind.name} first, once {kind.sender} sends its current {kind.name} "
                         f"{kind.shown(current_id)}")
    ended = kind.end_previous(site, now)
    rotated_out = kind.current(site) if grace > timedelta(0) else None
    if rotated_out:
        setattr(site, kind.previous_id, rotated_out)
        setattr(site, kind.previous_hash, getattr(site, kind.hash))
        setattr(site, kind.previous_until, now + grace)
    elif kind.current(site):
        ended.append(kind.current(site))
    key_id, secret = new_key()
    setattr(site, kind.id, key_id)
    setattr(site, kind.hash, hash_key_secret(secret))
    return Replaced(f"{kind.prefix}_{key_id}_{secret}", key_id, rotated_out, now + grace if rotated_out else None,
                    ended)
