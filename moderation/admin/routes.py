"""The admins' pages: per-site moderation settings, the loaded model, and the audit log."""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from classifiers.attributes import ATTRIBUTES
from moderation import auth, db
from moderation.admin.loaded_model import model_summary
from moderation.admin.spreadsheet import text_cell
from moderation.domain.site_settings import (
    SETTING_LABELS, loaded_settings, reject_above_hold_problem, settings_warnings, update_site_settings,
)
from moderation.domain.errors import Conflict, NotFound, ValidationFailed
from moderation.domain.lifecycle import actor_in_words, audit, commit_and_send, parse_status_action
from moderation.domain.membership import administered_site_ids
from moderation.domain.model_registry import list_assignments
from moderation.domain.report_period import day_bounds, one
from moderation.domain.status import now
from moderation.domain.audit_search import audit_page
from moderation.domain.bulk import MAX_BULK
from moderation.domain.session_reversal import TAG, sign_in_work
from moderation.domain.storms import active_storms, calm_storms
from moderation.domain.threshold_release import releasable
from moderation.models import Site
from moderation.request_input import MAX_INT4, MAX_INT8, parse_int, with_query


bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("")
@bp.get("/")
@auth.login_required("site_admin")
def index() -> str:
    sites = db.session.scalars(of_administered(select(Site).order_by(Site.name), Site.id)).all()
    # Which version scores each site: beside "model defaults", the global model's defaults shown below
    # read as every site's, where some ran their own (an admin's walk).
    own = {a.site_id: a.version.version for a in list_assignments(db.session) if a.site_id is not None}
    return render_template("admin/index.html", sites=sites, attributes=ATTRIBUTES, model=model_summary(),
                           own_versions=own)


def of_administered(query: Any, site_column: Any) -> Any:
    """`query` kept to the sites the signed-in user administers (a site admin's own; an admin's all)."""
    administered = administered_site_ids(db.session, auth.current_user())
    return query if administered is None else query.where(site_column.in_(administered))


def site_page(site: Site, *, form: Any = None, error: ValidationFailed | None = None,
              webhook_test: Any = None) -> str:
    """A site's settings page, with the defaults of the model that scores it: every route that shows it."""
    model = model_summary(site.id)
    standing = reject_above_hold_problem({**(model.get("thresholds") or {}), **(site.thresholds or {})},
                                         site.reject_thresholds or {})
    return render_template("admin/site.html", site=site, attributes=ATTRIBUTES, form=form, error=error,
                           model=model, global_version=model_summary()["version"],
                           standing_problem=standing[0] if standing and site.auto_reject else None,
                           webhook_test=webhook_test, loaded=form.get("loaded", "") if form is not None else loaded_settings(site))


@bp.get("/sites/<int:site_id>")
@auth.site_admin_required
def edit_site(site_id: int) -> str:
    return site_page(db.get_or_404(Site, site_id))


@bp.post("/sites/<int:site_id>")
@auth.site_admin_required
def save_site(site_id: int) -> Response | tuple[str, int]:
    try:
        changed, deliveries = update_site_settings(db.session, site_id, request.form, user=auth.current_user(),
                                                   model_thresholds=model_summary(site_id).get("thresholds"))
    except NotFound:
        abort(404)
    except ValidationFailed as error:
        db.session.rollback()
        return site_page(db.session.get(Site, site_id), form=request.form, error=error), 400
    except Conflict as error:  # another admin's save came first: show theirs, not this stale form
        db.session.rollback()
        return site_page(db.session.get(Site, site_id), error=error), 409
    commit_and_send(db.session, deliveries)
    if any(name.startswith("storm_") for name in changed):
        calm_storms(db.session)  # triggers turned off (or calm shortened) end the storms now, not at the next sweep
    site = db.session.get(Site, site_id)
    flash(f"Saved {site.name}: " + (", ".join(SETTING_LABELS.get(n, n) for n in changed) or "nothing changed") + ".",
          "success")
    for warning in settings_warnings(site, changed):
        flash(warning, "warning")
    if any(name.startswith("storm_") for name in changed):
        _storms_running(site)
    if "thresholds" in changed:
        _offer_release(site)
    return redirect(url_for("admin.index", _anchor=f"site-{site.id}"), code=303)


STORM_LIST = 20


