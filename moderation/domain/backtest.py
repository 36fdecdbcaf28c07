"""Backtest: what a candidate model would have done with a site's past decided comments.

Both models rescore the site's last N comments that a moderator approved or rejected (a decision
still standing: undone ones are left out), and each is judged against those decisions:

* ranking: ROC AUC and PR AUC of the comment's *policy score*, the highest score over the
  attributes the model scores reliably (the policy holds on any of them), and of toxicity alone;
  rejected is the positive class;
* at the site's thresholds (policy.build_policy with the site's overrides over each model's own):
  precision and recall of "held" (or auto-rejected) against "rejected by a moderator";
* the comments whose verdict would change between the two models, both ways, with examples;
* queue volume: comments held per day over the days those comments arrived in.

Reports are left out of the verdicts (report weight 0): they hold a comment whatever the model says.
The site's rules are in them, as they fired on each comment when it was scored (its rule hits, a
pre-moderated story's too): a comment a rule held is held under either model. Left out, an admin
read the active model holding 60 of 170 comments where the site had held 110 (an admin's walk).
A model trained on this site's own decisions (`moderation train --site`, /admin/training) is judged
only on comments decided after it was trained: on the ones it learnt from it scores itself perfect.
Nor on a later comment whose text is one it learnt from (a repost, copy-pasted spam): an admin's
walk judged a candidate on 54 comments, every one a text it had trained on, and it looked far better.
Decided comments are mostly ones the active model held, so "published -> held" counts only those
a moderator decided anyway (reported ones, mostly); the threshold page counts every comment.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from classifiers.comparison import flag_metrics, pr_curve, ranking_metrics, roc_auc_difference, score_histograms
from moderation.domain.label_export import sites_learnt_from, source_name
from moderation.domain.lifecycle import APPROVED, DECIDED, PUBLISHED, REJECTED, now
from moderation.domain.written import span_days, written_at, written_bounds
from moderation.domain.model_contract import Model
from moderation.domain.policy import Policy, decide, site_policy
from moderation.domain.profanity_holds import backtest_hint
from moderation.domain.routing import AT_RISK, UNREAD
from moderation.domain.rules import HOLD, REJECT as REJECT_RULE, stored_hits, strongest
from moderation.models import Comment, Site

DEFAULT_LIMIT = 1000
# Fewer rejected or approved comments than this, and no difference between two models is told apart from chance.
FEWEST_TO_COMPARE = 10
MAX_LIMIT = 50_000
BATCH_SIZE = 500
EXAMPLES = 5
EXCERPT_CHARS = 280
@dataclass(frozen=True)
class Decided:
    id: int
    text: str
    rejected: bool
    written_at: datetime
    held_by_rule: bool = False
    # In a language the model cannot read, or its reader may be at risk (the other_language or
    # at_risk rule fired): never rejected unseen live (routing.route), so not counted so here (a
    # re-check read 3 where live rejects 1; the next re-check, two readers at risk counted too).
    never_rejected_unseen: bool = False


@dataclass
class ModelOutcome:
    version: str
    thresholds: dict[str, float]
    roc_auc: float | None
    pr_auc: float | None
    toxicity_roc_auc: float | None
    toxicity_pr_auc: float | None
    held: int
    precision: float | None
    recall: float | None
    held_per_day: float
    pr_curve: dict[str, list[float]]
    histogram: dict[str, list[float]]
    # At the site's auto-reject thresholds (None when it does not auto-reject): rejected unseen, and of
    # those, how many its moderators approved. A migrating site's walk had a hold and a reject number
    # to choose, and no page gave the second's effect (it counted in "held").
    rejected_unseen: int | None = None
    rejected_unseen_approved: int | None = None
    # Of the rejected comments, those it holds (or rejects); of the approved, those it publishes: what
    # can be measured when one side is missing and no AUC can (a news site's 25 rejected, 0 approved).
    held_rejected: int = 0
    published_approved: int = 0


@dataclass
class BacktestResult:
    site: str
    comments: int
    rejected: int
    approved: int
    days: float
    first: str | None
    last: str | None
    active: ModelOutcome
    candidate: ModelOutcome
    # "published_to_held": the active model published it, the candidate would hold it; and back.
    changed: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    seconds: float = 0.0
    # Of `comments`, those the site's rules held whatever a model scored: in both models' "held".
    held_by_rules: int = 0
    # Comments decided before `learnt_until`, left out: a model trained on the site's own decisions
    # read them ("candidate", "active" or both in `learnt_by`).
    left_out: int = 0
    # Of those decided since, left out too: their text is one the model learnt from.
    repeats_left_out: int = 0
    learnt_until: str | None = None
    learnt_by: list[str] = field(default_factory=list)
    # The candidate's ROC AUC (highest reliable attribute) minus the active's, with its 95 % interval
    # ("difference", "low", "high"; comparison.roc_auc_difference), None without two of each decision.
    roc_auc_difference: dict[str, float] | None = None
    # Approvals held for profanity alone, which no retraining publishes, and the lever that does
    # (profanity_holds.profanity_hint); None when there are none or the site holds no profanity.
    profanity_hint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def difference_said(result: dict[str, Any]) -> tuple[str, bool] | None:
    """What the ROC AUC difference says, for the page and the shell, and whether it is within chance;
    None when it could not be measured."""
    found = result.get("roc_auc_difference")
    if not found:
        if result.get("comments") and min(result["rejected"], result["approved"]) < FEWEST_TO_COMPARE:
            # One rejection among 30 read ROC AUC 1.000 for both models with no word (a re-check).
            return (f"On these {result['comments']:,} decisions ({result['rejected']:,} rejected, {result['approved']:,} "
                    f"approved) no ROC AUC is worth trusting: fewer than {FEWEST_TO_COMPARE} of each. Decide more "
                    "comments before promoting on these numbers.", True)
        return None
    said = (f"Candidate minus active ROC AUC: {found['difference']:+.3f} on these {result['comments']:,} decisions "
            f"({result['rejected']:,} rejected), 95 % interval {found['low']:+.3f} to {found['high']:+.3f}")
    if min(result["rejected"], result["approved"]) < FEWEST_TO_COMPARE:
        # The interval shrinks to nothing where a few comments happen to be ranked perfectly.
        return (f"{said}, but on fewer than {FEWEST_TO_COMPARE} rejected or approved comments no interval is worth "
                "trusting: too few decisions to tell the two models apart. Decide more comments before promoting "
                "on these numbers.", True)
    if found["low"] <= 0 <= found["high"]:
        return (f"{said}: within what chance gives, too few decisions or too close to tell the two models apart. "
                "Decide more comments before promoting on these numbers.", True)
    return f"{said}: the candidate ranks rejected comments {'better' if found['difference'] > 0 else 'worse'}, beyond chance.", False


def counts_said(result: dict[str, Any]) -> str | None:
    """With fewer than FEWEST_TO_COMPARE of either decision, what each model does with those there are:
    a news site, whose moderators decide only what is held, had 25 rejected and 0 approved, every AUC
    "—", and no word that the candidate caught 19 where the active model caught 13 (a data scientist's walk)."""
    if not result.get("comments") or min(result["rejected"], result["approved"]) >= FEWEST_TO_COMPARE:
        return None
    active, candidate = result["active"], result["candidate"]
    if "held_rejected" not in candidate:  # a job finished before these were counted
        return None
    said = []
    for side, key, does in (("rejected", "held_rejected", "holds"), ("approved", "published_approved", "publishes")):
        total = result[side]
        if total:
            said.append(f"of the {total:,} {side}, the candidate {does} {candidate[key]:,} and the active model "
                        f"{active[key]:,}")
        else:
            said.append(f"no {side} comment to count what each would "
                        + ("miss" if side == "rejected" else "hold wrongly"))
    return "What these decisions do tell: " + "; ".join(said) + "."


def decided_comments(session: Session, site_id: int, limit: int, *, after: datetime | None = None) -> list[Decided]:
    """The site's last `limit` comments whose moderator decision still stands, newest decision first;
    with `after`, only those decided after it."""
    rows = session.execute(
        select(Comment.id, Comment.text, Comment.decision, written_at().label("written_at"), Comment.rule_hits)
        .where(*_replayable(site_id), *([Comment.decided_at > after] if after is not None else []))
        .order_by(Comment.decided_at.desc(), Comment.id.desc()).limit(limit)
    ).all()
    decided = []
    for r in rows:
        hits = stored_hits(r)
        decided.append(Decided(r.id, r.text, r.decision == REJECTED, r.written_at, strongest(hits) in (HOLD, REJECT_RULE),
                               never_rejected_unseen=any(h.kind in (UNREAD, AT_RISK) for h in hits)))
    return decided


def learnt_until(model: Model, site: Site) -> datetime | None:
    """When a model trained on this site's own decisions read them, or None when it did not train on
    them. The time they were read (`read_at` beside them on the card), not `trained_at`, when training
    ended: cut there, the decisions made while it trained were left out and counted as learnt (376 left
    out where the card said 296 learnt, an admin's walk). Cards from before `read_at` give their
    `trained_at`; a card that says it learnt from them but not when counts as having read them all."""
    card = getattr(model, "card", None) or {}
    if site.name not in sites_learnt_from(card):
        return None
    own = ((card.get("training_data") or {}).get("own_labels") or {}).get(source_name(site)) or {}
    try:
        when = datetime.fromisoformat(str(own.get("read_at") or card["trained_at"]))
    except (KeyError, ValueError):
        return now()
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def decided_count(session: Session, site_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Comment).where(*_replayable(site_id))) or 0


