"""Sites and their API keys.

A key is "mk_<key_id>_<secret>". Only an argon2 hash of the secret is stored. Argon2 is slow on
purpose (0.1-0.2 s of CPU), far too slow for every request, and when a cached verification
expired in every web thread at once they all ran it together and stalled for most of a second.
So each process remembers, per key (by its SHA-256), the site id and the hash the key was verified
against. After VERIFIED_TTL seconds one small query confirms the site is still active and still
holds that hash (a rotated key changes it); only a changed row sends the key through argon2 again.
A deactivated site stops working within VERIFIED_TTL seconds.

Rotation gives the site a new key and keeps the old one valid, under its own key id, until the
grace period ends (that end is remembered with a cached key, so it holds to the second even
while the entry is fresh). Rotating or revoking forgets the site's cached keys at once in the
process that did it; other processes notice within VERIFIED_TTL seconds, when their re-check
finds the hash gone.

Failed checks are counted per key id and per client address by a limiter the caller passes in,
and past its limit a key is refused before argon2 runs: a guessed secret must not buy CPU.
Keys already in this process's cache are not limited, so a site under attack keeps working.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Protocol

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from moderation.domain.errors import Conflict, NotFound, TooManyAttempts, Unauthorized, ValidationFailed
from moderation.domain.passwords import hash_secret, verify_secret
from moderation.domain.site_rows import forget as forget_site_row
from moderation.domain.site_rows import site_row
from moderation.domain.status import audit
from moderation.domain.webhook_urls import UrlPolicy, check_webhook_url
from moderation.models import Site

log = logging.getLogger(__name__)

KEY_PREFIX = "mk"
VERIFIED_TTL = 30.0
_MAX_VERIFIED = 10_000


class Limiter(Protocol):
    """Counts failures per subject (moderation.attempts.AttemptLimiter); sign-in uses it too."""

    def retry_after(self, subjects: dict[str, str | None], now: float | None = None) -> int: ...
    def failed(self, subjects: dict[str, str | None], now: float | None = None) -> list[str]: ...


@dataclass
class _Verified:
    site_id: int
    key_hash: str
    fresh_until: float
    expires_at: datetime | None  # a rotated-out key's end of grace


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
    key_id, secret = _new_key()
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


def _new_key() -> tuple[str, str]:
    return secrets.token_hex(8), secrets.token_urlsafe(32)


def site_id_for_key(session: Session, api_key: str | None, *, limiter: Limiter | None = None,
                    address: str | None = None, now: datetime | None = None) -> int:
    """The id of the active site an API key belongs to, or Unauthorized; no query while fresh."""
    if not api_key:
        raise Unauthorized("missing API key")
    digest = hashlib.sha256(api_key.encode("utf-8", "surrogatepass")).hexdigest()
    wall = now or datetime.now(timezone.utc)
    monotonic = time.monotonic()
    with _verified_lock:
        known = _verified.get(digest)
    if known is not None and (known.expires_at is None or wall < known.expires_at):
        if known.fresh_until > monotonic:
            return known.site_id
        row = session.execute(select(Site.active, Site.key_hash, Site.previous_key_hash, Site.previous_key_expires_at)
                              .where(Site.id == known.site_id)).one_or_none()
        if row is not None and row.active and row.key_hash == known.key_hash:
            known.fresh_until, known.expires_at = monotonic + VERIFIED_TTL, None
            return known.site_id
        if (row is not None and row.active and row.previous_key_hash == known.key_hash
                and row.previous_key_expires_at is not None and wall < row.previous_key_expires_at):
            known.fresh_until, known.expires_at = monotonic + VERIFIED_TTL, row.previous_key_expires_at
            return known.site_id
    if known is not None:
        with _verified_lock:
            _verified.pop(digest, None)
    site_id, key_hash, expires_at = _verify_limited(session, api_key, limiter, address, wall)
    with _verified_lock:
        if len(_verified) >= _MAX_VERIFIED:
            _verified.clear()
        _verified[digest] = _Verified(site_id, key_hash, monotonic + VERIFIED_TTL, expires_at)
    return site_id


def _verify_limited(session: Session, api_key: str, limiter: Limiter | None, address: str | None,
                    wall: datetime) -> tuple[int, str, datetime | None]:
    parts = api_key.split("_", 2)
    subjects = {"key": parts[1][:32] if len(parts) == 3 else None, "addr": address}
    if limiter is not None:
        retry_after = limiter.retry_after(subjects)
        if retry_after:
            raise TooManyAttempts(f"too many failed API key checks; retry after {retry_after} seconds",
                                  retry_after=retry_after)
    try:
        return _verify(session, parts, wall)
    except Unauthorized:
        if limiter is not None:
            for kind in limiter.failed(subjects):
                log.warning("API key checks locked for this window: %s %s (from %s)", kind, subjects[kind], address)
        raise


def _verify(session: Session, parts: list[str], wall: datetime) -> tuple[int, str, datetime | None]:
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        raise Unauthorized("invalid API key")
    key_id, secret = parts[1], parts[2]
    site = session.scalars(select(Site).where(or_(Site.key_id == key_id, Site.previous_key_id == key_id))).first()
    if site is None or not site.active:
        raise Unauthorized("invalid API key")
    if site.key_id == key_id:
        stored, expires_at = site.key_hash, None
    elif site.previous_key_expires_at is not None and wall < site.previous_key_expires_at:
        stored, expires_at = site.previous_key_hash, site.previous_key_expires_at
    else:
        raise Unauthorized("invalid API key")
    # An empty hash is a revoked key: refused without hashing.
    if not stored or not verify_secret(stored, secret):
        raise Unauthorized("invalid API key")
    return site.id, stored, expires_at


def site_for_key(session: Session, api_key: str | None, *, limiter: Limiter | None = None,
                 address: str | None = None) -> Site:
    """The active site an API key belongs to, or Unauthorized."""
    site = site_row(session, site_id_for_key(session, api_key, limiter=limiter, address=address))
    if site is None or not site.active:
        raise Unauthorized("invalid API key")
    return site


def forget_verified_keys() -> None:
    """For tests: start from an empty cache."""
    with _verified_lock:
        _verified.clear()
    forget_site_row()


def forget_site_keys(site_id: int) -> None:
    """This process stops trusting its cached checks of the site's keys (after a rotation or revocation)."""
    with _verified_lock:
        for digest in [d for d, v in _verified.items() if v.site_id == site_id]:
            del _verified[digest]
    forget_site_row(site_id)


