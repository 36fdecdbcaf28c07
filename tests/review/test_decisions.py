"""Approving and rejecting: once, recorded, and announced to the site."""
import threading

import pytest
from review_helpers import csrf_token, decide_form
from sqlalchemy import func, select

from moderation import db
from moderation.domain.decisions import decide
from moderation.domain.errors import AlreadyDecided, ValidationFailed
from moderation.domain.status import serialize_comment
from moderation.models import AuditEntry, Comment, LabelledExample, Report, Site, User, WebhookDelivery


@pytest.fixture
def webhook_site(make_site):
    return make_site("hooked-herald", webhook_url="http://127.0.0.1:9/hooks")


def test_an_approval_keeps_its_note_but_not_a_reject_reason_left_selected(app, sign_in, moderator, site, make_comment,
                                                                          grant):
    """It read "Approved: Profanity or obscenity: shouting but fair comment" in the history and audit log."""
    grant(moderator, site)
    comment_id = make_comment(site.id)
    decide_form(sign_in(moderator), comment_id, action="approve", reason_choice="Profanity or obscenity",
                reason_note="shouting but fair comment")
    with app.app_context():
        assert serialize_comment(db.session.get(Comment, comment_id))["decision"]["reason"] == "shouting but fair comment"
        example = db.session.scalars(select(LabelledExample)).one()
        assert example.labels == {"toxicity": 0}


@pytest.fixture
def second_moderator(make_moderator, site):
    return make_moderator("max", sites=[site])


def test_a_decision_changes_the_api_status_and_writes_the_audit_log(app, services, sign_in, moderator,
                                                                       webhook_site, make_comment, grant):
    grant(moderator, webhook_site)
    comment_id = make_comment(webhook_site.id)
    client = sign_in(moderator)
    response = decide_form(client, comment_id, action="reject", reason_choice="Personal attack or insult",
                           reason_note="called the reporter an idiot")
    # Back to the comment's page, its card in the fragment for static/keyboard.js to focus.
    assert response.status_code == 303 and response.headers["Location"] == f"/review/{comment_id}#comment-{comment_id}"
    assert f"Comment #{comment_id} rejected." in client.get(f"/review/{comment_id}").get_data(as_text=True)
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        as_api = serialize_comment(comment)
        assert as_api["status"] == "rejected" and as_api["visible"] is False
        pseudonym = as_api["decision"]["moderator"]
        assert pseudonym.startswith("mod_") and "mona" not in pseudonym, "sites see no login names"
        assert as_api["decision"]["reason"] == "Personal attack or insult: called the reporter an idiot"
        assert comment.version == 2 and comment.decided_by == moderator.id
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.comment_id == comment_id)).one()
        assert entry.actor == "user:mona" and entry.action == "status:held->rejected"
        assert entry.details["reason"] == "Personal attack or insult: called the reporter an idiot"
        delivery = db.session.scalars(select(WebhookDelivery)).one()
        assert delivery.event["comment"]["status"] == "rejected"
        assert delivery.event["comment"]["decision"]["moderator"] == pseudonym
        example = db.session.scalars(select(LabelledExample)).one()
        assert example.labels == {"toxicity": 1, "insult": 1} and example.source == "moderator" and example.comment_id == comment_id
    # After the commit, the delivery task went to the broker (the webhook worker's queue in Redis).
    assert services.redis().llen("webhooks") == 1


def test_sites_see_a_stable_pseudonym_per_moderator_in_the_api_and_webhooks(app, sign_in, moderator, second_moderator,
                                                                             webhook_site, make_comment, make_site,
                                                                             grant):
    other_site = make_site("other-gazette", webhook_url="http://127.0.0.1:9/hooks")
    grant(moderator, webhook_site, other_site)
    grant(second_moderator, webhook_site)
    mine = [make_comment(webhook_site.id), make_comment(webhook_site.id), make_comment(other_site.id)]
    theirs = make_comment(webhook_site.id)
    mona, max_ = sign_in(moderator), sign_in(second_moderator)
    for comment_id in mine:
        decide_form(mona, comment_id, action="approve")
    decide_form(max_, theirs, action="approve")
    by_comment = {}
    for comment_id, site in zip(mine + [theirs], [webhook_site, webhook_site, other_site, webhook_site]):
        body = app.test_client().get(f"/api/v1/comments/{comment_id}", headers=site.headers).get_json()
        by_comment[comment_id] = body["decision"]["moderator"]
    with app.app_context():
        events = {d.comment_id: d.event["comment"]["decision"]["moderator"]
                  for d in db.session.scalars(select(WebhookDelivery))}
    assert events == by_comment
    assert len({by_comment[c] for c in mine}) == 1, "one moderator, one id, on every comment and site"
    assert by_comment[theirs] != by_comment[mine[0]]
    assert not any(name in pseudonym for pseudonym in by_comment.values() for name in ("mona", "max"))


