"""The sweep, run by beat every SWEEP_INTERVAL: it catches up on work whose broker message was lost.

* Comments still pending after PENDING_RESEND_AFTER seconds (accepted while Redis was down, or
  their task died) are scored here directly, batch by batch, each site's oldest in turn; scoring
  skips rows another worker holds, so the sweep and a late task never score one comment twice,
  and rows set aside after failing alone (domain/scoring.py), which wait for an admin.
* Webhook deliveries neither delivered nor failed, older than RESEND_WEBHOOKS_AFTER and not
  waiting for a scheduled retry, get their task sent again. Their due time moves forward, so a
  delivery is resent at most once per RESEND_WEBHOOKS_AFTER while the broker stays down. Retries
  waiting longer than a task countdown may (an endpoint down for hours) have no task at all: this
  is what sends them, once their due time has passed. Failed ones are dead letters, left for an
  admin to replay.
* Storms whose story has been calm for its site's storm_calm_minutes end (domain/storms.py).
* Comments whose oldest open report has waited past the desk's window are ranked again, which lifts
  them (domain/report_wait.py): nothing else changes about them when a report merely grows older.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import Session

from moderation.domain.dispatch import resend_webhooks
from moderation.domain.lifecycle import APPROVED, HELD, PUBLISHED
from moderation.domain.policy import OVERDUE_REPORT_PRIORITY
from moderation.domain.report_wait import late_reports_lift_condition, report_window
from moderation.domain.reports import open_reports_by_comment, rank
from moderation.domain.model_contract import Model, ModelSource
from moderation.domain.scoring import score_pending
from moderation.domain.storms import calm_storms
from moderation.domain.status import now
from moderation.models import Comment, Site, WebhookDelivery

RESEND_WEBHOOKS_AFTER = timedelta(minutes=1)
MAX_SCORE_BATCHES = 20  # bounds one sweep's run time; the next sweep continues
MAX_WEBHOOK_RESENDS = 1000
MAX_OVERDUE_LIFTS = 1000
OVERDUE_LIFT_BATCH = 100


@dataclass(frozen=True)
class SweepResult:
    scored: int
    webhooks_resent: int
    storms_ended: int = 0
    overdue_lifted: int = 0


def sweep(
    session: Session,
    get_model: ModelSource | Callable[[], Model],
    *,
    pending_after: float,
    batch_size: int,
    resend_webhooks_after: timedelta = RESEND_WEBHOOKS_AFTER,
    get_shadow: Callable[[], Model | None] | None = None,
) -> SweepResult:
    # What needs no model first: scoring raised while the model would not load, and late reports
    # went unlifted, lost webhooks unsent and storms unended all that while (a re-check).
    resent = resend_lost_webhooks(session, resend_webhooks_after)
    storms_ended = len(calm_storms(session))
    lifted = lift_overdue_reports(session)
    # Only comments older than pending_after: younger ones have a task of their own on the way.
    scored = score_pending(session, get_model, [], batch_size=batch_size, max_batches=MAX_SCORE_BATCHES,
                           received_before=now() - timedelta(seconds=pending_after), get_shadow=get_shadow)
    return SweepResult(scored=len(scored), webhooks_resent=resent, storms_ended=storms_ended,
                       overdue_lifted=lifted)


def lift_overdue_reports(session: Session, limit: int = MAX_OVERDUE_LIFTS) -> int:
    """Rank again the comments whose oldest open report has waited past the window and which are not
    lifted yet (reports.rank lifts them to policy.OVERDUE_REPORT_PRIORITY at least, so none is chosen
    twice); how many. Rows another transaction holds wait for the next sweep. Commits each batch: a
    thousand comments' reports passing the window at once took 3.5 s to rank, their rows locked
    against moderators' decisions all that while (bench/queue_pages.py's database)."""
    current, lifted, last_id = now(), 0, 0
    # rank's own condition (report_wait._lift_condition): one the sweep spelled apart had weighed all the
    # reports ever filed, so a comment whose open ones were too light was chosen, left unlifted, and
    # chosen again at every sweep.
    late = late_reports_lift_condition(current - report_window(session))
    while lifted < limit:
        # report_weight > 0 keeps to the reported comments' partial indexes (migrations 0012, 0022): the
        # open reports' weight is part of it, so no comment the condition lifts is left out.
        comments = list(session.scalars(
            select(Comment).join(Site, Site.id == Comment.site_id)
            .where(Comment.status.in_((HELD, PUBLISHED, APPROVED)), Comment.report_weight > 0,
                   Comment.priority < OVERDUE_REPORT_PRIORITY, Comment.id > last_id, late)
            .order_by(Comment.id).limit(min(OVERDUE_LIFT_BATCH, limit - lifted))
            .with_for_update(of=Comment, skip_locked=True)))
        open_now = open_reports_by_comment(session, comments)
        for comment in comments:
            rank(session, comment, open_now.get(comment.id, []), comment.site.report_threshold, at=current)
        session.commit()
        lifted += len(comments)
        if len(comments) < OVERDUE_LIFT_BATCH:
            break
        last_id = comments[-1].id
    return lifted


def resend_lost_webhooks(session: Session, after: timedelta = RESEND_WEBHOOKS_AFTER) -> int:
    current = now()
    cutoff = current - after
    # Each site's oldest in turn, not the oldest of all: a quiet site's few lost events waited about
    # 3 minutes behind a flooded site's backlog of thousands (a re-check of turns).
    ranked = (
        select(WebhookDelivery.id, func.row_number().over(
            partition_by=WebhookDelivery.site_id, order_by=(WebhookDelivery.created_at, WebhookDelivery.id)).label("turn"))
        .where(
            WebhookDelivery.delivered_at.is_(None),
            WebhookDelivery.failed == false(),
            WebhookDelivery.created_at < cutoff,
            or_(WebhookDelivery.next_attempt_at.is_(None), WebhookDelivery.next_attempt_at < cutoff),
        )
        .subquery()
    )
    chosen = select(ranked.c.id).order_by(ranked.c.turn, ranked.c.id).limit(MAX_WEBHOOK_RESENDS)
    deliveries = list(session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.id.in_(chosen))
        .order_by(WebhookDelivery.created_at)
        .with_for_update(skip_locked=True)
    ))
    for delivery in deliveries:
        delivery.next_attempt_at = current
    session.commit()
    resend_webhooks(session, deliveries)
    return len(deliveries)
