"""Reversing what one sign-in decided: an account taken over, put right at once.

Each sign-in has a session tag that every audit entry it wrote carries (session_tags.py). An
incident walk's attacker, signed in with a phished password, approved 20 abusive comments and
rejected 20 civil ones in three minutes; the admin reversed all 40 one comment page at a time.
Here the decisions that sign-in made and that still stand (no one decided again since) are reversed
together, each as `reverse_decision` would, one commit each, so one refused is listed and the rest
go; the sanctions it made are named for lifting on each author's page (lifting one is a decision of
its own: a ban may have been right).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.domain.bulk import MAX_BULK, BulkResult, take_back_each
from moderation.domain.errors import ValidationFailed
from moderation.domain.lifecycle import person_decided
from moderation.domain.membership import administered_site_ids, visible_site_ids
from moderation.domain.reasons import clean_reason
from moderation.domain.sanctions import still_sanctioned
from moderation.domain.signin import SESSION_TAG, SIGNED_IN
from moderation.domain.undo import reverse_decision
from moderation.models import AuditEntry, Comment, User

TAG = re.compile(r"[0-9a-f]{12}")  # as session_tags.new_tag makes them


@dataclass(frozen=True)
class SignInWork:
    """What a sign-in decided that still stands, and the sanctions it made still in force."""

    tag: str
    username: str | None  # None: no sign-in has this tag
    standing: list[tuple[int, int]]  # (comment id, version now)
    sanctions: list[tuple[int, str]]  # (site id, author id)


def sign_in_work(session: Session, tag: str, *, viewer: User) -> SignInWork:
    entries = AuditEntry.details[SESSION_TAG].astext == tag
    actor = session.scalar(select(AuditEntry.actor).where(entries, AuditEntry.action == SIGNED_IN).limit(1))
    user = session.scalar(select(User).where(User.username == actor.removeprefix("user:"))) if actor else None
    visible = administered_site_ids(session, viewer)
    # A site admin learns whose sign-in a tag is only of their own sites' people.
    if user is None or (visible is not None and not (visible_site_ids(session, user) or set()) & visible):
        return SignInWork(tag, None, [], [])
    decided = select(AuditEntry.comment_id).where(entries, AuditEntry.action.like("status:%"),
                                                  AuditEntry.comment_id.is_not(None))
    candidates = select(Comment.id, Comment.version).where(
        Comment.id.in_(decided), Comment.decision.is_not(None), Comment.status == Comment.decision,
        Comment.decided_by == user.id).order_by(Comment.id)
    if visible is not None:
        candidates = candidates.where(Comment.site_id.in_(visible))
    found = session.execute(candidates).all()
    # Still this sign-in's: the decision standing now is the last a person made, and its entry carries
    # this tag. The same account's later sign-in (the real moderator, undoing and deciding again) had
    # its corrections reversed with the attacker's (a re-check).
    last_by: dict[int, str | None] = {}
    for comment_id, made_by in session.execute(
            select(AuditEntry.comment_id, AuditEntry.details[SESSION_TAG].astext)
            .where(AuditEntry.comment_id.in_([i for i, _ in found]), person_decided())
            .order_by(AuditEntry.id)):
        last_by[comment_id] = made_by
    made = session.execute(select(AuditEntry.details["site_id"].astext, AuditEntry.details["author_id"].astext)
                           .where(entries, AuditEntry.action == "author:sanctioned").order_by(AuditEntry.id)).all()
    pairs = [(int(site), author) for site, author in made if site and site.isdigit() and author]
    return SignInWork(tag, user.username, [(i, v) for i, v in found if last_by.get(i) == tag],
                      still_sanctioned(session, viewer, pairs))


def reverse_sign_in(session: Session, tag: str, *, user: User, reason: str | None) -> tuple[BulkResult, int]:
    """Reverse the decisions the sign-in `tag` made that still stand, the first MAX_BULK of them, saying
    why. Commits each. Returns the result and how many are left to reverse: refusing past MAX_BULK
    left 1,100 standing with no way to reverse any (a re-check)."""
    reason = clean_reason(reason, required=True, to="reverse decisions")
    work = sign_in_work(session, tag, viewer=user)
    if not work.standing:
        raise ValidationFailed("this sign-in has no decision that still stands", field="ids")
    result = BulkResult(action="reverse", reason=reason, named_sanctioned=work.sanctions)
    take_back_each(session, user, result, work.standing[:MAX_BULK], lambda comment_id, version: reverse_decision(
        session, comment_id, user=user, expected_version=version, reason=reason), session_tag_reversed=tag)
    return result, max(0, len(work.standing) - MAX_BULK)