def test_a_site_that_opted_in_sees_the_moderators_login_name(app, sign_in, moderator, webhook_site, make_comment,
                                                             grant):
    grant(moderator, webhook_site)
    with app.app_context():
        db.session.get(Site, webhook_site.id).share_moderator_names = True
        db.session.commit()
    comment_id = make_comment(webhook_site.id)
    decide_form(sign_in(moderator), comment_id, action="approve")
    body = app.test_client().get(f"/api/v1/comments/{comment_id}", headers=webhook_site.headers).get_json()
    assert body["decision"]["moderator"] == "mona"
    with app.app_context():
        assert db.session.scalars(select(WebhookDelivery)).one().event["comment"]["decision"]["moderator"] == "mona"


def test_an_approval_needs_no_reason_and_labels_the_text_civil(app, sign_in, moderator, site, make_comment, grant):
    grant(moderator, site)
    comment_id = make_comment(site.id)
    response = decide_form(sign_in(moderator), comment_id, action="approve")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Comment, comment_id).status == "approved"
        assert db.session.scalars(select(LabelledExample.labels)).one() == {"toxicity": 0}
        # No webhook URL on this site: no outbox row.
        assert db.session.scalar(select(func.count(WebhookDelivery.id))) == 0


def test_a_rejection_without_a_reason_is_refused(app, sign_in, moderator, site, make_comment, grant):
    grant(moderator, site)
    comment_id = make_comment(site.id)
    client = sign_in(moderator)
    response = decide_form(client, comment_id, action="reject")
    assert "a reason is required" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Comment, comment_id).status == "held"
    # From the queue, the form names the next card to come back to; refused, it comes back to this one.
    response = decide_form(client, comment_id, action="reject", next="/review?tab=held#comment-999")
    assert response.headers["Location"] == f"/review?tab=held#comment-{comment_id}"
    # A note is sent with the guideline, not instead of it: the page's script asks for one, and so does the server.
    for note in ("off topic", "Spam or advertising"):
        response = decide_form(client, comment_id, action="reject", reason_note=note, reason_choice="made up")
        assert "a note alone is not one" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Comment, comment_id).status == "held"
    decide_form(client, comment_id, action="reject", reason_note="off topic", reason_choice="Spam or advertising")
    with app.app_context():
        assert db.session.get(Comment, comment_id).decision_reason == "Spam or advertising: off topic"


def test_the_second_moderator_is_told_it_was_already_decided(app, sign_in, moderator, second_moderator,
                                                             site, make_comment, grant):
    grant(moderator, site)
    comment_id = make_comment(site.id)
    mona, max_ = sign_in(moderator), sign_in(second_moderator)
    # Both open the queue while the comment is at version 1 ...
    for client in (mona, max_):
        assert 'name="version" value="1"' in client.get("/review").get_data(as_text=True)
    def token(client):
        return csrf_token(client.get("/review").get_data(as_text=True))

    first = mona.post(f"/review/{comment_id}/decide", data={"csrf_token": token(mona), "version": "1",
                                                            "action": "approve", "next": "/review"})
    second = max_.post(f"/review/{comment_id}/decide", data={"csrf_token": token(max_), "version": "1",
                                                             "action": "reject", "reason_choice": "Off topic",
                                                             "next": "/review#comment-77"})
    assert first.status_code == second.status_code == 303
    # Gone from the queue: back to the next card, as after a decision, not to the top of the page.
    assert second.headers["Location"] == "/review#comment-77"
    page = max_.get("/review").get_data(as_text=True)
    assert "already decided by mona (approved)" in page
    assert f'id="comment-{comment_id}"' not in page
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        assert comment.status == "approved" and comment.decided_by == moderator.id
        assert db.session.scalar(select(func.count(AuditEntry.id))) == 1


def test_the_same_decision_sent_twice_says_it_was_made_and_offers_undo_again(app, sign_in, moderator, site,
                                                                             make_comment, grant):
    """Pressing "a" twice said "already decided by mona" to mona herself and lost the Undo button."""
    grant(moderator, site)
    comment_id = make_comment(site.id)
    client = sign_in(moderator)
    html = client.get(f"/review/{comment_id}").get_data(as_text=True)
    form = {"csrf_token": csrf_token(html), "version": "1", "action": "approve"}
    client.post(f"/review/{comment_id}/decide", data=form)
    again = client.post(f"/review/{comment_id}/decide", data=form)
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert f"Comment #{comment_id} approved." in page and "already decided" not in page
    assert f'action="/review/{comment_id}/undo"' in page
    rejected = client.post(f"/review/{comment_id}/decide",
                           data={**form, "action": "reject", "reason_choice": "Personal attack or insult"})
    assert "already decided by mona (approved)" in client.get(rejected.headers["Location"]).get_data(as_text=True).replace("&#39;", "'")


