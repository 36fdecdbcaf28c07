"""Undo in one click from the flash after a decision, undo and reverse on the detail page, and the history."""
from __future__ import annotations

import re
from datetime import timedelta

from review_helpers import csrf_token, decide_form
from sqlalchemy import select, update

from moderation import db
from moderation.domain.lifecycle import now
from moderation.models import AuditEntry, Comment


def undo_form(html: str) -> dict[str, str]:
    """The Undo button's form as the browser would submit it (from the flash or the detail page)."""
    form = re.search(r'<form[^>]*action="(/review/\d+/(?:undo|reverse))"[^>]*>(.*?)</form>', html, re.S)
    assert form, "no undo form on the page"
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(2)))
    return {"action": form.group(1), **fields}


def status_of(app, comment_id: int) -> tuple[str, int, str | None]:
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        return comment.status, comment.version, comment.decision


def test_the_flash_after_a_decision_offers_undo_and_one_click_puts_the_comment_back(app, sign_in, moderator, site,
                                                                                 make_comment, grant):
    grant(moderator, site)
    comment_id = make_comment(site.id)
    client = sign_in(moderator)
    queue = client.get("/review").get_data(as_text=True)
    token = csrf_token(queue)
    response = client.post(f"/review/{comment_id}/decide", data={
        "csrf_token": token, "version": "1", "action": "reject", "reason_choice": "Harassment", "next": "/review"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Comment #{comment_id} rejected." in page
    assert 'data-key="undo"' in page
    form = undo_form(page)
    assert form["action"] == f"/review/{comment_id}/undo" and form["version"] == "2"

    response = client.post(form.pop("action"), data=form)

    # Back on the comment's own card (static/keyboard.js focuses it), not at the top of the queue.
    assert response.status_code == 303 and response.headers["Location"] == f"/review#comment-{comment_id}"
    page = client.get("/review").get_data(as_text=True)
    assert f"Comment #{comment_id}: decision undone; it is held again." in page
    assert f'data-comment-id="{comment_id}"' in page, "back in the queue"
    assert 'data-key="undo"' not in page, "the offer is shown once"
    assert status_of(app, comment_id) == ("held", 3, None)


def test_the_detail_page_offers_undo_only_to_the_moderator_who_decided_within_the_window(
        app, sign_in, moderator, make_moderator, site, make_comment, grant):
    grant(moderator, site)
    other = make_moderator("otto", sites=[site])
    comment_id = make_comment(site.id)
    mine = sign_in(moderator)
    decide_form(mine, comment_id, action="approve")
    assert "Undo my decision" in mine.get(f"/review/{comment_id}").get_data(as_text=True)
    assert "Undo my decision" not in sign_in(other).get(f"/review/{comment_id}").get_data(as_text=True)
    with app.app_context():
        db.session.execute(update(Comment).where(Comment.id == comment_id)
                           .values(decided_at=now() - timedelta(seconds=601)))
        db.session.commit()
    page = mine.get(f"/review/{comment_id}").get_data(as_text=True)
    assert "Undo my decision" not in page
    assert "Your decision stands: the 10 minutes to undo it have passed; an admin or the site's site admin can reverse it." in page


def test_an_undo_that_is_refused_says_why_and_changes_nothing(app, sign_in, moderator, make_moderator, site,
                                                              make_comment, grant):
    grant(moderator, site)
    other = sign_in(make_moderator("otto", sites=[site]))
    comment_id = make_comment(site.id)
    decide_form(sign_in(moderator), comment_id, action="approve")
    token = csrf_token(other.get("/review").get_data(as_text=True))
    response = other.post(f"/review/{comment_id}/undo", data={"csrf_token": token, "version": "2", "next": "/review"})
    assert response.status_code == 303
    page = other.get("/review").get_data(as_text=True)
    assert "Only mona can undo their decision" in page and "an admin can reverse it" in page
    assert status_of(app, comment_id) == ("approved", 2, "approved")
    assert other.post(f"/review/{comment_id}/undo", data={"csrf_token": token}).status_code == 400  # no version


def test_an_admin_reverses_from_the_detail_page_with_a_reason(app, sign_in, moderator, admin, site, make_comment,
                                                             grant):
    grant(moderator, site)
    comment_id = make_comment(site.id)
    decide_form(sign_in(moderator), comment_id, action="reject", reason_choice="Harassment")
    client = sign_in(admin)
    page = client.get(f"/review/{comment_id}").get_data(as_text=True)
    assert "Reverse this decision" in page
    form = undo_form(page)
    action = form.pop("action")
    assert action == f"/review/{comment_id}/reverse"

    client.post(action, data={**form, "reason": " "})
    assert "a reason is required to reverse a decision" in client.get(f"/review/{comment_id}").get_data(as_text=True)
    assert status_of(app, comment_id) == ("rejected", 2, "rejected")

    response = client.post(action, data={**form, "reason": "quoting the mayor, not insulting anyone"})
    # Back on the card, so the focus is there (on the comment's own page too: an accessibility review).
    assert response.status_code == 303 and response.headers["Location"] == f"/review/{comment_id}#comment-{comment_id}"
    assert status_of(app, comment_id) == ("held", 3, None)
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "decision:reversed")).one()
        assert entry.actor == "user:ada" and entry.details["reason"] == "quoting the mayor, not insulting anyone"
        assert "labelled_example_removed" not in entry.details  # said once, as the list
    assert "Reversed mona&#39;s decision (rejected); back to held" in client.get(f"/review/{comment_id}").get_data(
        as_text=True)


