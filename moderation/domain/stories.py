"""A story's own settings: comments closed (new ones refused with 409), or every comment held.

A story has a row only once an admin changed it; a story without one is open and follows the
site's rules. Changes are audited like every admin change.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import case, cast, exists, func, literal, null, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from moderation.domain.errors import Conflict, DomainError, ValidationFailed
from moderation.domain.lifecycle import HELD, HOLD_ALL, PUBLISHED, SITE_PREMODERATED, STORY_PREMODERATED, audit, now
from moderation.domain.policy import Policy, Verdict, stricter
from moderation.domain.rule_sets import recent_comment_ids
from moderation.domain.rules import HOLD, Hit
from moderation.models import Comment, Site, Story

T = TypeVar("T", bound=Any)

MAX_STORY_ID_LENGTH = 200
STORY_RULE = STORY_PREMODERATED


class StoryClosed(Conflict):
    code = "story_closed"


def story_settings(session: Session, site_id: int, story_ids: Iterable[str]) -> dict[str, Story]:
    ids = sorted(set(story_ids))
    if not ids:
        return {}
    return {s.story_id: s for s in session.scalars(
        select(Story).where(Story.site_id == site_id, Story.story_id.in_(ids)))}


def check_open(session: Session, site: Site, story_id: str) -> None:
    """Raise StoryClosed when the story no longer takes comments."""
    story = session.scalar(select(Story).where(Story.site_id == site.id, Story.story_id == story_id))
    if story is not None and story.closed:
        raise StoryClosed(f"comments on story {story_id!r} are closed", field="story_id")


def refuse_closed(session: Session, site: Site, items: Sequence[T]) -> list[T | StoryClosed]:
    """A batch's items, those for closed stories replaced by the error a single POST would get. An
    item stored before the story closed stays: sent again (a retry after a timeout), it is answered
    as stored, as a single POST's is."""
    story_ids = {item.story_id for item in items if not isinstance(item, DomainError)}
    closed = {story_id for story_id, story in story_settings(session, site.id, story_ids).items() if story.closed}
    if not closed:
        return list(items)
    late = {item.external_id for item in items if not isinstance(item, DomainError) and item.story_id in closed}
    stored = set(session.scalars(select(Comment.external_id).where(
        Comment.site_id == site.id, Comment.external_id.in_(sorted(late)))))
    return [StoryClosed(f"comments on story {item.story_id!r} are closed", field="story_id")
            if not isinstance(item, DomainError) and item.story_id in closed and item.external_id not in stored
            else item for item in items]


STORY_HOLD = Hit(STORY_RULE, HOLD, "story pre-moderated")


SITE_HOLD = Hit(SITE_PREMODERATED, HOLD, "site holds every comment for review")


def story_hit(story: Story | None, site: Site | None = None) -> Hit | None:
    """A pre-moderated story holds every new comment, named on the card like a rule; so does a site
    in the hold-all mode, on every story, a new one without a row too. The story's own hold is named
    when both hold: it is the one that stays if the site's mode changes."""
    if story is not None and story.premoderated:
        return STORY_HOLD
    if site is not None and holds_all(site):
        return SITE_HOLD
    return None


def holds_all(site: Site) -> bool:
    """Whether the site holds every comment for a person (the hold-all mode)."""
    return site.moderation_mode == HOLD_ALL


def premoderated_story(site_id, story_id):  # noqa: ANN001, ANN201 - SQL expressions in and out
    """Whether the story `story_id` of site `site_id` is pre-moderated now, in SQL."""
    return exists().where(Story.site_id == site_id, Story.story_id == story_id, Story.premoderated.is_(True))


def story_rule_hits(site_id, story_id, site_holds):  # noqa: ANN001, ANN201 - SQL expressions in and out
    """A new or edited text's rule hits until it is scored: the story's hold if the story is
    pre-moderated, else the site's if it holds every comment, as scoring will record them. Without
    it such a comment was pending like any other, and a post-moderation site was told to show it
    (`visible`) on a story whose every comment waits for a moderator (re-checks: a new comment, then
    an edit). SQL, so an INSERT computes it in its own statement; `site_holds` is `holds_all(site)`, or
    a parameter bound to it, from the site's row the caller holds."""
    return case((premoderated_story(site_id, story_id), cast(literal(json.dumps([STORY_HOLD.as_json()])), JSONB)),
                (site_holds, cast(literal(json.dumps([SITE_HOLD.as_json()])), JSONB)), else_=null())


