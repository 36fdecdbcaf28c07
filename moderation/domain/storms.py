"""Storm mode: a story that suddenly draws a flood of comments, or of uncivil ones, is
pre-moderated on its own until it calms down.

Each scoring batch looks at its stories (`storm_watch`, one query for the batch, only for sites
with a trigger on): a story is stormy when it received at least the site's
`storm_comments_per_minute` comments in the last minute, or when of its comments of the last
minute already scored (at least MIN_SCORED_FOR_SHARE) the policy held or rejected at least
`storm_held_share`. Comments held only because of a storm do not count as held, or a storm would
feed itself. The first stormy batch opens a `story_storms` row (the partial unique index lets
two workers that see the same burst open it once), audits it and tells the site with a
`story.storm_mode` webhook; every later stormy batch moves `last_stormy_at` on.

While a story's storm is open its newly scored comments that the policy would publish are held
for review instead, with the flag and reason "storm" (`hold_in_storm`); held and rejected stay
so. Moderators see a banner on the queue. The sweep (`calm_storms`) ends a storm once no trigger
has held for the site's `storm_calm_minutes`, or at once when the site turned its triggers off;
audited and sent to the site too.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, cast, func, literal, or_, select, tuple_
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.orm import Session

from moderation.domain.lifecycle import HELD, PUBLISHED, STORM, audit, commit_and_send, now, site_event
from moderation.domain.policy import Verdict
from moderation.models import Comment, Site, StoryStorm, WebhookDelivery
from moderation.domain.written import HISTORY

ACTOR = "system:storm"
WINDOW = timedelta(minutes=1)
MIN_SCORED_FOR_SHARE = 10  # a held share of 2 of 3 comments is noise, not a storm
EVENT = "story.storm_mode"

Story = tuple[int, str]  # (site_id, story_id)


@dataclass
class StormWatch:
    stories: set[Story] = field(default_factory=set)  # stories whose new comments are held
    deliveries: list[WebhookDelivery] = field(default_factory=list)  # storms started (send after commit)


def watches(site: Site) -> bool:
    return site.storm_comments_per_minute > 0 or site.storm_held_share > 0


def trigger(site: Site, received: int, scored: int, held: int) -> str | None:
    """Why this story is stormy now, in words for the audit log and the banner; None if it is not."""
    rate = site.storm_comments_per_minute
    if rate > 0 and received >= rate:
        return f"{received} comments in the last minute (limit {rate})"
    share = site.storm_held_share
    if share > 0 and scored >= MIN_SCORED_FOR_SHARE and held >= share * scored:
        return f"{held} of {scored} comments of the last minute held ({held / scored:.0%}, limit {share:.0%})"
    return None


def hold_in_storm(verdict: Verdict, stormy: bool) -> tuple[Verdict, str | None]:
    """The policy's verdict under storm mode, and the reason to record when the storm changed it."""
    if not stormy or verdict.status != PUBLISHED:
        return verdict, None
    return Verdict(HELD, [*verdict.flagged, STORM], verdict.priority), STORM


def storm_watch(session: Session, comments: Iterable[Comment], at: datetime) -> StormWatch:
    """For a scoring batch: start or extend the storms of its stories; which are stormy now."""
    watch = StormWatch()
    sites = {c.site_id: c.site for c in comments if watches(c.site)}
    stories = {(c.site_id, c.story_id) for c in comments if c.site_id in sites}
    if not stories:
        return watch
    counts = _recent_counts(session, stories, at)
    open_storms = {(s.site_id, s.story_id): s for s in session.scalars(
        select(StoryStorm).where(StoryStorm.ended_at.is_(None), tuple_(StoryStorm.site_id, StoryStorm.story_id).in_(list(stories))))}
    for story in stories:
        why = trigger(sites[story[0]], *counts.get(story, (0, 0, 0)))
        storm = open_storms.get(story)
        if storm is not None:
            watch.stories.add(story)
            if why:
                storm.last_stormy_at = at
        elif why:
            watch.stories.add(story)
            delivery = _start(session, sites[story[0]], story[1], why, at)
            if delivery is not None:
                watch.deliveries.append(delivery)
    return watch


