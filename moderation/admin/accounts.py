"""The admins' accounts page: users (add, disable, enable, new password, role) and sites (add) and
their API and scoring keys (rotate or replace, revoke).

Routes stay thin: each calls one domain function, commits, and redirects, except a rotation and
a new site, which render the new key in their response (never in a flash message: those travel in
the session cookie) with no-store so no cache keeps it.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from moderation import auth, db
from moderation.admin.routes import bp
from moderation.domain.accounts import add_account, add_site, give_new_password
from moderation.domain.errors import Conflict, DomainError, ValidationFailed
from moderation.domain.membership import site_names_by_member
from moderation.domain.signin import locked_for
from moderation.domain.site_rows import ROW_TTL
from moderation.domain.sites import (issue_scoring_key, key_summary, parse_grace, revoke_keys, revoke_scoring_key,
                                     rotate_key)
from moderation.domain.users import a_role, disable_user, enable_user, list_users, set_role
from moderation.models import ROLES, Site, User
from moderation.request_input import parse_int

# Offered on the page; the CLI accepts any duration up to 90 days.
GRACE_CHOICES = (("0", "no grace"), ("1h", "1 hour grace"), ("24h", "24 hours grace"), ("7d", "7 days grace"))


def _actor() -> str:
    return f"user:{auth.current_user().username}"


def _page(status: int = 200, **extra: Any) -> tuple[str, int]:
    sites = db.session.scalars(select(Site).order_by(Site.name)).all()
    users = list_users(db.session)
    guard = current_app.extensions["sign_in_guard"]
    locked = {user.id: minutes for user in users if (minutes := -(-locked_for(guard, user.username) // 60))}
    html = render_template("admin/accounts.html", users=users, locked=locked, member_sites=site_names_by_member(db.session),
                           sites=[(site, key_summary(site)) for site in sites], grace_choices=GRACE_CHOICES,
                           me=auth.current_user(), row_ttl=ROW_TTL, roles=ROLES,
                           active_sites=[site for site in sites if site.active], **extra)
    return html, status


def _refused(error: DomainError, **extra: Any) -> tuple[str, int]:
    db.session.rollback()
    return _page(error.status if error.status in (400, 409) else 400, error=error, **extra)


def _done(message: str) -> Response:
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("admin.accounts"), code=303)


@bp.get("/accounts")
@auth.login_required("admin")
def accounts() -> tuple[str, int]:
    return _page()


@bp.get("/accounts/users")
@bp.get("/accounts/sites")
@bp.get("/accounts/users/<int:user_id>/role")
@bp.get("/accounts/users/<int:user_id>/password")
@auth.login_required("admin")
def accounts_form_address(user_id: int | None = None) -> Response:
    """A refused form leaves its address in the bar; pressing Enter there leads back to the form,
    not to a 405."""
    anchor = "add-site" if request.path.endswith("/sites") else "add-user" if request.path.endswith("/users") else None
    return redirect(url_for("admin.accounts", _anchor=anchor), code=303)


@bp.post("/accounts/users")
@auth.login_required("admin")
def create_account() -> Response | tuple[str, int]:
    form = request.form
    role = form.get("role", "moderator")
    picked = form.getlist("sites")
    # Typed back into the form when refused; never the password.
    entered = {"username": form.get("username", ""), "role": role, "sites": set(picked)}
    try:
        site_ids = [_site_id(value) for value in picked]
        user = add_account(db.session, form.get("username", ""), form.get("password", ""), role, site_ids=site_ids,
                           actor=_actor())
    except DomainError as error:  # a name taken, a weak password, a site gone since the page was drawn
        return _refused(error, entered=entered)
    names = ", ".join(sorted(site.name for site in db.session.scalars(select(Site).where(Site.id.in_(site_ids)))))
    where = f", {'running' if role == 'site_admin' else 'moderating'} {names}" if names else (
        "; add them to a site on its page before they can see comments" if role != "admin" else "")
    return _done(f"Created {user.username}, {a_role(role)}{where}. Give them their password yourself: it is sent nowhere.")


def _site_id(value: str) -> int:
    site_id = parse_int(value)  # "²".isdigit() is True, and int("²") a 500 (a security review)
    if site_id is None:
        raise ValidationFailed("sites must be chosen from the list", field="sites")
    return site_id


@bp.post("/accounts/users/<int:user_id>/role")
@auth.login_required("admin")
def change_role(user_id: int) -> Response | tuple[str, int]:
    user = db.get_or_404(User, user_id)
    if user.id == auth.current_user().id:
        # Else the last admin could take /admin away from everyone with one click.
        return _refused(ValidationFailed("you cannot change your own role: another admin can"), error_role_user_id=user.id)
    role = request.form.get("role", "")
    try:
        set_role(db.session, user, role, actor=_actor())
    except DomainError as error:
        return _refused(error, error_role_user_id=user.id)
    return _done(f"{user.username} is now {a_role(role)}; their sessions have ended.")


@bp.post("/accounts/users/<int:user_id>/disable")
@auth.login_required("admin")
def disable_account(user_id: int) -> Response | tuple[str, int]:
    user = db.get_or_404(User, user_id)
    if user.id == auth.current_user().id:
        # Else the last admin could lock everyone out of /admin with one click.
        return _refused(ValidationFailed("you cannot disable your own account"))
    try:
        disable_user(db.session, user, actor=_actor())
    except DomainError as error:  # the last active admin, another admin having just been demoted
        return _refused(error)
    return _done(f"Disabled {user.username}; their sessions have ended.")


@bp.post("/accounts/users/<int:user_id>/enable")
@auth.login_required("admin")
def enable_account(user_id: int) -> Response:
    user = db.get_or_404(User, user_id)
    enable_user(db.session, user, actor=_actor())
    return _done(f"Enabled {user.username}, with the password the account had; set a new one if anyone else may know it.")


@bp.post("/accounts/users/<int:user_id>/password")
@auth.login_required("admin")
def reset_password(user_id: int) -> Response | tuple[str, int]:
    user = db.get_or_404(User, user_id)
    if user.id == auth.current_user().id:
        # /account asks for the current password first; here it would not, and a borrowed session
        # could take the account for good.
        return _refused(ValidationFailed("change your own password on your account page, which asks for the current one"),
                        error_user_id=user.id)
    try:
        give_new_password(db.session, user, request.form.get("password", ""), actor=_actor(),
                          guard=current_app.extensions["sign_in_guard"])
    except ValidationFailed as error:
        return _refused(ValidationFailed(f"new password for {user.username}: {error.message}", field=error.field),
                        error_user_id=user.id)
    return _done(f"New password set for {user.username}; their sessions have ended and any sign-in lockout is lifted.")


@bp.post("/accounts/sites")
@auth.login_required("admin")
def create_site_view() -> tuple[str, int, dict[str, str]] | tuple[str, int]:
    form = request.form
    entered = {"name": form.get("name", ""), "webhook_url": form.get("webhook_url", ""),
               "mode": form.get("moderation_mode", "pre"), "starter": form.get("starter_rules") == "on"}
    try:
        new = add_site(db.session, entered["name"], webhook_url=entered["webhook_url"].strip() or None,
                       moderation_mode=entered["mode"], starter=entered["starter"], actor=_actor())
    except DomainError as error:  # a name taken, a webhook URL refused
        return _refused(error, entered_site=entered)
    db.session.commit()
    html, status = _page(new_site={"site": new.site.name, "id": new.site.id, "key": new.api_key,
                                   "webhook_secret": new.webhook_secret, "starter": entered["starter"]})
    return html, status, {"Cache-Control": "no-store"}


def _grace_label(raw_grace: str) -> str:
    return dict(GRACE_CHOICES).get(raw_grace, raw_grace).removesuffix(" grace")


@bp.post("/accounts/sites/<int:site_id>/rotate")
@auth.login_required("admin")
def rotate_site_key(site_id: int) -> tuple[str, int, dict[str, str]] | tuple[str, int]:
    site = db.get_or_404(Site, site_id)
    try:
        raw_grace = request.form.get("grace", "24h")
        grace = parse_grace(raw_grace)
        # The key the form was drawn with: a reload of the new key's page sent the rotation again (an incident walk).
        new_key = rotate_key(db.session, site, grace=grace, actor=_actor(), expected_key_id=request.form.get("key_id"))
    except (ValidationFailed, Conflict) as error:
        return _refused(error)
    db.session.commit()
    html, status = _page(new_key={"site": site.name, "key": new_key,
                                  "grace": _grace_label(raw_grace) if grace else None})
    return html, status, {"Cache-Control": "no-store"}


@bp.post("/accounts/sites/<int:site_id>/scoring-key")
@auth.login_required("admin")
def issue_site_scoring_key(site_id: int) -> tuple[str, int, dict[str, str]] | tuple[str, int]:
    site = db.get_or_404(Site, site_id)
    replaced = bool(site.scoring_key_hash)
    try:
        raw_grace = request.form.get("grace", "24h")
        grace = parse_grace(raw_grace)
        # As a rotation's: a reload of the new key's page must not replace the key just shown.
        new_key = issue_scoring_key(db.session, site, grace=grace, actor=_actor(),
                                    expected_key_id=request.form.get("scoring_key_id"))
    except (ValidationFailed, Conflict) as error:
        return _refused(error)
    db.session.commit()
    html, status = _page(new_key={"site": site.name, "key": new_key, "scoring": True, "replaced": replaced,
                                  "grace": _grace_label(raw_grace) if grace else None})
    return html, status, {"Cache-Control": "no-store"}


@bp.post("/accounts/sites/<int:site_id>/revoke")
@auth.login_required("admin")
def revoke_site_key(site_id: int) -> Response:
    site = db.get_or_404(Site, site_id)
    which = request.form.get("which")
    if which in ("scoring", "previous_scoring"):
        revoke_scoring_key(db.session, site, actor=_actor(), previous_only=which == "previous_scoring")
        if which == "previous_scoring":
            return _done(f"The previous scoring key of {site.name} has stopped working; its current one goes on.")
        return _done(f"The scoring key of {site.name}, and any it replaced, has stopped working; its API key goes on.")
    previous_only = which == "previous"
    revoke_keys(db.session, site, actor=_actor(), previous_only=previous_only)
    if previous_only:
        return _done(f"The previous key of {site.name} has stopped working.")
    return _done(f"Every key of {site.name} has stopped working; rotate to issue a new one.")
