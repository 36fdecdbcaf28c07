"""/admin/sites/<id>/thresholds: pick a hold threshold from the site's own decisions, preview, save.

The preview is a GET (it changes nothing, so a link to it can be shared); saving is a POST with
CSRF, audited by domain/threshold_tuning.save_threshold.
"""
from __future__ import annotations

import base64
import math

from flask import current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from classifiers.plots import threshold_png
from moderation import auth, db
from moderation.admin.held_rescore import rescore_offer
from moderation.admin.loaded_model import model_summary
from moderation.admin.routes import bp
from moderation.domain.backtest import DEFAULT_LIMIT, MAX_LIMIT
from moderation.domain.errors import Conflict, ValidationFailed
from moderation.domain.lifecycle import commit_and_send
from moderation.domain.rule_sets import current_rules
from moderation.domain.rules_in_force import flag_only
from moderation.domain.threshold_release import RELEASE_SIZE, release_held, releasable
from moderation.domain.threshold_tuning import (
    PRECISION, curve, other_versions_warning, parse_target, preview, save_target_threshold, tuning_data,
)
from moderation.domain.typed_numbers import typed_float
from moderation.domain.written import span_words
from moderation.models import Site
from moderation.perspective import plain_words
from moderation.perspective.calibration import (LONGEST, MAX_CHARACTERS, CoralCalibration, calibrate,
                                                suggested_decisions)
from moderation.request_input import MAX_INT8, parse_int, shown_ids
from moderation.review.presenting import threshold_text


def _limit(raw: str | None) -> int:
    """The form's number of decided comments; a bad one is refused, not quietly made 1,000."""
    if raw in (None, ""):
        return DEFAULT_LIMIT
    limit = parse_int(raw.strip(), maximum=MAX_LIMIT)
    if limit is None:
        raise ValidationFailed(f"the number of decided comments must be a whole number from 1 to {MAX_LIMIT:,}",
                               field="limit")
    return limit


def _attribute(raw: str | None, reliable: list[str]) -> str:
    if not reliable:
        raise ValidationFailed("the model is not loaded, so no attribute can be tuned", field="attribute")
    if raw in (None, ""):
        return reliable[0]
    if raw not in reliable:
        raise ValidationFailed("choose an attribute the model scores reliably", field="attribute")
    return raw


@bp.get("/sites/<int:site_id>/thresholds")
@auth.site_admin_required
def site_thresholds(site_id: int) -> tuple[str, int]:
    site = db.get_or_404(Site, site_id)
    model = model_summary(site.id)
    args = request.args
    error, result, data, limit = None, None, None, DEFAULT_LIMIT
    try:
        limit = _limit(args.get("limit"))
        attribute = _attribute(args.get("attribute"), model["attributes"])
        data = tuning_data(db.session, site, attribute, model_threshold=model["thresholds"].get(attribute),
                           limit=limit, scoring_now=model["version"])
        if args.get("target"):
            result = preview(data, *parse_target(args.get("target"), args.get("value")))
    except ValidationFailed as failed:
        error = failed
        attribute = args.get("attribute") if args.get("attribute") in model["attributes"] else None
    plot = None
    if data is not None and data.decided:
        chosen = result["chosen"]["threshold"] if result else None
        png = threshold_png(curve(data), chosen, data.current, f"{site.name}: {data.attribute} on decided comments")
        plot = base64.b64encode(png).decode("ascii")
    release = (releasable(db.session, site, model["version"], model["attributes"], model["thresholds"])
               if model["version"] else None)
    coral = _coral(site, model)
    return render_template("admin/thresholds.html", site=site, rescore=rescore_offer(site, model), attributes=model["attributes"], attribute=attribute,
                           coral=coral, coral_characters=MAX_CHARACTERS, coral_longest=LONGEST,
                           data=data, result=result, plot=plot, error=error, args=args, limit=limit,
                           precision=PRECISION, span_words=span_words, release=release, version=model["version"],
                           release_size=RELEASE_SIZE, other_versions_warning=other_versions_warning), 400 if error else 200