def rotate_key(session: Session, site: Site, *, grace: timedelta, actor: str, now: datetime | None = None) -> str:
    """A new key for the site, returned once; the current one stays valid for `grace`. The caller commits.

    A key still in an earlier grace period ends now: at most two keys work at a time.
    """
    if grace < timedelta(0):
        raise ValidationFailed("grace period must not be negative", field="grace")
    now = now or datetime.now(timezone.utc)
    keep_old = grace > timedelta(0) and bool(site.key_hash)
    site.previous_key_id = site.key_id if keep_old else None
    site.previous_key_hash = site.key_hash if keep_old else None
    site.previous_key_expires_at = now + grace if keep_old else None
    key_id, secret = _new_key()
    site.key_id, site.key_hash = key_id, hash_secret(secret)
    audit(session, actor, "site:key_rotated", site_id=site.id, site=site.name, key_id=key_id,
          previous_valid_until=site.previous_key_expires_at.isoformat() if keep_old else None)
    session.flush()
    forget_site_keys(site.id)
    return f"{KEY_PREFIX}_{key_id}_{secret}"


def revoke_keys(session: Session, site: Site, *, actor: str, previous_only: bool = False) -> None:
    """End the site's keys now (or only the rotated-out one); `rotate_key` issues a new one. The caller commits."""
    if not previous_only:
        site.key_hash = ""
    site.previous_key_id = site.previous_key_hash = site.previous_key_expires_at = None
    audit(session, actor, "site:key_revoked", site_id=site.id, site=site.name,
          which="previous" if previous_only else "all")
    session.flush()
    forget_site_keys(site.id)


def key_summary(site: Site, now: datetime | None = None) -> dict[str, object]:
    """What an admin may see of a site's keys: ids and dates, never a secret or a hash."""
    now = now or datetime.now(timezone.utc)
    in_grace = site.previous_key_id is not None and site.previous_key_expires_at is not None \
        and now < site.previous_key_expires_at
    return {
        "current": f"{KEY_PREFIX}_{site.key_id}_…" if site.key_hash else None,
        "previous": f"{KEY_PREFIX}_{site.previous_key_id}_…" if in_grace else None,
        "previous_valid_until": site.previous_key_expires_at if in_grace else None,
    }


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_GRACE = timedelta(days=90)


def parse_grace(text: str, maximum: timedelta = MAX_GRACE) -> timedelta:
    """"24h", "30m", "7d", "90s" or "0" as a grace period of at most `maximum`, or ValidationFailed."""
    raw = text.strip().lower()
    number, unit = (raw[:-1], raw[-1]) if raw and raw[-1] in _UNITS else (raw, "s")
    if not (number.isascii() and number.isdigit()) or len(number) > 7:
        raise ValidationFailed("grace period must look like 24h, 30m, 7d or 0", field="grace")
    grace = timedelta(seconds=int(number) * _UNITS[unit])
    if grace > maximum:
        raise ValidationFailed(f"grace period must be at most {maximum.days} days", field="grace")
    return grace


def site_named(session: Session, name: str) -> Site:
    site = session.scalar(select(Site).where(Site.name == name))
    if site is None:
        raise NotFound(f"no site named {name!r}", field="name")
    return site
