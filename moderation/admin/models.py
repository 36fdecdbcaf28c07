"""/admin/models: registered versions, where each is active, promote, roll back and shadow.

The routes parse the form and call one registry function (moderation/domain/model_registry.py),
which audits the change; every process picks it up within MODEL_CHECK_INTERVAL seconds.
"""
from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from classifiers import DEFAULT_MODEL_PATH
from classifiers.attributes import ATTRIBUTES
from moderation import auth, db
from moderation.admin.model_card import card_summary, promotion_note
from moderation.admin.model_compare import compare
from moderation.admin.routes import bp
from moderation.domain import model_registry as registry
from moderation.domain.assignment_changes import last_changes
from moderation.domain.errors import DomainError
from moderation.domain.label_checks import overruling_note
from moderation.domain.version_effect import left_after_rollback
from moderation.models import ModelVersion, Site
from moderation.request_input import parse_int


def _bootstrapped() -> None:
    """A fresh installation lists the shipped model as the global version rather than nothing."""
    registry.ensure_bootstrapped(db.session, var_dir=current_app.config["VAR_DIR"],
                                 model_path=current_app.config.get("MODEL_PATH") or DEFAULT_MODEL_PATH)
    db.session.commit()


def _shipped_unregistered(versions: list[ModelVersion]) -> tuple[str, Path] | None:
    """(version, path) of the model this release ships if it is not registered: `up` says so once, in
    a terminal, which an operator's upgrade found easy to miss; this page is where an admin looks."""
    from moderation.upgrade_hints import shipped_model

    path = Path(current_app.config.get("MODEL_PATH") or DEFAULT_MODEL_PATH)
    shipped = shipped_model(path)
    if shipped is None or shipped[1] in {row.sha256 for row in versions}:
        return None
    return shipped[0], path


@bp.get("/models")
@auth.login_required("admin")
def models() -> str:
    error = None
    try:
        _bootstrapped()
    except Exception as failure:  # the page still lists what is registered, and says why nothing is active
        db.session.rollback()
        error = f"{type(failure).__name__}: {failure}"
    sites = db.session.scalars(select(Site).order_by(Site.name)).all()
    requesters = registry.run_requesters(db.session)
    return render_template(
        "admin/models.html", versions=(versions := registry.list_versions(db.session)), assignments=(assignments := registry.list_assignments(db.session)),
        own_versions=[a.site_id for a in assignments if a.site_id is not None],
        inactive_sites={s.id for s in sites if not s.active},
        requesters=requesters,
        scopes=registry.active_scopes(db.session), shadow=registry.shadow_version(db.session), sites=sites,
        site_names={s.id: s.name for s in sites}, statuses=registry, error=error, trained_for=registry.trained_for,
        trained_by=registry.trained_by,
        promotion_note=lambda card: promotion_note(card) + overruling_note(db.session, card),
        assignments_seen=registry.assignments_token(db.session), last_changes=last_changes(db.session),
        check_interval=current_app.config["MODEL_CHECK_INTERVAL"], shipped=_shipped_unregistered(versions))


@bp.get("/models/<int:version_id>/card")
@auth.login_required("admin")
def model_version_card(version_id: int) -> str:
    row = db.get_or_404(ModelVersion, version_id)
    return render_template("admin/model_version.html", row=row, card=card_summary(row.card), attributes=ATTRIBUTES,
                           card_json=registry.card_text(row), scopes=registry.active_scopes(db.session).get(row.id, []),
                           overruled=overruling_note(db.session, row.card).strip(),
                           history=registry.version_history(db.session, row),
                           trained_by=registry.trained_by(row, registry.run_requesters(db.session)))


