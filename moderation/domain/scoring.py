"""Scoring pending comments in micro-batches.

A batch is claimed with SELECT ... FOR UPDATE SKIP LOCKED: the ids a task was given first, then
the oldest other pending comments up to the batch size. Two workers never score the same comment,
and a worker that finds its ids already taken simply scores others. Only `pending` rows are ever
claimed, so scoring a comment twice (a redelivered task, the sweep) changes nothing.

One `model.score` call per batch: the model is much faster on many texts at once.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from moderation.domain.dispatch import send_webhooks
from moderation.domain.policy import REPORTS, Policy, build_policy, decide
from moderation.domain.status import change_status, now
from moderation.models import Comment, Site, WebhookDelivery

log = logging.getLogger(__name__)

SCORER = "system:scorer"
EXPLAIN_TOP_K = 5


class Model(Protocol):
    """What scoring needs from classifiers.CivilityModel (a test may pass a small fake)."""

    version: str
    attributes: tuple[str, ...]
    thresholds: dict[str, float]

    def score(self, texts: Sequence[str]) -> list[dict[str, float]]: ...

    def explain(self, text: str, attributes: Sequence[str] | None = None, top_k: int = 5) -> dict[str, Any]: ...


@dataclass
class BatchResult:
    scored: dict[int, str] = field(default_factory=dict)  # comment id -> new status
    deliveries: list[WebhookDelivery] = field(default_factory=list)


def score_batch(session: Session, model: Model, comment_ids: Sequence[int], *, batch_size: int) -> BatchResult:
    """Claim, score, and move one batch. The caller commits, then sends the webhooks."""
    return score_claimed(session, model, claim_batch(session, comment_ids, batch_size=batch_size))


def claim_batch(session: Session, comment_ids: Sequence[int], *, batch_size: int) -> list[Comment]:
    """Lock up to batch_size pending comments, the given ones first, skipping rows others hold."""
    wanted = [int(i) for i in comment_ids]
    first = case((Comment.id.in_(wanted), 0), else_=1) if wanted else None
    query = (
        select(Comment)
        .where(Comment.status == "pending")
        .order_by(*([first] if first is not None else []), Comment.received_at, Comment.id)
        .limit(batch_size)
        .with_for_update(of=Comment, skip_locked=True)
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(query))


def score_claimed(session: Session, model: Model, comments: list[Comment]) -> BatchResult:
    result = BatchResult()
    if not comments:
        return result

    all_scores = model.score([c.text for c in comments])
    scored_at = now()
    policies: dict[int, Policy] = {}
    for comment, scores in zip(comments, all_scores, strict=True):
        site: Site = comment.site
        policy = policies.get(site.id)
        if policy is None:
            policy = policies[site.id] = build_policy(
                model_attributes=model.attributes,
                model_thresholds=model.thresholds,
                site_thresholds=site.thresholds,
                report_threshold=site.report_threshold,
                auto_reject=site.auto_reject,
                reject_thresholds=site.reject_thresholds,
            )
        verdict = decide(policy, scores, comment.report_weight or 0.0)
        # Only attributes the model scores reliably: the others it can only copy from toxicity.
        comment.scores = {k: round(float(v), 6) for k, v in scores.items() if k in model.attributes}
        comment.model_version = model.version
        comment.scored_at = scored_at
        comment.flagged = verdict.flagged
        comment.priority = verdict.priority
        if verdict.status != "published":
            comment.explanations = _explain(model, comment.text, verdict.flagged)
        delivery = change_status(
            session,
            comment,
            verdict.status,
            actor=SCORER,
            reason=", ".join(verdict.flagged) or None,
            model_version=model.version,
        )
        result.scored[comment.id] = verdict.status
        if delivery is not None:
            result.deliveries.append(delivery)
    return result


def _explain(model: Model, text: str, flagged: list[str]) -> dict[str, Any] | None:
    """Highlights for the reviewer; a failure here must not keep a comment from being scored."""
    attributes = [a for a in flagged if a != REPORTS and a in model.attributes] or list(model.attributes)
    try:
        return model.explain(text, attributes=attributes, top_k=EXPLAIN_TOP_K)
    except Exception:
        log.exception("could not explain a held comment; scoring it anyway")
        return None


def score_pending(
    session: Session,
    get_model: Callable[[], Model],
    comment_ids: Sequence[int],
    *,
    batch_size: int,
    max_batches: int = 1,
) -> dict[int, str]:
    """Score the given comments (and other pending ones) batch by batch, committing each batch
    before its webhooks are sent. Returns the new status of every comment scored.

    The model is loaded only when there is something to score.
    """
    scored: dict[int, str] = {}
    model: Model | None = None
    for _ in range(max_batches):
        comments = claim_batch(session, comment_ids, batch_size=batch_size)
        if not comments:
            session.rollback()
            break
        model = model or get_model()
        batch = score_claimed(session, model, comments)
        session.commit()
        send_webhooks(batch.deliveries)
        scored.update(batch.scored)
        if len(batch.scored) < batch_size:
            break
    return scored
