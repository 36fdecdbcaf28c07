"""/admin/operations' hourly charts count what the Prometheus counters count."""
from __future__ import annotations

from datetime import timedelta

from fake_model import FakeModel
from moderation import db
from moderation.domain.operations import hourly
from moderation.models import Comment


def test_the_charts_count_every_hold_and_every_decision_as_the_prometheus_counters_do(app, site, admin):
    """A rule's hold is a hold, though the model flagged nothing; a decision undone since was still made."""
    from moderation.domain.comments import CommentInput, submit_comment
    from moderation.domain.decisions import decide
    from moderation.domain.rule_sets import save_rules
    from moderation.domain.rules import validate_rules
    from moderation.domain.scoring import score_pending
    from moderation.domain.undo import undo_decision
    from moderation.models import Site, User

    with app.app_context():
        planet = db.session.get(Site, site.id)
        save_rules(db.session, planet, validate_rules([{"name": "no-bridges", "kind": "banned_words",
                                                        "words": ["bridge"], "action": "hold"}]), actor="test")
        db.session.commit()
        ids = [submit_comment(db.session, planet, CommentInput(external_id=f"c{n}", story_id="s", author_id="a",
                                                               text=text)).comment.id
               for n, text in enumerate(["The bridge again.", "Fine work.", "You idiot."])]
        assert score_pending(db.session, FakeModel, ids, batch_size=10) == {
            ids[0]: "held", ids[1]: "published", ids[2]: "held"}
        ada = db.session.get(User, admin.id)
        decided = decide(db.session, ids[0], user=ada, action="approve", reason=None,
                         expected_version=db.session.get(Comment, ids[0]).version)
        undo_decision(db.session, ids[0], user=ada, expected_version=decided.version, window=timedelta(minutes=10))
        hours = hourly(db.session, hours=24)
    assert sum(h.flagged for h in hours) == 2  # the rule's hold and the model's
    assert sum(h.decided for h in hours) == 1  # made, though undone


def test_an_edit_is_timed_from_the_edit_and_counted_as_a_scoring_again(app, site):
    """A comment posted three hours ago and edited now waits, and is scored, as of the edit: the
    operations page, the oldest-pending gauge and the latency histogram did not say it took hours."""
    from moderation.domain.comments import CommentInput, submit_comment
    from moderation.domain.edits import edit_comment
    from moderation.domain.operations import snapshot
    from moderation.domain.scoring import score_pending
    from moderation.models import Site
    from moderation.observability.metrics import TIME_TO_STATUS

    def waited_total() -> float:
        return sum(s.value for metric in TIME_TO_STATUS.collect() for s in metric.samples if s.name.endswith("_sum"))

    with app.app_context():
        planet = db.session.get(Site, site.id)
        comment_id = submit_comment(db.session, planet, CommentInput(external_id="old", story_id="s", author_id="a",
                                                                     text="Fine work.")).comment.id
        db.session.commit()
        assert score_pending(db.session, FakeModel, [comment_id], batch_size=10) == {comment_id: "published"}
        comment = db.session.get(Comment, comment_id)
        comment.received_at -= timedelta(hours=3)
        comment.scored_at -= timedelta(hours=3)
        db.session.commit()

        edit_comment(db.session, planet, comment_id, text="Fine work, with a typo fixed.")
        db.session.commit()
        assert snapshot(db.session).oldest_pending_seconds < 600
        before = waited_total()
        assert score_pending(db.session, FakeModel, [comment_id], batch_size=10) == {comment_id: "published"}
        assert waited_total() - before < 600
        hours = hourly(db.session, hours=24)
    assert sum(h.scored for h in hours) == 2  # scored when posted and again when edited
    assert hours[-1].p99_seconds < 600
