"""Signing moderators and admins in and out, and the role check every page uses.

The Flask session (a signed, HttpOnly, SameSite=Lax cookie) holds the user's id and their session
generation; the user is loaded on each request so a deactivated account or a changed role takes
effect at once, and a cookie whose generation is behind (after sign-out, a disable or a new
password) is anonymous, however long it was saved. A session unused for SESSION_IDLE_MINUTES
ends too: a queue left open on a shared newsroom computer overnight is not a moderator at work.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, jsonify, redirect, render_template, request, session, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from moderation import db, session_tags
from moderation.domain.errors import AccountDisabled, Busy, TooManyAttempts
from moderation.domain.membership import administers
from moderation.domain.signin import device_for, device_token, sign_in
from moderation.domain.users import end_sessions
from moderation.models import User

# An admin can do everything a site admin can, and a site admin everything a moderator can.
ROLE_RANK = {"moderator": 1, "site_admin": 2, "admin": 3}

F = TypeVar("F", bound=Callable[..., Any])

# Requests a page makes by itself to stay current (the queue's poll for new comments, an open
# comment's state, a training run's or a rescore's progress): a page, not a person, so they are not activity.
PASSIVE_ENDPOINTS = frozenset({"review.updates", "review.card_state", "admin.training_status", "review.session_state",
                               "admin.rescore_held_status"})
# The cookie is rewritten at most this often, not on every request, to say the user was here.
_SEEN_STEP_SECONDS = 60


def _idle_check(valid: bool) -> bool:
    """Whether a valid session is still in use; notes this request as activity unless it is passive.
    A session from before idle sign-out (no time seen) counts from now."""
    if not valid:
        return False
    now = int(time.time())
    seen = session.get("seen")
    if _seconds_left(now) < 0:
        g.session_idle = True
        return False
    if not isinstance(seen, int) or (now - seen >= _SEEN_STEP_SECONDS and request.endpoint not in PASSIVE_ENDPOINTS):
        session["seen"] = now
    return True


def current_user() -> User | None:
    if "user" not in g:
        user_id = session.get("user_id")
        user = db.session.get(User, user_id) if isinstance(user_id, int) else None
        valid = _idle_check(user is not None and user.active and session.get("gen") == user.session_generation)
        g.user = user if valid else None
        g.session_ended = user_id is not None and not valid
        if g.user is not None:
            session_tags.mark_request(g.user.username)
    return g.user


def login_required(role: str = "moderator") -> Callable[[F], F]:
    """Anonymous visitors go to /login; signed-in users without the role get 403."""
    if role not in ROLE_RANK:
        raise ValueError(f"unknown role {role!r}")

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None and _asked_by_a_script():
                # A page's poll or a script's call is answered, not redirected: fetch() followed the
                # redirect to /login, whose page used up the "signed out after 8 hours" message (and
                # clearing the session here took the CSRF token a form still open on the page needed).
                return jsonify({"error": {"code": "signed_out", "message": "Your session has ended: sign in again.",
                                          "field": None}}), 401
            if user is None:
                # After signing in, come back here; a form post cannot be replayed, so those go back to
                # the page it came from (its `next`), else the queue, saying it was not saved: a
                # moderator signed out in another browser clicked Reject, signed in again on the whole
                # queue, and believed the rejection made (a moderator's walk).
                target = request.full_path.rstrip("?") if request.method == "GET" else request.form.get("next")
                comment_id = (request.view_args or {}).get("comment_id")
                if target and comment_id is not None:
                    # On the comment whose decision was lost, not the next card the form would have
                    # gone on to: "do it again" there decided another comment (a re-check).
                    target = f"{target.split('#')[0]}#comment-{comment_id}"
                if g.get("session_idle"):
                    session.clear()
                    hours = current_app.config["SESSION_IDLE_MINUTES"] / 60
                    flash(f"You were signed out after {number_of(hours)} without using this page.", "info")
                elif g.get("session_ended"):
                    # Else a moderator sent to sign in mid-shift is left guessing why; said once.
                    session.clear()
                    flash("You were signed out: your password, role or account was changed, "
                          "or you signed out in another browser.", "info")
                if request.method != "GET":
                    flash("What you just sent was not saved, as you were signed out: sign in, then do it again.",
                          "warning")
                return redirect(url_for("review.login", next=target))
            if ROLE_RANK.get(user.role, 0) < ROLE_RANK[role]:
                return render_template("error.html", title="Not allowed",
                                       message="Your account cannot open this page."), 403
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def site_admin_required(view: F) -> F:
    """A page about the site its URL names (`site_id`): admins, and that site's site admins. Another
    site's page is 404 to a site admin, as if it did not exist, as another site's comment is."""
    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if not administers(db.session, current_user(), kwargs["site_id"]):
            abort(404)
        return view(*args, **kwargs)

    return login_required("site_admin")(checked)  # type: ignore[return-value]


def _asked_by_a_script() -> bool:
    return request.endpoint in PASSIVE_ENDPOINTS or request.accept_mimetypes.best == "application/json"


def number_of(hours: float) -> str:
    """8 as "8 hours", 0.5 as "30 minutes"."""
    if hours < 1:
        minutes = round(hours * 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    whole = f"{hours:g}"
    return f"{whole} hour{'s' if whole != '1' else ''}"


def safe_next(target: str | None) -> str:
    """Only follow a `next` that stays on this site, so /login cannot be an open redirect."""
    if not target:
        return url_for("review.queue")
    parts = urlsplit(target)
    if (parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target
            or not target.isprintable()):  # a CR/LF made the redirect raise: a 500 (a security review)
        return url_for("review.queue")
    return target


# Said in the form, tied to both fields (aria-describedby) and read out at once (role=alert), with
# the focus on the password: as a flash at the foot of the window, a screen reader heard the
# username field, which had the focus, and not why.
WRONG = "Wrong username or password."


# The views below are mounted on the review blueprint (see review/routes.py), at /login and /logout.
def login() -> Response | str | tuple[str, int]:
    next_url = request.values.get("next")
    if request.method == "GET":
        if current_user() is not None:
            return redirect(safe_next(next_url))
        return render_template("login.html", next=next_url or "")
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    if not (username and password):
        return render_template("login.html", next=next_url or "", username=username, error=WRONG), 401
    tag = session_tags.new_tag()
    try:
        user = sign_in(db.session, username, password, guard=current_app.extensions["sign_in_guard"],
                       address=request.remote_addr, device=device_for(db.session, username, _device_cookie()),
                       browser=session_tags.browser(), session_tag=tag)
    except (TooManyAttempts, Busy) as refused:
        # No audit entry per refusal (a flood would fill the log): the lockout itself was audited.
        page = render_template("login.html", next=next_url or "", username=username, error=refused.message)
        return page, refused.status, {"Retry-After": str(refused.retry_after)}  # type: ignore[return-value]
    except AccountDisabled as refused:
        return render_template("login.html", next=next_url or "", username=username, error=refused.message), 403
    db.session.commit()
    if user is None:
        return render_template("login.html", next=next_url or "", username=username, error=WRONG), 401
    # A fresh session on sign-in: nothing from before it carries over.
    session.clear()
    session["user_id"] = user.id
    session["gen"] = user.session_generation
    session["seen"] = int(time.time())
    session[session_tags.SESSION_KEY] = tag
    response = redirect(safe_next(next_url))
    if device_for(db.session, username, _device_cookie()) is None:
        remember_device(response, user)
    return response


def remember_device(response: Response, user: User) -> Response:
    """The response, with this browser's device cookie for `user` as it stands now."""
    _set_device_cookie(response, device_token(user))
    return response


