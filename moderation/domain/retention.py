"""Per-site text retention: a comment's text is erased N days after it was rejected or deleted.

A site's `retention_days` (NULL: keep forever, the default) counts from the moment a comment
became rejected or deleted (`status_changed_at`). A comment the site shows, published or
approved, keeps its text: a report can still send it to a moderator, who needs to read it (an
approved one's was erased, and readers' reports brought it back to review with nothing to read:
a helper's walk). The site shows that text to every reader anyway. Beat runs
`erase_expired_texts` every RETENTION_INTERVAL seconds; erasing follows domain/erasure.py, so
scores, decision and hashes remain. A comment reopened by a report after approval is no longer
final and keeps its text until decided again. A suggestscore label (a Perspective client's
verdict on a text, with no comment of ours) is kept as many days after it arrived. The same task
deletes delivered webhook events after WEBHOOK_EVENT_DAYS and, if an operator sets AUDIT_LOG_DAYS,
audit entries after that many days. A site with a webhook is told of each erased text
(`comment.text_erased`).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from moderation.domain.erasure import erase_everywhere
from moderation.domain.labels import SUGGESTSCORE
from moderation.domain.legal_holds import erasing, under_hold
from moderation.domain.lifecycle import DELETED, REJECTED, audit, commit_and_send, now, site_event
from moderation.models import AuditEntry, Comment, LabelledExample, Site, WebhookDelivery

ERASED_AFTER = (REJECTED, DELETED)  # the final statuses the site does not show
BATCH_SIZE = 500
MAX_BATCHES = 40  # bounds one run; the next run carries on


def expired_ids(session: Session, at: datetime, limit: int) -> list[int]:
    """Comments whose site's retention period after their rejection or deletion has ended by `at`, locked."""
    erasing(session, session.scalars(select(Site.id).where(Site.retention_days.is_not(None))))
    return list(session.scalars(
        select(Comment.id).join(Site, Site.id == Comment.site_id)
        .where(Site.retention_days.is_not(None), Comment.text_erased_at.is_(None), Comment.status.in_(ERASED_AFTER),
               Comment.status_changed_at < at - func.make_interval(0, 0, 0, Site.retention_days),
               ~under_hold())  # kept as evidence while a legal hold stands (legal_holds.py)
        .order_by(Comment.status_changed_at).limit(limit)
        .with_for_update(of=Comment, skip_locked=True)))


def erase_expired_texts(session: Session, *, at: datetime | None = None, batch_size: int = BATCH_SIZE,
                        max_batches: int = MAX_BATCHES) -> int:
    """Erase every expired text, a batch per transaction; returns how many comments lost theirs."""
    at = at or now()
    erased = 0
    for _ in range(max_batches):
        ids = expired_ids(session, at, batch_size)
        if not ids:
            break
        counts = erase_everywhere(session, ids, at=at)
        audit(session, "system:retention", "retention:texts_erased", comment_ids=ids, counts=counts)
        commit_and_send(session, erased_events(session, ids, at))
        erased += len(ids)
    labels = delete_expired_suggestions(session, at)
    if labels:
        audit(session, "system:retention", "retention:suggestions_deleted", count=labels)
    session.commit()
    return erased


TEXT_ERASED = "comment.text_erased"


def erased_events(session: Session, ids: list[int], at: datetime) -> list[WebhookDelivery | None]:
    """A `comment.text_erased` event for each comment whose text retention erased: a site taking
    webhooks had no way to learn of it but polling each comment, and kept the text its readers' data
    was meant to lose with ours. The text's hash, not the text, so the site can match its copy."""
    rows = session.execute(select(Comment.id, Comment.external_id, Comment.text_sha256, Site)
                           .join(Site, Site.id == Comment.site_id).where(Comment.id.in_(ids))).all()
    return [site_event(session, site, TEXT_ERASED, at=at, comment_id=comment_id, site_comment_id=external_id,
                       text_sha256=text_sha256, text_erased_at=at.isoformat(), reason="retention")
            for comment_id, external_id, text_sha256, site in rows]


def delete_expired_suggestions(session: Session, at: datetime) -> int:
    """suggestscore labels older than their site's retention period; how many went."""
    result = session.execute(
        delete(LabelledExample)
        .where(LabelledExample.site_id == Site.id, Site.retention_days.is_not(None),
               LabelledExample.comment_id.is_(None), LabelledExample.kind == SUGGESTSCORE,
               LabelledExample.created_at < at - func.make_interval(0, 0, 0, Site.retention_days))
        .execution_options(synchronize_session=False))
    return result.rowcount or 0


def delete_delivered_events(session: Session, *, days: int, at: datetime | None = None) -> int:
    """Webhook events delivered more than `days` days ago, and those never to be delivered (dead
    letters, events closed with their site) made as long ago (0: keep them for good); how many went.
    Committed: a privacy walk found every event ever sent kept, each with the comment, its author's
    name and the moderator's reason as they were sent; the next found the undelivered kept for good."""
    if days <= 0:
        return 0
    cutoff = (at or now()) - func.make_interval(0, 0, 0, days)
    result = session.execute(delete(WebhookDelivery).where(or_(
        WebhookDelivery.delivered_at < cutoff,
        WebhookDelivery.failed.is_(True) & WebhookDelivery.delivered_at.is_(None) & (WebhookDelivery.created_at < cutoff)))
        .execution_options(synchronize_session=False))
    session.commit()
    return result.rowcount or 0


AUDIT_BATCH_SIZE = 10_000


def delete_old_audit_entries(session: Session, *, days: int, at: datetime | None = None,
                             batch_size: int = AUDIT_BATCH_SIZE, max_batches: int = MAX_BATCHES) -> int:
    """Audit entries written more than `days` days ago (0: keep them for good); how many went. A
    batch per transaction, oldest first, so a log of millions never holds its locks for long and a
    run cut short carries on at the next. What they recorded goes with them: a comment's history, the
    decisions report and the operations page's counts over those days, a reversal's note on a card."""
    if days <= 0:
        return 0
    cutoff = (at or now()) - func.make_interval(0, 0, 0, days)
    deleted = 0
    for _ in range(max_batches):
        oldest = select(AuditEntry.id).where(AuditEntry.at < cutoff).order_by(AuditEntry.at).limit(batch_size)
        result = session.execute(delete(AuditEntry).where(AuditEntry.id.in_(oldest.scalar_subquery()))
                                 .execution_options(synchronize_session=False))
        session.commit()
        deleted += result.rowcount or 0
        if (result.rowcount or 0) < batch_size:
            break
    return deleted
