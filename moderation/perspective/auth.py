"""API keys for the Perspective endpoint: from ?key= or X-Goog-Api-Key, answered in Google's words.
A site's scoring key (mks_…) is taken here; the comment API refuses it."""
from __future__ import annotations

from flask import Request
from sqlalchemy.orm import Session

from moderation import session_tags
from moderation.domain import sites
from moderation.domain.errors import TooManyAttempts, Unauthorized
from moderation.perspective.errors import PermissionDenied, ResourceExhausted


def request_key(request: Request) -> str | None:
    return request.args.get("key") or request.headers.get("X-Goog-Api-Key") or None


def site_id_for_key(session: Session, api_key: str | None, *, limiter: sites.Limiter | None = None,
                    address: str | None = None) -> int:
    if not api_key:
        raise PermissionDenied("The request is missing a valid API key.")
    session_tags.mark_key(None, api_key)
    try:
        site_id = sites.site_id_for_key(session, api_key, limiter=limiter, address=address, scoring_key_ok=True)
        session_tags.mark_key(site_id, api_key)
        return site_id
    except TooManyAttempts as exc:
        raise ResourceExhausted(f"Too many invalid API key attempts. Retry after {exc.retry_after} seconds.",
                                retry_after=exc.retry_after) from None
    except Unauthorized:
        raise PermissionDenied("API key not valid. Please pass a valid API key.") from None
