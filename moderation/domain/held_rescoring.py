"""Held comments scored again by the version in force for their site, on an admin's word.

A comment is scored once, when it arrives, so after a promotion the review queue kept the old
version's scores, flags, highlights and order, and the thresholds page could not offer any of them
for publishing: their scores were another version's (a data scientist's walk: a version better on the
site's own house rules, and moderators still worked hundreds the new one would publish, in the old
one's order). From the thresholds page (or `moderation models rescore-held`) an admin has the site's
held comments that the model alone holds scored again by the version in force.

Only comments the model alone holds: every flag one of the version's attributes (as
threshold_release.releasable reads them), no rule holding them, no open report, no moderator's claim.
They stay held whatever the new scores say: this publishes and rejects nothing and tells the site
nothing (their status and visibility are the same). Their scores, version, flags, highlights and queue
priority become the version's; one the version would publish keeps the flags it waits under, so the
thresholds page's release section counts it among those the thresholds in force would publish, and the
admin publishes them there. Rules, sanctions and storms are not applied here: the release reads them
afresh before it publishes anything, and a comment any of them holds stays held.

Read unlocked, then batch by batch locked (SKIP LOCKED) and read again, as release_held does: a
comment decided, edited, reported or claimed meanwhile, or still scored by another run, is left as it
is. Each batch commits, so a moderator's action on one waits for one batch at most.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from moderation.domain.claims import live_claims
from moderation.domain.lifecycle import AUTO_REJECTED, HELD, PUBLISHED, REJECTED, audit, now, refuse_if_deactivated
from moderation.domain.model_contract import Model
from moderation.domain.policy import Policy, decide, near_misses, site_policy
from moderation.domain.reports import rank
from moderation.domain.rules import HOLD, REJECT
from moderation.domain.scoring import explain_held
from moderation.domain.stories import story_policy, story_settings
from moderation.domain.threshold_release import RELEASE_SIZE
from moderation.models import Comment, Report, ReviewClaim, Site

# As many as the release section reads: what one run scores, newest first; the rest wait for the next run.
RESCORE_SIZE = RELEASE_SIZE
# Rows locked at once: a moderator's decision on one of them waits for this many to be scored at most.
BATCH_SIZE = 200
AUDIT_ACTION = "model:held_rescored"


@dataclass
class Rescorable:
    """The site's held comments the model alone holds, scored by a version other than `version`."""
    versions: dict[int, int] = field(default_factory=dict)  # comment id -> its row version as read, newest first
    by_version: dict[str, int] = field(default_factory=dict)  # those, by the version that scored them
    total: int = 0  # all of them: total - len(versions) wait for another run

    @property
    def more(self) -> int:
        return self.total - len(self.versions)


@dataclass
class Rescored:
    """What a run did, for its audit entry, the page and the command."""
    version: str
    from_versions: dict[str, int] = field(default_factory=dict)  # scored again, by the version that had scored them
    rescored: int = 0
    would_publish: int = 0  # the thresholds in force publish them on the new scores: the release section offers them
    held: int = 0  # the new version holds them too, for its own flags
    would_reject: int = 0  # the site's auto-reject would reject them on the new scores: held for a moderator
    left: int = 0  # decided, edited, reported or claimed meanwhile (or being scored by another run): untouched
    more: int = 0  # over RESCORE_SIZE: for another run

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _model_alone_holds(attributes: Sequence[str]):
    """SQL: flagged only for the version's attributes (at least one), no rule holding it, no open report."""
    return and_(
        Comment.flagged.contained_by(type_coerce(list(attributes), JSONB)),
        Comment.flagged != type_coerce([], JSONB),
        or_(Comment.rule_hits.is_(None),
            and_(~Comment.rule_hits.contains([{"action": HOLD}]), ~Comment.rule_hits.contains([{"action": REJECT}]))),
        ~exists().where(Report.comment_id == Comment.id, Report.outcome.is_(None)),
        Comment.text_erased_at.is_(None),  # no text left to score
    )