DEVICE_COOKIE = "moderation_device"
_DEVICE_SALT = "sign-in-device"


def _device_cookie() -> tuple[str, str, str] | None:
    """The (account, nonce, password stamp) of this browser's signed device cookie, None when it has none
    or a forged one (or one from before the stamp, which held a number)."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw or len(raw) > 400:
        return None
    try:
        account, nonce, stamp = URLSafeSerializer(current_app.secret_key, salt=_DEVICE_SALT).loads(raw)
    except (BadSignature, ValueError, TypeError):
        return None
    if isinstance(account, str) and isinstance(nonce, str) and isinstance(stamp, str):
        return account, nonce, stamp
    return None


def _set_device_cookie(response: Response, token: tuple[str, str, str]) -> None:
    # Sent to the sign-in page alone, for as long as a browser keeps a cookie (Chromium: 400 days).
    response.set_cookie(DEVICE_COOKIE, URLSafeSerializer(current_app.secret_key, salt=_DEVICE_SALT).dumps(list(token)),
                        max_age=400 * 86400, path=url_for("review.login"), httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))


def logout() -> Response:
    user = current_user()
    if user is not None:
        # Clearing our copy of the cookie is not enough: a saved copy would still be valid.
        # This signs the user out of every browser, which is what "sign out" should promise.
        end_sessions(db.session, user)
        db.session.commit()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("review.login"))


def session_state() -> Response:
    """How long the session has before idle sign-out, for static/idle.js: a tab's own clock knew
    nothing of the user's other tabs, and one said "You were signed out" while another was in use."""
    return jsonify({"seconds_left": max(0, _seconds_left(int(time.time())))})


def _seconds_left(now: int) -> int:
    """Seconds before the session is idle too long (negative: it is); a session from before idle
    sign-out (no time seen) has all of them."""
    seen = session.get("seen")
    limit = current_app.config["SESSION_IDLE_MINUTES"] * 60
    return limit - (now - seen) if isinstance(seen, int) else limit
