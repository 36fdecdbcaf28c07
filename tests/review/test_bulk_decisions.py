"""Bulk decisions in the domain: many comments, one action and reason, each decided on its own."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from moderation import db
from moderation.domain.bulk import MAX_BULK, author_held_comments, bulk_decide, matching_selection
from moderation.domain.decisions import decide
from moderation.domain.errors import ValidationFailed
from moderation.domain.queue_filters import QueueFilters
from moderation.models import AuditEntry, Comment, LabelledExample, Report, User, WebhookDelivery


@pytest.fixture
def webhook_site(make_site):
    return make_site("hooked-herald", webhook_url="http://127.0.0.1:9/hooks")


def _user(user_id: int) -> User:
    return db.session.get(User, user_id)


def test_a_mixed_selection_decides_the_decidable_and_says_why_it_skipped_the_rest(
        app, moderator, make_moderator, webhook_site, outsider, make_comment, grant):
    grant(moderator, webhook_site)
    bob = make_moderator("bob", sites=[webhook_site])
    fresh = [make_comment(webhook_site.id, reports=[{"reason": "harassment", "reporter_id": "r1"}]),
             make_comment(webhook_site.id)]
    taken = make_comment(webhook_site.id)
    elsewhere = make_comment(outsider.id)
    with app.app_context():
        decide(db.session, taken, user=_user(bob.id), action="approve", reason=None, expected_version=1)
        result = bulk_decide(db.session, [(c, 1) for c in [*fresh, taken, elsewhere, 999_999]],
                             user=_user(moderator.id), action="reject", reason="Spam or advertising")
    assert result.decided == fresh
    assert [(s.comment_id, s.why) for s in result.skipped] == [
        (taken, "This comment was already decided by bob (approved)."),
        (elsewhere, "not found"),
        (999_999, "not found"),
    ]
    with app.app_context():
        statuses = dict(db.session.execute(select(Comment.id, Comment.status)).all())
        assert [statuses[c] for c in fresh] == ["rejected", "rejected"]
        assert statuses[taken] == "approved" and statuses[elsewhere] == "held", "another site's comment is untouched"
        assert db.session.get(Comment, fresh[0]).decision_reason == "Spam or advertising"
        # Each decided comment: its own audit entry, webhook event, training label; the report upheld.
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.actor == "user:mona")
                                     .order_by(AuditEntry.id)).all()
        assert [(e.comment_id, e.action) for e in entries] == [
            (fresh[0], "status:held->rejected"), (fresh[1], "status:held->rejected"), (None, "bulk:reject")]
        assert entries[-1].details["decided"] == fresh
        assert entries[-1].details["skipped"] == [[taken, "This comment was already decided by bob (approved)."],
                                                  [elsewhere, "not found"], [999_999, "not found"]]
        events = [(d.comment_id, d.event["type"]) for d in db.session.scalars(
            select(WebhookDelivery).where(WebhookDelivery.comment_id.in_(fresh)).order_by(WebhookDelivery.id))]
        assert sorted(e for e in events if e[1] == "comment.status_changed") == [
            (fresh[0], "comment.status_changed"), (fresh[1], "comment.status_changed")]
        assert (fresh[0], "report.resolved") in events
        # In the site's bulk lane, behind none of its readers' comments (a re-check: 22.5 s behind 500).
        assert set(db.session.scalars(select(WebhookDelivery.bulk).where(WebhookDelivery.comment_id.in_(fresh)))) == {True}
        assert db.session.scalars(select(Report.outcome)).all() == ["upheld"]
        labelled = db.session.execute(select(LabelledExample.comment_id, LabelledExample.kind)).all()
        assert sorted(c for c, kind in labelled if kind == "decision") == sorted([*fresh, taken])
        assert [c for c, kind in labelled if kind == "report_outcome"] == [fresh[0]]


def test_a_comment_changed_since_the_moderator_saw_it_is_skipped_not_redone(app, moderator, site, make_comment, grant):
    grant(moderator, site)
    seen_old = make_comment(site.id, version=2)
    with app.app_context():
        result = bulk_decide(db.session, [(seen_old, 1)], user=_user(moderator.id), action="approve", reason=None)
        assert result.decided == [] and "changed since you opened it" in result.skipped[0].why
        assert db.session.get(Comment, seen_old).status == "held"


def test_a_bad_reason_or_an_empty_or_huge_selection_decides_nothing(app, moderator, site, make_comment, grant):
    grant(moderator, site)
    comment_id = make_comment(site.id)
    with app.app_context():
        user = _user(moderator.id)
        with pytest.raises(ValidationFailed, match="a reason is required"):
            bulk_decide(db.session, [(comment_id, 1)], user=user, action="reject", reason="  ")
        with pytest.raises(ValidationFailed, match="select at least one"):
            bulk_decide(db.session, [], user=user, action="approve", reason=None)
        with pytest.raises(ValidationFailed, match=f"at most {MAX_BULK}"):
            bulk_decide(db.session, [(i, 1) for i in range(1, MAX_BULK + 2)], user=user, action="approve", reason=None)
        assert db.session.get(Comment, comment_id).status == "held"
        assert db.session.scalars(select(AuditEntry)).all() == []


def test_an_id_given_twice_is_decided_once(app, moderator, site, make_comment, grant):
    grant(moderator, site)
    comment_id = make_comment(site.id)
    with app.app_context():
        result = bulk_decide(db.session, [(comment_id, 1), (comment_id, 1)], user=_user(moderator.id),
                             action="approve", reason=None)
    assert result.decided == [comment_id] and result.skipped == []


def test_an_authors_held_selection_is_their_held_comments_on_a_site_the_viewer_works(
        app, moderator, site, outsider, make_comment, grant):
    grant(moderator, site)
    held = [make_comment(site.id, author_id="troll"), make_comment(site.id, author_id="troll", version=3)]
    make_comment(site.id, author_id="troll", status="approved")
    make_comment(site.id, author_id="someone-else")
    make_comment(outsider.id, author_id="troll")
    with app.app_context():
        user = _user(moderator.id)
        assert [(c.id, c.version) for c in author_held_comments(db.session, site.id, "troll", viewer=user)] == [
            (held[0], 1), (held[1], 3)]
        assert author_held_comments(db.session, outsider.id, "troll", viewer=user) == []


def test_all_matching_a_filter_is_the_viewers_queue_under_that_filter_capped(
        app, moderator, site, outsider, make_comment, grant):
    grant(moderator, site)
    spam = [make_comment(site.id, "Buy cheap watches now"), make_comment(site.id, "Cheap watches here")]
    make_comment(site.id, "A thoughtful remark about the bridge")
    make_comment(outsider.id, "Cheap watches on the other site")
    with app.app_context():
        user = _user(moderator.id)
        found = matching_selection(db.session, viewer=user, tab="review", filters=QueueFilters(q="watches"))
        assert sorted(found.selection) == sorted((c, 1) for c in spam) and found.total == 2
        capped = matching_selection(db.session, viewer=user, tab="review", filters=QueueFilters(), limit=2)
        assert len(capped.comments) == 2 and capped.total == 3
        with pytest.raises(ValidationFailed, match="only these tabs"):
            matching_selection(db.session, viewer=user, tab="approved", filters=QueueFilters())


def test_all_matching_past_the_queues_count_cap_says_so_as_the_queue_does(app, moderator, site, make_comment, grant,
                                                                          monkeypatch):
    """An SRE's walk: "10001 comments match" where 38,898 did, and the queue said 10,000+."""
    from functools import partial

    from moderation.domain import bulk, queue

    grant(moderator, site)
    for n in range(4):
        make_comment(site.id, f"Comment number {n}")
    monkeypatch.setattr(bulk, "review_queue", partial(queue.review_queue, count_cap=2))
    with app.app_context():
        found = matching_selection(db.session, viewer=_user(moderator.id), tab="review", filters=QueueFilters(), limit=1)
    assert found.total_label == "2+"


