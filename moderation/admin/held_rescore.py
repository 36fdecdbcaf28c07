"""The thresholds page's "Score these N again with <version>": held comments another version scored,
scored again by the version in force, in a worker (domain/rescore_jobs.py, domain/held_rescoring.py),
and its "Publish these N" for those the version would publish.

Admins only: a site admin tunes the site's thresholds and publishes what they publish, but which
version scores is an admin's (/admin/models), and so is scoring a queue again with it and publishing
on its scores.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import redis
from flask import current_app, flash, redirect, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from moderation import auth, db
from moderation.admin.loaded_model import model_summary
from moderation.admin.routes import bp
from moderation.domain.dispatch import send_task
from moderation.domain.errors import Conflict
from moderation.domain.held_rescoring import (
    STILL_HELD, WOULD_REJECT, Rescorable, publish_scored, rescorable,
)
from moderation.domain.lifecycle import HELD, commit_and_send, refuse_if_deactivated
from moderation.domain.rescore_jobs import DONE, RESCORE_TASK, give_up, offered, read_job, scored_ids, start_job
from moderation.domain.threshold_release import AT_ONCE, RELEASE_SIZE
from moderation.models import Comment, Site
from moderation.redis_client import redis_client
from moderation.request_input import shown_ids

REFRESH_SECONDS = 5  # the thresholds page is heavier than a job page: asked again less often


def _store() -> redis.Redis:
    return redis_client(current_app.config["REDIS_URL"], timeout=current_app.config["BROKER_TIMEOUT"])


@dataclass
class WouldPublish:
    """Of the site's last finished run, what it found as it stands now (the page's "Publish these N")."""
    job_id: str
    version: str
    comments: list[tuple[Comment, dict[str, float]]] = field(default_factory=list)  # still held as scored, newest first
    more: int = 0  # past AT_ONCE: offered after these
    still_held: int = 0  # the version holds them too: left to moderators, with the old version's scores
    would_reject: int = 0


def _run_found(job: dict[str, Any] | None, version: str | None) -> WouldPublish | None:
    """The last run's comments the version in force would publish that are still held at the `version`
    counter it read (decided or edited since: not offered). None unless the last run is done and was
    the version in force's."""
    if not job or job.get("state") != DONE or not version or job.get("version") != version:
        return None
    entries = job.get("comments") or []
    found = WouldPublish(job_id=job["id"], version=version,
                         still_held=sum(1 for e in entries if e[2] == STILL_HELD),
                         would_reject=sum(1 for e in entries if e[2] == WOULD_REJECT))
    wanted = {e[0]: (e[1], e[3]) for e in offered(job)}
    if wanted:
        # Ids and counters first: the runs of a version may have found thousands; only AT_ONCE are loaded and listed.
        held = dict(db.session.execute(select(Comment.id, Comment.version)
                                       .where(Comment.id.in_(list(wanted)), Comment.status == HELD)).all())
        current = [cid for cid, (v, _) in wanted.items() if held.get(cid) == v]
        rows = {c.id: c for c in db.session.scalars(select(Comment).where(Comment.id.in_(current[:AT_ONCE])))}
        found.comments = [(rows[cid], wanted[cid][1]) for cid in current[:AT_ONCE] if cid in rows]
        found.more = max(0, len(current) - AT_ONCE)
    return found


