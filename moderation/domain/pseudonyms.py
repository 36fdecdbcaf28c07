"""What a site learns about who decided: a stable pseudonymous moderator id, unless it opted in to names.

Login names are credentials' other half and people's names; sites need only to tell moderators
apart (the same moderator gets the same id on every comment and every site), so they get
"mod_" + a truncated HMAC of the user id, keyed by a server secret they never see.
"""
from __future__ import annotations

import hashlib
import hmac

from sqlalchemy.orm import object_session

from moderation.domain.settings import domain_settings
from moderation.models import Site, User

PREFIX = "mod_"
LENGTH = 16  # hex digits: 64 bits, no collision among any plausible number of moderators


def moderator_pseudonym(user_id: int, key: bytes) -> str:
    """`key`: DomainSettings.pseudonym_key (MODERATOR_ID_SECRET, or derived from SECRET_KEY)."""
    return PREFIX + hmac.new(key, str(user_id).encode(), hashlib.sha256).hexdigest()[:LENGTH]


def moderator_reference(user: User | None, site: Site) -> str | None:
    """The moderator as this site may see them; the key comes with the session the user was read in."""
    if user is None:
        return None
    if site.share_moderator_names:
        return user.username
    return moderator_pseudonym(user.id, domain_settings(object_session(user)).pseudonym_key)


def user_of_pseudonym(session, pseudonym: str) -> User | None:  # noqa: ANN001 - a Session
    """The account a site's `mod_...` id stands for: counsel holding a site's record had no page to
    look one up on (an admin's audit search reads it)."""
    from sqlalchemy import select

    pseudonym = pseudonym.strip().lower()
    if not pseudonym.startswith(PREFIX) or len(pseudonym) != len(PREFIX) + LENGTH:
        return None
    key = domain_settings(session).pseudonym_key
    return next((user for user in session.scalars(select(User))
                 if hmac.compare_digest(moderator_pseudonym(user.id, key), pseudonym)), None)
