"""Claims: one moderator at a time on a comment, a lease that frees itself, decisions that respect it."""
from __future__ import annotations

import hashlib
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from moderation import db
from moderation.domain import claims, decisions
from moderation.domain.claims import claim, live_claims, release
from moderation.domain.decisions import decide
from moderation.domain.errors import AlreadyDecided, ClaimedByOther, NotFound
from moderation.models import Comment, ReviewClaim, User

LEASE = timedelta(seconds=180)
T0 = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def alice(make_moderator, site):
    return make_moderator("alice", sites=[site])


@pytest.fixture
def bob(make_moderator, site):
    return make_moderator("bob", sites=[site])


def held(app, site_id: int, n: int = 1) -> list[int]:
    with app.app_context():
        comments = [Comment(site_id=site_id, external_id=f"c{i}", story_id="s", author_id=f"a{i}", text="You idiot.",
                            body_hash=hashlib.sha256(b"You idiot.").hexdigest(), status="held") for i in range(n)]
        db.session.add_all(comments)
        db.session.commit()
        return [c.id for c in comments]


def user(persona) -> User:
    return db.session.get(User, persona.id)


def version(comment_id: int) -> int:
    return db.session.scalar(select(Comment.version).where(Comment.id == comment_id))


def test_the_first_claim_wins_and_the_second_moderator_is_told_who_holds_it(app, site, alice, bob):
    [comment_id] = held(app, site.id)
    with app.app_context():
        mine = claim(db.session, comment_id, user(alice), at=T0, lease=LEASE)
        assert mine.mine(user(alice)) and mine.expires_at == T0 + LEASE
        theirs = claim(db.session, comment_id, user(bob), at=T0 + timedelta(seconds=30), lease=LEASE)
        assert theirs.holder == "alice" and theirs.held_by_other(user(bob))
        assert theirs.describe(T0 + timedelta(seconds=30)) == "alice is reviewing this comment (claim ends in 3 min)"
        assert db.session.scalars(select(ReviewClaim.user_id)).all() == [alice.id]


def test_the_holder_renews_the_lease(app, site, alice, bob):
    [comment_id] = held(app, site.id)
    with app.app_context():
        claim(db.session, comment_id, user(alice), at=T0, lease=LEASE)
        renewed = claim(db.session, comment_id, user(alice), at=T0 + timedelta(seconds=170), lease=LEASE)
        assert renewed.expires_at == T0 + timedelta(seconds=350)
        # Past the first lease's end, the renewed one still keeps bob out.
        assert claim(db.session, comment_id, user(bob), at=T0 + timedelta(seconds=200), lease=LEASE).holder == "alice"


def test_an_expired_claim_frees_itself(app, site, alice, bob):
    [comment_id] = held(app, site.id)
    with app.app_context():
        claim(db.session, comment_id, user(alice), at=T0, lease=LEASE)
        assert live_claims(db.session, [comment_id], at=T0 + LEASE) == {}
        taken = claim(db.session, comment_id, user(bob), at=T0 + LEASE, lease=LEASE)
        assert taken.mine(user(bob))


def test_release_ends_only_the_moderators_own_claim(app, site, alice, bob):
    [comment_id] = held(app, site.id)
    with app.app_context():
        claim(db.session, comment_id, user(alice), at=T0, lease=LEASE)
        assert release(db.session, comment_id, user(bob)) is False
        assert live_claims(db.session, [comment_id], at=T0)[comment_id].holder == "alice"
        assert release(db.session, comment_id, user(alice)) is True
        assert claim(db.session, comment_id, user(bob), at=T0, lease=LEASE).mine(user(bob))


def test_a_decided_comment_cannot_be_claimed(app, site, alice):
    [comment_id] = held(app, site.id)
    with app.app_context():
        db.session.get(Comment, comment_id).status = "approved"
        db.session.commit()
        result = claim(db.session, comment_id, user(alice), at=T0, lease=LEASE)
        assert result.holder is None and db.session.scalar(select(ReviewClaim)) is None


def test_another_sites_comment_cannot_be_claimed_or_released(app, site, outsider, make_moderator):
    [comment_id] = held(app, site.id)
    otto = make_moderator("otto", sites=[outsider])
    with app.app_context():
        with pytest.raises(NotFound):
            claim(db.session, comment_id, user(otto), at=T0, lease=LEASE)
        with pytest.raises(NotFound):
            release(db.session, comment_id, user(otto))