def decided_counts(session: Session, site_ids: Sequence[int], *, cap: int = MAX_LIMIT) -> dict[int, int]:
    """Each site's decided comments a backtest could read, counted up to `cap` (no backtest reads
    more): the form lists every site, and a full count of a big site's would be a scan."""
    return {site_id: session.scalar(select(func.count()).select_from(
        select(Comment.id).where(*_replayable(site_id)).limit(cap).subquery())) or 0 for site_id in site_ids}


def _replayable(site_id: int) -> tuple:
    """Decisions that still stand on a text that is still kept: an erased one has nothing to score."""
    return (Comment.site_id == site_id, Comment.decision.in_(DECIDED), Comment.status == Comment.decision,
            Comment.text_erased_at.is_(None))


def _learnt_texts(session: Session, site_id: int, cutoff: datetime) -> set[str]:
    """The MD5 of each text decided up to `cutoff` (a model trained on the site's decisions read them),
    as PostgreSQL computes it over the UTF-8 bytes: 32 characters a row, not the texts."""
    return set(session.scalars(select(func.md5(Comment.text)).where(
        Comment.site_id == site_id, Comment.decision.in_(DECIDED), Comment.decided_at <= cutoff,
        Comment.text_erased_at.is_(None))))


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def score_in_batches(model: Model, texts: Sequence[str], *, batch_size: int = BATCH_SIZE,
                     progress: Callable[[int], None] | None = None) -> list[dict[str, float]]:
    scores: list[dict[str, float]] = []
    for start in range(0, len(texts), batch_size):
        batch = texts[start:start + batch_size]
        scores.extend(model.score(list(batch)))
        if progress:
            progress(len(batch))
    return scores


