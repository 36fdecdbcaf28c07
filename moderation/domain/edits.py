"""A reader edits their comment: the new text is scored again, and the earlier one is kept.

The comment row always holds the current text; each text it replaces becomes a CommentRevision
(1 is the text first posted), with the author name, status and scores it had. An edit moves the
comment back to pending (actor kind EDIT) so the scorer judges the new words. A comment a moderator
had already decided is marked `review_after_edit`: whatever the model says, the scorer holds it
(`after_edit`), because a reader could otherwise get an approved civil comment and then rewrite it
into anything. Only an auto-reject is left to stand. Text identical to the current one changes nothing.

The POST body hash is left alone: a site retrying its original POST gets the (edited) comment
back with 200, and posting the new text under the same id is still a 409: edits go through PATCH.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from moderation.domain.comments import MAX_ID, _READABLE
from moderation.domain.errors import NotFound
from moderation.domain.intake_holds import hold_on_arrival
from moderation.domain.lifecycle import (DECIDED, DELETED, EDIT, HELD, PENDING, REJECTED, CommentDeleted,
                                         TransitionRefused, audit, can_change, change_status)
from moderation.domain.policy import Verdict
from moderation.domain.sanctions import sanction_flags
from moderation.domain.stories import check_open, holds_all, story_rule_hits
from moderation.models import Comment, CommentRevision, Site, WebhookDelivery

EDITED = "edited_after_decision"  # the flag a moderator sees on the card


@dataclass(frozen=True)
class Edit:
    comment: Comment
    changed: bool
    revision: int | None = None  # the number given to the replaced text
    delivery: WebhookDelivery | None = None  # send after commit


def edit_comment(session: Session, site: Site, comment_id: int, *, text: str) -> Edit:
    """Replace the text, keep the old one, and send the comment back to scoring. The caller commits,
    sends the webhook, then sends the comment for scoring."""
    # The row lock orders edits against each other and against a scorer holding the row.
    comment = session.scalar(
        select(Comment).where(Comment.id == comment_id, Comment.site_id == site.id)
        .options(_READABLE).with_for_update(of=Comment).execution_options(populate_existing=True)
    ) if 0 < comment_id <= MAX_ID else None
    if comment is None:
        raise NotFound(f"no comment with id {comment_id}", field="id")
    if comment.status == DELETED:
        # Checked before anything changes: a deleted comment stays deleted, its text as retention left it.
        # And before the same-text case, which had answered 200 as if the deleted comment took the edit.
        raise CommentDeleted("a deleted comment cannot be edited", field="id")
    if comment.status != PENDING and not can_change(comment.status, PENDING, by=EDIT):
        raise TransitionRefused(f"a {comment.status} comment cannot be edited")
    if text == comment.text or _as_read(text) == _as_read(comment.text or ""):
        return Edit(comment, changed=False)
    # New words on a story whose comments are closed (after a verdict, say) are refused as a new
    # comment is: an edit was taken (a moderator's walk). A resend of the same text above still answers.
    check_open(session, site, comment.story_id)
    revision = (session.scalar(
        select(func.max(CommentRevision.revision)).where(CommentRevision.comment_id == comment.id)) or 0) + 1
    session.add(CommentRevision(comment_id=comment.id, revision=revision, text=comment.text,
                                author_name=comment.author_name, status=comment.status, scores=comment.scores))
    # Held for review after an earlier edit counts as decided: a second edit had published a rejected
    # comment, rewritten into anything, as the scorer no longer knew (a moderator's walk).
    was_decided = comment.status in DECIDED or EDITED in (comment.flagged or ())
    comment.text = text
    # New words after retention erased the old: they are kept, shown and erased again like any text.
    # Left marked erased, the card hid them from the moderator and retention never erased them (a re-check).
    comment.text_erased_at = comment.text_sha256 = None
    # The old scores and decision were about the old words; the audit log and revision keep them.
    comment.scores = comment.explanations = comment.flagged = None
    comment.scored_at = comment.model_version = None
    comment.decision = comment.decision_reason = comment.decided_at = comment.decided_by = None
    comment.scoring_failed_at = comment.scoring_error = None
    comment.scoring_attempts = 0
    comment.bulk = False  # its reader's words now, not the import's
    comment.rule_hits = session.scalar(select(story_rule_hits(site.id, comment.story_id, literal(holds_all(site)))))
    hold_on_arrival(session, site, [comment])  # an edit re-showed a held address until scored again
    comment.flagged = session.scalar(select(sanction_flags(site.id, comment.author_id)))  # hidden while pending
    comment.review_after_edit = comment.review_after_edit or was_decided
    actor = f"site:{site.id}"
    audit(session, actor, "comment:edited", comment_id=comment.id, revision=revision, review_after=was_decided)
    delivery = None
    if comment.status != PENDING:
        delivery = change_status(session, comment, PENDING, actor=actor, by=EDIT, reason="edited by the reader",
                                 revision=revision)
    return Edit(comment, changed=True, revision=revision, delivery=delivery)


# Spaces of other widths, which a page draws as a space (a rich-text box writes U+00A0 for one typed).
_SPACES = re.compile(r"[^\S\n]+")
# The zero-width space, word joiner and byte order mark draw nothing. Not the joiners, which change
# how emoji and Persian are drawn, nor the direction controls: U+202E turns the text round.
_UNDRAWN = re.compile("[\u200b\u2060\ufeff]")


def _as_read(text: str) -> str:
    """The text as a page shows it: line endings, runs of spaces, spaces at a line's ends, zero-width
    characters and Unicode's two spellings of an accent aside. Many editors re-save a comment so, and
    a trailing newline had hidden an approved comment and sent it back to review (an integrator's
    walk); a no-break space or a double space did the same (a re-check). A line break still counts."""
    text = unicodedata.normalize("NFC", _UNDRAWN.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()


def after_edit(verdict: Verdict, review_after_edit: bool) -> Verdict:
    """The scorer's verdict on a comment edited after a decision: held for a moderator, unless rejected."""
    if not review_after_edit or verdict.status == REJECTED:
        return verdict
    return Verdict(HELD, [*verdict.flagged, EDITED], verdict.priority)


def revisions(session: Session, comment: Comment) -> list[CommentRevision]:
    """Earlier texts, oldest first."""
    return list(session.scalars(
        select(CommentRevision).where(CommentRevision.comment_id == comment.id).order_by(CommentRevision.revision)))