def _storms_running(site: Site) -> None:
    """Storms started under the settings just changed run on until calm: say so where they are changed
    (an editor's walk set a trigger back to 10, and three storms of the mistaken 1 went on holding)."""
    running = active_storms(db.session, {site.id}, limit=STORM_LIST)
    if running:
        names = ", ".join(storm.story_id for storm in running[:5]) + (" ..." if len(running) > 5 else "")
        count = f"{len(running)} or more" if len(running) >= STORM_LIST else str(len(running))
        flash(f"{count} of {site.name}'s stories {'is' if len(running) == 1 else 'are'} in storm now ({names}): "
              f"each ends after {site.storm_calm_minutes} calm minutes under these settings, and what it held stays "
              "held for a moderator.", "info")


def _offer_release(site: Site) -> None:
    """Raised thresholds leave the comments held under the lower ones waiting: say so where they are
    saved, as the thresholds page offers to publish them."""
    model = model_summary(site.id)
    if not model["version"]:
        return
    n = len(releasable(db.session, site, model["version"], model["attributes"], model["thresholds"]).comments)
    if n:
        flash(f"{n:,} held comment{'' if n == 1 else 's'} would be published under the thresholds in force now: "
              f"{site.name}'s thresholds page offers to publish {'it' if n == 1 else 'them'}.", "info")


def _detail_value(value: Any) -> str:
    """A value in words: yes or no, none for an empty list, a list of plain values joined, a mapping (rules,
    label changes) as JSON, not Python's repr. A standards editor read "review after True" and "reports
    reopened []" as code."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list) and not value:
        return "none"
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        return ", ".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(value, (dict, list)) else str(value)


def _model_summary(action: str, details: dict[str, Any]) -> str | None:
    """A model change as one sentence: which version each scope runs now. The details alone read
    "rolled back 2026.12.02-42606a6c site global version 2026.12.01-d405cd2f" (which one is live?)."""
    site, version = details.get("site") or "global", details.get("version")
    if action == "model:promoted":
        replaced = details.get("replaced")
        return f"{site} now runs {version}" + (f", in place of {replaced}" if replaced else "")
    if action == "model:rolled_back":
        back_from = details.get("rolled_back")
        now_runs = "follows the global version again" if details.get("follows_global") else f"now runs {version}"
        return f"{site} {now_runs}, rolled back from {back_from}"
    if action == "model:shadow_set":
        replaced = details.get("replaced")
        return f"{version} runs in shadow" + (f", in place of {replaced}" if replaced else "")
    if action == "model:shadow_cleared":
        if details.get("reason") == "promoted":
            return f"{version} no longer runs in shadow: it was promoted"
        return f"no version runs in shadow now ({version} did)" if version else "no version runs in shadow now"
    if action == "model:registered":
        return f"{version} registered as a candidate"
    if action == "model:held_rescored":
        n = details.get("scored", 0)
        return f"{site}: {n:,} held comment{'' if n == 1 else 's'} scored again with {version}, all still held"
    if action == "model:held_rescore_published":
        n = details.get("published", 0)
        return f"{site}: {n:,} held comment{'' if n == 1 else 's'} published on {version}'s scores"
    return None


# Detail keys in words: "previous version" misled beside model versions, and the rest read as code to a
# standards editor.
_DETAIL_LABELS = {"previous_version": "comment version before", "review_after": "back to review after the edit",
                  "revision": "text revision", "labelled_examples_removed": "training labels removed",
                  "reports_reopened": "reports reopened", "restored_status": "back to",
                  "model_status": "the model alone would have", "cause": "set by",
                  "was_shown_while_held": "had been shown while held", "session_tag": "session"}


def _action_label(action: str) -> str:
    """"status:pending->held" as "status: pending → held": the code broke at its hyphen, mid-arrow.
    The page keeps the code in a title, since the What filter matches codes."""
    kind, _, rest = action.partition(":")
    rest = rest.replace("->", " → ").replace("_", " ")
    return f"{kind}: {rest}" if rest else kind


# What the log's form and links carry: the period's days too (a month's entries for a report).
AUDIT_FILTERS = ("who", "what", "comment", "site", "from", "to", "month", "tz", "before")
# Comment numbers the filter takes at once ("4, 17, 29"), and rows one CSV download holds.
MAX_FILTER_COMMENTS = 500
MAX_CSV_ROWS = 100_000


def _audit_filters(args) -> dict[str, Any] | tuple[str, int]:  # noqa: ANN001 - the request's args
    """The audit log's filters read from the query string, or the page refusing one it cannot read."""
    try:
        for name in AUDIT_FILTERS:
            one(args, name)  # sent twice, refused: `site=1&site=2` had read site 1 alone
        since, until = day_bounds(args, now=now())
    except ValidationFailed as error:
        others = [(k, v) for k, v in args.items(multi=True) if k not in (error.field, "before")]
        return render_template("error.html", title="Cannot read this filter",
                               message=f"{error.sentence} Go back and change it.",  # "tz must be ...", as typed
                               back_to=with_query("admin.audit_log", others),
                               back_label="The audit log with the other filters, without this one"), 400
    numbers: dict[str, Any] = {}
    for name, what, most in (("comment", f"a comment's number, such as 42, or up to {MAX_FILTER_COMMENTS} of them: 4, 17, 29",
                              MAX_INT8),
                             ("site", "one of the sites listed", MAX_INT4),  # sites.id is an int4: past it, a 500
                             ("before", "an entry's number from the Older link", MAX_INT8)):
        raw = args.get(name, "").strip()
        parts = [part for part in re.split(r"[\s,#]+", raw) if part] if name == "comment" else ([raw] if raw else [])
        read = [parse_int(part, most) for part in parts[:MAX_FILTER_COMMENTS + 1]]
        numbers[name] = (read[0] if len(read) == 1 else read) if read else None
        if raw and (not read or None in read or len(read) > MAX_FILTER_COMMENTS):
            # Strict, as the queue's filters: never a silently wider list.
            others = [(k, v) for k, v in args.items(multi=True) if k not in (name, "before")]
            return render_template("error.html", title="Cannot read this filter",
                                   message=f"{name.capitalize()} must be {what}. Go back and change it.",
                                   back_to=with_query("admin.audit_log", others),
                                   back_label="The audit log with the other filters, without this one"), 400
    return {"who": args.get("who", "")[:200], "what": args.get("what", "")[:60], "comment_id": numbers["comment"],
            "site_id": numbers["site"], "before": numbers["before"], "since": since, "until": until,
            "within": administered_site_ids(db.session, auth.current_user())}


