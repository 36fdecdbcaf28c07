"""Moderators and admins who sign in to the review pages, and what admins do to their accounts."""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from moderation.domain.errors import AccountDisabled, Conflict, NotFound, ValidationFailed
from moderation.domain.lookalikes import insert_named, new_name
from moderation.domain.passwords import burn_one_verification, check_password_policy, hash_secret, verify_secret
from moderation.domain.status import audit, now
from moderation.models import ROLES, ReviewClaim, User


MAX_USERNAME_LENGTH = 100  # the column's


# Written together in one name: Japanese mixes kanji with kana.
_ONE_WRITING = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK"}


def _scripts(name: str) -> set[str]:
    """The alphabets a name's letters come from ("LATIN", "CYRILLIC" ...), by their Unicode names."""
    found = {unicodedata.name(c, "?").split(" ")[0] for c in name if c.isalpha()}
    return {_ONE_WRITING.get(script, script) for script in found}


def spelled(username: str) -> str:
    """One spelling of a name: "sämé" typed with a combining accent is the same name as with é."""
    return unicodedata.normalize("NFC", username.strip())


# What a new username may hold: letters of one alphabet, digits, and . _ - @ (an e-mail address
# works), at most 64. A head of community's walk made "<b>ada</b>", "🙂 mod" and a 300-character
# name, which every list, claim and audit line then showed; names made before keep working.
_USERNAME = re.compile(r"[^\W_][\w.@\-]{0,63}")


def create_user(session: Session, username: str, password: str, role: str) -> User:
    if not spelled(username):
        raise ValidationFailed("username must not be empty", field="username")
    scripts = _scripts(spelled(username))
    if len(scripts) > 1:  # "mаria" with a Cyrillic а reads as "maria" in every list and log
        raise ValidationFailed(f"username mixes alphabets ({' and '.join(sorted(s.title() for s in scripts))}), "
                               "which makes look-alike names", field="username")
    if role not in ROLES:
        raise ValidationFailed(f"role must be one of {', '.join(ROLES)}", field="role")
    check_password_policy(password, spelled(username))
    # "Mona" beside "mona" (or "ｍｏｎａ", "mоna" with a Cyrillic о) would be two accounts a colleague
    # cannot tell apart in the queue's claims, the audit log or a webhook's moderator.
    username = new_name(session, username, select(User.username), kind="user", label="username",
                        max_length=MAX_USERNAME_LENGTH)
    if not _USERNAME.fullmatch(username):  # after the look-alike checks, which say more about a name they refuse
        raise ValidationFailed("a username is at most 64 letters, digits and . _ - @, starting with a letter or "
                               "digit, with no spaces", field="username")
    user = User(username=username, password_hash=hash_secret(password), role=role)
    insert_named(session, user, username, kind="user", label="username")
    return user


def find_user(session: Session, username: str) -> User | None:
    """The user of this name as typed, else the one user whose name it is whatever the case: a phone's
    keyboard capitalises the first letter, so "Maria" is maria (unless, made before names ignored
    case, two users answer to it)."""
    name = spelled(username)
    user = session.scalar(select(User).where(User.username == name))
    if user is None:
        alike = session.scalars(select(User).where(func.lower(User.username) == name.lower()).limit(2)).all()
        user = alike[0] if len(alike) == 1 else None
    return user


def authenticate(session: Session, username: str, password: str, *, say_disabled: bool = False) -> User | None:
    """The active user with this name and password, or None; every outcome costs one argon2 verify.
    With say_disabled, the right password for a disabled account raises AccountDisabled: whoever
    typed it knows the account already, and "Wrong username or password" sent them to reset it."""
    user = find_user(session, username)
    if user is None:
        # One verification against a hash made once per process: as slow as a wrong password,
        # and no longer twice as slow (hashing then verifying), which told names apart by timing.
        burn_one_verification(password)
        return None
    if not verify_secret(user.password_hash, password):
        return None
    if not user.active:
        if say_disabled:
            raise AccountDisabled("This account is turned off. Ask an admin to turn it back on.")
        return None
    return user


def user_named(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise NotFound(f"no user named {username!r}", field="username")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(func.lower(User.username), User.username)))


def end_sessions(session: Session, user: User) -> None:
    """Every cookie issued to this user so far stops working (they carry the old generation)."""
    session.execute(update(User).where(User.id == user.id)
                    .values(session_generation=User.session_generation + 1)
                    .execution_options(synchronize_session="fetch"))


def keep_an_admin(session: Session, user: User) -> None:
    """Conflict if `user` is the last active admin, whose rights are about to go. The active admins'
    rows are locked first, so two admins demoting or disabling each other at the same moment are
    taken one after the other, and the second sees the first's change: without the lock both went
    through and no one could open /admin."""
    if user.role != "admin" or not user.active:
        return
    admins = session.scalars(select(User.id).where(User.role == "admin", User.active.is_(True))
                             .order_by(User.id).with_for_update()).all()
    if set(admins) <= {user.id}:
        raise Conflict(f"user {user.username} is the last active admin: make another user an admin first", field="role")


def disable_user(session: Session, user: User, *, actor: str) -> None:
    keep_an_admin(session, user)
    user.active = False
    end_sessions(session, user)
    session.execute(delete(ReviewClaim).where(ReviewClaim.user_id == user.id))  # colleagues may take their cards
    audit(session, actor, "user:disabled", user=user.username)


def enable_user(session: Session, user: User, *, actor: str) -> None:
    user.active = True
    audit(session, actor, "user:enabled", user=user.username)


def set_password(session: Session, user: User, password: str, *, actor: str) -> None:
    """A new password (policy-checked) signs the user out everywhere. The caller commits."""
    check_password_policy(password, user.username)
    user.password_hash = hash_secret(password)
    end_sessions(session, user)
    audit(session, actor, "user:password_changed", user=user.username)


def a_role(role: str) -> str:
    """"a moderator", "a site admin", "an admin": a role as a sentence says it."""
    return f"a{'n' if role == 'admin' else ''} {role.replace('_', ' ')}"


def set_role(session: Session, user: User, role: str, *, actor: str) -> None:
    """Make the user a moderator, a site admin or an admin; their sessions end, so no page open with the old rights
    goes on working. The caller commits."""
    if role not in ROLES:
        raise ValidationFailed(f"role must be one of {', '.join(ROLES)}", field="role")
    if user.role == role:
        raise Conflict(f"user {user.username} is {a_role(role)} already", field="role")
    keep_an_admin(session, user)
    was, user.role = user.role, role
    end_sessions(session, user)
    audit(session, actor, "user:role_changed", user=user.username, role=role, was=was)


def record_sign_in(user: User) -> None:
    user.last_login_at = now()