def _coral(site: Site, model: dict) -> CoralCalibration | None:
    """The site's Coral decisions (suggestscore) against each toxicity threshold, when it sent any."""
    decisions, cut_short = suggested_decisions(db.session, site.id)
    if not decisions or not model["version"]:
        return None
    from moderation.scorer import get_provider  # as loaded_model does: a broken model package breaks no page

    scorer = get_provider(current_app._get_current_object()).for_site(site.id)
    return calibrate(scorer, decisions, current=model["thresholds"].get("toxicity"), cut_short=cut_short,
                     kinds=plain_words.lifting(flag_only(current_rules(db.session, site.id))))


@bp.post("/sites/<int:site_id>/thresholds")
@auth.site_admin_required
def save_site_threshold(site_id: int) -> Response | tuple[str, int]:
    site = db.get_or_404(Site, site_id)
    form = request.form
    model = model_summary(site.id)
    try:
        attribute = _attribute(form.get("attribute") or "-", model["attributes"])
        try:
            threshold = typed_float(form.get("threshold", ""))
        except ValueError:
            raise ValidationFailed("the threshold must be a number", field="threshold") from None
        if not math.isfinite(threshold):
            raise ValidationFailed("the threshold must be between 0 and 1", field="threshold")
        kind, value = parse_target(form.get("target"), form.get("value"))
        limit = _limit(form.get("limit"))
        data = tuning_data(db.session, site, attribute, model_threshold=model["thresholds"].get(attribute), limit=limit)
        save_target_threshold(db.session, site, data, kind, value, threshold, user=auth.current_user(),
                              previewed_current=form.get("previewed_current"))
    except ValidationFailed as error:
        db.session.rollback()
        flash(f"Not saved: {error.sentence}", "error")
        return redirect(url_for("admin.site_thresholds", site_id=site_id), code=303)
    db.session.commit()
    flash(f"Saved: {site.name} now holds at {attribute.replace('_', ' ')} ≥ {threshold_text(threshold)}.", "success")
    return redirect(url_for("admin.site_thresholds", site_id=site_id, attribute=attribute), code=303)


def left_held(form) -> set[int]:  # noqa: ANN001 - the request's form
    """The comments the admin ticked to leave held."""
    return {i for i in (parse_int(raw, maximum=MAX_INT8) for raw in form.getlist("leave")[:RELEASE_SIZE]) if i is not None}


@bp.post("/sites/<int:site_id>/thresholds/release-held")
@auth.site_admin_required
def release_held_comments(site_id: int) -> Response:
    """Held comments the thresholds in force would publish, published (domain/threshold_release.py)."""
    site = db.get_or_404(Site, site_id)
    model = model_summary(site.id)
    if not model["version"]:
        flash("Nothing published: the model is not loaded, so no threshold can be read.", "error")
        return redirect(url_for("admin.site_thresholds", site_id=site.id), code=303)
    shown, left = shown_ids(request.form, RELEASE_SIZE), left_held(request.form)
    if shown and not shown - left:  # every box ticked: "none is one the thresholds publish" had said the opposite
        flash("Nothing published: every comment listed was ticked to be left held.", "info")
        return redirect(url_for("admin.site_thresholds", site_id=site.id), code=303)
    try:
        deliveries = release_held(db.session, site, model["version"], model["attributes"], model["thresholds"],
                                  actor=f"user:{auth.current_user().username}", shown=shown - left)
    except Conflict as error:
        db.session.rollback()
        flash(f"Nothing published: {error.sentence}", "error")
        return redirect(url_for("admin.site_thresholds", site_id=site.id), code=303)
    commit_and_send(db.session, deliveries)
    n = len(deliveries)
    flash(f"Published {n:,} held comment{'' if n == 1 else 's'} the thresholds in force publish; the site is told."
          if n else "None of the held comments is one the thresholds in force would publish now.", "success")
    return redirect(url_for("admin.site_thresholds", site_id=site.id), code=303)