@bp.get("/models/compare")
@auth.login_required("admin")
def compare_models() -> str | tuple[str, int]:
    """?a=&b= versions by name or id; a left out is the global version, b left out the newest other one."""
    versions = registry.list_versions(db.session)
    scopes = registry.active_scopes(db.session)
    picked = []
    for name in ("a", "b"):
        raw = (request.args.get(name) or "").strip()
        row = _version_named(raw, versions) if raw else None
        if raw and row is None:
            return render_template(
                "error.html", title="No such version",
                message=f"No version “{raw[:100]}” is registered. Compare takes a version's name as "
                        "moderation models list prints it (such as 2026.12.01-1a2b3c4d), or its number from the "
                        "links on the models page.",
                back_to=url_for("admin.models"), back_label="The registered versions"), 404
        picked.append(row)
    a, b = picked
    if a is None:
        a = next((row for row in versions if "global" in scopes.get(row.id, []) and row is not b), None) \
            or next((row for row in versions if row is not b), None)
    if b is None:
        b = next((row for row in versions if row is not a), None)
    if a is None or b is None:
        flash("Only one version is registered: there is nothing to compare it with yet.", "info")
        return redirect(url_for("admin.models"))
    cards = card_summary(a.card), card_summary(b.card)
    return render_template("admin/model_compare.html", a=a, b=b, cards=cards, versions=versions,
                           comparison=compare(*cards), scopes=scopes)


def _version_named(raw: str, versions: list[ModelVersion]) -> ModelVersion | None:
    """The version `raw` names: its id, as this site's links give it, or its name, as the command line
    prints it; a name pasted from `moderation models list` had been answered a bare "Not found"."""
    number = parse_int(raw)
    return (next((row for row in versions if row.id == number), None) if number is not None else None) \
        or next((row for row in versions if row.version == raw), None)


def _site_id() -> int | None:
    raw = (request.form.get("site_id") or "").strip()
    if not raw:
        return None
    site_id = parse_int(raw)  # "²" and ids past INT4 were a 500 (a security review)
    if site_id is None:
        abort(400)
    return site_id


def _done(change, success: str) -> Response:
    try:
        change()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(success, "success")
    return redirect(url_for("admin.models"), code=303)


def _scope_name(site_id: int | None) -> str:
    if site_id is None:
        return "every site without its own version"
    site = db.session.get(Site, site_id)
    return site.name if site else f"site {site_id}"


@bp.post("/models/promote")
@auth.login_required("admin")
def promote_model() -> Response:
    version, site_id = (request.form.get("version") or "").strip(), _site_id()
    seen = request.form.get("assignments_seen")  # the page's; a stale one is refused (registry.promote)
    reason = request.form.get("reason")
    return _done(lambda: registry.promote(db.session, version, by=auth.current_user(), site_id=site_id, seen=seen,
                                          reason=reason),
                 f"{version} is now active for {_scope_name(site_id)}.")


@bp.post("/models/rollback")
@auth.login_required("admin")
def rollback_model() -> Response:
    site_id = _site_id()
    # The version the page showed: a second admin's stale click must not roll forward again.
    from_version = (request.form.get("from_version") or "").strip() or None

    def change() -> None:
        registry.rollback(db.session, by=auth.current_user(), site_id=site_id, from_version=from_version,
                          reason=request.form.get("reason"))

    left = left_after_rollback(db.session, from_version, site_id)
    return _done(change, f"Rolled back {_scope_name(site_id)}." + (f" {left}" if left else ""))


@bp.post("/models/follow-global")
@auth.login_required("admin")
def follow_global_model() -> Response:
    site_id = _site_id()
    if site_id is None:
        abort(400)
    from_version = (request.form.get("from_version") or "").strip() or None
    return _done(lambda: registry.follow_global(db.session, site_id, by=auth.current_user(), from_version=from_version,
                                                reason=request.form.get("reason")),
                 f"{_scope_name(site_id)} follows the global version again.")


@bp.post("/models/discard")
@auth.login_required("admin")
def discard_model() -> Response:
    version = (request.form.get("version") or "").strip()
    return _done(lambda: registry.discard(db.session, version, by=auth.current_user(),
                                          var_dir=Path(current_app.config["VAR_DIR"])),
                 f"{version} discarded: its artifact is gone; its card and history stay.")


@bp.post("/models/shadow")
@auth.login_required("admin")
def shadow_model() -> Response:
    version = (request.form.get("version") or "").strip() or None
    stopping = (request.form.get("stopping") or "").strip() or None  # the shadow the page showed
    return _done(lambda: registry.set_shadow(db.session, version, by=auth.current_user(), stopping=stopping),
                 f"{version} runs in shadow." if version else "No version runs in shadow now.")
