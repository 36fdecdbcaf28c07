"""The thresholds page's "Score these N again with <version>": held comments another version scored,
scored again by the version in force, in a worker (domain/rescore_jobs.py, domain/held_rescoring.py).

Admins only: a site admin tunes the site's thresholds and publishes what they publish, but which
version scores is an admin's (/admin/models), and so is scoring a queue again with it.
"""
from __future__ import annotations

from typing import Any

import redis
from flask import current_app, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from moderation import auth, db
from moderation.admin.loaded_model import model_summary
from moderation.admin.routes import bp
from moderation.domain.dispatch import send_task
from moderation.domain.errors import Conflict
from moderation.domain.held_rescoring import Rescorable, rescorable
from moderation.domain.lifecycle import refuse_if_deactivated
from moderation.domain.rescore_jobs import RESCORE_TASK, give_up, read_job, start_job
from moderation.models import Site
from moderation.redis_client import redis_client

REFRESH_SECONDS = 5  # the thresholds page is heavier than a job page: asked again less often


def _store() -> redis.Redis:
    return redis_client(current_app.config["REDIS_URL"], timeout=current_app.config["BROKER_TIMEOUT"])


def rescore_state(site: Site, model: dict[str, Any]) -> tuple[Rescorable | None, dict[str, Any] | None]:
    """For the thresholds page: the held comments to score again, and the site's last job (None
    when Redis does not answer: the page is drawn without it)."""
    found = rescorable(db.session, site, model["version"], model["attributes"]) if model["version"] else None
    try:
        job = read_job(_store(), site.id)
    except redis.RedisError:
        current_app.logger.warning("could not read the held comments' rescore job of site %s", site.id, exc_info=True)
        job = None
    return found, job


@bp.post("/sites/<int:site_id>/thresholds/rescore-held")
@auth.login_required("admin")
def rescore_held_comments(site_id: int) -> Response:
    site = db.get_or_404(Site, site_id)
    back = redirect(url_for("admin.site_thresholds", site_id=site.id) + "#rescore-held", code=303)
    model = model_summary(site.id)
    version = model["version"]
    if not version:
        flash("Nothing scored again: the model is not loaded.", "error")
        return back
    shown = request.form.get("version") or version
    if shown != version:  # promoted or rolled back since the page was drawn: its count was another version's
        flash(f"Nothing scored again: the version in force for {site.name} is now {version}, not {shown}. "
              "Look at the count again.", "error")
        return back
    try:
        refuse_if_deactivated(site, "score its held comments again")
    except Conflict as error:
        flash(f"Nothing scored again: {error.sentence}", "error")
        return back
    count = len(rescorable(db.session, site, version, model["attributes"]).versions)
    db.session.rollback()  # nothing written: the read's transaction ends before the broker is asked
    if not count:
        flash("None of the held comments is one to score again: each was scored by "
              f"{version}, or a rule, a report or a moderator holds it.", "info")
        return back
    by = f"user:{auth.current_user().username}"
    try:
        store = _store()
        start_job(store, site=site, version=version, count=count, by=by)
    except Conflict as error:  # a second click, or another admin's
        flash(f"Nothing started: {error.sentence}", "info")
        return back
    except redis.RedisError:
        current_app.logger.warning("could not record a rescore job", exc_info=True)
        flash("Nothing scored again: the job store (Redis) is unavailable; try again.", "error")
        return back
    if not send_task(db.session, RESCORE_TASK, [site.id]):
        give_up(store, site.id, "the task queue was unavailable")
        flash("Nothing scored again: the task queue is unavailable; try again.", "error")
        return back
    flash(f"Scoring {count:,} held comment{'' if count == 1 else 's'} again with {version} in the background: "
          "they stay held, and this page says what was done when it is done.", "success")
    return back
