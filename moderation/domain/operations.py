"""The service's state right now and over the last hours, read from the database: what /metrics
reports as gauges and what /admin/operations draws, so both say the same thing."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, false, func, literal_column, select, text
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Session

from moderation.domain.dead_letters import dead_letter_condition
from moderation.domain.set_aside import set_aside_condition
from moderation.domain.lifecycle import (
    DECIDABLE, DECIDED, HELD, PENDING, PUBLISHED, REJECTED, in_review_queue_condition, status_action,
)
from moderation.models import AuditEntry, Comment, CommentRevision, ModelAssignment, ModelVersion, Site, WebhookDelivery

GLOBAL_SCOPE = "(global)"
# Audit actions: a pending comment scored (into held or rejected: stopped); a moderator's decision.
_SCORED_STOPPED = (status_action(PENDING, HELD), status_action(PENDING, REJECTED))
_SCORED = (status_action(PENDING, PUBLISHED), *_SCORED_STOPPED)
_DECISIONS = tuple(status_action(old, new) for old in DECIDABLE for new in DECIDED)


@dataclass
class SiteBacklog:
    site: str
    waiting: int = 0                   # in the review queue: held, or published and reported enough
    oldest_held_seconds: float = 0.0   # how long the longest-waiting held comment has been held
    # Which site is bursting, and whose endpoint fails: an SRE's walk could tell neither in an incident.
    pending: int = 0                   # waiting to be scored
    webhooks_undelivered: int = 0
    oldest_undelivered_seconds: float = 0.0
    last_webhook_error: str | None = None  # of its newest undelivered event that failed
    # Received to first scored, of its comments scored in the last hour, in seconds: which title is slow
    # when one complains (a newspaper group's walk found latency only for all titles together).
    scored_last_hour: int = 0
    scoring_median_seconds: float | None = None
    scoring_p95_seconds: float | None = None


@dataclass
class Snapshot:
    pending: int = 0
    oldest_pending_seconds: float = 0.0
    set_aside: int = 0
    webhooks_undelivered: int = 0      # still to be delivered (retrying or queued), not dead letters
    oldest_undelivered_seconds: float = 0.0
    dead_letters: int = 0
    backlog: list[SiteBacklog] = field(default_factory=list)
    models: list[tuple[str, str]] = field(default_factory=list)  # (site name or GLOBAL_SCOPE, version)


def _scoring_latency(session: Session, now: datetime) -> dict[str, tuple[int, float | None, float | None]]:
    """Per site: comments first scored in the last hour (ix_comments_scored_at), and the median and 95th
    percentile of their seconds from arrival to scored. A comment its reader edited is left out: its
    arrival was before the edit it was scored for."""
    since = now - timedelta(hours=1)
    seconds = func.extract("epoch", Comment.scored_at - Comment.received_at)
    edited = select(CommentRevision.id).where(CommentRevision.comment_id == Comment.id).exists()
    rows = session.execute(
        select(Site.name, func.count(), func.percentile_cont(0.5).within_group(seconds),
               func.percentile_cont(0.95).within_group(seconds))
        .join(Site, Site.id == Comment.site_id)
        .where(Comment.scored_at >= since, Comment.received_at >= since - timedelta(hours=1), ~edited)
        .group_by(Site.name)).all()
    return {name: (count, None if median is None else float(median), None if p95 is None else float(p95))
            for name, count, median, p95 in rows}


def _age(oldest: datetime | None, now: datetime) -> float:
    return max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0


def snapshot(session: Session, *, now: datetime | None = None) -> Snapshot:
    """A handful of aggregate queries; each uses an index the queue pages already need."""
    now = now or datetime.now(timezone.utc)
    result = Snapshot()
    # Waiting since it became pending: a comment a reader edited today waits since the edit.
    pending, oldest = session.execute(
        select(func.count(), func.min(Comment.status_changed_at))
        .where(Comment.status == PENDING, Comment.scoring_failed_at.is_(None))).one()
    result.pending, result.oldest_pending_seconds = pending, _age(oldest, now)
    result.set_aside = session.scalar(select(func.count()).select_from(Comment).where(set_aside_condition())) or 0
    undelivered, oldest = session.execute(
        select(func.count(), func.min(WebhookDelivery.created_at))
        .where(WebhookDelivery.delivered_at.is_(None), WebhookDelivery.failed == false())).one()
    result.webhooks_undelivered, result.oldest_undelivered_seconds = undelivered, _age(oldest, now)
    result.dead_letters = session.scalar(select(func.count()).select_from(WebhookDelivery).where(
        dead_letter_condition())) or 0
    waiting = dict(session.execute(
        select(Site.name, func.count(Comment.id)).join(Comment, Comment.site_id == Site.id)
        .where(in_review_queue_condition()).group_by(Site.name)).all())
    oldest_held = dict(session.execute(
        select(Site.name, func.min(Comment.status_changed_at)).join(Comment, Comment.site_id == Site.id)
        .where(Comment.status == HELD).group_by(Site.name)).all())
    pending_by_site = dict(session.execute(
        select(Site.name, func.count(Comment.id)).join(Comment, Comment.site_id == Site.id)
        .where(Comment.status == PENDING, Comment.scoring_failed_at.is_(None)).group_by(Site.name)).all())
    undelivered_now = (WebhookDelivery.delivered_at.is_(None), WebhookDelivery.failed == false())
    hooks = {name: (count, first) for name, count, first in session.execute(
        select(Site.name, func.count(WebhookDelivery.id), func.min(WebhookDelivery.created_at))
        .join(WebhookDelivery, WebhookDelivery.site_id == Site.id).where(*undelivered_now).group_by(Site.name)).all()}
    errors = dict(session.execute(
        select(Site.name, WebhookDelivery.last_error).join(WebhookDelivery, WebhookDelivery.site_id == Site.id)
        .where(*undelivered_now, WebhookDelivery.last_error.is_not(None))
        .ext(distinct_on(Site.name)).order_by(Site.name, WebhookDelivery.id.desc())).all())
    latency = _scoring_latency(session, now)
    # Active sites only: a deactivated site's held comments wait for nobody, and its oldest-held
    # gauge grew for ever (a re-check).
    for name in sorted(session.scalars(select(Site.name).where(Site.active.is_(True)))):
        (count, first), error = hooks.get(name, (0, None)), errors.get(name)
        result.backlog.append(SiteBacklog(name, waiting.get(name, 0), _age(oldest_held.get(name), now),
                                          pending_by_site.get(name, 0), count, _age(first, now), error,
                                          *latency.get(name, (0, None, None))))
    rows = session.execute(
        select(Site.name, ModelVersion.version).select_from(ModelAssignment)
        .join(ModelVersion, ModelVersion.id == ModelAssignment.version_id)
        .outerjoin(Site, Site.id == ModelAssignment.site_id)).all()
    result.models = sorted((name or GLOBAL_SCOPE, version) for name, version in rows)
    return result


@dataclass
class Hour:
    start: datetime
    received: int = 0
    scored: int = 0      # scorings, as scored_total counts: an edited comment is scored again
    flagged: int = 0     # held or rejected when scored: by the model, a rule, a storm or a sanction
    decided: int = 0     # moderators' decisions made, later undone ones too (as decisions_total counts)
    p50_seconds: float | None = None  # its text's arrival (posted or edited) -> scored
    p99_seconds: float | None = None
    webhooks_delivered: int = 0
    webhooks_failing: int = 0  # events of that hour not delivered yet, or dead letters


def hourly(session: Session, *, hours: int = 24, now: datetime | None = None) -> list[Hour]:
    """The last `hours` hours (UTC), oldest first, each counted by when things happened in it."""
    now = now or datetime.now(timezone.utc)
    end = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    start = end - timedelta(hours=hours)
    table = {start + timedelta(hours=i): Hour(start + timedelta(hours=i)) for i in range(hours)}

    def bucket(column):
        # Literals, not bound parameters: GROUP BY must repeat the SELECT's expression exactly.
        return func.date_trunc(literal_column("'hour'"), column, literal_column("'UTC'"))

    for moment, count in session.execute(
            select(bucket(Comment.received_at), func.count()).where(Comment.received_at >= start)
            .group_by(bucket(Comment.received_at))).all():
        if moment in table:
            table[moment].received = count
    # From its text's arrival, first posted or last edited, to its latest scoring (a row keeps
    # only that one): an edit a day after posting is not a day's wait for the scorer.
    last_edit = (select(func.max(CommentRevision.replaced_at)).where(CommentRevision.comment_id == Comment.id)
                 .correlate(Comment).scalar_subquery())
    waited = func.extract("epoch", Comment.scored_at - func.greatest(Comment.received_at, last_edit))
    for moment, p50, p99 in session.execute(
            select(bucket(Comment.scored_at),
                   func.percentile_cont(0.5).within_group(waited),
                   func.percentile_cont(0.99).within_group(waited))
            .where(Comment.scored_at >= start).group_by(bucket(Comment.scored_at))).all():
        if moment in table:
            table[moment].p50_seconds, table[moment].p99_seconds = p50, p99
    # From the audit log, as the Prometheus counters count them: each scoring that held or rejected
    # (whatever held it, and each time an edited comment is scored again), and each decision made,
    # whether or not it was undone since. A comment's row keeps only its latest state.
    for moment, scored, flagged, decided in session.execute(
            select(bucket(AuditEntry.at),
                   func.count().filter(AuditEntry.action.in_(_SCORED)),
                   func.count().filter(AuditEntry.action.in_(_SCORED_STOPPED)),
                   func.count().filter(and_(AuditEntry.action.in_(_DECISIONS), AuditEntry.actor.like("user:%"))))
            .where(AuditEntry.at >= start, AuditEntry.action.in_(_SCORED + _DECISIONS))
            .group_by(bucket(AuditEntry.at))).all():
        if moment in table:
            table[moment].scored, table[moment].flagged, table[moment].decided = scored, flagged, decided
    for moment, delivered, failing in session.execute(
            select(bucket(WebhookDelivery.created_at),
                   func.count().filter(WebhookDelivery.delivered_at.is_not(None)),
                   func.count().filter(and_(WebhookDelivery.delivered_at.is_(None),
                                            WebhookDelivery.created_at < now - timedelta(minutes=1))))
            .where(WebhookDelivery.created_at >= start).group_by(bucket(WebhookDelivery.created_at))).all():
        if moment in table:
            table[moment].webhooks_delivered, table[moment].webhooks_failing = delivered, failing
    return list(table.values())


# The tables that grow with traffic, by what an operator calls them.
GROWING = {"comments": "comments", "webhook_deliveries": "webhook events", "audit_log": "audit log"}


def database_sizes(session: Session) -> tuple[int, dict[str, int]]:
    """The database's size in bytes, and each growing table's with its indexes: `moderation status` said
    them, and `/metrics` had no gauge of them to alert on (left since several stops; a newspaper
    group's engineer asked how fast the database grows)."""
    sizes = dict(session.execute(text(
        "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relkind = 'r' AND relname = ANY(:names)"),
        {"names": list(GROWING)}).all())
    total = session.scalar(text("SELECT pg_database_size(current_database())")) or 0
    return int(total), {GROWING[name]: int(sizes.get(name, 0)) for name in GROWING}
