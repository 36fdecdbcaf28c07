"""Sites and their API keys.

A key is "mk_<key_id>_<secret>". Only an argon2 hash of the secret is stored. Argon2 is slow on
purpose (0.1-0.2 s of CPU), far too slow for every request, and when a cached verification
expired in every web thread at once they all ran it together and stalled for most of a second.
So each process remembers, per key (by its SHA-256), the site id and the hash the key was verified
against. After VERIFIED_TTL seconds one small query confirms the site is still active and still
holds that hash (a rotated key changes it); only a changed row sends the key through argon2 again.
A deactivated site or a rotated key stops working within VERIFIED_TTL seconds.
"""
from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.domain.errors import Conflict, Unauthorized, ValidationFailed
from moderation.domain.passwords import hash_secret, verify_secret
from moderation.domain.webhook_urls import UrlPolicy, check_webhook_url
from moderation.models import Site

KEY_PREFIX = "mk"
VERIFIED_TTL = 30.0
_MAX_VERIFIED = 10_000


@dataclass
class _Verified:
    site_id: int
    key_hash: str
    fresh_until: float


_verified: dict[str, _Verified] = {}
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
    url_policy: UrlPolicy | None = None,
) -> NewSite:
    """A new site with its API key and webhook secret; `url_policy` defaults to the app's settings."""
    if not name.strip():
        raise ValidationFailed("name must not be empty", field="name")
    if moderation_mode not in ("pre", "post"):
        raise ValidationFailed("moderation mode must be 'pre' or 'post'", field="moderation_mode")
    if session.scalar(select(Site.id).where(Site.name == name)) is not None:
        raise Conflict(f"a site named {name!r} exists already", field="name")
    if webhook_url:
        check_webhook_url(webhook_url, url_policy or UrlPolicy.from_config(current_app.config))
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


def site_id_for_key(session: Session, api_key: str | None) -> int:
    """The id of the active site an API key belongs to, or Unauthorized; no query while fresh."""
    if not api_key:
        raise Unauthorized("missing API key")
    digest = hashlib.sha256(api_key.encode("utf-8", "surrogatepass")).hexdigest()
    now = time.monotonic()
    with _verified_lock:
        known = _verified.get(digest)
    if known is not None:
        if known.fresh_until > now:
            return known.site_id
        row = session.execute(select(Site.active, Site.key_hash).where(Site.id == known.site_id)).one_or_none()
        if row is not None and row.active and row.key_hash == known.key_hash:
            known.fresh_until = now + VERIFIED_TTL
            return known.site_id
        with _verified_lock:
            _verified.pop(digest, None)
    site = _verify(session, api_key)
    with _verified_lock:
        if len(_verified) >= _MAX_VERIFIED:
            _verified.clear()
        _verified[digest] = _Verified(site.id, site.key_hash, now + VERIFIED_TTL)
    return site.id


def _verify(session: Session, api_key: str) -> Site:
    parts = api_key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        raise Unauthorized("invalid API key")
    site = session.scalar(select(Site).where(Site.key_id == parts[1]))
    if site is None or not site.active or not verify_secret(site.key_hash, parts[2]):
        raise Unauthorized("invalid API key")
    return site


def site_for_key(session: Session, api_key: str | None) -> Site:
    """The active site an API key belongs to, or Unauthorized."""
    site = session.get(Site, site_id_for_key(session, api_key))
    if site is None or not site.active:
        raise Unauthorized("invalid API key")
    return site


def forget_verified_keys() -> None:
    """For tests: start from an empty cache."""
    with _verified_lock:
        _verified.clear()
