"""A reply is on its parent's story. A site that sent a reply under another story's comment (an
integrator's mix-up of ids) had its card show that comment as the one replied to, and the thread
counted replies across both stories; such a reply is refused (400 on `parent_id`), as a single POST
and as a batch's item. A parent not received yet is taken: a reply's parent may predate the
integration. The parent is looked up before the INSERT, and only a reply's. A comment stored before,
sent again, is answered as stored in a batch; sent alone, one stored under a parent on another story
before this check existed is refused like a new one.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.domain.errors import DomainError, ValidationFailed
from moderation.models import Comment, Site

if TYPE_CHECKING:
    from moderation.domain.comments import CommentInput


def refusal(data: CommentInput, parent_story: str) -> ValidationFailed:
    return ValidationFailed(f"parent_id {data.parent_id!r} is a comment on story {parent_story!r}; "
                            f"a reply must be on its parent's story, not {data.story_id!r}", field="parent_id")


def check_parent(session: Session, site: Site, data: CommentInput) -> None:
    """Raise the refusal when the comment's parent is on another story."""
    if data.parent_id is None:
        return
    story = session.scalar(select(Comment.story_id).where(Comment.site_id == site.id,
                                                          Comment.external_id == data.parent_id))
    if story is not None and story != data.story_id:
        raise refusal(data, story)


def refuse_parent_elsewhere(session: Session, site: Site,
                            items: Sequence[CommentInput | DomainError]) -> list[CommentInput | DomainError]:
    """A batch's items, replies whose parent is on another story (stored, or earlier in the batch)
    replaced by the refusal. One query, only for a batch with replies."""
    valid = [item for item in items if not isinstance(item, DomainError)]
    parent_ids = {item.parent_id for item in valid if item.parent_id is not None}
    if not parent_ids:
        return list(items)
    ids = sorted(parent_ids | {item.external_id for item in valid})
    stored = dict(session.execute(select(Comment.external_id, Comment.story_id)
                                  .where(Comment.site_id == site.id, Comment.external_id.in_(ids))).all())
    stories = {item.external_id: item.story_id for item in valid if item.external_id not in stored} | stored
    refused: list[CommentInput | DomainError] = []
    for item in items:
        parent_story = None if isinstance(item, DomainError) or item.parent_id is None else stories.get(item.parent_id)
        if parent_story is not None and parent_story != item.story_id and item.external_id not in stored:
            refused.append(refusal(item, parent_story))
        else:
            refused.append(item)
    return refused
