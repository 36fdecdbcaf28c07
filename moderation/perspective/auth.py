"""API keys for the Perspective endpoint: from ?key= or X-Goog-Api-Key, checked with site_for_key.

site_for_key loads the Site row on every call and, once its own cache expires, runs argon2 again
(about 0.1-0.2 s of CPU). At hundreds of requests a second both hurt: the row load is a query per
request, and when a key's cache entry expired in every web thread at once, each thread ran argon2
at the same moment and requests stalled for most of a second.

So this module remembers, per key, the site id and the argon2 hash the key was verified against.
After SITE_TTL seconds it confirms with one small query that the site is still active and still
holds that same hash (a rotated key changes it); only a changed row sends the key back through
site_for_key. A deactivated site or a rotated key stops working within SITE_TTL seconds.
"""
from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass

from flask import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.domain.errors import Unauthorized
from moderation.domain.sites import site_for_key
from moderation.models import Site
from moderation.perspective.errors import PermissionDenied

SITE_TTL = 30.0
_MAX_ENTRIES = 10_000


@dataclass
class _Verified:
    site_id: int
    key_hash: str
    fresh_until: float


_sites: dict[str, _Verified] = {}
_lock = threading.Lock()


def request_key(request: Request) -> str | None:
    return request.args.get("key") or request.headers.get("X-Goog-Api-Key") or None


def site_id_for_key(session: Session, api_key: str | None) -> int:
    if not api_key:
        raise PermissionDenied("The request is missing a valid API key.")
    digest = hashlib.sha256(api_key.encode("utf-8", "surrogatepass")).hexdigest()
    now = time.monotonic()
    with _lock:
        known = _sites.get(digest)
    if known is not None:
        if known.fresh_until > now:
            return known.site_id
        row = session.execute(select(Site.active, Site.key_hash).where(Site.id == known.site_id)).one_or_none()
        if row is not None and row.active and row.key_hash == known.key_hash:
            known.fresh_until = now + SITE_TTL
            return known.site_id
        with _lock:
            _sites.pop(digest, None)
    try:
        site = site_for_key(session, api_key)
    except Unauthorized:
        raise PermissionDenied("API key not valid. Please pass a valid API key.") from None
    with _lock:
        if len(_sites) >= _MAX_ENTRIES:
            _sites.clear()
        _sites[digest] = _Verified(site.id, site.key_hash, now + SITE_TTL)
    return site.id


def forget_keys() -> None:
    """For tests: start from an empty cache."""
    with _lock:
        _sites.clear()
