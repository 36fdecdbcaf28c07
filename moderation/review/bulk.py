"""Bulk decisions on the review pages: the form every selection posts to, its result page, and the
confirmation step for "all matching this filter".

A selection arrives as `ids` (the ticked cards, an author's held comments, or the confirmed
matches) with `version-<id>` beside each: the version the moderator saw, so anything decided or
changed since is skipped and reported instead of decided twice. Routes are added to the review
blueprint (moderation/review/__init__.py imports this module).
"""
from __future__ import annotations

from urllib.parse import urlencode

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from moderation import auth, db
from moderation.domain.bulk import (BULK_TABS, MAX_BULK, BulkResult, approval_question, at_risk_comment, barred_authors,
                                   bulk_decide, bulk_undo, matching_selection, shown_again, undoable)
from moderation.domain.errors import NotFound, ValidationFailed
from moderation.domain.regulars import held_only_by_storm, regular_authors
from moderation.domain.sanctions import BULK_KINDS, still_sanctioned
from moderation.domain.queue_filters import TABS, parse_filters, parse_tab
from moderation.request_input import MAX_INT8, parse_int
from moderation.review.routes import NO_DECISION, _back, _reason_from_form, bp, review_path
from moderation.review.undo import undo_window, undo_window_words


class _Unreadable(Exception):
    """The posted selection is not one our pages could have sent."""


@bp.app_context_processor
def _bulk_helpers() -> dict[str, object]:
    return {"bulk_tabs": BULK_TABS, "bulk_sanctions": BULK_KINDS, "at_risk_comment": at_risk_comment,
            "approval_question": approval_question}


def _selection_from_form() -> list[tuple[int, int]]:
    selection = []
    for raw in request.form.getlist("ids"):
        comment_id = parse_int(raw, maximum=MAX_INT8)
        version = parse_int(request.form.get(f"version-{raw}"), maximum=2**31 - 1)
        if comment_id is None or version is None:
            raise _Unreadable(f"comment id {raw[:30]!r} came without the version you saw")
        selection.append((comment_id, version))
    return selection


def _reports_seen(selection: list[tuple[int, int]]) -> dict[int, int]:
    """Per ticked comment, the newest report its card showed, where the form says (reports-<id>)."""
    seen = {}
    for comment_id, _ in selection:
        newest = parse_int(request.form.get(f"reports-{comment_id}"), maximum=MAX_INT8, minimum=0)
        if newest is not None:
            seen[comment_id] = newest
    return seen


# An address gunicorn reads (its request line is 4,094 bytes at most), with room for the rest of the line.
MAX_ADDRESS = 3_500


@bp.post("/review/bulk")
@auth.login_required("moderator")
def bulk_decide_view() -> str | Response | tuple[str, int]:
    try:
        selection = _selection_from_form()
    except _Unreadable as error:
        return render_template("error.html", title="Cannot read this selection",
                               message=f"This selection cannot be read: {error}. Reload the page and try again."), 400
    if request.form.get("action") == NO_DECISION:  # Enter in a field or on a tick box, without JavaScript
        here = review_path(request.form.get("here"))
        if here is None:
            flash("Nothing decided: Enter does not decide here. Tick the comments again and press Approve selected "
                  "or Reject selected.", "info")
            return redirect(_back(), code=303)
        # Back to the page Enter was pressed on, with the boxes as they were: from "All N matching" it had
        # gone to the queue (last stop's re-check), then come back with every box ticked again, the one
        # the moderator had unticked too (a re-check).
        flash("Nothing decided: Enter does not decide here. Press Approve selected or Reject selected.", "info")
        # The reason and note too, as typed (a second re-check found them gone); what does not fit in an
        # address gunicorn takes is left for the moderator to type again, and said: a 500-character
        # note in Chinese had made the way back a "URI Too Long" page (a third re-check).
        kept = {"ticked": ",".join(str(comment_id) for comment_id, _ in selection) or "none",
                **{name: request.form.get(name, "")[:500] for name in ("reason_choice", "reason_note")
                   if request.form.get(name)}}
        for dropped in (None, "reason_note", "ticked"):
            kept.pop(dropped, None)
            target = f"{here}{'&' if '?' in here else '?'}{urlencode(kept, safe=',')}"
            if len(target) <= MAX_ADDRESS:
                break
        if dropped:
            flash("The note was too long to carry back: type it again." if dropped == "reason_note" else
                  "The selection was too long to carry back: every comment is ticked again.", "warning")
        return redirect(target, code=303)
    try:
        result = bulk_decide(db.session, selection, user=auth.current_user(), action=request.form.get("action", ""),
                             reason=_reason_from_form(), author_sanction=request.form.get("authors") or None,
                             sanction_regulars=request.form.get("sanction_regulars") == "1",
                             reports_seen=_reports_seen(selection))
    except ValidationFailed as error:
        flash(f"Nothing decided: {error.sentence}", "error")
        return redirect(_back(), code=303)
    return _to_result(result)


