"""A moderator's decisions that overrule the model where it is surest are named before a model learns them.

An admin's walk: one moderator approved 60 insults the model scored near 1.00, and the candidate
trained on them published fresh insults, with nothing said in the run's log, on the card or when
promoting it."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from moderation import db
from moderation.domain.label_checks import overruling_note, overrulings
from moderation.models import Comment, LabelledExample, Site

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=timezone.utc)


def _decided(site_id: int, n: int, moderator: str, decision: str, toxicity: float, at: datetime = NOW) -> None:
    comment = Comment(site_id=site_id, external_id=f"c{n}", story_id="s", author_id=f"a{n}", text=f"Comment {n}",
                      body_hash=f"h{n}", status=decision, decision=decision, scores={"toxicity": toxicity})
    db.session.add(comment)
    db.session.flush()
    db.session.add(LabelledExample(site_id=site_id, comment_id=comment.id, text=comment.text, kind="decision",
                                   source="moderator", actor=f"user:{moderator}", decision=decision,
                                   labels={"toxicity": int(decision == "rejected")}, created_at=at))


def test_one_moderators_approvals_of_what_the_model_was_surest_of_are_named(app, site):
    with app.app_context():
        for n in range(12):  # bob approves insults the model scored 0.99
            _decided(site.id, n, "bob", "approved", 0.99)
        for n in range(12, 20):
            _decided(site.id, n, "bob", "approved", 0.05)
        for n in range(20, 60):  # ann agrees with the model, and overrules it now and then
            _decided(site.id, n, "ann", "rejected" if n % 2 else "approved", 0.97 if n % 2 else 0.03)
        for n in range(60, 63):
            _decided(site.id, n, "ann", "approved", 0.95)
        db.session.commit()
        site_row = db.session.get(Site, site.id)
        found = overrulings(db.session, site_row)
        assert [(o.moderator, o.approved_sure_toxic, o.decisions) for o in found] == [("bob", 12, 20)]
        # Decisions made after the candidate read the labels are not in it.
        assert overrulings(db.session, site_row, until=NOW - timedelta(minutes=1)) == []

        card = {"training_data": {"own_labels": {f"site:{site_row.name}": {"rows": 63, "read_at": NOW.isoformat()}}}}
        note = overruling_note(db.session, card)
        assert note == (f" It learnt decisions that overrule the model where it was surest: bob approved 12 the model "
                        f"scored 0.9 or more toxic (12 of their 20 decisions on {site_row.name}): read them (the "
                        "queue's Approved or Rejected tab, Decided by bob) before a model learns them.")
        assert overruling_note(db.session, {"training_data": {}}) == ""


def test_a_decision_on_a_text_since_edited_is_read_against_that_texts_own_scores(app, site):
    """A re-check: rejections of texts scored 0.96 were counted as rejections of civil texts, the comments
    having been edited and scored again since; a second re-check: then edited ones dropped out of the
    count altogether, though training learnt them."""
    from moderation.models import CommentRevision

    with app.app_context():
        for n in range(12):  # rejected at 0.96, edited since into texts scored 0.05
            _decided(site.id, n, "alice", "rejected", 0.05)
        for n in range(12, 24):  # approved at 0.99, edited since into texts scored 0.05
            _decided(site.id, n, "bob", "approved", 0.05)
        db.session.flush()
        for example in db.session.scalars(select(LabelledExample)):
            example.text = f"The text decided, since edited ({example.comment_id})."
            scored = 0.96 if example.actor == "user:alice" else 0.99
            db.session.add(CommentRevision(comment_id=example.comment_id, revision=1, text=example.text,
                                           status=example.decision, scores={"toxicity": scored}))
        db.session.commit()
        assert [(o.moderator, o.approved_sure_toxic, o.rejected_sure_civil)
                for o in overrulings(db.session, db.session.get(Site, site.id))] == [("bob", 12, 0)]
