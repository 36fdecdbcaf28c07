"""A signed-in user's own account: who they are, the sites they moderate, and a new password."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from moderation import auth, db
from moderation.domain.accounts import change_own_password
from moderation.domain.errors import Busy, TooManyAttempts, ValidationFailed
from moderation.domain.membership import visible_sites
from moderation.review.routes import bp


def _page(status: int = 200, **extra: object) -> tuple[str, int]:
    user = auth.current_user()
    sites = None if user.role == "admin" else visible_sites(db.session, user)
    return render_template("review/account.html", user=user, sites=sites, **extra), status


@bp.get("/account")
@auth.login_required("moderator")
def account() -> tuple[str, int]:
    return _page()


@bp.get("/account/password")
@auth.login_required("moderator")
def password_form_address() -> Response:
    """A refused change leaves this address in the bar; Enter there leads back to the form, not to a 405."""
    return redirect(url_for("review.account"), code=303)


@bp.post("/account/password")
@auth.login_required("moderator")
def change_password() -> Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    user = auth.current_user()
    form = request.form
    try:
        change_own_password(db.session, user, form.get("current_password", ""), form.get("password", ""),
                            form.get("confirm_password", ""), guard=current_app.extensions["sign_in_guard"],
                            address=request.remote_addr)
    except ValidationFailed as error:
        db.session.commit()  # only a lockout's audit entry, when a wrong password brought one
        return _page(400, error=error)
    except (TooManyAttempts, Busy) as refused:
        db.session.rollback()
        html, _ = _page(refused.status, error=refused)
        return html, refused.status, {"Retry-After": str(refused.retry_after)}
    db.session.commit()
    # The new password ended every session; this one goes on, under the new generation.
    session["gen"] = user.session_generation
    flash("Your password is changed. Any other browser you were signed in on is signed out.", "success")
    # This browser stays a known one: its cookie, of the old generation, counted as none, and a
    # stranger's guesses then locked her out of her own browser (a re-check).
    return auth.remember_device(redirect(url_for("review.account"), code=303), user)
