"""/admin/backtest: a candidate and a site's active model on its past decisions, side by side.

The web request only checks the form, records a job in Redis and sends the task; a worker
scores (10,000 decisions take seconds, too long to hold a request) and the job page refreshes
itself until the result is there (domain/backtest_jobs.py).
"""
from __future__ import annotations

import time
from typing import Any

import redis
from flask import abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from classifiers import DEFAULT_MODEL_PATH
from moderation import auth, db
from moderation.admin.routes import bp
from moderation.domain import model_registry
from moderation.domain.backtest import DEFAULT_LIMIT, MAX_LIMIT, counts_said, decided_counts, difference_said
from moderation.domain.written import span_words
from moderation.domain.backtest_jobs import BACKTEST_TASK, DONE, FAILED, create_job, read_job
from moderation.domain.dispatch import send_task
from moderation.domain.errors import DomainError, ValidationFailed
from moderation.models import Site
from moderation.redis_client import redis_client
from moderation.request_input import parse_int

REFRESH_SECONDS = 2
# A job not finished by then lost its worker (or none is running): the page stops refreshing and says so.
STALE_SECONDS = 15 * 60


def _store() -> Any:
    return redis_client(current_app.config["REDIS_URL"], timeout=current_app.config["BROKER_TIMEOUT"])


def _form_page(form: dict[str, str] | None = None, error: ValidationFailed | None = None,
               status: int = 200, *, pick_busiest: bool = False) -> tuple[str, int]:
    """The form; with pick_busiest, the site with the most decisions chosen: the first by name was
    one with none, and its backtest said "0 decided comments" (an admin's walk)."""
    config = current_app.config
    model_registry.ensure_bootstrapped(db.session, var_dir=config["VAR_DIR"],
                                       model_path=config.get("MODEL_PATH") or DEFAULT_MODEL_PATH)
    db.session.commit()
    # Active sites only: a deactivated one leaves every site picker (`keys deactivate`'s promise; an admin's walk).
    sites = db.session.scalars(select(Site).where(Site.active.is_(True)).order_by(Site.name)).all()
    decided = decided_counts(db.session, [site.id for site in sites])
    form = dict(form or {})
    if pick_busiest and sites:
        form["site_id"] = str(max(sites, key=lambda site: decided[site.id]).id)
    return render_template("admin/backtest.html", sites=sites, decided=decided,
                           versions=model_registry.list_versions(db.session),
                           form=form, error=error, default_limit=DEFAULT_LIMIT, max_limit=MAX_LIMIT), status


def _checked(form: Any) -> dict[str, Any]:
    site_id = parse_int(form.get("site_id"))
    site = db.session.get(Site, site_id) if site_id else None
    if site is None or not site.active:
        raise ValidationFailed("choose a site", field="site_id")
    limit = parse_int((form.get("limit") or "").strip(), maximum=MAX_LIMIT)
    if limit is None:
        raise ValidationFailed(f"the number of comments must be a whole number from 1 to {MAX_LIMIT:,}",
                               field="limit")
    references = {}
    for name in ("candidate", "active"):
        reference = (form.get(name) or "").strip()
        if name == "active" and not reference:
            try:
                reference = model_registry.active_version(db.session, site.id).version
            except DomainError as error:  # no version registered at all: a 500 before (an onboarding review)
                raise ValidationFailed(f"choose the version to compare with: {error.message}", field=name) from None
        if model_registry.get_version(db.session, reference) is None:
            raise ValidationFailed(f"choose a registered model version as the {name}", field=name)
        references[name] = reference
    return {"site_id": site.id, "limit": limit, **references}


@bp.get("/backtest")
@auth.login_required("admin")
def backtest_form() -> tuple[str, int]:
    form = dict(request.args)
    if not form.get("site_id") and form.get("candidate"):
        form["site_id"] = _trained_on(form["candidate"])
    return _form_page(form, pick_busiest=not form.get("site_id"))


def _trained_on(version: str) -> str:
    """The site whose decisions `version` learnt, as the form's site_id, when it is one: a model's
    Backtest link chose the first site by name, not the one it was trained for (an admin's walk)."""
    row = model_registry.get_version(db.session, version)
    names = model_registry.trained_for(row) if row is not None else set()
    site_id = db.session.scalar(select(Site.id).where(Site.name == next(iter(names)))) if len(names) == 1 else None
    return str(site_id) if site_id is not None else ""


@bp.post("/backtest")
@auth.login_required("admin")
def start_backtest() -> Response | tuple[str, int]:
    try:
        checked = _checked(request.form)
    except ValidationFailed as error:
        return _form_page(dict(request.form), error, 400)
    user = auth.current_user()
    try:
        job_id = create_job(_store(), by=f"user:{user.username}", **checked)
    except Exception:  # Redis down: say so on the form rather than a 500
        current_app.logger.warning("could not record a backtest job", exc_info=True)
        return _form_page(dict(request.form), ValidationFailed("the job store (Redis) is unavailable; try again"), 503)
    if not send_task(db.session, BACKTEST_TASK, [job_id]):
        return _form_page(dict(request.form), ValidationFailed("the task queue is unavailable; try again"), 503)
    return redirect(url_for("admin.backtest_job", job_id=job_id), code=303)


@bp.get("/backtest/<job_id>")
@auth.login_required("admin")
def backtest_job(job_id: str) -> tuple[str, int, dict[str, str]]:
    if len(job_id) > 40 or not job_id.replace("-", "").replace("_", "").isalnum():
        abort(404)
    try:
        job = read_job(_store(), job_id)
    except redis.RedisError:  # a 500 before, on a page that asks again every 2 s (an onboarding review)
        current_app.logger.warning("could not read backtest job %s", job_id, exc_info=True)
        return render_template("error.html", title="Job store unavailable",
                               message="The job store (Redis) is not answering, so this backtest's progress cannot "
                                       "be read. Reload the page in a moment."), 503, {"Retry-After": "5"}
    if job is None:
        abort(404)
    site = db.session.get(Site, job["site_id"])
    finished = job["state"] in (DONE, FAILED)
    stale = not finished and time.time() - job["created"] > STALE_SECONDS
    # Until the worker is done static/wait_for_job.js asks again and loads the result when it is there.
    page = render_template("admin/backtest_job.html", job=job, job_id=job_id, site=site, stale=stale,
                           refresh_seconds=REFRESH_SECONDS, span_words=span_words,
                           difference=difference_said(job["result"]) if job["state"] == DONE else None,
                           counted=counts_said(job["result"]) if job["state"] == DONE else None)
    return page, 200, {}
