"""The admins' pages: per-site moderation settings, the loaded model, and the audit log."""
from __future__ import annotations

import json
import logging
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from classifiers.attributes import ATTRIBUTES
from moderation import auth, db
from moderation.admin.model_card import card_summary
from moderation.admin.settings import update_site_settings
from moderation.domain.errors import NotFound, ValidationFailed
from moderation.domain.audit_search import audit_page
from moderation.models import Site
from moderation.request_input import MAX_INT8, parse_int

log = logging.getLogger(__name__)

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _model_summary() -> dict[str, Any]:
    """The loaded model's version and card, or the error that stopped it loading: the page renders either way."""
    try:
        from moderation.scorer import get_model  # imported here so a broken model package cannot break the admin pages

        model = get_model(current_app._get_current_object())
        return {"version": model.version, "card": card_summary(model.card), "thresholds": model.thresholds,
                "attributes": list(model.attributes), "error": None}
    except Exception as error:  # any failure to load is shown to the admin, not raised
        log.warning("could not load the model for the admin page", exc_info=True)
        return {"version": None, "card": card_summary(None), "thresholds": {}, "attributes": [],
                "error": f"{type(error).__name__}: {error}"}


@bp.get("")
@bp.get("/")
@auth.login_required("admin")
def index() -> str:
    sites = db.session.scalars(select(Site).order_by(Site.name)).all()
    return render_template("admin/index.html", sites=sites, attributes=ATTRIBUTES, model=_model_summary())


@bp.get("/sites/<int:site_id>")
@auth.login_required("admin")
def edit_site(site_id: int) -> str:
    site = db.get_or_404(Site, site_id)
    model = _model_summary()
    return render_template("admin/site.html", site=site, attributes=ATTRIBUTES, form=None, error=None,
                           reliable=model["attributes"], defaults=model["thresholds"])


@bp.post("/sites/<int:site_id>")
@auth.login_required("admin")
def save_site(site_id: int) -> Response | tuple[str, int]:
    try:
        changed = update_site_settings(db.session, site_id, request.form, user=auth.current_user())
    except NotFound:
        abort(404)
    except ValidationFailed as error:
        db.session.rollback()
        site = db.session.get(Site, site_id)
        model = _model_summary()
        return render_template("admin/site.html", site=site, attributes=ATTRIBUTES, form=request.form,
                               error=error, reliable=model["attributes"], defaults=model["thresholds"]), 400
    db.session.commit()
    site = db.session.get(Site, site_id)
    flash(f"Saved {site.name}: " + (", ".join(changed) if changed else "nothing changed") + ".", "success")
    return redirect(url_for("admin.index", _anchor=f"site-{site.id}"), code=303)


def _detail_value(value: Any) -> str:
    """A list or mapping as JSON (rules, label changes), not Python's repr with its single quotes."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(value, (dict, list)) else str(value)


def _action_label(action: str) -> str:
    """"status:pending->held" as "status: pending → held": the code broke at its hyphen, mid-arrow.
    The page keeps the code in a title, since the What filter matches codes."""
    kind, _, rest = action.partition(":")
    rest = rest.replace("->", " → ").replace("_", " ")
    return f"{kind}: {rest}" if rest else kind


@bp.get("/audit")
@auth.login_required("admin")
def audit_log() -> str | tuple[str, int]:
    args = request.args
    numbers: dict[str, int | None] = {}
    for name, what in (("comment", "a comment's number, such as 42"), ("before", "an entry's number from the Older link")):
        raw = args.get(name, "").strip()
        numbers[name] = parse_int(raw, MAX_INT8) if raw else None
        if raw and numbers[name] is None:  # strict, as the queue's filters: never a silently wider list
            return render_template("error.html", title="Cannot read this filter",
                                   message=f"{name.capitalize()} must be {what}. Go back and change it."), 400
    page = audit_page(db.session, who=args.get("who", "")[:200], what=args.get("what", "")[:60],
                      comment_id=numbers["comment"], before=numbers["before"])
    filters = {k: args[k] for k in ("who", "what", "comment") if args.get(k, "").strip()}
    return render_template("admin/audit.html", page=page, filters=filters, detail_value=_detail_value,
                           action_label=_action_label)
