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
