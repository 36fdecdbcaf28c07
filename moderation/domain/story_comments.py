"""A story's comments as the site lists them: keyset pages in id order, and counts by status.

Keyset, not offset: a page is `id > after`, read along ix_comments_story_id, so page 1,000 costs
what page 1 does and a comment arriving while the site pages through is neither skipped nor repeated.
Ids are drawn in one order and committed in another (a batch of 500 draws its ids, a single comment
draws the next and commits first), so a page is read only once every comment of the site whose id
was drawn before has committed (comments.COMMENT_IDS_LOCK): a site polling with `after` never moves
past an id that commits later.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation.domain.comments import _READABLE, COMMENT_IDS_LOCK
from moderation.domain.errors import ValidationFailed
from moderation.domain.lifecycle import HOLD_ALL, STATUSES, in_review_queue_condition, visible_condition
from moderation.domain.stories import MAX_STORY_ID_LENGTH
from moderation.domain.storms import serialize_storm
from moderation.models import Comment, Site, Story, StoryStorm

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class Page:
    comments: list[Comment]
    next_after: int | None  # pass as `after` for the next page; None on the last page


def story_comments(session: Session, site: Site, story_id: str | None, *, statuses: Sequence[str] = (),
                   after: int = 0, limit: int = DEFAULT_PAGE_SIZE, author_id: str | None = None) -> Page:
    """One page of a story's comments (every story's, without story_id; one author's with
    author_id), oldest id first. Ends the session's transaction (commit; the rows stay loaded),
    which holds the site's inserts for as long as the read takes."""
    # Waits for the site's INSERTs in flight to commit; new ones wait for this read (a few ms).
    session.execute(select(func.pg_advisory_xact_lock(COMMENT_IDS_LOCK, site.id)))
    query = (select(Comment).options(_READABLE)
             .where(Comment.site_id == site.id, Comment.id > after)
             .order_by(Comment.id).limit(limit + 1))
    if story_id is not None:  # stored less the whitespace around it (api/validation.py), so read so
        query = query.where(Comment.story_id == story_id.strip())
    if author_id is not None:  # a reader's comments, for a subject access request
        query = query.where(Comment.author_id == author_id.strip())
    if statuses:
        query = query.where(Comment.status.in_(list(statuses)))
    rows = list(session.scalars(query))
    session.commit()  # lets the site's inserts go on
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, rows[-1].id if more else None)


def story_counts(session: Session, site: Site, story_id: str) -> dict[str, object]:
    """Counts by status, how many the site should show, and how many wait for a moderator.

    A story without comments is not an error: it has zeros, which is what a site asking about
    a story it just published wants to hear.
    """
    by_status = dict.fromkeys(STATUSES, 0)
    story_id = story_id.strip()  # stored less the whitespace around it (api/validation.py)
    if not story_id or len(story_id) > MAX_STORY_ID_LENGTH:
        # No comment can have such a story id: zeros read as "no comments yet" (a walk).
        raise ValidationFailed(f"the story id must be 1-{MAX_STORY_ID_LENGTH} characters", field="story_id")
    in_story = (Comment.site_id == site.id, Comment.story_id == story_id)
    for status, count in session.execute(
            select(Comment.status, func.count()).where(*in_story).group_by(Comment.status)):
        by_status[status] = count
    in_review = session.scalar(
        select(func.count()).select_from(Comment).join(Site, Site.id == Comment.site_id)
        .where(*in_story, in_review_queue_condition())) or 0
    visible = session.scalar(select(func.count()).select_from(Comment).join(Site, Site.id == Comment.site_id)
                             .where(*in_story, visible_condition())) or 0
    settings = session.scalar(select(Story).where(Story.site_id == site.id, Story.story_id == story_id))
    storm = session.scalar(select(StoryStorm).where(StoryStorm.site_id == site.id, StoryStorm.story_id == story_id,
                                                    StoryStorm.ended_at.is_(None)))
    return {
        "story_id": story_id,
        "closed": bool(settings and settings.closed),
        "premoderated": bool(settings and settings.premoderated),
        # The site's hold-all mode holds this story's comments whatever its own setting: a CMS reading
        # `premoderated: false` on a new story took it for open.
        "site_premoderated": site.moderation_mode == HOLD_ALL,
        "strict": bool(settings and settings.strict),
        # A site polling instead of taking the story.storm_mode webhook learns it here.
        "storm": serialize_storm(storm) if storm is not None else None,
        "comments": {"total": sum(by_status.values()), "by_status": by_status,
                     "visible": visible, "in_review": in_review},
    }
