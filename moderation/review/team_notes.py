"""Adding a note for the team to a comment (domain/team_notes.py)."""
from __future__ import annotations

from flask import abort, flash, redirect, request
from werkzeug.wrappers import Response

from moderation import auth, db
from moderation.domain.errors import NotFound, ValidationFailed
from moderation.domain.team_notes import add_note
from moderation.review.routes import bp, review_path


@bp.post("/review/<int8:comment_id>/note")
@auth.login_required("moderator")
def add_team_note(comment_id: int) -> Response:
    back = review_path(request.form.get("next")) or f"/review/{comment_id}"
    try:
        add_note(db.session, comment_id, user=auth.current_user(), text=request.form.get("note"))
    except NotFound:
        abort(404)
    except ValidationFailed as error:
        flash(f"No note added: {error.sentence}", "error")
        return redirect(back, code=303)
    db.session.commit()
    flash(f"Note added to comment #{comment_id}; the site is not told.", "success")
    return redirect(back, code=303)
