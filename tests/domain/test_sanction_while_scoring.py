"""A sanction sent while a batch scores its author's comments: none of them stays published.

A trust and safety analyst banned a raider while 500 of their comments were being scored: the ban
waited for the batch, which had read the sanctions from before, and 236 to 354 were published and
stayed up."""
from __future__ import annotations

import threading
import time

from sqlalchemy import select, text

from fake_model import FakeModel
from moderation import db
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.dispatch import SCORE_QUEUED_KEY
from moderation.domain.sanctions import AUTHOR_BUCKETS, SANCTION_LOCK, lift_sanction, sanction_author
from moderation.domain.scoring import score_pending
from moderation.models import AuditEntry, Comment, Site, User

CIVIL = "Thanks for the careful reporting on the bridge."


class SlowModel(FakeModel):
    """Scores once `go` is set, so a test can act while a batch is being scored."""

    started = threading.Event()
    go = threading.Event()

    def score(self, texts):
        SlowModel.started.set()
        assert SlowModel.go.wait(30)
        return super().score(texts)


def _post(site_id: int, author_id: str, count: int) -> list[int]:
    site = db.session.get(Site, site_id)
    ids = [submit_comment(db.session, site, CommentInput(
        external_id=f"{author_id}-{i}", story_id="s", author_id=author_id, text=f"{CIVIL} ({i})")).comment.id
        for i in range(count)]
    db.session.commit()
    return ids


def _in_thread(app, work) -> tuple[threading.Thread, list]:
    outcome: list = []

    def run() -> None:
        try:
            with app.app_context():
                outcome.append(work())
                db.session.remove()
        except BaseException as error:  # reported by the test: a thread's exception would vanish
            outcome.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _writing_a_sanction(site_id: int, author_id: str):
    """A connection holding the author's sanction lock, as a ban being written holds it; the caller ends it."""
    bucket = db.session.scalar(text("SELECT hashtext(:key) & :mask"),
                               {"key": f"{site_id}:{author_id}", "mask": AUTHOR_BUCKETS - 1})
    db.session.rollback()
    writer = db.session.get_bind().connect()
    transaction = writer.begin()
    writer.execute(text("SELECT pg_advisory_xact_lock(:space, :bucket)"), {"space": SANCTION_LOCK, "bucket": bucket})
    return writer, transaction


def _ban(site_id: int, user_id: int, kind: str = "ban"):
    return sanction_author(db.session, db.session.get(Site, site_id), "raider", kind, "a raid",
                           db.session.get(User, user_id))


def test_comments_a_batch_published_while_the_ban_waited_for_it_are_taken_down(app, site, moderator):
    SlowModel.started.clear()
    SlowModel.go.clear()
    with app.app_context():
        ids = _post(site.id, "raider", 12)
        other = _post(site.id, "reader", 1)
    scorer, scored = _in_thread(app, lambda: score_pending(db.session, SlowModel, [], batch_size=50))
    assert SlowModel.started.wait(30)
    banning, banned = _in_thread(app, lambda: _ban(site.id, moderator.id))
    time.sleep(0.5)  # the ban reads the raider's comments as pending and waits for the batch
    SlowModel.go.set()
    scorer.join(30)
    banning.join(30)
    assert not isinstance(scored[0], BaseException) and not isinstance(banned[0], BaseException)
    assert set(scored[0]) == {*ids, *other}  # the batch had read the sanctions from before the ban
    with app.app_context():
        statuses = dict(db.session.execute(select(Comment.id, Comment.status).where(Comment.id.in_([*ids, *other]))).all())
        assert {statuses[i] for i in ids} == {"rejected"} and statuses[other[0]] == "published"
        reasons = db.session.scalars(select(AuditEntry.details["reason"].astext).where(
            AuditEntry.comment_id == ids[0], AuditEntry.action == "status:published->rejected")).all()
        assert reasons == ["author banned (sent while it was being scored)"]