def list_stories(session: Session, site_id: int) -> Sequence[Story]:
    """The stories whose comments are closed, pre-moderated or strict. One set back to none follows the
    site again, as a story without a row does: listed, a mistyped id stayed on the page for good
    (an editor's walk)."""
    return session.scalars(select(Story).where(Story.site_id == site_id, Story.closed | Story.premoderated | Story.strict)
                           .order_by(Story.story_id)).all()


RECENT_FOR_STORIES = 5_000


def recent_stories(session: Session, site_id: int, limit: int = 50) -> list[tuple[str, str | None]]:
    """(story id, title) of the stories the site's last RECENT_FOR_STORIES comments are on, most recent
    first: what the rules page offers to pick from, where an editor had to know each id by heart."""
    return [(story_id, title) for story_id, title in session.execute(
        select(Comment.story_id, func.max(Comment.story_title))
        .where(Comment.id.in_(recent_comment_ids(site_id, RECENT_FOR_STORIES))).group_by(Comment.story_id)
        .order_by(func.max(Comment.received_at).desc()).limit(limit))]


def _lock_story(session: Session, site: Site, story_id: str) -> None:
    # Two changes to a story without a row yet (its CMS and an admin) both inserted it: one failed
    # on the unique constraint. Held to the commit; taken again by the same transaction, it is free.
    session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(f"story:{site.id}:{story_id.strip()}", 0))))


SETTINGS = ("closed", "premoderated", "strict")


def story_policy(policy: Policy, story: Story | None) -> Policy:
    """The policy a story's comments are routed by: the site's, or stricter for a strict story."""
    return stricter(policy) if story is not None and story.strict else policy


STRICT_RULE = "story_strict"
STRICT_HOLD = Hit(STRICT_RULE, HOLD, "strict story: held at half the site's hold thresholds")


def strict_hit(story: Story | None, verdict: Verdict, at_site_thresholds: Callable[[], Verdict]) -> Hit | None:
    """Named on the card like a rule when the story's strictness is what held the comment: a re-check
    saw a comment at 0.50 held under a site threshold of 0.95, nothing saying why."""
    if story is None or not story.strict or verdict.status != HELD:
        return None
    return STRICT_HOLD if at_site_thresholds().status == PUBLISHED else None


def change_story(session: Session, site: Site, story_id: str, changes: Mapping[str, bool], *, actor: str) -> Story:
    """Change some of a story's settings (SETTINGS), keeping the others. The caller commits."""
    _lock_story(session, site, story_id)
    story = session.scalar(select(Story).where(Story.site_id == site.id, Story.story_id == (story_id or "").strip()))
    current = {name: bool(story and getattr(story, name)) for name in SETTINGS}
    if story is None and {**current, **changes} == current:
        # Nothing to change on a story without a row: none is made. A key had filled `stories`
        # (and the admin's list) with unaudited rows for stories set to what they already were.
        return Story(site_id=site.id, story_id=story_id.strip(), **current)
    return set_story(session, site, story_id, **{**current, **changes}, actor=actor)


def set_story(session: Session, site: Site, story_id: str, *, closed: bool, premoderated: bool, actor: str,
              strict: bool = False) -> Story:
    """Create or change a story's settings, auditing what changed. The caller commits."""
    story_id = (story_id or "").strip()
    if not story_id or len(story_id) > MAX_STORY_ID_LENGTH:
        raise ValidationFailed(f"the story id must be 1-{MAX_STORY_ID_LENGTH} characters", field="story_id")
    _lock_story(session, site, story_id)
    story = session.scalar(select(Story).where(Story.site_id == site.id, Story.story_id == story_id))
    old = {name: bool(story is not None and getattr(story, name)) for name in SETTINGS}
    if story is None:
        story = Story(site_id=site.id, story_id=story_id)
        session.add(story)
    new = {"closed": closed, "premoderated": premoderated, "strict": strict}
    story.closed, story.premoderated, story.strict, story.updated_at = closed, premoderated, strict, now()
    if new != old:
        audit(session, actor, "story:settings_changed", site_id=site.id, site=site.name, story_id=story_id,
              old=old, new=new)
    return story
