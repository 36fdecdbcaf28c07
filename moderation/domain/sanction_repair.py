"""What an author's ban or suspension rejected, sent back to review as it is lifted. A standards
editor lifting a wrong ban found its three rejections left rejected, unmarked on the author's page,
and had to open each and send it to review with a reason of its own."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from moderation.domain.errors import DomainError
from moderation.domain.lifecycle import AUTHOR_BANNED, AUTHOR_SUSPENDED, REJECTED
from moderation.domain.reasons import MAX_REASON_LENGTH
from moderation.domain.undo import review_again
from moderation.models import Comment, Site, User

# A ban kept for years can have rejected thousands; the rest go the same way, a page at a time.
AT_MOST = 200


def rejected_by_sanction(session: Session, site_id: int, author_id: str) -> list[Comment]:
    """The author's comments a ban or suspension rejected when they were scored, that no person has
    decided since and whose text is kept, oldest first (at most AT_MOST)."""
    return list(session.scalars(select(Comment).where(
        Comment.site_id == site_id, Comment.author_id == author_id, Comment.status == REJECTED,
        Comment.decision.is_(None), Comment.text_erased_at.is_(None),
        or_(Comment.flagged.contains([AUTHOR_BANNED]), Comment.flagged.contains([AUTHOR_SUSPENDED])),
    ).order_by(Comment.id).limit(AT_MOST)))


PREFIX = "the author's sanction was lifted: "


def send_back_to_review(session: Session, site: Site, author_id: str, user: User, reason: str) -> tuple[int, int]:
    """Hold each for a moderator (undo.review_again: hidden while held, one event each); (sent, of how
    many). The lift's reason goes with each, cut to fit beside what it says: a lift reason of the
    longest the form takes had made every one refused, and the lift reported as if all went back (a
    re-check)."""
    reason = PREFIX + reason[:MAX_REASON_LENGTH - len(PREFIX)]
    found = rejected_by_sanction(session, site.id, author_id)
    sent = 0
    for comment in found:
        try:
            review_again(session, comment.id, user=user, expected_version=comment.version, reason=reason)
        except DomainError:  # changed or erased meanwhile: one comment does not stop the others
            continue
        sent += 1
    return sent, len(found)
