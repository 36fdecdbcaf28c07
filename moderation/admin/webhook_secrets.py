"""Rotating a site's webhook signing secret from its admin page; the new secret is shown once."""
from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from moderation import auth, db
from moderation.admin.routes import bp, site_page
from moderation.domain.errors import Conflict, ValidationFailed
from moderation.domain.webhook_secrets import (SecretInGrace, end_previous_webhook_secret, fingerprint, parse_grace,
                                               rotate_webhook_secret)
from moderation.models import Site


@bp.app_context_processor
def _secret_helpers() -> dict[str, object]:
    return {"secret_fingerprint": fingerprint}


@bp.post("/sites/<int:site_id>/webhook-secret")
@auth.site_admin_required
def rotate_secret(site_id: int) -> Response | tuple[str, int]:
    site = db.get_or_404(Site, site_id)
    try:
        grace = parse_grace(request.form.get("grace", ""))
    except ValidationFailed as error:
        return site_page(site, error=error), 400
    try:
        rotation = rotate_webhook_secret(db.session, site_id, grace, actor=f"user:{auth.current_user().username}",
                                         drawn_with=request.form.get("drawn_with"))
    except (SecretInGrace, Conflict) as error:
        db.session.rollback()
        return site_page(site, error=error), 409
    db.session.commit()
    response = make_response(render_template("admin/webhook_secret.html", site=rotation.site,
                                             secret=rotation.secret, until=rotation.previous_valid_until))
    # The secret is shown this once: no browser or proxy may keep a copy of the page.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/sites/<int:site_id>/webhook-secret/end-previous")
@auth.site_admin_required
def end_previous_secret(site_id: int) -> Response:
    site = db.get_or_404(Site, site_id)
    ended = end_previous_webhook_secret(db.session, site_id, actor=f"user:{auth.current_user().username}")
    db.session.commit()
    flash("The previous webhook secret has stopped signing." if ended else "There was no previous secret signing.",
          "success" if ended else "info")
    return redirect(url_for("admin.edit_site", site_id=site.id), code=303)
