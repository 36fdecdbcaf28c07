"""Held comments scored again by the version in force for their site, and those it would publish
published, on an admin's word.

A comment is scored once, when it arrives, so after a promotion the review queue kept the old
version's scores, and the thresholds page could not offer any of them for publishing: their scores
were another version's (a data scientist's walk: a version better on the site's house rules, and
moderators still worked hundreds the new one would publish). From the thresholds page (or
`moderation models rescore-held`) an admin has the site's held comments that the model alone holds
scored again by the version in force, and then publishes those it would publish.

The run (`score_held`) STORES NOTHING on the comments: what it found is kept with the job
(rescore_jobs.py, in Redis) for the page to offer. It had stored the new version's scores, version,
highlights and priority on every comment it read, and a re-check found that storing was the root of
most of its problems: a card showed the new scores beside the old version's reasons and highlights,
the API and the DSA record said the new version flagged what it scores under every threshold, the
version-effect page and the drift check counted thousands of old held comments as "scored today" by
the new version (a flagged share 10 % -> 55 %, a drift warning), and most of those it said the release
would publish were out of its reach. So a comment the new version still holds keeps the old version's
scores and place in the queue, for a moderator; one it would publish is changed only when published
(`publish_scored`), scored again then and read again as release_held reads its comments.

Only comments the model alone holds: every flag one of the version's attributes (as
threshold_release.releasable reads them), no rule holding them, no open report, no moderator's claim.
"""
from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import BigInteger, all_, and_, cast, exists, func, or_, select, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Session

from classifiers.attributes import ATTRIBUTES
from moderation.domain.claims import live_claims
from moderation.domain.errors import Conflict
from moderation.domain.lifecycle import AUTO_REJECTED, HELD, PUBLISHED, REJECTED, audit, now, refuse_if_deactivated
from moderation.domain.model_contract import Model
from moderation.domain.policy import Policy, decide, site_policy
from moderation.domain.reports import rank
from moderation.domain.rules import HOLD, REJECT
from moderation.domain.stories import story_policy, story_settings
from moderation.domain.threshold_release import AT_ONCE, RELEASE_SIZE, publish_locked
from moderation.models import Comment, Report, ReviewClaim, Site, WebhookDelivery

log = logging.getLogger(__name__)

# What one run scores, newest first; the rest wait for the next run.
RESCORE_SIZE = RELEASE_SIZE
# Comments scored at once: the model's batch, and how often the page's progress moves.
BATCH_SIZE = 200
AUDIT_ACTION = "model:held_rescored"
PUBLISH_AUDIT_REASON = "the thresholds in force publish it on {version}'s scores (scored again; {old} had held it)"
WOULD_PUBLISH, STILL_HELD, WOULD_REJECT, FAILED = "publish", "held", "reject", "failed"


@dataclass
class Rescorable:
    """The site's held comments the model alone holds, scored by a version other than `version`."""
    versions: dict[int, int] = field(default_factory=dict)  # comment id -> its row version as read, newest first
    by_version: dict[str, int] = field(default_factory=dict)  # those, by the version that scored them
    total: int = 0  # all of them: total - len(versions) wait for another run
    # Held by another version's flags for an attribute `version` does not score (a version with fewer
    # heads): left out of the run, and said on the page (they had been mentioned nowhere).
    dropped: dict[str, int] = field(default_factory=dict)

    @property
    def more(self) -> int:
        return self.total - len(self.versions)


@dataclass
class Scored:
    """What a run found, for its audit entry, the page and the command. Nothing of it is on the comments."""
    version: str
    from_versions: dict[str, int] = field(default_factory=dict)  # scored again, by the version that had scored them
    scored: int = 0
    would_publish: int = 0  # the thresholds in force publish them on the new scores: offered by the page
    held: int = 0  # the new version holds them too: they keep the old version's scores, for a moderator
    would_reject: int = 0  # the site's auto-reject would reject them on the new scores: held, for a moderator
    failed: int = 0  # the model gave no usable score (an error, NaN): skipped, counted
    left: int = 0  # decided, edited, reported or claimed between the count and the read: not scored
    more: int = 0  # over RESCORE_SIZE: for another run
    stopped: str | None = None  # why the run ended before its last comment, if it did
    # Per comment: [id, its `version` counter when read, outcome, new scores]; kept with the job, not audited.
    comments: list[list[Any]] = field(default_factory=list)

    def counts(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "comments"}

    def to_publish(self) -> dict[int, int]:
        """Comment id -> its `version` counter when read, for those the version would publish, newest first."""
        return {entry[0]: entry[1] for entry in self.comments if entry[2] == WOULD_PUBLISH}


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


