"""The thresholds page's held comments scored again by the version in force (domain/held_rescore.py):
start a run in a worker, and publish what its scores publish at the thresholds in force.

Admins only: a site admin tunes the site's thresholds, but which version scores is an admin's, and so
is publishing on a version's scores the comments another version held.
"""
from __future__ import annotations

import json
from typing import Any

from flask import current_app, flash, jsonify, redirect, request, url_for
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from moderation import auth, db
from moderation.admin.loaded_model import model_summary
from moderation.admin.routes import bp
from moderation.api.errors import error_response
from moderation.domain.dispatch import send_task
from moderation.domain.errors import Conflict
from moderation.domain.held_rescore import RESCORE_TASK, is_active, is_stale, latest_run, start_run
from moderation.domain.held_rescore_publish import Offer, offer, publish_run
from moderation.models import HeldRescoreRun, Site


def rescore_offer(site: Site, model: dict[str, Any]) -> Offer | None:
    """For the thresholds page, an admin's only."""
    user = auth.current_user()
    if user is None or user.role != "admin":
        return None
    return offer(db.session, site, model["version"], model["attributes"], model["thresholds"])


def _back(site: Site) -> Response:
    return redirect(url_for("admin.site_thresholds", site_id=site.id) + "#rescore-held", code=303)


def _shown_thresholds(raw: str | None) -> dict[str, float]:
    """The thresholds the page counted at; anything unreadable is none, which no site's match."""
    try:
        shown = json.loads(raw or "")
    except ValueError:
        return {"": -1.0}
    if not isinstance(shown, dict) or not all(isinstance(v, (int, float)) for v in shown.values()):
        return {"": -1.0}
    return {str(k): float(v) for k, v in shown.items()}


def _in_force(site_id: int) -> str | None:
    """The version in force for the site as the registry says now (not the page's cached summary)."""
    from moderation.scorer import get_provider

    provider = get_provider(current_app._get_current_object())
    provider.refresh(force=True)
    return provider.for_site(site_id).version


def _shown_run(raw: str | None) -> int:
    """The run the page counted; anything unreadable is none, which no site's run matches."""
    try:
        return int(raw or "")
    except ValueError:
        return -1


@bp.post("/sites/<int:site_id>/thresholds/rescore-held")
@auth.login_required("admin")
def rescore_held_comments(site_id: int) -> Response:
    site = db.get_or_404(Site, site_id)
    model = model_summary(site.id)
    if not model["version"]:
        flash("Nothing scored again: the model is not loaded.", "error")
        return _back(site)
    try:
        run = start_run(db.session, site, by=f"user:{auth.current_user().username}", version=model["version"],
                        attributes=model["attributes"])
        db.session.commit()
    except Conflict as error:
        db.session.rollback()
        flash(f"Nothing scored again: {error.sentence}", "error")
        return _back(site)
    except IntegrityError:  # another admin's run began in the same moment: one per site, and theirs stands
        db.session.rollback()
        flash("Nothing started: another admin started a run for this site just now.", "info")
        return _back(site)
    if not send_task(db.session, RESCORE_TASK, [site.id, run.id]):
        db.session.execute(update(HeldRescoreRun).where(HeldRescoreRun.id == run.id)
                           .values(failed="the task queue was unavailable"))
        db.session.commit()
        flash("Nothing scored again: the task queue is unavailable; try again.", "error")
        return _back(site)
    flash("Scoring the held comments again with the version in force, in the background: they stay held, "
          "and this page says what it would publish when it is done.", "success")
    return _back(site)


@bp.get("/sites/<int:site_id>/thresholds/rescore-held/status")
@auth.login_required("admin")
def rescore_held_status(site_id: int) -> Response | tuple[Response, int]:
    """The site's run as JSON, for static/rescore_held.js: the page follows it while it is active and
    reloads once when it is not (finished, failed, stale or replaced), to count what it would publish."""
    site = db.session.get(Site, site_id)
    if site is None:  # JSON, as the page's script reads it, not the HTML error page
        return error_response(404, "not_found", f"site {site_id} does not exist")
    run = latest_run(db.session, site)
    if run is None:
        return jsonify({"run": None})
    state = ("finished" if run.finished_at else "failed" if run.failed else "stale" if is_stale(run)
             else "scoring" if run.started_at else "waiting")
    return jsonify({"run": {"id": run.id, "state": state, "active": is_active(run), "scored": run.scored,
                            "version": run.version}})


@bp.post("/sites/<int:site_id>/thresholds/publish-rescored")
@auth.login_required("admin")
def publish_rescored_comments(site_id: int) -> Response:
    site = db.get_or_404(Site, site_id)
    model = model_summary(site.id)
    shown = request.form.get("version") or ""
    if not model["version"] or shown != model["version"]:
        flash(f"Nothing published: the version in force is now {model['version'] or 'not loaded'}, not the one "
              "this page showed. Look at the count again.", "error")
        return _back(site)
    try:
        released = publish_run(db.session, site, model["version"], model["attributes"], model["thresholds"],
                               actor=f"user:{auth.current_user().username}",
                               shown_thresholds=_shown_thresholds(request.form.get("thresholds")),
                               shown_run=_shown_run(request.form.get("run")), in_force=lambda: _in_force(site.id))
    except Conflict as error:
        db.session.rollback()
        flash(f"Nothing published: {error.sentence}", "error")
        return _back(site)
    skipped = [f"{n:,} {why}" for n, why in (
        (released.changed, "edited since they were scored again"),
        (released.decided, "decided meanwhile"),
        (released.other_hold, "held by something besides the model now (a rule, report, sanction, ban evasion, "
                              "storm, the story's or site's hold for a person, legal hold or a moderator's claim)"),
        (released.held_at_thresholds, "held at the thresholds in force (a strict story's where it has them)")) if n]
    n = released.published
    flash(f"Published {n:,} held comment{'' if n == 1 else 's'} on {model['version']}'s scores; the site is told."
          + (f" Left held: {'; '.join(skipped)}." if skipped else "")
          + (f" Stopped before the end: {released.stopped}; the rest stay held." if released.stopped else ""),
          "warning" if released.stopped else "success")
    return _back(site)
