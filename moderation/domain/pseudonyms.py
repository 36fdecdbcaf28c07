"""What a site learns about who decided: a stable pseudonymous moderator id, unless it opted in to names.

Login names are credentials' other half and people's names; sites need only to tell moderators
apart (the same moderator gets the same id on every comment and every site), so they get
"mod_" + a truncated HMAC of the user id, keyed by a server secret they never see.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app

from moderation.models import Site, User

PREFIX = "mod_"
LENGTH = 16  # hex digits: 64 bits, no collision among any plausible number of moderators


def _key() -> bytes:
    configured = current_app.config.get("MODERATOR_ID_SECRET")
    if configured:
        return configured.encode()
    # Derived, so knowing a pseudonym says nothing about SECRET_KEY (which signs sessions).
    return hmac.new(str(current_app.config["SECRET_KEY"]).encode(), b"moderator-pseudonyms", hashlib.sha256).digest()


def moderator_pseudonym(user_id: int) -> str:
    return PREFIX + hmac.new(_key(), str(user_id).encode(), hashlib.sha256).hexdigest()[:LENGTH]


def moderator_reference(user: User | None, site: Site) -> str | None:
    """The moderator as this site may see them."""
    if user is None:
        return None
    return user.username if site.share_moderator_names else moderator_pseudonym(user.id)
