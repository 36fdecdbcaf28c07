"""/admin/training: train a candidate on the worker's "training" queue, watch it, cancel it."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from moderation import auth, db
from moderation.admin.routes import bp
from moderation.celery_app import TRAINING_TASK
from moderation.domain import training_runs as runs
from moderation.domain.dispatch import send_task
from moderation.domain.errors import Conflict, NotFound, ValidationFailed
from moderation.models import Site
from moderation.request_input import int_arg, parse_int

# The page asks for the shown run's progress this often while it is queued or running.
POLL_MS = 2000


def _noticing_lost_runs() -> None:
    """A run whose process is gone (a foreground `training run` killed, say) is failed when the page
    or its poll looks: it had shown "running 25%" for minutes with Train a candidate off, until someone
    pressed Cancel (an admin's walk). A free lock is the sign (training_runs._process_gone)."""
    if runs.fail_interrupted_runs(db.session):
        db.session.commit()


def _page(status: int = 200) -> tuple[str, int]:
    _noticing_lost_runs()
    current = runs.latest_run(db.session)
    return render_template(
        "admin/training.html", current=current, summary=runs.run_summary(current) if current else None,
        runs=runs.list_runs(db.session), sites=db.session.scalars(select(Site).where(Site.active.is_(True)).order_by(Site.name)).all(),
        chosen_site=int_arg("site"),
        poll_ms=POLL_MS, active=current is not None and current.state in runs.ACTIVE, now=runs.now(),
    ), status


@bp.get("/training")
@auth.login_required("admin")
def training() -> tuple[str, int]:
    return _page()


@bp.get("/training/status")
@auth.login_required("admin")
def training_status() -> Response:
    """The run the page shows (?run=ID, else the latest) as JSON, for static/training.js."""
    run_id = int_arg("run")  # bounded: past INT4, PostgreSQL's range error was a 500 (a security review)
    _noticing_lost_runs()
    try:
        run = runs.get_run(db.session, run_id) if run_id else runs.latest_run(db.session)
    except NotFound:
        abort(404)
    return jsonify({"run": runs.run_summary(run) if run else None})


@bp.post("/training")
@auth.login_required("admin")
def start_training() -> Response:
    raw_site = (request.form.get("site_id") or "").strip()
    site_id = parse_int(raw_site) if raw_site else None
    if raw_site and site_id is None:
        flash("Choose a site from the list, or the shared data only.", "error")
        return redirect(url_for("admin.training"), code=303)
    try:
        run = runs.start_run(db.session, by=auth.current_user(), site_id=site_id)
    except (ValidationFailed, Conflict) as error:
        db.session.rollback()
        flash(error.message, "error")
        # The choice kept: reset to the shared data, a second press later trained the wrong data.
        return redirect(url_for("admin.training", site=site_id or None), code=303)
    db.session.commit()
    if not send_task(db.session, TRAINING_TASK, [run.id]):
        runs.fail_unsent(db.session, run.id)
        db.session.commit()
        flash("Could not reach the task queue (Redis): the run was not started. Try again in a moment.", "error")
    else:
        flash(f"Training run #{run.id} queued.", "success")
    return redirect(url_for("admin.training"), code=303)


@bp.post("/training/<int:run_id>/cancel")
@auth.login_required("admin")
def cancel_training(run_id: int) -> Response:
    try:
        run = runs.cancel_run(db.session, run_id, by=auth.current_user())
    except NotFound:
        db.session.rollback()
        abort(404)
    except Conflict as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("admin.training"), code=303)
    db.session.commit()
    flash(f"Training run #{run_id} " + ("cancelled." if run.state == runs.CANCELLED
                                         else "stops at its next step."), "success")
    return redirect(url_for("admin.training"), code=303)
