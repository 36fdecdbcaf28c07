"""Admin: who moderates a site. Shown on the site's page; adding and removing are audited."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from sqlalchemy import or_, select
from werkzeug.wrappers import Response

from moderation import auth, db
from moderation.admin.routes import bp
from moderation.domain.errors import Conflict, NotFound, ValidationFailed
from moderation.domain.membership import MEMBER_ROLES, administered_site_ids, grant, members_of, revoke
from moderation.models import Site, SiteMember, User


@bp.context_processor
def _membership_helpers() -> dict[str, object]:
    # A helper rather than a variable, so the site page's existing view need not change.
    def moderators() -> list[str]:
        query = select(User.username).where(User.role.in_(MEMBER_ROLES), User.active.is_(True)).order_by(User.username)
        administered = administered_site_ids(db.session, auth.current_user())
        if administered is not None:
            # A site admin is offered their own sites' people and those in no site yet, not a whole
            # group's staff; a colleague of another title can still be added by name.
            query = query.where(or_(User.id.in_(select(SiteMember.user_id).where(SiteMember.site_id.in_(administered))),
                                    ~select(SiteMember.user_id).where(SiteMember.user_id == User.id).exists()))
        return list(db.session.scalars(query))

    return {"site_members": lambda site_id: members_of(db.session, site_id), "moderator_names": moderators}


def _back(site_id: int) -> Response:
    return redirect(url_for("admin.edit_site", site_id=site_id, _anchor="members"), code=303)


@bp.post("/sites/<int:site_id>/members")
@auth.site_admin_required
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
    flash(f"{user.username} now {'runs' if user.role == 'site_admin' else 'moderates'} {site.name}.", "success")
    return _back(site_id)


@bp.post("/sites/<int:site_id>/members/<int:user_id>/remove")
@auth.site_admin_required
def remove_member(site_id: int, user_id: int) -> Response:
    site = db.get_or_404(Site, site_id)
    user = db.get_or_404(User, user_id)
    try:
        revoke(db.session, user.username, site.id, actor=f"user:{auth.current_user().username}")
    except NotFound:
        db.session.rollback()
        abort(404)
    db.session.commit()
    me = auth.current_user()
    if user.id == me.id:  # a site admin who left: the site's page is no longer theirs to see (a 404 had said so)
        flash(f"You no longer run {site.name}.", "success")
        return redirect(url_for("admin.index"), code=303)
    flash(f"{user.username} no longer {'runs' if user.role == 'site_admin' else 'moderates'} {site.name}.", "success")
    return _back(site_id)
