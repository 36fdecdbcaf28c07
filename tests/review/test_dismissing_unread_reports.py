"""*Keep approved, dismiss N reports* answers only the reports its card showed, as Approve and Reject
do (decisions.refuse_unread_reports): a review found a report filed while the card was open
dismissed unread, and its reader told so, by the one action that lacked the check."""
from __future__ import annotations

import re

import pytest
from review_helpers import csrf_token
from sqlalchemy import select

from moderation import db
from moderation.domain.errors import AlreadyDecided
from moderation.domain.report_answers import dismiss_reports_of_approved
from moderation.models import Comment, Report, User

REFUSAL = "1 report (self harm) came in since you opened this comment: read them, then decide."


@pytest.fixture
def reported_after_approval(app, site, make_comment):
    """An approved comment one reader reported since, under the bar that sends it back to review."""
    return make_comment(site.id, "You lot never check your facts.", status="approved", decision="approved",
                        flagged=[], report_weight=1.0)


def _file_self_harm_report(client, site, comment_id: int) -> None:
    # Anonymous, so the comment stays approved (a named reader's would send it back to review).
    filed = client.post(f"/api/v1/comments/{comment_id}/reports", headers=site.headers, json={
        "reason": "self_harm", "note": "he said tonight is the night"})
    assert filed.status_code == 201


def _outcomes(comment_id: int) -> list[str | None]:
    db.session.expire_all()
    return list(db.session.scalars(select(Report.outcome).where(Report.comment_id == comment_id).order_by(Report.id)))


def _drawn_dismiss_form(html: str, comment_id: int) -> dict[str, str]:
    """The hidden fields of the card's dismiss form as drawn: what a browser sends however long after."""
    start = html.index(f'action="/review/{comment_id}/dismiss-reports"')
    form = html[start:html.index("</form>", start)]
    fields = dict(re.findall(r'name="(version|reports_seen|next)" value="([^"]*)"', form))
    return {"csrf_token": csrf_token(html), **fields}


def test_the_domain_refuses_to_dismiss_a_report_filed_after_the_card_was_drawn(
        app, client, site, moderator, grant, reported_after_approval):
    grant(moderator, site)
    with app.app_context():
        comment = db.session.get(Comment, reported_after_approval)
        seen, version = max(r.id for r in comment.reports), comment.version
    _file_self_harm_report(client, site, reported_after_approval)
    with app.app_context():
        user = db.session.get(User, moderator.id)
        with pytest.raises(AlreadyDecided, match=re.escape(REFUSAL)):
            dismiss_reports_of_approved(db.session, reported_after_approval, user=user, expected_version=version,
                                        reports_seen=seen)
        assert _outcomes(reported_after_approval) == [None, None]
        # Read now (the card drawn again): both are answered.
        assert dismiss_reports_of_approved(db.session, reported_after_approval, user=user, expected_version=version,
                                           reports_seen=seen + 1) == 2
        assert _outcomes(reported_after_approval) == ["dismissed", "dismissed"]


def test_the_cards_button_is_refused_for_a_report_it_did_not_show_and_says_why(
        app, client, sign_in, site, moderator, grant, reported_after_approval):
    grant(moderator, site)
    reviewer = sign_in(moderator)
    drawn = _drawn_dismiss_form(reviewer.get("/review?tab=reported").get_data(as_text=True), reported_after_approval)
    _file_self_harm_report(client, site, reported_after_approval)

    refused = reviewer.post(f"/review/{reported_after_approval}/dismiss-reports", data=drawn)
    assert refused.status_code == 303
    page = reviewer.get(refused.headers["Location"]).get_data(as_text=True)
    assert f"Comment #{reported_after_approval}: {REFUSAL}" in page
    assert "he said tonight is the night" in page and "Keep approved, dismiss 2 reports" in page  # now on the card
    with app.app_context():
        assert _outcomes(reported_after_approval) == [None, None]

    again = _drawn_dismiss_form(page, reported_after_approval)
    assert reviewer.post(f"/review/{reported_after_approval}/dismiss-reports", data=again).status_code == 303
    with app.app_context():
        assert _outcomes(reported_after_approval) == ["dismissed", "dismissed"]
        assert db.session.get(Comment, reported_after_approval).status == "approved"
