"""Rotating a site's webhook signing secret without dropping events.

During the grace period every delivery carries two signatures, the new secret's and the old
one's ("v1=<new>,v1=<old>"), so the site's verifier accepts them whichever secret it holds while
it switches over. Only the secret just replaced stays valid, so rotating again within the grace
period would end the older one, which the site may still verify with: that is refused unless asked
(`replace_previous`), as a second API key rotation is. An incident walk reloaded the page that
showed a new API key, which rotated again and ended the key the site sent; this page answers a POST
too. A leaked secret's grace can be ended at once (`end_previous`).
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from moderation.domain.errors import Conflict, NotFound
from moderation.domain.sites import parse_grace as parse_key_grace
from moderation.domain.status import audit, now
from moderation.models import Site

SECRET_PREFIX = "whsec_"
MAX_GRACE = timedelta(days=30)


@dataclass(frozen=True)
class Rotation:
    site: Site
    secret: str
    previous_valid_until: datetime | None


def parse_grace(raw: str) -> timedelta:
    """'24h', '30m', '2d', '0'; at most MAX_GRACE (the same spelling as an API key's grace)."""
    return parse_key_grace(raw or "", maximum=MAX_GRACE)


class SecretInGrace(Conflict):
    """A rotation that would end, unasked, a previous secret still signing."""


def _in_grace(site: Site) -> bool:
    return bool(site.previous_webhook_secret) and site.previous_webhook_secret_expires_at is not None \
        and now() < site.previous_webhook_secret_expires_at


def fingerprint(secret: str | None) -> str:
    """A short, one-way mark of a secret, for a form to say which secret it was drawn with."""
    return hashlib.sha256((secret or "").encode()).hexdigest()[:12]


def _locked(session: Session, site_id: int) -> Site:
    # Read afresh under the lock: the page had loaded the row first, and three rotations sent at once
    # each passed the check on that copy and showed a secret, one of which signed (a re-check).
    site = session.get(Site, site_id, with_for_update=True, populate_existing=True)
    if site is None:
        raise NotFound(f"site {site_id} does not exist")
    return site


def rotate_webhook_secret(session: Session, site_id: int, grace: timedelta, *, actor: str,
                          replace_previous: bool = False, drawn_with: str | None = None) -> Rotation:
    """A new secret, the old one still signing for `grace`; audited. The caller commits. Refused
    (SecretInGrace) while an earlier rotation's secret still signs, unless `replace_previous`, and
    (Conflict) when the secret is no longer the one whose `fingerprint` the form was `drawn_with`: a
    rotation with no grace, sent again by a reload, had ended the secret just shown (a re-check)."""
    site = _locked(session, site_id)
    if drawn_with is not None and drawn_with != fingerprint(site.webhook_secret):
        raise Conflict(f"the webhook secret of {site.name} was rotated since this page was drawn, and nothing was "
                       "changed: the secret shown when it was rotated is the one to use")
    if _in_grace(site) and not replace_previous:
        raise SecretInGrace(f"the previous webhook secret of {site.name} still signs until "
                            f"{site.previous_webhook_secret_expires_at:%Y-%m-%d %H:%M} UTC, and the site may still verify "
                            "with it: rotating again would end it at once; end the previous secret first, once the "
                            "site verifies with its current one")
    new_secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    until = now() + grace if grace > timedelta(0) else None
    site.previous_webhook_secret = site.webhook_secret if until else None
    site.previous_webhook_secret_expires_at = until
    site.webhook_secret = new_secret
    audit(session, actor, "site:webhook_secret_rotated", site_id=site.id, site=site.name,
          grace_seconds=int(grace.total_seconds()), previous_valid_until=until.isoformat() if until else None)
    return Rotation(site, new_secret, until)


def end_previous_webhook_secret(session: Session, site_id: int, *, actor: str) -> bool:
    """Stop the rotated-out secret signing now (a leaked one); audited. False when there was none. The caller commits."""
    site = _locked(session, site_id)
    if not _in_grace(site):
        return False
    site.previous_webhook_secret = None
    site.previous_webhook_secret_expires_at = None
    audit(session, actor, "site:webhook_secret_previous_ended", site_id=site.id, site=site.name)
    return True
