"""Signing in with a password, limited per account and per client address.

The limit is checked before argon2 runs, so a locked account or address costs no hashing, and a
right password is refused too until the window ends: otherwise guessing would only be slowed.
Argon2 also runs in a few slots per process only, so sign-in floods cannot take every web thread
from the API.

A browser that signed in to an account before carries a device token for it (a signed cookie,
OWASP's "device cookie"): its attempts count against that token alone, so a stranger's guesses,
which lock the account for every other browser, do not lock out its own moderator (a security
review: ten requests a quarter hour kept any named moderator out of the queue).
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import math
import secrets
import threading
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from moderation.domain.errors import Busy, TooManyAttempts
from moderation.domain.sites import Limiter
from moderation.domain.status import audit
from moderation.domain.users import authenticate, find_user, record_sign_in, spelled
from moderation.models import User

log = logging.getLogger(__name__)

SIGNED_IN = "auth:signed_in"
# The audit detail naming the sign-in an entry came from (session_tags.py writes it on the web's entries).
SESSION_TAG = "session_tag"


@dataclass
class SignInGuard:
    limiter: Limiter
    argon2_slots: int = 2
    # A sign-in waiting for a slot still holds a web thread, so it waits briefly, then is told to retry.
    slot_wait: float = 1.0
    _slots: threading.BoundedSemaphore = field(init=False)

    def __post_init__(self) -> None:
        self._slots = threading.BoundedSemaphore(self.argon2_slots)


def too_many(retry_after: int) -> TooManyAttempts:
    minutes = max(1, math.ceil(retry_after / 60))
    return TooManyAttempts(f"Too many attempts, try again in {minutes} minute{'s' if minutes > 1 else ''}.",
                           retry_after=retry_after)


def _account(username: str) -> dict[str, str | None]:
    # As users are found: "jose\u0301" is "josé", and must not be a second count of guesses for it.
    return {"user": spelled(username).lower()[:100]}


def _password_stamp(user: User) -> str:
    """What a device token is bound to: the account's password as it is now, so a reset or a change ends
    every token given before it (a re-check minted four before a reset and guessed the new password 10
    times with each). Not its session generation, which sign-out moves on too: a moderator who signed
    out was then locked out of her own browser by a stranger's guesses (a newspaper group's walk). A
    digest of the salted hash, which says nothing of the password without the hash itself."""
    return hashlib.blake2b(user.password_hash.encode(), digest_size=12, person=b"device-stamp").hexdigest()


def device_token(user: User) -> tuple[str, str, str]:
    """A new device token for a browser that just signed in: (the account as counted, a random nonce,
    the stamp of the account's password)."""
    return _account(user.username)["user"] or "", secrets.token_urlsafe(16), _password_stamp(user)


def device_for(session: Session, username: str, signed: tuple[str, str, str] | None) -> str | None:
    """The nonce of a verified device token given for this account since its password last changed,
    else None."""
    if not signed or signed[0] != _account(username)["user"]:
        return None
    user = find_user(session, username)
    return signed[1] if user is not None and hmac.compare_digest(_password_stamp(user), signed[2]) else None


def locked_for(guard: SignInGuard, username: str) -> int:
    """Seconds until the account may try to sign in again; 0 when it is not locked out."""
    return guard.limiter.retry_after(_account(username))


def lift_lockout(guard: SignInGuard, username: str) -> bool:
    """Forget the account's failed attempts (its address's stay counted); False when the shared
    counts could not be reached."""
    return guard.limiter.forgive(_account(username))


def sign_in(session: Session, username: str, password: str, *, guard: SignInGuard, address: str | None,
            now: float | None = None, device: str | None = None, browser: str | None = None,
            session_tag: str | None = None) -> User | None:
    """The user, None for a wrong name or password, or TooManyAttempts / Busy / AccountDisabled. The
    caller commits. A sign-in is audited with its address, browser and session's tag (session_tags.py):
    an incident walk's attacker signed in with a phished password and nothing recorded when or where."""
    user = check_password(session, username, password, guard=guard, address=address, now=now, say_disabled=True,
                          device=device)
    if user is not None:
        record_sign_in(user)
        audit(session, f"user:{user.username}", SIGNED_IN, address=address, browser=browser,
              known_browser=device is not None, **{SESSION_TAG: session_tag})
    return user


def check_password(session: Session, username: str, password: str, *, guard: SignInGuard, address: str | None,
                   now: float | None = None, say_disabled: bool = False, device: str | None = None) -> User | None:
    """`sign_in` without recording a sign-in: for a signed-in user confirming their password, under
    the same limits. `device`: the token of a browser that signed in to this account before, whose
    attempts are counted on their own (a verified cookie; see the module's docstring)."""
    # A known browser's attempts count on their own, not the account's nor its address's: its cookie was
    # given at a sign-in with the password the account has now, so whoever sends it knew that password,
    # and 30 guesses from a newsroom's shared address had locked every title's moderators out of their
    # own browsers (a newspaper group's walk).
    subjects = {"device": device} if device else {**_account(username), "addr": address}
    retry_after = guard.limiter.retry_after(subjects, now)
    if retry_after:
        raise too_many(retry_after)
    if not guard._slots.acquire(timeout=guard.slot_wait):
        raise Busy("The server is busy signing others in. Try again in a few seconds.")
    try:
        user = authenticate(session, username, password, say_disabled=say_disabled)
    finally:
        guard._slots.release()
    if user is None:
        for kind in guard.limiter.failed(subjects, now):
            audit(session, f"address:{address}", "auth:login_locked", limit=kind, username=_account(username)["user"])
            # In the log too, where an operator watching for brute force looks (an incident walk found only the row).
            log.warning("sign-in locked by the %s limit: account %r, from %s", kind, _account(username)["user"], address)
    return user