@bp.get("/audit.csv")
@auth.login_required("site_admin")
def audit_csv() -> Response | tuple[str, int]:
    """The filtered entries as CSV, newest first, to the second and beyond: counsel asked for a list of
    when each named comment went up, came down and by whom, and built it from the database by hand."""
    read = _audit_filters(request.args)
    if isinstance(read, tuple):
        return read
    page = audit_page(db.session, **read, page_size=MAX_CSV_ROWS)
    entries = page.entries
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["entry", "at_utc", "actor", "who", "action", "comment_id", "from_status", "to_status", "reason",
                     "details_json"])
    for entry in entries:
        change = parse_status_action(entry.action)
        details = entry.details or {}
        writer.writerow([text_cell(value) for value in (
            entry.id, entry.at.isoformat(), entry.actor, actor_in_words(entry.actor), entry.action,
            entry.comment_id or "", change[0] if change else "", change[1] if change else "",
            details.get("reason") or "", json.dumps(details, ensure_ascii=False, sort_keys=True))])
    if page.older is not None:
        # Cut at MAX_CSV_ROWS: said in the file, where counsel would otherwise take it for the whole record (a re-check).
        writer.writerow(["", "", "", "", "older entries left out", "", "", "",
                         f"this file holds the newest {len(entries):,}; download again with before={page.older} "
                         "for the older ones", ""])
    audit(db.session, f"user:{auth.current_user().username}", "audit:exported", rows=len(entries),
          filters={k: v for k, v in request.args.items() if k in AUDIT_FILTERS and k != "before"})
    db.session.commit()
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=audit-log.csv", "Cache-Control": "no-store"})


@bp.get("/audit")
@auth.login_required("site_admin")
def audit_log() -> str | tuple[str, int]:
    args = request.args
    read = _audit_filters(args)
    if isinstance(read, tuple):
        return read
    page = audit_page(db.session, **read)
    filters = {k: args[k] for k in AUDIT_FILTERS if k != "before" and args.get(k, "").strip()}
    sites = db.session.scalars(of_administered(select(Site).order_by(Site.name), Site.id)).all()
    # A sign-in's tag as the Who: what it decided that still stands can be reversed here at once.
    who = filters.get("who", "").strip()
    sign_in = sign_in_work(db.session, who, viewer=auth.current_user()) if TAG.fullmatch(who) else None
    return render_template("admin/audit.html", page=page, filters=filters, sites=sites, sign_in=sign_in, max_bulk=MAX_BULK,
                           detail_value=_detail_value,
                           action_label=_action_label, model_summary=_model_summary, detail_labels=_DETAIL_LABELS)
