"""Notes for the team on a comment: what the moderators tell each other, never the site or the reader.

A moderator left a reader at risk held on purpose, as the card asks, and the next moderator, told
nothing, approved it; a lead had nowhere to tell a new moderator why a decision was reversed but
the reversal's reason, which the site may show the reader (a team lead's walk). A note is an audit
entry on the comment (who, when, the words), shown on its card and in its history, and erased with
the author's other data (erasure.TEXT_KEYS).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.domain.errors import NotFound, ValidationFailed
from moderation.domain.membership import can_see_site
from moderation.domain.status import audit
from moderation.models import AuditEntry, Comment, User

NOTE_ACTION = "comment:team_note"
NOTE_KEY = "team_note"
# Controls that reorder or hide text.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
MAX_NOTE_LENGTH = 1000
SHOWN_ON_A_CARD = 3  # the latest; the history has them all


def add_note(session: Session, comment_id: int, *, user: User, text: str | None) -> None:
    """Add the note; NotFound for a comment the user cannot see, ValidationFailed for an empty or long
    one. The caller commits."""
    # Without the controls that reorder or hide text: "evil" had shown as "live" (a re-check).
    note = _INVISIBLE.sub("", text or "").strip()
    if not note:
        raise ValidationFailed("write the note first", field="note")
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationFailed(f"a note is at most {MAX_NOTE_LENGTH} characters", field="note")
    found = session.execute(select(Comment.site_id, Comment.text_erased_at).where(Comment.id == comment_id)).first()
    if found is None or not can_see_site(session, user, found.site_id):
        raise NotFound(f"comment {comment_id} does not exist")
    if found.text_erased_at is not None:
        # A note about a reader whose data was erased would outlive the erasure (a re-check).
        raise ValidationFailed("this comment's text was erased, with its author's data: no note can be added",
                               field="note")
    audit(session, f"user:{user.username}", NOTE_ACTION, comment_id=comment_id, **{NOTE_KEY: note})


def notes_for(session: Session, comments: Sequence[Comment], *, latest: int = SHOWN_ON_A_CARD) -> dict[int, list[AuditEntry]]:
    """Per comment, its latest notes, oldest first: one query for a page."""
    ids = [c.id for c in comments]
    if not ids:
        return {}
    found: dict[int, list[AuditEntry]] = {}
    for entry in session.scalars(select(AuditEntry).where(AuditEntry.comment_id.in_(ids),
                                                          AuditEntry.action == NOTE_ACTION)
                                 .order_by(AuditEntry.id.desc())):
        kept = found.setdefault(entry.comment_id, [])
        if len(kept) < latest:
            kept.append(entry)
    return {comment_id: entries[::-1] for comment_id, entries in found.items()}
