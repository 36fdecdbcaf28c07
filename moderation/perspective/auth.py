"""API keys for the Perspective endpoint: from ?key= or X-Goog-Api-Key, checked with site_for_key.

site_for_key remembers verified keys but still loads the Site row on every call. Scoring needs
only the site's id, so this module remembers (key digest -> site id) for a short while and a
repeat request touches no database. A deactivated site or a rotated key stops working within
SITE_TTL seconds.
"""
from __future__ import annotations

import hashlib
import threading
import time

from flask import Request
from sqlalchemy.orm import Session

from moderation.domain.errors import Unauthorized
from moderation.domain.sites import site_for_key
from moderation.perspective.errors import PermissionDenied

SITE_TTL = 30.0
_MAX_ENTRIES = 10_000
_sites: dict[str, tuple[int, float]] = {}
_lock = threading.Lock()


def request_key(request: Request) -> str | None:
    return request.args.get("key") or request.headers.get("X-Goog-Api-Key") or None


def site_id_for_key(session: Session, api_key: str | None) -> int:
    if not api_key:
        raise PermissionDenied("The request is missing a valid API key.")
    digest = hashlib.sha256(api_key.encode("utf-8", "surrogatepass")).hexdigest()
    now = time.monotonic()
    with _lock:
        cached = _sites.get(digest)
    if cached is not None and cached[1] > now:
        return cached[0]
    try:
        site = site_for_key(session, api_key)
    except Unauthorized:
        raise PermissionDenied("API key not valid. Please pass a valid API key.") from None
    with _lock:
        if len(_sites) >= _MAX_ENTRIES:
            _sites.clear()
        _sites[digest] = (site.id, now + SITE_TTL)
    return site.id


def forget_keys() -> None:
    """For tests: start from an empty cache."""
    with _lock:
        _sites.clear()