def _recent_counts(session: Session, stories: set[Story], at: datetime) -> dict[Story, tuple[int, int, int]]:
    """(received, scored, held by the policy) of each story's comments of the last WINDOW."""
    scored = Comment.scored_at.is_not(None)
    held_by_policy = and_(scored, func.jsonb_array_length(func.coalesce(Comment.flagged, cast(literal("[]"), JSONB))) > 0,
                          Comment.flagged != cast(literal(f'["{STORM}"]'), JSONB))
    rows = session.execute(
        select(Comment.site_id, Comment.story_id, func.count(),
               func.count().filter(scored), func.count().filter(held_by_policy))
        .where(tuple_(Comment.site_id, Comment.story_id).in_(list(stories)), Comment.received_at >= at - WINDOW,
               or_(Comment.created_at.is_(None), Comment.created_at >= Comment.received_at - HISTORY))
        .group_by(Comment.site_id, Comment.story_id))
    return {(site_id, story_id): (received, n_scored, held) for site_id, story_id, received, n_scored, held in rows}


def _start(session: Session, site: Site, story_id: str, why: str, at: datetime) -> WebhookDelivery | None:
    """Open the story's storm unless another worker just did; audit it and queue its event."""
    storm_id = session.scalar(
        insert(StoryStorm)
        .values(site_id=site.id, story_id=story_id, started_at=at, trigger=why, last_stormy_at=at)
        .on_conflict_do_nothing(index_elements=["site_id", "story_id"], index_where=StoryStorm.ended_at.is_(None))
        .returning(StoryStorm.id))
    if storm_id is None:
        return None  # another worker opened it first, and told the site
    storm = session.get(StoryStorm, storm_id)
    audit(session, ACTOR, "story:storm_started", site_id=site.id, story_id=story_id, storm_id=storm_id, trigger=why)
    return _event(session, site, storm, at)


def calm_storms(session: Session, at: datetime | None = None) -> list[StoryStorm]:
    """End every storm calm for its site's storm_calm_minutes (or whose site turned storms off);
    commit and tell the sites. Run by the sweep."""
    at = at or now()
    ended, deliveries = [], []
    storms = session.scalars(
        select(StoryStorm).where(StoryStorm.ended_at.is_(None)).order_by(StoryStorm.id).with_for_update(skip_locked=True))
    for storm in storms:
        site = storm.site
        if watches(site) and storm.last_stormy_at > at - timedelta(minutes=site.storm_calm_minutes):
            continue
        storm.ended_at = at
        audit(session, ACTOR, "story:storm_ended", site_id=site.id, story_id=storm.story_id, storm_id=storm.id,
              calm_minutes=site.storm_calm_minutes, triggers_on=watches(site))
        deliveries.append(_event(session, site, storm, at))
        ended.append(storm)
    commit_and_send(session, deliveries)
    return ended


def active_storms(session: Session, site_ids: set[int] | None, limit: int = 20) -> list[StoryStorm]:
    """Open storms on these sites (None: every site), newest first: the moderators' banner."""
    query = select(StoryStorm).where(StoryStorm.ended_at.is_(None))
    if site_ids is not None:
        query = query.where(StoryStorm.site_id.in_(list(site_ids) or [-1]))
    return list(session.scalars(query.order_by(StoryStorm.started_at.desc()).limit(limit)))


def serialize_storm(storm: StoryStorm) -> dict[str, Any]:
    return {
        "id": storm.id,
        "story_id": storm.story_id,
        "active": storm.ended_at is None,
        "trigger": storm.trigger,
        "started_at": storm.started_at.isoformat(),
        "ended_at": storm.ended_at.isoformat() if storm.ended_at else None,
    }


def _event(session: Session, site: Site, storm: StoryStorm, at: datetime) -> WebhookDelivery | None:
    return site_event(session, site, EVENT, at=at, story_id=storm.story_id, storm=serialize_storm(storm))