def policy_scores(model: Model, policy: Policy, scores: list[dict[str, float]]) -> np.ndarray:
    """Each comment's highest score over the attributes the model scores reliably."""
    reliable = [a for a in model.attributes if a in policy.thresholds] or list(model.attributes)
    return np.array([max((s.get(a, 0.0) for a in reliable), default=0.0) for s in scores])


def _outcome(model: Model, policy: Policy, scores: list[dict[str, float]], y: np.ndarray,
             flagged: np.ndarray, rejected: np.ndarray, days: float) -> ModelOutcome:
    policy_score = policy_scores(model, policy, scores)
    toxicity = np.array([s.get("toxicity", 0.0) for s in scores])
    ranking, tox = ranking_metrics(y, policy_score), ranking_metrics(y, toxicity)
    at_thresholds = flag_metrics(y, flagged)
    return ModelOutcome(
        version=model.version, thresholds=dict(policy.thresholds),
        roc_auc=ranking["roc_auc"], pr_auc=ranking["pr_auc"],
        toxicity_roc_auc=tox["roc_auc"], toxicity_pr_auc=tox["pr_auc"],
        held=at_thresholds["flagged"], precision=at_thresholds["precision"], recall=at_thresholds["recall"],
        held_per_day=at_thresholds["flagged"] / days,
        pr_curve=pr_curve(y, policy_score), histogram=score_histograms(y, policy_score),
        held_rejected=int((flagged & y).sum()), published_approved=int((~flagged & ~y).sum()),
        rejected_unseen=int(rejected.sum()) if policy.auto_reject else None,
        rejected_unseen_approved=int((rejected & ~y).sum()) if policy.auto_reject else None,
    )