def rescorable(session: Session, site: Site, version: str, attributes: Sequence[str], *,
               limit: int = RESCORE_SIZE) -> Rescorable:
    """Read unlocked: the site's held comments the model alone holds, scored by another version and
    claimed by no moderator, the newest `limit` of them."""
    # Counted and cut in SQL: the thresholds page reads this on every view, and a queue of tens of
    # thousands another version scored is no reason to load them all.
    claimed = exists().where(ReviewClaim.comment_id == Comment.id, ReviewClaim.expires_at > now())
    rows = session.execute(
        select(Comment.id, Comment.version, Comment.model_version, func.count().over().label("total"))
        .where(Comment.site_id == site.id, Comment.status == HELD, Comment.model_version.is_distinct_from(version),
               _model_alone_holds(attributes), ~claimed)
        .order_by(Comment.received_at.desc(), Comment.id.desc()).limit(limit)).all()
    found = Rescorable(total=rows[0].total if rows else 0)
    for row in rows:
        found.versions[row.id] = row.version
        scored_by = row.model_version or "no version"
        found.by_version[scored_by] = found.by_version.get(scored_by, 0) + 1
    return found


def rescore_held(session: Session, site: Site, model: Model, *, actor: str, limit: int = RESCORE_SIZE,
                 batch_size: int = BATCH_SIZE, progress: Callable[[int, int], object] | None = None) -> Rescored:
    """Score `rescorable`'s comments again with `model` (the version in force for the site), batch by
    batch, each committed; then one audit entry with the counts and the versions, committed too.
    `progress(done, total)` after each batch."""
    refuse_if_deactivated(site, "score its held comments again")
    attributes = list(model.attributes)
    found = rescorable(session, site, model.version, attributes, limit=limit)
    result = Rescored(version=model.version, more=found.more)
    policy = site_policy(site, attributes, model.thresholds)
    from_versions: Counter[str] = Counter()
    ids = list(found.versions)
    for start in range(0, len(ids), batch_size):
        chunk = ids[start:start + batch_size]
        locked = session.scalars(
            select(Comment).where(Comment.id.in_(chunk), Comment.status == HELD,
                                  Comment.model_version.is_distinct_from(model.version), _model_alone_holds(attributes))
            .order_by(Comment.id).with_for_update(of=Comment, skip_locked=True)
            .execution_options(populate_existing=True)).all()
        # Read again under the lock: a status change (decision, edit) bumps the version; a claim does not.
        claimed = live_claims(session, [c.id for c in locked], at=now())
        still = [c for c in locked if c.version == found.versions[c.id] and c.id not in claimed]
        result.left += len(chunk) - len(still)
        if still:
            from_versions.update(c.model_version or "no version" for c in still)
            _score_again(session, site, policy, model, still, result)
        session.commit()
        if progress is not None:
            progress(min(start + batch_size, len(ids)), len(ids))
    result.from_versions = dict(from_versions)
    audit(session, actor, AUDIT_ACTION, site=site.name, site_id=site.id, **result.as_dict())
    session.commit()
    return result


def _score_again(session: Session, site: Site, policy: Policy, model: Model, comments: list[Comment],
                 result: Rescored) -> None:
    """The scoring path's model part (scoring._score_site): scores as stored, the verdict at the
    site's (or a strict story's) thresholds, its flags, highlights and priority; the status stays."""
    scored_at = now()
    stories = story_settings(session, site.id, (c.story_id for c in comments))
    for comment, raw in zip(comments, model.score([c.text for c in comments]), strict=True):
        scores = {k: round(float(v), 6) for k, v in raw.items() if k in model.attributes}
        if not all(map(math.isfinite, scores.values())):
            raise ValueError(f"the model gave {scores} for comment {comment.id}")
        routing = story_policy(policy, stories.get(comment.story_id))
        verdict = decide(routing, scores)
        if verdict.status == PUBLISHED:
            # The flags it waits under, which the release section reads: it offers it on these scores.
            flags = list(comment.flagged or ())
            result.would_publish += 1
        elif verdict.status == REJECTED:
            # Not rejected unseen by an admin's re-score: held, first in the queue, for a moderator.
            flags = [f for f in verdict.flagged if f != AUTO_REJECTED] or list(comment.flagged or ())
            result.would_reject += 1
        else:
            flags = verdict.flagged
            result.held += 1
        comment.scores, comment.model_version, comment.scored_at = scores, model.version, scored_at
        comment.flagged = flags
        comment.scored_priority = verdict.priority
        rank(session, comment, [], routing.report_threshold)  # no open report: its scores alone rank it
        comment.explanations = explain_held(model, comment.text, flags, near_misses(routing, scores))
        result.rescored += 1