def test_only_one_of_two_simultaneous_decisions_wins(app, moderator, second_moderator, site, make_comment, grant):
    grant(moderator, site)
    comment_id = make_comment(site.id)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide_as(user_id: int, action: str) -> None:
        with app.app_context():
            user = db.session.get(User, user_id)
            barrier.wait()
            try:
                decide(db.session, comment_id, user=user, action=action, reason="because", expected_version=1)
                outcomes[user.username] = "won"
            except AlreadyDecided:
                outcomes[user.username] = "lost"

    threads = [threading.Thread(target=decide_as, args=(moderator.id, "approve")),
               threading.Thread(target=decide_as, args=(second_moderator.id, "reject"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["lost", "won"]
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEntry.id))) == 1
        assert db.session.scalar(select(func.count(LabelledExample.id))) == 1
        assert db.session.get(Comment, comment_id).version == 2


@pytest.mark.parametrize("actor, says", [("system:scorer", "by the model"), ("site:1", "by the site"),
                                         ("user:max", "by max")])
def test_a_refusal_says_who_changed_the_comment_in_words(app, moderator, site, make_comment, grant, actor, says):
    """It read "(now published, by system:scorer)" and "by site:1", the audit log's spelling."""
    from moderation.domain.status import audit

    grant(moderator, site)
    comment_id = make_comment(site.id, version=3, status="published")
    with app.app_context():
        audit(db.session, actor, "status:held->published", comment_id=comment_id)
        db.session.commit()
        with pytest.raises(AlreadyDecided, match=rf"\(now published, {says}\)"):
            decide(db.session, comment_id, user=db.session.get(User, moderator.id), action="approve", reason=None,
                   expected_version=2)


def test_a_stale_form_loses_even_before_anyone_decided(app, moderator, site, make_comment, grant):
    grant(moderator, site)
    comment_id = make_comment(site.id, version=3)
    with app.app_context():
        user = db.session.get(User, moderator.id)
        with pytest.raises(AlreadyDecided, match="changed since you opened it"):
            decide(db.session, comment_id, user=user, action="approve", reason=None, expected_version=2)
        with pytest.raises(ValidationFailed):
            decide(db.session, comment_id, user=user, action="delete", reason=None, expected_version=3)


def test_a_report_filed_after_the_page_was_drawn_refuses_the_decision_until_it_is_read(
        app, client, sign_in, moderator, site, make_comment, grant):
    """A moderator's walk: a reader's self-harm report came in while the card was open; it changed
    no version, the card never showed it, and Approve dismissed it unread."""
    from review_helpers import drawn_decide_form

    grant(moderator, site)
    comment_id = make_comment(site.id, "I can't see the point of any of it.")
    reviewer = sign_in(moderator)
    drawn = drawn_decide_form(reviewer.get(f"/review/{comment_id}").get_data(as_text=True))
    filed = client.post(f"/api/v1/comments/{comment_id}/reports", headers=site.headers, json={
        "reason": "self_harm", "reporter_id": "worried", "note": "they told me they have pills ready tonight"})
    assert filed.status_code == 201

    refused = reviewer.post(f"/review/{comment_id}/decide", data={**drawn, "action": "approve"})
    assert refused.status_code == 303
    page = reviewer.get(refused.headers["Location"]).get_data(as_text=True)
    assert "1 report (self harm) came in since you opened this comment: read them, then decide." in page
    assert "pills ready tonight" in page  # now on the card
    with app.app_context():
        assert db.session.get(Comment, comment_id).status == "held"
        assert db.session.scalars(select(Report.outcome)).one() is None

    assert decide_form(reviewer, comment_id, action="approve").status_code == 303  # drawn again: it decides
    with app.app_context():
        assert db.session.get(Comment, comment_id).status == "approved"


def test_a_self_harm_report_filed_after_the_page_was_drawn_refuses_a_rejection_too(
        app, client, sign_in, moderator, site, make_comment, grant):
    """A rejection upholds what other reports ask (a banned author's take-down, a re-check), but one
    saying the author may be at risk waits for a person to read it."""
    from review_helpers import drawn_decide_form

    grant(moderator, site)
    spam, worrying = make_comment(site.id, "Cheap pills here"), make_comment(site.id, "I can't go on like this.")
    noted = make_comment(site.id, "Whatever, I'm done with all of it.")
    reviewer = sign_in(moderator)
    drawn = {i: drawn_decide_form(reviewer.get(f"/review/{i}").get_data(as_text=True)) for i in (spam, worrying, noted)}
    client.post(f"/api/v1/comments/{spam}/reports", headers=site.headers, json={"reason": "spam", "reporter_id": "r1"})
    client.post(f"/api/v1/comments/{worrying}/reports", headers=site.headers,
                json={"reason": "self_harm", "reporter_id": "r2"})
    # A note may say what the reason does not (a re-check: "other", with pills ready tonight).
    client.post(f"/api/v1/comments/{noted}/reports", headers=site.headers,
                json={"reason": "other", "reporter_id": "r3", "note": "he told me he has pills ready tonight"})

    for comment_id in (spam, worrying, noted):
        reviewer.post(f"/review/{comment_id}/decide", data={**drawn[comment_id], "action": "reject",
                                                              "reason_choice": "Spam or advertising"})
    with app.app_context():
        assert [db.session.get(Comment, i).status for i in (spam, worrying, noted)] == ["rejected", "held", "held"]
