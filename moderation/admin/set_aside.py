"""Admin page for comments scoring set aside: each one's error, and retry or reject."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from moderation import auth, db
from moderation.admin.routes import bp
from moderation.domain.dispatch import send_for_scoring
from moderation.domain.lifecycle import commit_and_send
from moderation.domain.errors import AlreadyDecided, NotFound, ValidationFailed
from moderation.domain.set_aside import reject_set_aside, retry_scoring, set_aside_comments


@bp.get("/set-aside")
@auth.login_required("admin")
def set_aside() -> str:
    return render_template("admin/set_aside.html", comments=set_aside_comments(db.session))


@bp.post("/set-aside/<int8:comment_id>/retry")
@auth.login_required("admin")
def retry_set_aside(comment_id: int) -> Response:
    try:
        retry_scoring(db.session, comment_id, user=auth.current_user())
    except NotFound:
        abort(404)
    db.session.commit()
    send_for_scoring(db.session, [comment_id])
    flash(f"Comment #{comment_id} goes back to scoring.", "success")
    return redirect(url_for("admin.set_aside"), code=303)


@bp.post("/set-aside/<int8:comment_id>/reject")
@auth.login_required("admin")
def reject_set_aside_comment(comment_id: int) -> Response:
    try:
        delivery = reject_set_aside(db.session, comment_id, user=auth.current_user(), reason=request.form.get("reason"))
    except NotFound:
        db.session.rollback()
        abort(404)
    except (ValidationFailed, AlreadyDecided) as error:
        db.session.rollback()
        flash(f"Comment #{comment_id}: {error.sentence}", "error")
        return redirect(url_for("admin.set_aside"), code=303)
    commit_and_send(db.session, [delivery])
    flash(f"Comment #{comment_id} rejected.", "success")
    return redirect(url_for("admin.set_aside"), code=303)
