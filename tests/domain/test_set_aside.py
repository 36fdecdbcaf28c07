"""One comment that cannot be scored is set aside; it never stops scoring for anyone else."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, text, update

from fake_model import FakeModel
from moderation import db
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.scoring import claim_batch, score_pending
from moderation.domain.status import now
from moderation.domain.sweep import sweep
from moderation.models import Comment, Site


def add_comment(site_id: int, body: str, *, age: float = 0) -> int:
    n = db.session.scalar(select(func.count()).select_from(Comment))
    data = CommentInput(external_id=f"c{n}", story_id="s", author_id="a", text=body)
    comment_id = submit_comment(db.session, db.session.get(Site, site_id), data).comment.id
    db.session.execute(update(Comment).where(Comment.id == comment_id).values(received_at=now() - timedelta(seconds=age)))
    db.session.commit()
    return comment_id


def add_poison_row(site_id: int, *, age: float = 0) -> int:
    """What the API stored before created_at was checked: a year PostgreSQL keeps and psycopg cannot read."""
    comment_id = db.session.execute(text(
        "INSERT INTO comments (site_id, external_id, story_id, author_id, text, body_hash, created_at, status, received_at)"
        " VALUES (:site, 'poison', 's', 'a', 'A harmless text', 'x', '9999-12-31T23:59:59-14:00', 'pending',"
        " now() - make_interval(secs => :age)) RETURNING id"), {"site": site_id, "age": age}).scalar_one()
    db.session.commit()
    return comment_id


def set_aside_state(comment_id: int) -> tuple:
    # Columns only: loading the whole row is exactly what fails.
    return db.session.execute(
        select(Comment.status, Comment.scoring_failed_at.is_not(None), Comment.scoring_error, Comment.scoring_attempts)
        .where(Comment.id == comment_id)
    ).one()


class FailsOnOneText(FakeModel):
    def score(self, texts):
        if any("crashes the model" in t for t in texts):
            raise ValueError("the model cannot read this")
        return super().score(texts)


def test_a_row_that_cannot_be_loaded_is_set_aside_and_both_sites_comments_are_scored(app, site, outsider):
    with app.app_context():
        poison = add_poison_row(site.id, age=60)  # oldest: in every batch
        good = [add_comment(s.id, f"comment {i}") for i in range(3) for s in (site, outsider)]

        scored = score_pending(db.session, FakeModel, [], batch_size=10)

        assert scored == {i: "published" for i in good}
        status, set_aside, error, attempts = set_aside_state(poison)
        assert (status, set_aside, attempts) == ("pending", True, 1)
        assert "year" in error or "timestamp" in error
        # Set aside: later batches no longer claim it, so they no longer fail.
        later = add_comment(outsider.id, "a later comment")
        assert score_pending(db.session, FakeModel, [poison, later], batch_size=10) == {later: "published"}


def test_the_sweep_sets_the_poison_row_aside_and_scores_the_rest(app, site, outsider):
    with app.app_context():
        poison = add_poison_row(outsider.id, age=600)
        good = [add_comment(s.id, f"comment {i}", age=120) for i in range(3) for s in (site, outsider)]

        assert sweep(db.session, FakeModel, pending_after=30, batch_size=4).scored == len(good)
        assert {db.session.get(Comment, i).status for i in good} == {"published"}
        assert set_aside_state(poison)[:2] == ("pending", True)
        assert sweep(db.session, FakeModel, pending_after=30, batch_size=4).scored == 0


def test_a_text_the_model_fails_on_is_set_aside_and_the_others_are_scored(app, site, outsider):
    with app.app_context():
        bad = add_comment(site.id, "this one crashes the model")
        good = [add_comment(s.id, f"You idiot number {i}") for i in range(2) for s in (site, outsider)]

        scored = score_pending(db.session, FailsOnOneText, [bad, *good], batch_size=10)

        assert scored == {i: "held" for i in good}
        status, set_aside, error, attempts = set_aside_state(bad)
        assert (status, set_aside, attempts) == ("pending", True, 1)
        assert "ValueError: the model cannot read this" in error


def test_a_set_aside_comment_is_not_claimed(app, site):
    with app.app_context():
        bad, good = add_comment(site.id, "this one crashes the model"), add_comment(site.id, "fine")
        assert score_pending(db.session, FailsOnOneText, [bad, good], batch_size=10) == {good: "published"}
        assert claim_batch(db.session, [bad], batch_size=10) == []
        db.session.rollback()


def test_when_every_comment_fails_alone_they_stay_pending_until_their_third_try(app, site):
    """A model that fails on everything is not the comments' fault: none is set aside at once."""
    class Broken(FakeModel):
        def score(self, texts):
            raise RuntimeError("broken model")

    with app.app_context():
        ids = [add_comment(site.id, f"comment {i}") for i in range(3)]
        for attempt in (1, 2):
            assert score_pending(db.session, Broken, ids, batch_size=10, max_batches=5) == {}
            assert {set_aside_state(i)[:2] for i in ids} == {("pending", False)}
            assert {set_aside_state(i)[3] for i in ids} == {attempt}
        assert score_pending(db.session, Broken, ids, batch_size=10) == {}
        assert {set_aside_state(i)[:2] for i in ids} == {("pending", True)}


def test_a_score_that_is_not_a_number_sets_the_comment_aside_instead_of_publishing_it(app, site):
    """The error names the score; without the check it was a NOT NULL violation on `priority`."""
    class NotANumberOnOne(FakeModel):
        def score(self, texts):
            return [dict(s, toxicity=float("nan")) if "odd" in t else s for t, s in zip(texts, super().score(texts))]

    with app.app_context():
        odd, fine = add_comment(site.id, "an odd one"), add_comment(site.id, "fine")

        assert score_pending(db.session, NotANumberOnOne, [odd, fine], batch_size=10) == {fine: "published"}
        status, set_aside, error, _ = set_aside_state(odd)
        assert (status, set_aside) == ("pending", True)
        assert "the model gave {'toxicity': nan" in error
