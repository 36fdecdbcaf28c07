"""The moderators' pages: the review queue, one comment in detail, and deciding.

Also mounts sign-in and sign-out (moderation/auth.py) at /login and /logout, and `/`.
"""
from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from moderation import auth, db
from classifiers.attributes import ATTRIBUTES
from moderation.domain.decisions import DECIDABLE, decide, newest_report_id, own_repeat, waits_for_decision
from moderation.domain.errors import AlreadyDecided, NotFound, ValidationFailed
from moderation.domain.membership import visible_site_ids, visible_sites
from moderation.domain.scoring import IMPORTED_REASON
from moderation.domain.storms import active_storms
from moderation.domain.history import comment_history
from moderation.domain.lifecycle import in_review_queue
from moderation.domain.queue import comment_detail, review_queue
from moderation.domain.rule_sets import rule_names
from moderation.domain.team_notes import NOTE_ACTION, SHOWN_ON_A_CARD
from moderation.domain.queue_filters import FLAGS, TAB_HINTS, TABS, parse_filters, parse_tab
from moderation.domain.reason_labels import GUIDELINE_REASONS
from moderation.domain.report_wait import parse_sort
from moderation.models import REPORT_REASONS
from moderation.request_input import MAX_INT8, parse_int, with_query
from moderation.review.highlight import highlight, marked_words
from moderation.review.undo_offer import offer_undo
from moderation.review.presenting import (
    at,
    brigade_note,
    flag_label,
    heaviest_first,
    note_groups,
    plain_id,
    flagged_attributes,
    number,
    ordered_scores,
    report_summary,
    safe_url,
    text_language,
    unread_language,
    threshold_text,
    when,
)
from moderation.review.waits import report_wait, waited

bp = Blueprint("review", __name__)

# The decision forms' first button (review/_comment.html): what Enter in a field or on a tick box sends.
NO_DECISION = "none"
ENTER_DECIDES_NOTHING = "Nothing decided: press Approve or Reject."
log = logging.getLogger(__name__)

bp.add_url_rule("/login", "login", auth.login, methods=["GET", "POST"])
bp.add_url_rule("/logout", "logout", auth.logout, methods=["POST"])
bp.add_url_rule("/session", "session_state", auth.login_required("moderator")(auth.session_state))

# Community-guideline reasons offered when rejecting live with the labels they imply.


@bp.app_context_processor
def _template_helpers() -> dict[str, object]:
    return {
        "current_user": auth.current_user,
        "highlight": highlight,
        "marked_words": marked_words,
        "flag_label": flag_label,
        "flagged_attributes": flagged_attributes,
        "text_language": text_language,
        "unread_language": unread_language,
        "ordered_scores": ordered_scores,
        "report_summary": report_summary,
        "brigade_note": brigade_note,
        "note_groups": note_groups,
        "heaviest_first": heaviest_first,
        "plain_id": plain_id,
        "guideline_reasons": GUIDELINE_REASONS,
        "safe_url": safe_url,
        "when": when,
        "at": at,
        "report_wait": report_wait,
        "waited": waited,
        "imported_reason": IMPORTED_REASON,  # an import's decision: no moderator made it (scoring._take_imported_decisions)
        "number": number,
        "threshold_text": threshold_text,
        "in_review_queue": in_review_queue,  # the queue's own rule: held, or published and reported past the threshold
        "newest_report_id": newest_report_id,  # a decision form's reports_seen (decisions.apply_decision)
    }


@bp.app_errorhandler(CSRFError)
def _csrf_failed(error: CSRFError) -> tuple[str, int]:
    # Flask-WTF's own reason, logged: behind a proxy that did not pass the Host, every sign-in over
    # https failed on "The referrer does not match the host." and nothing said so; an operator chased
    # expired tokens, cookies and clocks (an operator's walk).
    log.warning("form refused (%s %s): %s; referrer %r, host %r", request.method, request.path, error.description,
                request.referrer, request.host)
    if "referrer" in (error.description or "").lower():
        message = ("This form came from an address this server does not think it is served at. If a proxy is in "
                   "front of it, it must pass the Host header (proxy_set_header Host $host; in nginx). An "
                   "administrator can see the details in the web server's log.")
        return render_template("error.html", title="Form refused", message=message), 400
    message = "This form was missing its security token or it expired. Go back, reload the page and try again."
    return render_template("error.html", title="Form expired", message=message), 400


@bp.get("/")
def index() -> Response:
    return redirect(url_for("review.queue"))


@bp.get("/review")
@auth.login_required("moderator")
def queue() -> str | tuple[str, int]:
    user = auth.current_user()
    try:
        tab, filters = parse_tab(request.args), parse_filters(request.args)
        page = review_queue(db.session, viewer=user, tab=tab, filters=filters, after=request.args.get("after"),
                            sort=parse_sort(request.args, tab))
    except ValidationFailed as error:
        # The same queue without the field that could not be read, one click away.
        kept = [(k, v) for k, v in request.args.items(multi=True) if k != error.field]
        return render_template("error.html", title="Cannot read this filter",
                               message=f"This filter cannot be read: {error.sentence}",
                               back_to=with_query("review.queue", kept),
                               back_label="The queue with the other filters, without this one"), 400
    sites = visible_sites(db.session, user)
    return render_template("review/queue.html", page=page, filters=filters, sites=sites,
                           rule_names=rule_names(db.session, [site.id for site in sites]),
                           tabs=TABS, tab_hints=TAB_HINTS, reasons=REPORT_REASONS, attributes=ATTRIBUTES, flags=FLAGS, decidable=DECIDABLE,
                           storms=active_storms(db.session, visible_site_ids(db.session, user)))