def test_a_reversed_card_says_who_reversed_whose_decision_and_why_until_it_is_decided_again(
        app, sign_in, moderator, admin, site, make_comment, grant):
    """It came back to the top of the queue looking new, and the moderator made the same decision again."""
    grant(moderator, site)
    comment_id = make_comment(site.id)
    mona = sign_in(moderator)
    decide_form(mona, comment_id, action="reject", reason_choice="Harassment")
    ada = sign_in(admin)
    form = undo_form(ada.get(f"/review/{comment_id}").get_data(as_text=True))
    ada.post(form.pop("action"), data={**form, "reason": "criticism of a public official is allowed"})

    card = mona.get("/review").get_data(as_text=True)
    assert ("Back for review: ada reversed mona's decision (rejected: Harassment), saying "
            "“criticism of a public official is allowed”.") in card
    assert "Back for review: ada reversed mona's decision" in mona.get(f"/review/{comment_id}").get_data(as_text=True)

    decide_form(mona, comment_id, action="approve")
    assert "Back for review" not in mona.get("/review?tab=all").get_data(as_text=True)


def test_a_moderator_cannot_reverse(sign_in, moderator, site, make_comment, grant):
    grant(moderator, site)
    comment_id = make_comment(site.id)
    client = sign_in(moderator)
    decide_form(client, comment_id, action="approve")
    token = csrf_token(client.get("/review").get_data(as_text=True))
    response = client.post(f"/review/{comment_id}/reverse", data={"csrf_token": token, "version": "2", "reason": "x"})
    assert response.status_code == 403


def test_the_history_lists_reports_decisions_undo_and_webhooks_in_order(app, sign_in, moderator, make_site,
                                                                         make_comment, grant):
    hooked = make_site("hooked", webhook_url="http://127.0.0.1:9/hooks")
    grant(moderator, hooked)
    comment_id = make_comment(hooked.id, reports=[{"reporter_id": "reader-9", "reason": "harassment",
                                                   "note": "<b>threatening</b>"}])
    client = sign_in(moderator)
    decide_form(client, comment_id, action="reject", reason_choice="Harassment")
    page = client.get(f"/review/{comment_id}").get_data(as_text=True)
    form = undo_form(page)
    client.post(form.pop("action"), data={**form, "reason": "wrong comment"})

    page = client.get(f"/review/{comment_id}").get_data(as_text=True)
    history = page[page.index("<h2>History</h2>"):]
    rows = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in re.findall(r'<tr class="event-.*?</tr>', history, re.S)]
    whats = [row.split(" UTC ", 1)[1] for row in rows]
    assert whats == [
        # Open again after the undo; the reader's note is escaped.
        "reader-9 Reported: harassment (weight 1) &lt;b&gt;threatening&lt;/b&gt;",
        "mona Rejected (held → rejected) Harassment",
        "to the site Webhook comment.status_changed v2: queued",
        "to the site Webhook report.resolved (upheld): queued",
        # Once: the status change the undo wrote is what this row already says.
        "mona Undid their decision (rejected); back to held wrong comment",
        "to the site Webhook comment.status_changed v3 (reversal): queued",
        "to the site Webhook report.reopened (was upheld): queued",
    ]


