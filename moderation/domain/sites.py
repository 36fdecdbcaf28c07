"""Sites and their API keys.

A key is "mk_<key_id>_<secret>". Only an argon2 hash of the secret is stored. Argon2 is slow on
purpose (tens of ms), too slow for every request, so each process remembers keys it has already
verified, by their SHA-256, for a short while.
"""
from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.domain.errors import Conflict, Unauthorized, ValidationFailed
from moderation.domain.passwords import hash_secret, verify_secret
from moderation.models import Site

KEY_PREFIX = "mk"
_VERIFIED_TTL = 60.0
_verified: dict[str, tuple[int, float]] = {}
_verified_lock = threading.Lock()


@dataclass(frozen=True)
class NewSite:
    site: Site
    api_key: str
    webhook_secret: str


def create_site(
    session: Session,
    name: str,
    *,
    webhook_url: str | None = None,
    moderation_mode: str = "pre",
    report_threshold: float = 2.0,
) -> NewSite:
    if not name.strip():
        raise ValidationFailed("name must not be empty", field="name")
    if moderation_mode not in ("pre", "post"):
        raise ValidationFailed("moderation mode must be 'pre' or 'post'", field="moderation_mode")
    if session.scalar(select(Site.id).where(Site.name == name)) is not None:
        raise Conflict(f"a site named {name!r} exists already", field="name")
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    webhook_secret = "whsec_" + secrets.token_urlsafe(32)
    site = Site(
        name=name,
        key_id=key_id,
        key_hash=hash_secret(secret),
        webhook_secret=webhook_secret,
        webhook_url=webhook_url,
        moderation_mode=moderation_mode,
        report_threshold=report_threshold,
    )
    session.add(site)
    session.flush()
    return NewSite(site=site, api_key=f"{KEY_PREFIX}_{key_id}_{secret}", webhook_secret=webhook_secret)


def site_for_key(session: Session, api_key: str | None) -> Site:
    """The active site an API key belongs to, or Unauthorized."""
    if not api_key:
        raise Unauthorized("missing API key")
    parts = api_key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        raise Unauthorized("invalid API key")
    digest = hashlib.sha256(api_key.encode()).hexdigest()
    now = time.monotonic()
    with _verified_lock:
        cached = _verified.get(digest)
    if cached and cached[1] > now:
        site = session.get(Site, cached[0])
        if site is not None and site.active:
            return site
    site = session.scalar(select(Site).where(Site.key_id == parts[1]))
    if site is None or not site.active or not verify_secret(site.key_hash, parts[2]):
        raise Unauthorized("invalid API key")
    with _verified_lock:
        _verified[digest] = (site.id, now + _VERIFIED_TTL)
    return site