@bp.get("/review/<int8:comment_id>")
@auth.login_required("moderator")
def detail(comment_id: int) -> str:
    from moderation.review.claims import claim_on_open  # not at the top: claims.py imports this module's bp

    # Opening a comment claims it, so others see who is on it; but not when another site sent the
    # browser here (a link, a pop-up): a page could make a moderator hold comments away from the
    # others (a security review). Browsers say where a request came from in Sec-Fetch-Site.
    if request.headers.get("Sec-Fetch-Site", "none") in ("none", "same-origin"):
        claim_on_open(comment_id)
    detail = comment_detail(db.session, comment_id, viewer=auth.current_user())
    if detail is None:
        abort(404)
    # The queue page it was opened from, with its tab and filters: "← Review queue" had been the whole
    # queue, and a moderator working one story's held comments lost them at every comment opened (a walk).
    back = review_path(request.args.get("back"))
    return render_template("review/detail.html", comment=detail.comment, in_queue=detail.in_queue, back=back,
                           history=comment_history(db.session, detail.comment, detail.history), decidable=DECIDABLE,
                           thread=detail.thread, precedents=detail.precedents, before_edit=detail.before_edit,
                           reversal=detail.reversal, written_at=detail.written_at,
                           team_notes=[e for e in detail.history if e.action == NOTE_ACTION][-SHOWN_ON_A_CARD:])


def _reason_from_form() -> str:
    choice = request.form.get("reason_choice", "").strip()
    action = request.form.get("action")
    # The guideline reasons are why a comment is rejected: one left selected when the moderator
    # approved after all made the record read "Approved: Profanity or obscenity". The note stays.
    if choice not in GUIDELINE_REASONS or action == "approve":
        choice = ""
    if action == "reject" and not choice:
        # The page's script asks for one first; a note alone had been taken as the reason, so the
        # site and the decision report got a rejection under no guideline.
        raise ValidationFailed("a reason is required to reject a comment: pick the guideline it broke "
                               "(a note alone is not one)", field="reason_choice")
    note = request.form.get("reason_note", "").strip()
    return ": ".join(part for part in (choice, note) if part)


def review_path(target: str | None) -> str | None:
    """`target` if it is a page of the review pages to go back to (auth.safe_next's checks: no other
    host, no CR/LF, which had made a redirect's header raise), else None. The one check for the
    decision forms' `next`, the detail page's and the bulk result's `back`."""
    return target if target and target.startswith("/review") and auth.safe_next(target) == target else None


def _back(stay_on: int | None = None) -> str:
    """Where to go after deciding: the page the form came from, if it is one of ours.

    stay_on: a comment that still needs the moderator (a refused decision, one undone), whose card
    static/keyboard.js then focuses instead of the next one the form named.
    """
    target = review_path(request.form.get("next")) or url_for("review.queue")
    page = target.split("#", 1)[0]
    # On the comment's own page too: undone there, the page came back with the focus at its top, where
    # the queue's undo puts it back on the card (an accessibility review).
    if stay_on is not None:
        target = f"{page}#comment-{stay_on}"
    return target


def form_version() -> int:
    """The comment version the posted form was drawn at; a form without one is a 400."""
    version = parse_int(request.form.get("version"))
    if version is None:
        abort(400)
    return version


@bp.post("/review/<int8:comment_id>/decide")
@auth.login_required("moderator")
def decide_comment(comment_id: int) -> Response:
    version = form_version()
    if request.form.get("action") == NO_DECISION:  # its first button is disabled: only a form sent by hand
        flash(ENTER_DECIDES_NOTHING, "info")
        return redirect(_back(stay_on=comment_id), code=303)
    try:
        comment = decide(
            db.session,
            comment_id,
            user=auth.current_user(),
            action=request.form.get("action", ""),
            reason=_reason_from_form(),
            expected_version=version,
            reports_seen=parse_int(request.form.get("reports_seen"), maximum=MAX_INT8, minimum=0),
        )
    except NotFound:
        abort(404)
    except AlreadyDecided as error:
        repeated = own_repeat(db.session, comment_id, user=auth.current_user(), action=request.form.get("action", ""),
                              expected_version=version)
        if repeated is not None:  # done already, by them: say so again, Undo and all
            flash(f"Comment #{repeated.id} {repeated.status}.", "success")
            offer_undo(repeated)
            return redirect(_back(), code=303)
        # Named, and the card kept in view while it still waits for a decision (changed since it was
        # opened): the moderator's focus was on it. Decided by someone else, it has left the queue,
        # and the focus goes on to the next card as after a decision, not back to the top of the page.
        flash(f"Comment #{comment_id}: {error.sentence}", "warning")
        return redirect(_back(stay_on=comment_id if waits_for_decision(db.session, comment_id) else None), code=303)
    except ValidationFailed as error:
        flash(f"Comment #{comment_id}: {error.sentence}", "error")
        return redirect(_back(stay_on=comment_id), code=303)
    else:
        flash(f"Comment #{comment.id} {comment.status}.", "success")
        offer_undo(comment)
    return redirect(_back(), code=303)