def test_the_undo_window_is_said_in_seconds_when_it_is_short(app, monkeypatch):
    from moderation.review.undo import undo_window_words

    for seconds, words in ((600, "10 minutes"), (120, "2 minutes"), (30, "30 seconds"), (1, "1 second")):
        monkeypatch.setitem(app.config, "UNDO_WINDOW_SECONDS", seconds)
        with app.app_context():
            assert undo_window_words() == words  # rounded to minutes, 30 s read "0 minutes"


def test_a_rejection_no_person_made_can_be_sent_to_review_and_a_persons_cannot(app, sign_in, moderator, site,
                                                                               make_comment, grant):
    """A moderator's walk: a banned reader's "I'm going to kill myself tonight." was rejected by the ban,
    and after the ban was lifted no one, moderator or admin, had any way to bring it back."""
    import re

    from review_helpers import csrf_token

    from moderation import db
    from moderation.domain.lifecycle import is_visible
    from moderation.models import Comment, Site

    grant(moderator, site)
    by_policy = make_comment(site.id, "I'm going to kill myself tonight.", status="rejected",
                             flagged=["author_banned"])
    by_rule = make_comment(site.id, "See you tonight at the game.", status="rejected", flagged=[],
                           rule_hits=[{"rule": "words", "action": "reject", "reason": "banned word", "kind": "banned_words"}])
    by_person = make_comment(site.id, "Rude words.", status="rejected", decision="rejected",
                             decided_by=moderator.id, decision_reason="Personal attack or insult")
    client = sign_in(moderator)

    page = client.get(f"/review/{by_policy}").get_data(as_text=True)
    assert "Send to review" in page and "Send to review" not in client.get(f"/review/{by_person}").get_data(as_text=True)
    version = re.search(r'review-again".*?name="version" value="(\d+)"', page, re.S).group(1)
    no_reason = client.post(f"/review/{by_policy}/review-again", data={"csrf_token": csrf_token(page), "version": version})
    assert no_reason.status_code == 303
    sent = client.post(f"/review/{by_policy}/review-again",
                       data={"csrf_token": csrf_token(page), "version": version, "reason": "the ban was a mistake"})
    rule_page = client.get(f"/review/{by_rule}").get_data(as_text=True)
    rule_version = re.search(r'review-again".*?name="version" value="(\d+)"', rule_page, re.S).group(1)
    client.post(f"/review/{by_rule}/review-again",
                data={"csrf_token": csrf_token(rule_page), "version": rule_version, "reason": "a false positive"})
    forged = client.post(f"/review/{by_person}/review-again",
                         data={"csrf_token": csrf_token(page), "version": "1", "reason": "overrule a colleague"})

    assert sent.status_code == 303 and forged.status_code == 303
    assert "was decided by a person: its moderator may undo it" in client.get("/review").get_data(as_text=True)
    with app.app_context():
        held = db.session.get(Comment, by_policy)
        assert (held.status, held.flagged) == ("held", ["author_banned", "sent_to_review"])
        assert not is_visible(held)  # hidden while held, whatever the site's mode
        assert db.session.get(Comment, by_person).status == "rejected"
        # A rule's rejection on a post-moderation site: held is shown there, and it was republished (a re-check).
        site_row = db.session.get(Site, site.id)
        site_row.moderation_mode = "post"
        ruled = db.session.get(Comment, by_rule)
        assert ruled.status == "held" and not is_visible(ruled)
        db.session.rollback()
    queue = client.get("/review").get_data(as_text=True)
    assert f'id="comment-{by_policy}"' in queue


def test_a_reversal_that_leaves_a_comment_published_does_not_call_it_back_for_review(
        app, sign_in, moderator, admin, site, make_comment, grant):
    """Counsel's walk: a rejection reversed back to published read "Back for review" in no review tab."""
    grant(moderator, site)
    comment_id = make_comment(site.id, status="published", flagged=[])
    mona = sign_in(moderator)
    decide_form(mona, comment_id, action="reject", reason_choice="Harassment")
    ada = sign_in(admin)
    form = undo_form(ada.get(f"/review/{comment_id}").get_data(as_text=True))
    ada.post(form.pop("action"), data={**form, "reason": "refers to another councillor"})
    page = ada.get(f"/review/{comment_id}").get_data(as_text=True)
    assert "Published again, with no decision: ada reversed mona's decision (rejected: Harassment)" in page
    assert "Back for review" not in page