def test_a_pre_moderation_sent_while_scoring_holds_what_the_batch_published(app, site, moderator):
    SlowModel.started.clear()
    SlowModel.go.clear()
    with app.app_context():
        ids = _post(site.id, "raider", 3)
    scorer, _ = _in_thread(app, lambda: score_pending(db.session, SlowModel, [], batch_size=50))
    assert SlowModel.started.wait(30)
    banning, banned = _in_thread(app, lambda: _ban(site.id, moderator.id, "premoderate"))
    time.sleep(0.5)
    SlowModel.go.set()
    scorer.join(30)
    banning.join(30)
    assert not isinstance(banned[0], BaseException)
    with app.app_context():
        comments = db.session.scalars(select(Comment).where(Comment.id.in_(ids))).all()
        assert {(c.status, "author_premoderated" in c.flagged) for c in comments} == {("held", True)}


def test_a_batch_claiming_while_a_ban_is_being_written_leaves_the_authors_comments_pending(app, site, moderator):
    """The ban holds its author's lock until it commits; a batch claiming the author's comments then
    leaves them for its next claim, rather than score them with the sanctions from before."""
    with app.app_context():
        ids = _post(site.id, "raider", 3)
        other = _post(site.id, "reader", 1)
        writer, transaction = _writing_a_sanction(site.id, "raider")
        try:
            scored = score_pending(db.session, FakeModel, [], batch_size=50)
        finally:
            transaction.rollback()
            writer.close()
        assert scored == {other[0]: "published"}
        db.session.expire_all()
        assert {db.session.get(Comment, i).status for i in ids} == {"pending"}
        assert set(score_pending(db.session, FakeModel, [], batch_size=50)) == set(ids)  # once the lock is gone


def test_comments_left_to_a_ban_being_written_are_scored_as_soon_as_it_commits(app, site):
    """A real worker left them pending for the sweep, half a minute: its next claim skipped the rows
    the ban held while it wrote."""
    with app.app_context():
        ids = _post(site.id, "raider", 3)
        writer, transaction = _writing_a_sanction(site.id, "raider")
        writer.execute(text("INSERT INTO author_sanctions (site_id, author_id, kind, reason, created_at) "
                            "VALUES (:site, 'raider', 'ban', 'a raid', now())"), {"site": site.id})
        timer = threading.Timer(0.5, transaction.commit)
        timer.start()
        try:
            scored = score_pending(db.session, FakeModel, [], batch_size=50, max_batches=3)
        finally:
            timer.join()
            writer.close()
    assert scored == dict.fromkeys(ids, "rejected")


def test_a_lift_sent_while_a_batch_rejects_by_the_ban_sends_those_comments_to_be_scored_anew(app, site, moderator):
    """A re-check: a lift sent at once after a mistaken ban left 256 of 500 comments "author banned"
    under no sanction."""
    SlowModel.started.clear()
    SlowModel.go.clear()
    with app.app_context():
        _ban(site.id, moderator.id)
        ids = _post(site.id, "raider", 4)
    scorer, _ = _in_thread(app, lambda: score_pending(db.session, SlowModel, [], batch_size=50))
    assert SlowModel.started.wait(30)
    lifting, lifted = _in_thread(app, lambda: lift_sanction(db.session, db.session.get(Site, site.id), "raider",
                                                           db.session.get(User, moderator.id), "a mistake"))
    time.sleep(0.5)  # the lift reads the raider's comments as pending and waits for the batch
    SlowModel.go.set()
    scorer.join(30)
    lifting.join(30)
    assert not isinstance(lifted[0], BaseException)
    with app.app_context():
        assert {db.session.get(Comment, i).status for i in ids} == {"pending"}
        assert score_pending(db.session, FakeModel, ids, batch_size=50) == dict.fromkeys(ids, "published")
        assert all("author_banned" not in db.session.get(Comment, i).flagged for i in ids)


def test_a_ban_sends_the_authors_waiting_comments_to_be_scored(app, site, moderator, services):
    """A scoring task that claimed while the ban held their rows skipped them: they waited for the sweep."""
    with app.app_context():
        _post(site.id, "raider", 2)
        services.redis().delete("moderation", SCORE_QUEUED_KEY)  # no task queued, and none marked so
        _ban(site.id, moderator.id)
    assert services.redis().llen("moderation") == 1
