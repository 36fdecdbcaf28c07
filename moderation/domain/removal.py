"""A site (or its reader) deletes a comment: it leaves the queue for good, its audit stays.

The text stays until the site's retention period after the deletion ends (domain/retention.py);
with a retention of 0 days it goes at once. Deleting again changes nothing and is not an error,
so a site can retry a DELETE that timed out.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from moderation.domain.comments import comment_for_site
from moderation.domain.erasure import erase_everywhere
from moderation.domain.errors import ValidationFailed
from moderation.domain.legal_holds import is_held
from moderation.domain.lifecycle import DELETED, REMOVAL, audit, change_status, now
from moderation.domain.report_outcomes import close_reports_of_deleted
from moderation.domain.retention import erased_events
from moderation.models import Comment, LabelledExample, Site, WebhookDelivery

REQUESTERS = ("site", "author")


@dataclass(frozen=True)
class Removal:
    comment: Comment
    deliveries: list[WebhookDelivery | None]  # the status change, and the text's erasure at a retention of 0
    deleted: bool  # False: it was deleted before


def delete_comment(session: Session, site: Site, comment_id: int, *, actor: str, requested_by: str = "site") -> Removal:
    """Move the comment to deleted (the caller commits and sends the webhook)."""
    if requested_by not in REQUESTERS:
        raise ValidationFailed("by must be 'site' or 'author'", field="by")
    comment = comment_for_site(session, site, comment_id)
    # Locked, so a scoring task holding it finishes first and its verdict is not lost under us.
    session.execute(select(Comment.id).where(Comment.id == comment.id).with_for_update())
    session.refresh(comment)
    # A reader who deletes their comment withdraws it from training too: a readers' editor found a
    # deleted comment, phone number and all, still a training example, where the reader had been
    # told it was gone. A site's own deletion keeps the moderators' labels, as the text is kept; the
    # reader's request after it withdraws them still (a second re-check: the early return had kept them).
    withdrawn = session.execute(delete(LabelledExample).where(LabelledExample.comment_id == comment.id)
                                ).rowcount if requested_by == "author" else 0
    if comment.status == DELETED:
        if withdrawn:
            audit(session, actor, "comment:training_withdrawn", comment_id=comment.id, training_examples_withdrawn=withdrawn,
                  requested_by=requested_by)
        return Removal(comment, [], deleted=False)
    delivery = change_status(session, comment, DELETED, actor=actor, by=REMOVAL,
                             reason=f"deleted at the {requested_by}'s request", requested_by=requested_by,
                             **({"training_examples_withdrawn": withdrawn} if withdrawn else {}))
    close_reports_of_deleted(session, [comment], comment.status_changed_at)
    deliveries = [delivery]
    if site.retention_days == 0 and not is_held(session, comment.id, site.id):  # a legal hold keeps it (legal_holds.py)
        # Erased now, and said as the retention sweep says it: a plugin erasing its copy on
        # `comment.text_erased`, where the docs say to, kept a text erased at the DELETE (a WordPress walk).
        at = now()
        erase_everywhere(session, [comment.id], at=at)
        session.refresh(comment)
        deliveries += erased_events(session, [comment.id], at)
    return Removal(comment, deliveries, deleted=True)
