"""What a version published, as a rollback counts it and the Published tab lists it by version: each
published comment under the one version whose word published it, a moderator's approval under none."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select
from test_rescore_held import NEW, OLD, Promoted, _held, _publish, _run, promoted  # noqa: F401

from moderation import db
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.decisions import decide
from moderation.domain.scoring import score_pending
from moderation.domain.undo import undo_decision
from moderation.domain.version_effect import left_after_rollback, left_by
from moderation.models import Comment, Site, User


def _listed(client, tab: str, version: str) -> list[int]:
    html = client.get(f"/review?tab={tab}&model={version}").get_data(as_text=True)
    return sorted(int(i) for i in re.findall(r'<li class="card item" id="comment-(\d+)"', html))


def test_what_a_rescore_released_is_the_releasing_versions_once_in_a_rollback_and_the_published_tab(
        app, sign_in, admin, promoted, make_comment):  # noqa: F811 - the fixture, imported
    """A rollback said a version had published 9 where it had made 37 public (a tester's sports site):
    the held comments it released by scoring them again keep the version that held them."""
    site = promoted
    own = make_comment(site.id, "Live after the promotion 1", status="published", model_version=NEW,
                       scores={"toxicity": 0.1}, flagged=[])
    released = [_held(make_comment, site, 20, words=f"Old held take {n}") for n in range(3)]
    still_held = _held(make_comment, site, 90, words="Old held take")
    _run(app, site.id)
    assert _publish(app, site.id).published == 3

    with app.app_context():
        assert left_by(db.session, NEW, site.id) == {"published": 4}  # was 1
        assert left_by(db.session, OLD, site.id) == {"held": 1}  # the released three under one version only
        assert left_after_rollback(db.session, NEW, site.id).startswith(
            f"What {NEW} scored stays as it is: 4 published and 0 held")
    client = sign_in(admin)
    assert _listed(client, "published", NEW) == sorted([own, *released])  # its *what it published* link
    assert _listed(client, "published", OLD) == []
    assert _listed(client, "all", OLD) == [still_held]
    assert _listed(client, "all", NEW) == sorted([own, *released])


def test_scoring_publishes_on_its_versions_word_and_a_moderators_approval_is_no_versions(
        app, sign_in, admin, promoted):  # noqa: F811 - the fixture, imported
    site = promoted
    with app.app_context():
        site_row = db.session.get(Site, site.id)
        ids = [submit_comment(db.session, site_row, CommentInput(external_id=f"c-{n}", story_id="s", author_id="a",
                                                                 text=text)).comment.id
               for n, text in enumerate(("Thanks for the bridge story 10", "A silly take on the bridge 80"))]
        assert score_pending(db.session, lambda: Promoted(), ids, batch_size=10) == {
            ids[0]: "published", ids[1]: "held"}
        shown, held = ids
        assert db.session.get(Comment, shown).published_by_version == NEW
        assert left_by(db.session, NEW, site.id) == {"published": 1, "held": 1}

        ada = db.session.scalar(select(User).where(User.username == "ada"))
        rejected = decide(db.session, shown, user=ada, action="reject", reason="off-topic",
                          expected_version=db.session.get(Comment, shown).version)
        assert left_by(db.session, NEW, site.id) == {"held": 1}
        # Undone, it is published on the model's word again, and the version's again.
        undo_decision(db.session, shown, user=ada, expected_version=rejected.version, window=timedelta(minutes=5))
        assert left_by(db.session, NEW, site.id) == {"published": 1, "held": 1}

        decide(db.session, held, user=ada, action="approve", reason=None,
               expected_version=db.session.get(Comment, held).version)
        approved = db.session.get(Comment, held)
        assert (approved.status, approved.published_by_version) == ("approved", None)
        assert left_by(db.session, NEW, site.id) == {"published": 1}
    client = sign_in(admin)
    assert _listed(client, "published", NEW) == [shown]
    assert _listed(client, "approved", NEW) == [held]  # listed as what it scored, not as what it published


def test_a_comment_taken_out_of_published_before_the_upgrade_and_put_back_after_is_its_versions_again(
        app, admin, promoted):  # noqa: F811 - the fixture, imported
    """Migration 0047 named the version only of comments published as it ran: one a moderator had
    rejected before, undone or reversed after, came back published under no version, and the
    rollback count and the version's Published tab left it out (a re-check)."""
    site = promoted
    with app.app_context():
        site_row = db.session.get(Site, site.id)
        shown = submit_comment(db.session, site_row, CommentInput(external_id="c-1", story_id="s", author_id="a",
                                                                  text="Thanks for the bridge story 10")).comment.id
        score_pending(db.session, lambda: Promoted(), [shown], batch_size=10)
        ada = db.session.scalar(select(User).where(User.username == "ada"))
        rejected = decide(db.session, shown, user=ada, action="reject", reason="off-topic",
                          expected_version=db.session.get(Comment, shown).version)
        db.session.get(Comment, shown).published_by_version = None  # as 0047 left it: not published as it ran
        db.session.commit()
        undo_decision(db.session, shown, user=ada, expected_version=rejected.version, window=timedelta(minutes=5))
        assert db.session.get(Comment, shown).published_by_version == NEW
        assert left_by(db.session, NEW, site.id) == {"published": 1}
