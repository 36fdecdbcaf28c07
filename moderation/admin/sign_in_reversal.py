"""The audit log's one action: reverse what a sign-in decided (domain/session_reversal.py)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from moderation import auth, db
from moderation.admin import bp
from moderation.domain.errors import ValidationFailed
from moderation.domain.bulk import MAX_BULK
from moderation.domain.session_reversal import TAG, reverse_sign_in


@bp.post("/audit/sign-ins/<tag>/reverse")
@auth.login_required("site_admin")
def reverse_sign_in_view(tag: str) -> Response:
    if not TAG.fullmatch(tag):
        abort(404)
    back = url_for("admin.audit_log", who=tag)
    try:
        result, left = reverse_sign_in(db.session, tag, user=auth.current_user(), reason=request.form.get("reason"))
    except ValidationFailed as error:
        flash(f"Nothing reversed: {error.sentence}", "error")
        return redirect(back, code=303)
    if left:
        flash(f"{left:,} more of this sign-in's decisions still stand: Reverse all again on the audit log "
              f"(at most {MAX_BULK:,} at a time).", "warning")
    return redirect(url_for("review.bulk_result", entry_id=result.entry_id, back=back), code=303)
