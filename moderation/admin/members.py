"""Admin: who moderates a site. Shown on the site's page; adding and removing are audited."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from moderation import auth, db
from moderation.admin.routes import bp
from moderation.domain.errors import Conflict, NotFound, ValidationFailed
from moderation.domain.membership import grant, members_of, revoke
from moderation.models import Site, User


@bp.context_processor
def _membership_helpers() -> dict[str, object]:
    # A helper rather than a variable, so the site page's existing view need not change.
    def moderators() -> list[str]:
        return list(db.session.scalars(select(User.username).where(User.role == "moderator", User.active.is_(True))
                                       .order_by(User.username)))

    return {"site_members": lambda site_id: members_of(db.session, site_id), "moderator_names": moderators}


def _back(site_id: int) -> Response:
    return redirect(url_for("admin.edit_site", site_id=site_id, _anchor="members"), code=303)


@bp.post("/sites/<int:site_id>/members")
@auth.login_required("admin")
def add_member(site_id: int) -> Response:
    site = db.get_or_404(Site, site_id)
    username = request.form.get("username", "").strip()
    try:
        user = grant(db.session, username, site.id, actor=f"user:{auth.current_user().username}")
    except (NotFound, Conflict, ValidationFailed) as error:
        db.session.rollback()
        flash(error.message[:1].upper() + error.message[1:] + ".", "error")
        return _back(site_id)
    db.session.commit()
    flash(f"{user.username} now moderates {site.name}.", "success")
    return _back(site_id)


@bp.post("/sites/<int:site_id>/members/<int:user_id>/remove")
@auth.login_required("admin")
def remove_member(site_id: int, user_id: int) -> Response:
    site = db.get_or_404(Site, site_id)
    user = db.get_or_404(User, user_id)
    try:
        revoke(db.session, user.username, site.id, actor=f"user:{auth.current_user().username}")
    except NotFound:
        db.session.rollback()
        abort(404)
    db.session.commit()
    flash(f"{user.username} no longer moderates {site.name}.", "success")
    return _back(site_id)
