"""The review blueprint's route that answers readers' reports on an approved comment
(domain/report_answers.py); moderation/review/__init__.py imports this module."""
from __future__ import annotations

from flask import abort, flash, redirect, request
from werkzeug.wrappers import Response

from moderation import auth, db
from moderation.domain.errors import AlreadyDecided, Conflict, NotFound
from moderation.domain.report_answers import dismiss_reports_of_approved
from moderation.request_input import MAX_INT8, parse_int
from moderation.review.routes import _back, bp, form_version


@bp.app_context_processor
def _report_answer_helpers() -> dict[str, object]:
    # An approved card with reports open: they wait for this button (the queue's Reported tab lists it).
    return {"open_reports_of": lambda comment: [r for r in comment.reports if r.outcome is None]}


@bp.post("/review/<int8:comment_id>/dismiss-reports")
@auth.login_required("moderator")
def dismiss_reports(comment_id: int) -> Response:
    try:
        n = dismiss_reports_of_approved(db.session, comment_id, user=auth.current_user(),
                                        expected_version=form_version(),
                                        reports_seen=parse_int(request.form.get("reports_seen"), maximum=MAX_INT8,
                                                               minimum=0))
    except NotFound:
        abort(404)
    except AlreadyDecided as error:  # a report the card did not show: the same words a decision's refusal says
        flash(f"Comment #{comment_id}: {error.sentence}", "warning")
    except Conflict as error:
        flash(error.sentence[:1].upper() + error.sentence[1:], "warning")
    else:
        flash(f"Comment #{comment_id} stays approved; its {n} open report{'s' if n != 1 else ''} "
              f"{'are' if n != 1 else 'is'} dismissed, and the site is told.", "success")
    return redirect(_back(stay_on=comment_id), code=303)