def rescore_state(site: Site, model: dict[str, Any]
                  ) -> tuple[Rescorable | None, dict[str, Any] | None, WouldPublish | None]:
    """For the thresholds page: the held comments to score again, the site's last job (None when
    Redis does not answer: the page is drawn without it) and what its run would publish."""
    scored: list[int] = []
    try:
        store = _store()
        job = read_job(store, site.id)
        scored = scored_ids(store, site.id, model["version"]) if model["version"] else []
    except redis.RedisError:
        current_app.logger.warning("could not read the held comments' rescore job of site %s", site.id, exc_info=True)
        job = None
    # After the job: a run finishing between the two reads had left its comments counted as still to score (a re-check).
    found = (rescorable(db.session, site, model["version"], model["attributes"], scored=scored)
             if model["version"] else None)
    return found, job, _run_found(job, model["version"])


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
    try:
        scored = scored_ids(_store(), site.id, version)
    except redis.RedisError:
        scored = []  # start_job below says the job store is unavailable
    count = len(rescorable(db.session, site, version, model["attributes"], scored=scored).versions)
    db.session.rollback()  # nothing written: the read's transaction ends before the broker is asked
    if not count:
        flash("None of the held comments is one to score again: each was scored by "
              f"{version}, or a rule, a report or a moderator holds it.", "info")
        return back
    by = f"user:{auth.current_user().username}"
    try:
        store = _store()
        job = start_job(store, site=site, version=version, count=count, by=by)
    except Conflict as error:  # a second click, or another admin's
        flash(f"Nothing started: {error.sentence}", "info")
        return back
    except redis.RedisError:
        current_app.logger.warning("could not record a rescore job", exc_info=True)
        flash("Nothing scored again: the job store (Redis) is unavailable; try again.", "error")
        return back
    if not send_task(db.session, RESCORE_TASK, [site.id, job["id"]]):
        give_up(store, site.id, job["id"], "the task queue was unavailable")
        flash("Nothing scored again: the task queue is unavailable; try again.", "error")
        return back
    flash(f"Scoring {count:,} held comment{'' if count == 1 else 's'} again with {version} in the background: "
          "nothing is stored on them, and this page says what it found when it is done.", "success")
    return back


@bp.post("/sites/<int:site_id>/thresholds/publish-rescored")
@auth.login_required("admin")
def publish_rescored_comments(site_id: int) -> Response:
    """Those the last run found the version in force would publish, scored again and published
    (held_rescoring.publish_scored), less any ticked to leave held."""
    from moderation.admin.thresholds import left_held  # the release section's boxes, read the same way
    from moderation.scorer import get_provider

    site = db.get_or_404(Site, site_id)
    back = redirect(url_for("admin.site_thresholds", site_id=site.id) + "#rescored-publish", code=303)
    model = model_summary(site.id)
    version, shown_version = model["version"], request.form.get("version")
    if not version or shown_version != version:
        flash(f"Nothing published: the version in force for {site.name} is now {version or 'none'}, not "
              f"{shown_version}, which scored these. Score them again.", "error")
        return back
    try:
        job = read_job(_store(), site.id)
    except redis.RedisError:
        flash("Nothing published: the job store (Redis) is unavailable; try again.", "error")
        return back
    if not job or job.get("id") != request.form.get("job") or job.get("state") != DONE or job.get("version") != version:
        flash("Nothing published: the run these were found by is no longer the site's last (another ran, or "
              "its result expired). Look at the page again.", "error")
        return back
    shown, left = shown_ids(request.form, RELEASE_SIZE), left_held(request.form)
    if shown and not shown - left:
        flash("Nothing published: every comment listed was ticked to be left held.", "info")
        return back
    to_publish = {e[0]: e[1] for e in offered(job)}
    scorer = get_provider(current_app._get_current_object()).for_site(site.id)
    try:
        deliveries = publish_scored(db.session, site, scorer, to_publish, run_version=job["version"],
                                    actor=f"user:{auth.current_user().username}", shown=shown - left)
    except Conflict as error:
        db.session.rollback()
        flash(f"Nothing published: {error.sentence}", "error")
        return back
    commit_and_send(db.session, deliveries)
    n = len(deliveries)
    flash(f"Published {n:,} held comment{'' if n == 1 else 's'} {version} would publish, each scored again now and "
          "stored with its scores; the site is told." if n else
          f"None of these is one {version} would publish now: each was decided, edited, reported, opened by a "
          "moderator or held by a rule, a sanction or a storm since the run.", "success" if n else "info")
    return back