def test_a_comment_another_decision_holds_locked_is_skipped_at_once_not_waited_for(app, moderator, site, make_comment,
                                                                                  grant):
    grant(moderator, site)
    busy, free = make_comment(site.id), make_comment(site.id)
    with app.app_context():
        other = app.extensions["db_engine"].connect()  # another moderator's decision, between its lock and its commit
        try:
            other.execute(select(Comment.id).where(Comment.id == busy).with_for_update())
            result = bulk_decide(db.session, [(busy, 1), (free, 1)], user=_user(moderator.id), action="approve",
                                 reason=None)
        finally:
            other.rollback()
            other.close()
        assert result.decided == [free]
        assert [(s.comment_id, s.why) for s in result.skipped] == [(busy, "being changed right now (decided by someone else, or scored again): try again in a moment")]
        assert db.session.get(Comment, busy).status == "held"


def test_a_bulk_action_skips_a_comment_a_colleague_has_open_and_decides_the_rest(
        app, moderator, make_moderator, site, make_comment, grant):
    from datetime import datetime, timedelta, timezone

    from moderation.domain.claims import claim

    grant(moderator, site)
    bob = make_moderator("bob", sites=[site])
    open_elsewhere, free = make_comment(site.id), make_comment(site.id)
    with app.app_context():
        claim(db.session, open_elsewhere, _user(bob.id), at=datetime.now(timezone.utc), lease=timedelta(minutes=3))
        result = bulk_decide(db.session, [(open_elsewhere, 1), (free, 1)],
                             user=_user(moderator.id), action="approve", reason=None)
        assert result.decided == [free]
        [(skipped_id, why)] = [(s.comment_id, s.why) for s in result.skipped]
        assert skipped_id == open_elsewhere and why.startswith("bob is reviewing this comment")
        assert db.session.get(Comment, open_elsewhere).status == "held"
        assert db.session.get(Comment, free).status == "approved", "bob's claim did not roll back the rest"


