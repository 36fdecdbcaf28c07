"""A card's precedent as an HTML fragment, fetched by static/precedent.js when a moderator opens it.

Routes are added to the review blueprint (moderation/review/__init__.py imports this module).
"""
from __future__ import annotations

from flask import abort, render_template

from moderation import auth, db
from moderation.domain.precedent import precedent_for
from moderation.review.routes import bp


@bp.get("/review/<int8:comment_id>/precedent")
@auth.login_required("moderator")
def precedent(comment_id: int) -> str:
    found = precedent_for(db.session, comment_id, viewer=auth.current_user())
    if found is None:  # another site's comment looks exactly like a missing one
        abort(404)
    return render_template("review/_precedent.html", precedents=found)
