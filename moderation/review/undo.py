"""Undo and reverse routes on the review blueprint (moderation/review/__init__.py imports this module).

A moderator undoes their own decision within UNDO_WINDOW_SECONDS; an admin reverses any, with a reason.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import abort, current_app, flash, redirect, request
from werkzeug.wrappers import Response

from moderation import auth, db
from moderation.domain.errors import NotFound, SiteDeactivated, ValidationFailed
from moderation.domain.undo import (UndoRefused, can_reverse, can_review_again, can_undo, review_again,
                                    reverse_decision, undo_decision)
from moderation.models import Comment, User
from moderation.review.routes import _back, bp, form_version
from moderation.review.undo_offer import take_undo_offer


def undo_window() -> timedelta:
    return timedelta(seconds=current_app.config["UNDO_WINDOW_SECONDS"])


def undo_window_words() -> str:
    """"10 minutes", or "30 seconds" for a window under two minutes (rounded to minutes it read "0 minutes")."""
    seconds = round(undo_window().total_seconds())
    if seconds >= 120:
        return f"{round(seconds / 60)} minutes"
    return f"{seconds} second{'' if seconds == 1 else 's'}"


@bp.app_context_processor
def _undo_helpers() -> dict[str, object]:
    return {
        "undo_offer": take_undo_offer,
        "can_undo": lambda comment, user: can_undo(comment, user, window=undo_window()),
        "can_reverse": can_reverse,
        "can_review_again": can_review_again,
        "undo_window_words": undo_window_words,
    }


def _take_back(comment_id: int, verb: str, act: Callable[[User, int, str | None], Comment],
               done: Callable[[Comment], str] | None = None) -> Response:
    """Undo, reverse or send to review: the form's version and reason to `act`, then back to the page.
    `done` says what happened (default: the decision `verb`, and the status it is in again)."""
    version = form_version()
    try:
        comment: Comment = act(auth.current_user(), version, request.form.get("reason"))
    except NotFound:
        abort(404)
    except (UndoRefused, SiteDeactivated) as error:
        flash(error.sentence, "warning")
    except ValidationFailed as error:
        flash(f"Comment #{comment_id}: {error.sentence}", "error")
    else:
        flash(done(comment) if done else f"Comment #{comment.id}: decision {verb}; it is {comment.status} again.",
              "success")
    return redirect(_back(stay_on=comment_id), code=303)


@bp.post("/review/<int8:comment_id>/undo")
@auth.login_required("moderator")
def undo(comment_id: int) -> Response:
    def act(user: User, version: int, reason: str | None) -> Comment:
        return undo_decision(db.session, comment_id, user=user, expected_version=version,
                             window=undo_window(), reason=reason)
    return _take_back(comment_id, "undone", act)


@bp.post("/review/<int8:comment_id>/reverse")
@auth.login_required("site_admin")
def reverse(comment_id: int) -> Response:
    def act(user: User, version: int, reason: str | None) -> Comment:
        return reverse_decision(db.session, comment_id, user=user, expected_version=version, reason=reason)
    return _take_back(comment_id, "reversed", act)


@bp.post("/review/<int8:comment_id>/review-again")
@auth.login_required("moderator")
def send_to_review(comment_id: int) -> Response:
    """A rejection no person made, sent to the queue (domain/undo.review_again)."""
    def act(user: User, version: int, reason: str | None) -> Comment:
        return review_again(db.session, comment_id, user=user, expected_version=version, reason=reason)
    return _take_back(comment_id, "sent to review", act, done=lambda c: f"Comment #{c.id} is held for review again.")
