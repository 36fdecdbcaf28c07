"""An admin changes a site's report threshold while comments have open reports: they are ranked again
by the new threshold, so a decision takes away what their reports add under it."""
from __future__ import annotations

from datetime import timedelta

import pytest
from review_helpers import csrf_token

from moderation import db
from moderation.domain.decisions import decide
from moderation.domain.reports import file_report
from moderation.domain.undo import undo_decision
from moderation.models import Comment, Site, User


def _priority(app, comment_id: int) -> float:
    with app.app_context():
        return db.session.get(Comment, comment_id).priority


def _act(app, comment_id: int, user_id: int, action: str) -> float:
    with app.app_context():
        user, comment = db.session.get(User, user_id), db.session.get(Comment, comment_id)
        if action == "undo":
            undo_decision(db.session, comment_id, user=user, expected_version=comment.version,
                          window=timedelta(minutes=10))
        else:
            decide(db.session, comment_id, user=user, action=action, reason=None, expected_version=comment.version)
    return _priority(app, comment_id)


def test_a_new_report_threshold_reranks_open_reports_so_a_decision_takes_away_what_they_add(
        app, sign_in, admin, site, make_comment):
    """A re-check: reported at threshold 2 (0.2 + 1.0), the threshold lowered to 0.5, then approved: the
    decision took away the new threshold's share and left 0.0 where the comment's scores rank it at 0.2."""
    reported, quiet = make_comment(site.id, priority=0.2), make_comment(site.id, priority=0.7)
    with app.app_context():
        file_report(db.session, db.session.get(Site, site.id), reported, reason="hate", reporter_id="another-reader")
        db.session.commit()
    assert _priority(app, reported) == pytest.approx(0.2 + 1.0)  # weighs 2: the threshold's share
    client = sign_in(admin)
    token = csrf_token(client.get(f"/admin/sites/{site.id}").get_data(as_text=True))
    saved = client.post(f"/admin/sites/{site.id}", data={"csrf_token": token, "moderation_mode": "post", "show_held": "yes",
                                                          "report_threshold": "0.5"})
    assert saved.status_code == 303
    assert _priority(app, reported) == pytest.approx(0.2 + 1.5)  # 2 over 0.5, at the cap of a reader none upheld
    assert _priority(app, quiet) == pytest.approx(0.7)  # no open reports: nothing to re-rank
    assert _act(app, reported, admin.id, "approve") == pytest.approx(0.2)
    assert _act(app, reported, admin.id, "undo") == pytest.approx(0.2 + 1.5)
