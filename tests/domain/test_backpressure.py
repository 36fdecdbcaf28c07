"""Back-pressure's arithmetic: the pending count against the soft and hard limits, and Retry-After."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from moderation import db
from moderation.domain.backpressure import DEGRADED, MAX_RETRY_AFTER, OK, OVERLOADED, admission
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.lifecycle import now
from moderation.models import Comment, Site


def add_pending(site_id: int, count: int, start: int = 0) -> list[int]:
    site = db.session.get(Site, site_id)
    return [submit_comment(db.session, site, CommentInput(external_id=f"c{i}", story_id="s", author_id="a",
                                                          text=f"comment {i}")).comment.id
            for i in range(start, start + count)]


def test_under_the_soft_limit_all_is_well_past_it_degraded_past_the_hard_limit_overloaded(app, site):
    with app.app_context():
        add_pending(site.id, 3)
        assert admission(db.session, soft_limit=5, hard_limit=10).state == OK
        degraded = admission(db.session, soft_limit=3, hard_limit=10)
        assert (degraded.state, degraded.pending) == (DEGRADED, 3) and degraded.accepts
        overloaded = admission(db.session, soft_limit=2, hard_limit=3)
        assert overloaded.state == OVERLOADED and not overloaded.accepts
        # A batch counts every comment it would add.
        assert admission(db.session, soft_limit=0, hard_limit=10, incoming=8).state == OVERLOADED
        assert admission(db.session, soft_limit=0, hard_limit=10, incoming=7).state == OK


def test_limits_of_zero_are_off(app, site):
    with app.app_context():
        add_pending(site.id, 3)
        assert admission(db.session, soft_limit=0, hard_limit=0, incoming=500).state == OK


def test_scored_comments_do_not_count(app, site):
    with app.app_context():
        ids = add_pending(site.id, 4)
        db.session.execute(update(Comment).where(Comment.id.in_(ids[:3])).values(status="published", scored_at=now()))
        db.session.commit()
        assert admission(db.session, soft_limit=2, hard_limit=3).state == OK  # 1 pending + this one


def test_retry_after_is_the_time_to_drain_to_the_soft_limit_at_the_recent_scoring_rate(app, site):
    with app.app_context():
        add_pending(site.id, 30)
        # Nothing scored lately (the workers are down): the longest hint.
        assert admission(db.session, soft_limit=10, hard_limit=20).retry_after == MAX_RETRY_AFTER
        scored = add_pending(site.id, 20, start=100)  # 20 scored over the last 10 s: 2 per second
        for i, comment_id in enumerate(scored):
            db.session.execute(update(Comment).where(Comment.id == comment_id)
                               .values(status="published", scored_at=now() - timedelta(seconds=0.2 + 0.49 * i)))
        db.session.commit()
        degraded = admission(db.session, soft_limit=10, hard_limit=40)
        assert degraded.state == DEGRADED and degraded.retry_after in (10, 11)  # (30 - 10) / 2 per second
        refused = admission(db.session, soft_limit=10, hard_limit=25)
        assert refused.state == OVERLOADED and refused.retry_after in (8, 9)  # counted up to 26: (26 - 10) / 2
        assert f"retry after {refused.retry_after} s" in refused.refusal().message and refused.refusal().status == 503


def test_retry_after_reads_the_rate_since_scoring_began_not_over_idle_seconds(app, site):
    # An import's first batches: the workers were idle until 3 s ago and have scored 60 since, 20 a
    # second. Read over the whole 10 s window that was 6 a second, and the hint said 60 s for a
    # backlog that drained in 30 (an integrator's walk).
    with app.app_context():
        add_pending(site.id, 70)
        scored = add_pending(site.id, 60, start=1000)
        for i, comment_id in enumerate(scored):
            db.session.execute(update(Comment).where(Comment.id == comment_id)
                               .values(status="published", scored_at=now() - timedelta(seconds=0.05 * i)))
        db.session.commit()
        degraded = admission(db.session, soft_limit=10, hard_limit=200)
        assert degraded.state == DEGRADED and degraded.retry_after in (3, 4)  # (70 - 10) / 20 per second, not 10
