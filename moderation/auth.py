"""Signing moderators and admins in and out, and the role check every page uses.

The Flask session (a signed, HttpOnly, SameSite=Lax cookie) holds only the user's id; the user
is loaded on each request so a deactivated account or a changed role takes effect at once.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from moderation import db
from moderation.domain.users import authenticate
from moderation.models import User

# An admin can do everything a moderator can.
ROLE_RANK = {"moderator": 1, "admin": 2}

F = TypeVar("F", bound=Callable[..., Any])


def current_user() -> User | None:
    if "user" not in g:
        user_id = session.get("user_id")
        user = db.session.get(User, user_id) if isinstance(user_id, int) else None
        g.user = user if user is not None and user.active else None
    return g.user


def login_required(role: str = "moderator") -> Callable[[F], F]:
    """Anonymous visitors go to /login; signed-in users without the role get 403."""
    if role not in ROLE_RANK:
        raise ValueError(f"unknown role {role!r}")

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                # After signing in, come back here; a form post cannot be replayed, so those go to the queue.
                target = request.full_path.rstrip("?") if request.method == "GET" else None
                return redirect(url_for("review.login", next=target))
            if ROLE_RANK.get(user.role, 0) < ROLE_RANK[role]:
                return render_template("error.html", title="Not allowed",
                                       message="Your account cannot open this page."), 403
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def _safe_next(target: str | None) -> str:
    """Only follow a `next` that stays on this site, so /login cannot be an open redirect."""
    if not target:
        return url_for("review.queue")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("review.queue")
    return target


# The views below are mounted on the review blueprint (see review/routes.py), at /login and /logout.
def login() -> Response | str | tuple[str, int]:
    next_url = request.values.get("next")
    if request.method == "GET":
        if current_user() is not None:
            return redirect(_safe_next(next_url))
        return render_template("login.html", next=next_url or "")
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    user = authenticate(db.session, username, password) if username and password else None
    if user is None:
        flash("Wrong username or password.", "error")
        return render_template("login.html", next=next_url or "", username=username), 401
    # A fresh session on sign-in: nothing from before it carries over.
    session.clear()
    session["user_id"] = user.id
    return redirect(_safe_next(next_url))


def logout() -> Response:
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("review.login"))