def _example(comment: Decided, active: dict[str, float], candidate: dict[str, float],
             active_policy: Policy, candidate_policy: Policy) -> dict[str, Any]:
    text = comment.text
    return {
        "id": comment.id,
        "text": text[:EXCERPT_CHARS] + ("…" if len(text) > EXCERPT_CHARS else ""),
        "decision": REJECTED if comment.rejected else APPROVED,
        "active": {a: round(active.get(a, 0.0), 3) for a in active_policy.thresholds},
        "candidate": {a: round(candidate.get(a, 0.0), 3) for a in candidate_policy.thresholds},
    }


def backtest(session: Session, site: Site, candidate: Model, active: Model, *, limit: int = DEFAULT_LIMIT,
             batch_size: int = BATCH_SIZE, progress: Callable[[int], None] | None = None) -> BacktestResult:
    """Score the site's last `limit` decided comments with both models and compare them.

    `progress` is called with the number of comments each scored batch held (both models count).
    """
    started = time.perf_counter()
    limit = max(1, min(int(limit), MAX_LIMIT))
    learnt = {role: when for role, model in (("candidate", candidate), ("active", active))
              if (when := learnt_until(model, site)) is not None}
    cutoff = max(learnt.values(), default=None)
    comments = decided_comments(session, site.id, limit, after=cutoff)
    left_out = 0 if cutoff is None else session.scalar(
        select(func.count()).select_from(Comment).where(*_replayable(site.id), Comment.decided_at <= cutoff)) or 0
    repeats = 0
    if cutoff is not None and comments:
        learnt_texts = _learnt_texts(session, site.id, cutoff)
        kept = [c for c in comments if _md5(c.text) not in learnt_texts]
        repeats, comments = len(comments) - len(kept), kept
    texts = [c.text for c in comments]
    y = np.array([c.rejected for c in comments], dtype=bool)
    if comments:
        first, last = written_bounds([c.written_at for c in comments])
        days = span_days(first, last)
    else:
        first = last = None
        days = 1.0

    outcomes: dict[str, ModelOutcome] = {}
    flags: dict[str, np.ndarray] = {}
    all_scores: dict[str, list[dict[str, float]]] = {}
    policies: dict[str, Policy] = {}
    for role, model in (("active", active), ("candidate", candidate)):
        policies[role] = policy = site_policy(site, model.attributes, model.thresholds)
        # Rounded as scoring compares and stores them (scoring._score_site): a comment held live at exactly
        # the threshold had counted as published here (a re-check).
        all_scores[role] = scores = [{k: round(float(v), 6) for k, v in found.items()} for found in
                                     score_in_batches(model, texts, batch_size=batch_size, progress=progress)]
        statuses = [decide(policy, s).status for s in scores]
        flags[role] = np.array([c.held_by_rule or status != PUBLISHED
                                for c, status in zip(comments, statuses, strict=True)], dtype=bool)
        rejected = np.array([status == REJECTED and not c.never_rejected_unseen for c, status in zip(comments, statuses, strict=True)],
                            dtype=bool)
        outcomes[role] = _outcome(model, policy, scores, y, flags[role], rejected, days)

    moves = {"published_to_held": ~flags["active"] & flags["candidate"],
             "held_to_published": flags["active"] & ~flags["candidate"]}
    difference = roc_auc_difference(y, policy_scores(active, policies["active"], all_scores["active"]),
                                    policy_scores(candidate, policies["candidate"], all_scores["candidate"]))
    examples = {
        name: [_example(comments[i], all_scores["active"][i], all_scores["candidate"][i],
                        policies["active"], policies["candidate"]) for i in np.flatnonzero(mask)[:EXAMPLES]]
        for name, mask in moves.items()
    }
    return BacktestResult(
        site=site.name, comments=len(comments), rejected=int(y.sum()), approved=int((~y).sum()), days=days,
        held_by_rules=sum(c.held_by_rule for c in comments),
        first=first.isoformat() if first else None, last=last.isoformat() if last else None,
        active=outcomes["active"], candidate=outcomes["candidate"],
        changed={name: int(mask.sum()) for name, mask in moves.items()}, examples=examples,
        seconds=time.perf_counter() - started,
        left_out=left_out, repeats_left_out=repeats,
        learnt_until=cutoff.isoformat(timespec="minutes") if cutoff else None, learnt_by=sorted(learnt),
        roc_auc_difference=difference,
        profanity_hint=backtest_hint(site, policies["candidate"], [c.held_by_rule for c in comments],
                                     all_scores["candidate"], y.tolist()),
    )