def model_alone_holds(comment: Comment, attributes: Collection[str], version: str) -> bool:
    """`_model_alone_holds` and "another version's", read in Python on a locked row (open reports and
    claims are release's `_nothing_else_holds`'s)."""
    flags = list(comment.flagged or ())
    ruled = any(isinstance(hit, dict) and hit.get("action") in (HOLD, REJECT) for hit in comment.rule_hits or ())
    return (bool(flags) and set(flags) <= set(attributes) and not ruled and comment.text_erased_at is None
            and comment.model_version != version)


def rescorable(session: Session, site: Site, version: str, attributes: Sequence[str], *,
               limit: int = RESCORE_SIZE, scored: Collection[int] = ()) -> Rescorable:
    """Read unlocked: the site's held comments the model alone holds, scored by another version and
    claimed by no moderator, less those `scored` (by this version's earlier runs: nothing of those
    is on the comments), the newest `limit` of them."""
    # Counted and cut in SQL: the thresholds page reads this on every view, and a queue of tens of
    # thousands another version scored is no reason to load them all.
    claimed = exists().where(ReviewClaim.comment_id == Comment.id, ReviewClaim.expires_at > now())
    held_elsewhere = and_(Comment.site_id == site.id, Comment.status == HELD,
                          Comment.model_version.is_distinct_from(version))
    rows = session.execute(
        select(Comment.id, Comment.version, Comment.model_version, func.count().over().label("total"))
        .where(held_elsewhere, _model_alone_holds(attributes), ~claimed,
               *([Comment.id != all_(cast(list(scored), ARRAY(BigInteger)))] if scored else []))
        .order_by(Comment.received_at.desc(), Comment.id.desc()).limit(limit)).all()
    found = Rescorable(total=rows[0].total if rows else 0)
    for row in rows:
        found.versions[row.id] = row.version
        scored_by = row.model_version or "no version"
        found.by_version[scored_by] = found.by_version.get(scored_by, 0) + 1
    dropped = [a for a in ATTRIBUTES if a not in attributes]
    if dropped:
        counts = session.execute(select(*(func.count().filter(Comment.flagged.contains([a])) for a in dropped))
                                 .where(held_elsewhere)).one()
        found.dropped = {a: n for a, n in zip(dropped, counts, strict=True) if n}
    return found


def _new_scores(model: Model, texts: list[str]) -> list[dict[str, float] | None]:
    """The version's scores for each text, as scoring stores them; None for a text it fails on (an
    error, NaN): scored one by one when the batch fails, so one such comment is skipped alone. One
    had failed every run, for good (a re-check)."""
    try:
        raw = list(model.score(texts))
    except Exception:
        if len(texts) == 1:
            log.warning("the model failed on a held comment; skipped", exc_info=True)
            return [None]
        return [s for text in texts for s in _new_scores(model, [text])]
    out: list[dict[str, float] | None] = []
    for values in raw:
        try:
            scores = {k: round(float(v), 6) for k, v in values.items() if k in model.attributes}
        except (TypeError, ValueError):
            scores = {}
        out.append(scores if scores and all(map(math.isfinite, scores.values())) else None)
    return out


def outcome(policy: Policy, scores: Mapping[str, float]) -> str:
    verdict = decide(policy, scores)
    if verdict.status == PUBLISHED:
        return WOULD_PUBLISH
    return WOULD_REJECT if verdict.status == REJECTED or AUTO_REJECTED in verdict.flagged else STILL_HELD


