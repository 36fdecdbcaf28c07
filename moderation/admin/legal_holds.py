"""The legal holds page: keep a site's comments as evidence, whatever retention or an erasure asks
(domain/legal_holds.py). The group's admins place and lift them."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from moderation import auth, db
from moderation.admin.routes import bp
from moderation.domain.errors import DomainError, NotFound
from moderation.domain.legal_holds import SCOPES, hold_input, lift_hold, list_holds, place_hold
from moderation.models import Site
from moderation.request_input import parse_int


def _page(form: dict | None = None, error: DomainError | None = None, status: int = 200) -> tuple[str, int]:
    sites = db.session.scalars(select(Site).order_by(Site.name)).all()
    return render_template("admin/legal_holds.html", holds=list_holds(db.session), sites=sites, scopes=SCOPES,
                           form=form or {}, error=error), status


@bp.get("/legal-holds")
@auth.login_required("admin")
def legal_holds() -> tuple[str, int]:
    return _page()


@bp.post("/legal-holds")
@auth.login_required("admin")
def place_legal_hold() -> Response | tuple[str, int]:
    form = request.form
    try:
        hold = place_hold(db.session, hold_input(parse_int(form.get("site_id")), form.get("scope"), form.get("target"),
                                                 form.get("reason")), auth.current_user())
    except DomainError as error:
        db.session.rollback()
        return _page(form.to_dict(), error, 400)
    db.session.commit()
    held = f"comment #{hold.target}" if hold.scope == "comment" else f"{hold.scope} {hold.target!r}"
    flash(f"Hold #{hold.id} stands on {held} of {hold.site.name}: retention and erasure leave "
          "its comments be until it is lifted.", "success")
    return redirect(url_for("admin.legal_holds"), code=303)


@bp.post("/legal-holds/<int8:hold_id>/lift")
@auth.login_required("admin")
def lift_legal_hold(hold_id: int) -> Response:
    try:
        hold = lift_hold(db.session, hold_id, auth.current_user(), request.form.get("reason"))
    except NotFound:
        abort(404)
    except DomainError as error:
        db.session.rollback()
        flash(f"Not lifted: {error.message}.", "error")
        return redirect(url_for("admin.legal_holds"), code=303)
    db.session.commit()
    flash(f"Hold #{hold.id} lifted: retention and erasure apply to its comments again.", "success")
    return redirect(url_for("admin.legal_holds"), code=303)