def _to_result(result: BulkResult) -> Response:
    """To the result's own page, which a reload shows again rather than sending the decision again."""
    return redirect(url_for("review.bulk_result", entry_id=result.entry_id, back=_back()), code=303)


@bp.get("/review/bulk/<int8:entry_id>")
@auth.login_required("moderator")
def bulk_result(entry_id: int) -> str:
    """A page, not a flash: the skipped ones are listed with links, which a flash message cannot carry."""
    try:
        result = shown_again(db.session, entry_id, auth.current_user())
    except NotFound:
        abort(404)
    back = review_path(request.args.get("back")) or _audit_log_path(request.args.get("back")) or url_for("review.queue")
    kept = (still_sanctioned(db.session, auth.current_user(), result.named_sanctioned)
            if result.action in ("undo", "reverse") else [])
    return render_template("review/bulk_result.html", result=result, back=back, undo_for=undo_window_words(),
                           kept_sanctions=kept, undoable=undoable(db.session, result, undo_window()))


def _audit_log_path(target: str | None) -> str | None:
    """The audit log a sign-in's decisions were reversed from (admin/sign_in_reversal.py), to go back to."""
    return target if target and target.startswith("/admin/audit") and auth.safe_next(target) == target else None


@bp.get("/review/bulk")
@bp.get("/review/bulk/undo")
@auth.login_required("moderator")
def bulk_result_gone() -> Response:
    """The result page answered a POST; reloaded or come back to, its address leads to the queue
    (the decisions are in each comment's history) instead of a 405."""
    flash("That bulk result was shown once; the decisions are in each comment's history and the audit log.", "info")
    return redirect(url_for("review.queue"), code=303)


@bp.post("/review/bulk/undo")
@auth.login_required("moderator")
def bulk_undo_view() -> str | Response | tuple[str, int]:
    try:
        selection = _selection_from_form()
        result = bulk_undo(db.session, selection, user=auth.current_user(), window=undo_window(),
                           named_sanctioned=still_sanctioned(db.session, auth.current_user(), _named_sanctioned()))
    except (_Unreadable, ValidationFailed) as error:
        message = error.message if isinstance(error, ValidationFailed) else str(error)
        return render_template("error.html", title="Cannot read this selection",
                               message=f"This selection cannot be undone: {message}. Reload the page and try again."), 400
    return _to_result(result)


def _named_sanctioned() -> list[tuple[int, str]]:
    """The authors the undone bulk decision sanctioned, which Undo all leaves sanctioned: the undo's
    page had said nothing of them, and the moderator who undid a mistaken bulk ban had to remember
    to lift each (a moderator's walk; a ban so left then rejected one's crisis comment). Its page
    lists those the server still holds sanctioned (sanctions.still_sanctioned), and the audit entry
    keeps only those: the form's word had been stored as sent, any site's author ids, 100 KB each (a
    security review)."""
    named = []
    for value in request.form.getlist("sanctioned")[:MAX_BULK]:
        site, _, author = value.partition(":")
        if parse_int(site) is not None and author:
            named.append((parse_int(site), author))
    return named


@bp.get("/review/bulk/matching")
@auth.login_required("moderator")
def bulk_matching() -> str | tuple[str, int]:
    try:
        tab, filters = parse_tab(request.args), parse_filters(request.args)
        found = matching_selection(db.session, viewer=auth.current_user(), tab=tab, filters=filters)
    except ValidationFailed as error:
        return render_template("error.html", title="Cannot select by this filter",
                               message=f"{error.sentence} Go back and change the filter."), 400
    back = request.full_path.replace("/review/bulk/matching", "/review", 1).rstrip("?")
    # ?ticked=: the boxes as they were when Enter came back here (bulk_decide_view); all ticked otherwise.
    ticked = _ticked(request.args.get("ticked"))
    authors = {(c.site_id, c.author_id) for c in found.comments}
    return render_template("review/bulk_confirm.html", found=found, tab=tab, tab_label=TABS[tab],
                           filters=filters, limit=MAX_BULK, back=back, authors=len(authors),
                           regulars=regular_authors(db.session, found.comments),
                           barred=barred_authors(db.session, found.comments),
                           storm_only={c.id for c in found.comments if held_only_by_storm(c)},
                           ticked=ticked, here=_without_ticked(request.full_path))


def _ticked(raw: str | None) -> set[int] | None:
    if raw is None:
        return None
    return {n for part in raw.split(",")[:MAX_BULK] if (n := parse_int(part, maximum=MAX_INT8)) is not None}


def _without_ticked(path: str) -> str:
    """The page's own address without what Enter brought back (the ticks, reason and note), for the
    next Enter to add its own."""
    base, _, query = path.partition("?")
    kept = "&".join(part for part in query.split("&")
                    if part and not part.startswith(("ticked=", "reason_choice=", "reason_note=")))
    return base + (f"?{kept}" if kept else "")
