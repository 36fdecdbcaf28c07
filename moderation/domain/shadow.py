"""A shadow model: a candidate that scores the comments the live model scored, apart.

After scoring has committed its batches (domain/scoring.py), the shadow scores the same texts and
one row per comment goes to shadow_scores: its scores, the status the site's policy would have
given with them (the shadow's own thresholds and reliable attributes, the site's overrides, the
rules that fired, the author's sanctions and a story's storm, exactly as live scoring applies them) and the status the comment got.
Nothing here changes a comment, and nothing here may fail live scoring: any error is logged and
the shadow rows of that call are dropped. The admin page reads the rows back as agreement per day
and would-be status changes both ways (`shadow_summary`).
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Date, case, cast, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from moderation.domain.lifecycle import HELD, PUBLISHED, REJECTED, now
from moderation.domain.policy import Policy, decide, site_policy
from moderation.domain.reports import open_report_weights, reports_may_hide
from moderation.domain.routing import route
from moderation.domain.rules import stored_hits
from moderation.domain.sanctions import sanctions_in_force
from moderation.domain.storms import STORM, hold_in_storm
from moderation.models import Comment, ShadowScore

log = logging.getLogger(__name__)

# Shadow scoring reads this many comments per model call, whatever scoring's batch size was.
SHADOW_CHUNK = 256
EXAMPLES = 10
# Statuses that keep a comment from readers: a change between one of these and "published" is
# what the page counts as a would-be change; held vs rejected only lowers agreement.
STOPPED = (HELD, REJECTED)


def score_in_shadow(session: Session, get_shadow: Callable[[], object | None] | None,
                    live_statuses: Mapping[int, str]) -> int:
    """Score the comments just scored live (id -> the status they got) with the shadow model, if
    there is one, and store the rows. Returns how many were stored; never raises."""
    if get_shadow is None or not live_statuses:
        return 0
    try:
        shadow = get_shadow()
        if shadow is None:
            return 0
        ids = list(live_statuses)
        stored = 0
        for start in range(0, len(ids), SHADOW_CHUNK):
            stored += _score_chunk(session, shadow, ids[start:start + SHADOW_CHUNK], live_statuses)
            session.commit()
        return stored
    except Exception:
        session.rollback()
        log.exception("shadow scoring failed; live scoring is unaffected")
        return 0


def _score_chunk(session: Session, shadow, ids: Sequence[int], live_statuses: Mapping[int, str]) -> int:
    # Only comments a different version scored: a shadow that is the live model has nothing to say.
    comments = list(session.scalars(
        select(Comment).where(Comment.id.in_(ids), Comment.model_version.is_distinct_from(shadow.version))
        .order_by(Comment.id)))
    if not comments:
        return 0
    all_scores = shadow.score([c.text for c in comments])
    scored_at = now()
    sanctions = sanctions_in_force(session, comments, scored_at)
    reported = open_report_weights(session, comments)
    policies: dict[int, Policy] = {}
    rows = []
    for comment, raw in zip(comments, all_scores, strict=True):
        # Compared as stored, to six places, as live scoring compares them (a re-check).
        scores = {k: round(float(v), 6) for k, v in raw.items()}
        site = comment.site
        if site.id not in policies:
            policies[site.id] = site_policy(site, shadow.attributes, shadow.thresholds)
        # The site's rules do not depend on the model: what fired live applies to the shadow too,
        # so a rule's hold is not counted as the two models disagreeing.
        hits = stored_hits(comment)
        weight = reported.get(comment.id, 0.0)
        may_hide = reports_may_hide(session, comment, weight, policies[site.id].report_threshold)
        verdict, sanction_reason = route(decide(policies[site.id], scores, weight, reports_may_hide=may_hide), hits,
                                         sanctions.get((comment.site_id, comment.author_id)))
        if not sanction_reason:  # nor is a storm's hold: its story was stormy for both models
            verdict, _ = hold_in_storm(verdict, STORM in (comment.flagged or []))
        rows.append(dict(
            comment_id=comment.id, version=shadow.version,
            scores={k: v for k, v in scores.items() if k in shadow.attributes},
            would_be_status=verdict.status, live_status=live_statuses[comment.id],
            live_version=comment.model_version, scored_at=scored_at))
    inserted = session.scalars(insert(ShadowScore).values(rows).on_conflict_do_nothing(
        constraint="uq_shadow_scores_comment_version").returning(ShadowScore.id))
    return len(inserted.all())


@dataclass(frozen=True)
class Day:
    day: date
    scored: int
    agreed: int
    would_hold: int     # published live, held or rejected by the shadow
    would_publish: int  # held or rejected live, published by the shadow

    @property
    def agreement(self) -> float:
        return self.agreed / self.scored if self.scored else 0.0


@dataclass(frozen=True)
class SiteTally:
    """A site's share of the shadow's scores: one site's own thresholds, language or readers can
    disagree where the pooled figure looks fine (an admin's walk read 95 % for two sites, one at 80)."""
    site_id: int
    scored: int
    agreed: int
    would_hold: int
    would_publish: int
    agreement = Day.agreement


@dataclass(frozen=True)
class Example:
    comment_id: int
    site_id: int
    text: str
    live_status: str
    would_be_status: str
    live_scores: dict
    shadow_scores: dict


@dataclass
class ShadowSummary:
    version: str | None
    live_versions: list[str] = field(default_factory=list)
    days: list[Day] = field(default_factory=list)
    would_hold: list[Example] = field(default_factory=list)
    would_publish: list[Example] = field(default_factory=list)
    sites: list[SiteTally] = field(default_factory=list)

    @property
    def scored(self) -> int:
        return sum(d.scored for d in self.days)

    @property
    def agreed(self) -> int:
        return sum(d.agreed for d in self.days)

    @property
    def agreement(self) -> float:
        return self.agreed / self.scored if self.scored else 0.0

    @property
    def would_hold_count(self) -> int:
        return sum(d.would_hold for d in self.days)

    @property
    def would_publish_count(self) -> int:
        return sum(d.would_publish for d in self.days)


def shadow_versions(session: Session) -> list[str]:
    """Versions that have shadow rows, the one that scored most recently first."""
    return list(session.scalars(
        select(ShadowScore.version).group_by(ShadowScore.version).order_by(func.max(ShadowScore.scored_at).desc())))


def shadow_summary(session: Session, version: str | None, *, days: int = 30, examples: int = EXAMPLES) -> ShadowSummary:
    """Agreement per day over the last `days` days, and the latest would-be changes both ways."""
    if version is None:
        return ShadowSummary(None)
    since = now() - timedelta(days=days)
    rows = ShadowScore.version == version, ShadowScore.scored_at >= since
    held_live = ShadowScore.live_status.in_(STOPPED)
    held_shadow = ShadowScore.would_be_status.in_(STOPPED)
    hold = (ShadowScore.live_status == PUBLISHED) & held_shadow
    publish = held_live & (ShadowScore.would_be_status == PUBLISHED)
    day = cast(func.timezone("UTC", ShadowScore.scored_at), Date)
    per_day = session.execute(
        select(day, func.count(),
               func.count(case((ShadowScore.live_status == ShadowScore.would_be_status, 1))),
               func.count(case((hold, 1))), func.count(case((publish, 1))))
        .where(*rows).group_by(day).order_by(day)).all()
    per_site = session.execute(
        select(Comment.site_id, func.count(),
               func.count(case((ShadowScore.live_status == ShadowScore.would_be_status, 1))),
               func.count(case((hold, 1))), func.count(case((publish, 1))))
        .join(Comment, Comment.id == ShadowScore.comment_id)
        .where(*rows).group_by(Comment.site_id).order_by(Comment.site_id)).all()
    live_versions = list(session.scalars(
        select(ShadowScore.live_version).where(*rows).group_by(ShadowScore.live_version)
        .order_by(func.count().desc())))
    return ShadowSummary(
        version=version, live_versions=[v for v in live_versions if v],
        days=[Day(d, n, agreed, h, p) for d, n, agreed, h, p in per_day],
        would_hold=_examples(session, rows, hold, examples),
        would_publish=_examples(session, rows, publish, examples),
        sites=[SiteTally(*row) for row in per_site])


def _examples(session: Session, rows, condition, limit: int) -> list[Example]:
    found = session.execute(
        select(ShadowScore, Comment).join(Comment, Comment.id == ShadowScore.comment_id)
        .where(*rows, condition).order_by(ShadowScore.scored_at.desc(), ShadowScore.id.desc()).limit(limit)).all()
    return [Example(s.comment_id, c.site_id, c.text, s.live_status, s.would_be_status, c.scores or {}, s.scores)
            for s, c in found]