@pytest.mark.parametrize("action", ["reject", "approve"])
def test_a_reader_who_may_be_at_risk_is_left_for_its_own_card_in_bulk(app, moderator, site, make_comment, grant, action):
    """A moderator's walk: "All on this page" and Reject rejected three readers' "Tonight's the night,
    goodbye everyone." as personal attacks, upheld the worried readers' reports and labelled them."""
    grant(moderator, site)
    crisis = make_comment(site.id, "I've saved up enough pills. Tonight's the night, goodbye everyone.")
    rude = make_comment(site.id, "You are an idiot.")
    with app.app_context():
        db.session.get(Comment, crisis).rule_hits = [{"rule": "at-risk", "kind": "at_risk", "action": "hold",
                                                      "reason": "reader may be at risk: \"tonight's the night\""}]
        db.session.commit()
        result = bulk_decide(db.session, [(crisis, 1), (rude, 1)], user=_user(moderator.id), action=action,
                             reason="Personal attack or insult" if action == "reject" else None)
        assert result.decided == [rude]
        assert [(s.comment_id, s.why) for s in result.skipped] == [
            (crisis, "the reader may be at risk: decide it on its own card, after your newsroom's procedure")]
        assert db.session.get(Comment, crisis).status == "held"


def test_bulk_approval_leaves_what_the_threats_group_or_urging_rule_held_for_its_own_card(app, moderator, site,
                                                                                            make_comment, grant):
    """A re-check: the card asks before publishing a comment the threats rule held, and one "Approve
    selected" published 367 of them unasked. An attack on a group asks on its card too (an
    election-night lead's walk), so bulk passes it over alike. Rejecting them in bulk is as before."""
    grant(moderator, site)
    threat, urging = make_comment(site.id, "I hope you die."), make_comment(site.id, "kys")
    group = make_comment(site.id, "Muslims are vermin.")
    fine = make_comment(site.id, "A fair point.")
    with app.app_context():
        for comment_id, kind in ((threat, "threat_words"), (urging, "urging_self_harm"), (group, "group_attack")):
            db.session.get(Comment, comment_id).rule_hits = [{"rule": kind, "kind": kind, "action": "hold"}]
        db.session.commit()
        approved = bulk_decide(db.session, [(threat, 1), (urging, 1), (group, 1), (fine, 1)], user=_user(moderator.id),
                               action="approve", reason=None)
        assert approved.decided == [fine] and [s.comment_id for s in approved.skipped] == [threat, urging, group]
        assert [s.why for s in approved.skipped] == [
            f"a rule read it ({what}): approve it on its own card, if at all"
            for what in ("threat of violence", "urging self-harm", "attack on a group")]
        rejected = bulk_decide(db.session, [(threat, 1), (urging, 1), (group, 1)], user=_user(moderator.id),
                               action="reject", reason="Threat or incitement to violence")
        assert rejected.decided == [threat, urging, group]


def test_a_reader_readers_report_as_at_risk_is_left_for_its_own_card_too(app, moderator, site, make_comment, grant):
    """A re-check: "I just want it all to end", which the rule missed and two readers reported as
    self_harm, was rejected in bulk with the others as a personal attack."""
    grant(moderator, site)
    reported = make_comment(site.id, "After losing my house in this fire I just want it all to end.",
                            reports=[{"reason": "self_harm", "reporter_id": "worried-1"}])
    spam = make_comment(site.id, "Cheap watches here.", reports=[{"reason": "spam", "reporter_id": "r-2"}])
    with app.app_context():
        result = bulk_decide(db.session, [(reported, 1), (spam, 1)], user=_user(moderator.id), action="reject",
                             reason="Personal attack or insult")
        assert result.decided == [spam] and [s.comment_id for s in result.skipped] == [reported]
        assert db.session.get(Comment, reported).status == "held"
