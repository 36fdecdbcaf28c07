"""Moderators and admins who sign in to the review pages."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.domain.errors import Conflict, ValidationFailed
from moderation.domain.passwords import check_password_policy, hash_secret, verify_secret
from moderation.models import ROLES, User


def create_user(session: Session, username: str, password: str, role: str) -> User:
    username = username.strip()
    if not username:
        raise ValidationFailed("username must not be empty", field="username")
    if role not in ROLES:
        raise ValidationFailed(f"role must be one of {', '.join(ROLES)}", field="role")
    check_password_policy(password, username)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"user {username!r} exists already", field="username")
    user = User(username=username, password_hash=hash_secret(password), role=role)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None or not user.active:
        # Hash anyway so a wrong username takes as long as a wrong password.
        verify_secret(hash_secret("timing-equaliser"), password)
        return None
    return user if verify_secret(user.password_hash, password) else None
