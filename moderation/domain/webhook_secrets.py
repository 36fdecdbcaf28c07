"""Rotating a site's webhook signing secret without dropping events.

During the grace period every delivery carries two signatures, the new secret's and the old
one's ("v1=<new>,v1=<old>"), so the site's verifier accepts them whichever secret it holds while
it switches over. Only the secret just replaced stays valid: rotating again within the grace
period ends the older one's.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from moderation.domain.errors import NotFound
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


def rotate_webhook_secret(session: Session, site_id: int, grace: timedelta, *, actor: str) -> Rotation:
    """A new secret, the old one still signing for `grace`; audited. The caller commits."""
    site = session.get(Site, site_id, with_for_update=True)
    if site is None:
        raise NotFound(f"site {site_id} does not exist")
    new_secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    until = now() + grace if grace > timedelta(0) else None
    site.previous_webhook_secret = site.webhook_secret if until else None
    site.previous_webhook_secret_expires_at = until
    site.webhook_secret = new_secret
    audit(session, actor, "site:webhook_secret_rotated", site_id=site.id, site=site.name,
          grace_seconds=int(grace.total_seconds()), previous_valid_until=until.isoformat() if until else None)
    return Rotation(site, new_secret, until)