def test_racing_moderators_each_comment_gets_exactly_one_holder(app, site, alice, bob):
    comment_ids = held(app, site.id, n=20)
    start = threading.Barrier(2)
    results: dict[str, dict[int, str | None]] = {}

    def grab(persona) -> None:
        with app.app_context():
            me = user(persona)
            start.wait()
            results[persona.username] = {c: claim(db.session, c, me, at=T0, lease=LEASE).holder for c in comment_ids}

    threads = [threading.Thread(target=grab, args=(p,)) for p in (alice, bob)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        holders = {c.comment_id: c.holder for c in live_claims(db.session, comment_ids, at=T0).values()}
    assert set(holders) == set(comment_ids)
    # Both moderators were told the same, true, holder of every comment: nobody believes they hold another's.
    assert results["alice"] == results["bob"] == holders


def test_a_claim_waiting_on_an_uncommitted_one_loses_to_it(app, site, alice, bob):
    """The swap's condition is checked again after the first claim commits, not against a stale read."""
    [comment_id] = held(app, site.id)
    engine = app.extensions["db_engine"]
    first = engine.connect()
    first.execute(text("INSERT INTO review_claims (comment_id, user_id, expires_at) VALUES (:c, :u, :e)"),
                  {"c": comment_id, "u": alice.id, "e": T0 + LEASE})
    outcome: list[str | None] = []

    def bob_claims() -> None:
        with app.app_context():
            outcome.append(claim(db.session, comment_id, user(bob), at=T0, lease=LEASE).holder)

    racer = threading.Thread(target=bob_claims)
    racer.start()
    with engine.connect() as watcher:
        # Wait (however long it takes) until bob's statement is blocked on alice's uncommitted row.
        while not watcher.execute(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                       "AND query LIKE 'INSERT INTO review_claims%'")).scalar():
            watcher.rollback()
    first.commit()
    first.close()
    racer.join()
    assert outcome == ["alice"]


def test_a_decision_on_another_moderators_live_claim_is_refused(app, site, alice, bob, admin):
    [comment_id] = held(app, site.id)
    with app.app_context():
        claim(db.session, comment_id, user(alice), at=claims_now(), lease=LEASE)
        for persona in (bob, admin):  # admins wait too: the claim protects a colleague's work in progress
            with pytest.raises(ClaimedByOther) as refused:
                decide(db.session, comment_id, user=user(persona), action="approve", reason=None,
                       expected_version=version(comment_id))
            assert refused.value.message.startswith("alice is reviewing this comment (claim ends in ")
            assert isinstance(refused.value, AlreadyDecided)  # callers refusing stale decisions refuse this too
        assert db.session.get(Comment, comment_id).status == "held"


def test_the_claim_holder_decides_and_the_claim_ends(app, site, alice, bob):
    [comment_id] = held(app, site.id)
    with app.app_context():
        claim(db.session, comment_id, user(alice), at=claims_now(), lease=LEASE)
        decide(db.session, comment_id, user=user(alice), action="approve", reason=None,
               expected_version=version(comment_id))
        assert db.session.scalar(select(ReviewClaim)) is None


def test_a_decision_is_allowed_once_the_other_claim_expired(app, site, alice, bob):
    [comment_id] = held(app, site.id)
    with app.app_context():
        claim(db.session, comment_id, user(alice), at=claims_now() - 2 * LEASE, lease=LEASE)
        decided = decide(db.session, comment_id, user=user(bob), action="reject", reason="Spam",
                         expected_version=version(comment_id))
        assert decided.status == "rejected" and db.session.scalar(select(ReviewClaim)) is None


def claims_now() -> datetime:
    """decide() reads the real clock; claims in these tests are placed relative to it."""
    from moderation.domain.status import now

    return now()


@pytest.mark.parametrize("ends", ["removed from the site", "disabled"])
def test_a_moderator_removed_or_disabled_mid_shift_no_longer_holds_their_cards(app, site, alice, bob, admin, ends):
    """A head of community's walk: the removed moderator's claim kept a card from colleagues for 3 minutes."""
    from moderation.domain.membership import revoke
    from moderation.domain.users import disable_user

    [comment_id] = held(app, site.id)
    with app.app_context():
        claim(db.session, comment_id, user(alice), at=T0, lease=LEASE)
        if ends == "disabled":
            disable_user(db.session, user(alice), actor="user:ada")
        else:
            revoke(db.session, "alice", site.id, actor="user:ada")
        db.session.commit()
        taken = claim(db.session, comment_id, user(bob), at=T0 + timedelta(seconds=30), lease=LEASE)
        assert taken.mine(user(bob))