def score_held(session: Session, site: Site, model: Model, *, actor: str, limit: int = RESCORE_SIZE,
               batch_size: int = BATCH_SIZE, scored: Collection[int] = (),
               progress: Callable[[int, int, Scored], object] | None = None) -> Scored:
    """Score `rescorable`'s comments again with `model` (the version in force for the site), batch by
    batch, and count what its thresholds (a strict story's for its comments) would do. Nothing is
    written to the comments; one audit entry with the counts and versions is, also when the run stops
    part way (an error, Ctrl-C, a superseding run: `progress` may raise), saying where it stopped.
    `scored`: ids this version's earlier runs scored, left out, so a second run reads the next ones.
    `progress(done, total, result_so_far)` after each batch."""
    refuse_if_deactivated(site, "score its held comments again")
    attributes = list(model.attributes)
    found = rescorable(session, site, model.version, attributes, limit=limit, scored=scored)
    session.rollback()  # a read: no transaction held open while the model scores
    result = Scored(version=model.version, more=found.more)
    policy = site_policy(site, attributes, model.thresholds)
    from_versions: Counter[str] = Counter()
    ids = list(found.versions)
    place = {cid: i for i, cid in enumerate(ids)}  # newest first, as read
    try:
        for start in range(0, len(ids), batch_size):
            chunk = ids[start:start + batch_size]
            rows = session.scalars(
                select(Comment).where(Comment.id.in_(chunk), Comment.status == HELD,
                                      Comment.model_version.is_distinct_from(model.version),
                                      _model_alone_holds(attributes))
                .execution_options(populate_existing=True)).all()
            claimed = live_claims(session, [c.id for c in rows], at=now())
            still = sorted((c for c in rows if c.version == found.versions[c.id] and c.id not in claimed),
                           key=lambda c: place[c.id])
            result.left += len(chunk) - len(still)
            stories = story_settings(session, site.id, (c.story_id for c in still))
            # Read before the rollback below expires the rows: (id, counter, the thresholds it is read at, ...).
            texts = [(c.id, c.version, story_policy(policy, stories.get(c.story_id)), c.model_version, c.text)
                     for c in still]
            session.rollback()  # nothing to write: no transaction open while the model scores
            for (cid, row_version, routing, scored_by, _), scores in zip(
                    texts, _new_scores(model, [t[4] for t in texts]), strict=True):
                if scores is None:
                    result.failed += 1
                    result.comments.append([cid, row_version, FAILED, None])
                    continue
                what = outcome(routing, scores)
                result.comments.append([cid, row_version, what, scores])
                from_versions[scored_by or "no version"] += 1
                result.scored += 1
                result.would_publish += what == WOULD_PUBLISH
                result.held += what == STILL_HELD
                result.would_reject += what == WOULD_REJECT
            if progress is not None:
                progress(min(start + batch_size, len(ids)), len(ids), result)
    except BaseException as error:  # Ctrl-C too: what was scored is still said
        session.rollback()
        result.stopped = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        result.more += len(ids) - result.scored - result.failed - result.left
        raise
    finally:
        result.from_versions = dict(from_versions)
        audit(session, actor, AUDIT_ACTION, site=site.name, site_id=site.id, **result.counts())
        session.commit()
    return result


def publish_scored(session: Session, site: Site, model: Model, to_publish: Mapping[int, int], *, run_version: str,
                   actor: str, shown: Collection[int] | None = None, at_once: int = AT_ONCE
                   ) -> list[WebhookDelivery | None]:
    """Publish those of a run's `to_publish` (id -> `version` counter when scored) the admin was `shown`
    (None: all), at most `at_once`: each scored again now by `model`, which must still be the run's
    version, and published only if, under its row lock, it is still held at the same `version` counter,
    the model alone holds it (another version's flags), no moderator has it open, no report is open,
    and the thresholds, rules, story, sanction and storm publish it on the new scores, as release_held
    reads them. Only then are the new scores, version and highlights stored on it. Returns the events
    (the caller commits, then sends)."""
    refuse_if_deactivated(site, "publish its held comments")
    if model.version != run_version:
        raise Conflict(f"the version in force for {site.name} is now {model.version}, not {run_version}, "
                       "which scored these: score them again", field="version")
    attributes = list(model.attributes)
    wanted = {cid: v for cid, v in to_publish.items() if shown is None or cid in shown}
    wanted = dict(list(wanted.items())[:at_once])
    if not wanted:
        return []
    # Read unlocked and scored before any lock: a moderator's decision must not wait for the model.
    rows = [c for c in session.scalars(select(Comment).where(Comment.id.in_(list(wanted)), Comment.status == HELD))
            if c.version == wanted[c.id] and model_alone_holds(c, attributes, model.version)]
    scores = {c.id: s for c, s in zip(rows, _new_scores(model, [c.text for c in rows]), strict=True) if s is not None}
    policy = site_policy(site, attributes, model.thresholds)
    scored_at = now()

    def store_new_scores(comment: Comment, applied: Policy) -> dict[str, Any]:
        old = comment.model_version or "no version"
        comment.scores, comment.model_version, comment.scored_at = scores[comment.id], model.version, scored_at
        comment.scored_priority = decide(applied, scores[comment.id]).priority
        rank(session, comment, [], applied.report_threshold)  # no open report: its scores alone rank it
        comment.explanations = None  # published: the old version's highlights explained a hold it no longer has
        return {"reason": PUBLISH_AUDIT_REASON.format(version=model.version, old=old), "held_by_version": old}

    return publish_locked(session, site, policy, {cid: wanted[cid] for cid in scores}, version=model.version,
                          actor=actor, scores=scores,
                          eligible=lambda c: model_alone_holds(c, attributes, model.version),
                          before_publish=store_new_scores)
