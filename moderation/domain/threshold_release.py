"""Held comments that the site's thresholds in force now would publish, published on an admin's word.

A threshold is read when a comment is scored, so an admin who lowered one for an hour and raised it
again left that hour's comments in the queue (an admin's walk: retraining, tuning, promoting), each
waiting for a moderator to approve what the site no longer holds. From the thresholds page an admin
sees how many of the site's last RELEASE_SIZE held comments would be published now, and publishes them.

Only a comment the model alone holds is released: every flag it carries is one of the model's
attributes (no reports, rule, sanction, storm, edit after a decision, reader at risk), it was scored
by the version scoring for the site now (another version's scores do not meet these thresholds), no
moderator has it open, no report is open on it, and scoring it today would publish it: the site's
rules and story settings, its author's sanction, ban evasion (a banned author's rejected text under
another id) and a storm on its story are read as scoring reads them.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.domain.ban_evasion import evasion_hits
from moderation.domain.dispatch import in_bulk_lane
from moderation.domain.claims import live_claims
from moderation.domain.legal_holds import under_hold
from moderation.domain.lifecycle import HELD, PUBLISHED, THRESHOLDS, change_status, now, refuse_if_deactivated
from moderation.domain.policy import Policy, decide, site_policy
from moderation.domain.reports import open_reports_by_comment
from moderation.domain.routing import route
from moderation.domain.rule_facts import load_facts
from moderation.domain.rule_sets import current_rules
from moderation.domain.rules import Compiled
from moderation.domain.sanctions import sanctions_in_force
from moderation.domain.stories import SITE_HOLD, STORY_HOLD, story_hit, story_policy, story_settings
from moderation.domain.storms import active_storms
from moderation.models import Comment, Site, WebhookDelivery

RELEASE_SIZE = 5_000
# Of those the scores alone would publish, the most read further (rules, sanctions...) and offered at
# once: the page took 3-5 s with 5,000 of them to read (a re-check). The next ones come after these.
AT_ONCE = 500


@dataclass
class Releasable:
    """What the thresholds in force would publish among the site's last RELEASE_SIZE held comments."""
    comments: list[Comment] = field(default_factory=list)
    looked_at: int = 0
    other_version: int = 0  # held by the model on another version's scores: left for a moderator
    other_versions: dict[str, int] = field(default_factory=dict)  # those, by the version that scored them
    more: bool = False  # more than AT_ONCE would be published by their scores: offered after these
    thresholds: dict[str, float] = field(default_factory=dict)  # the ones in force, read


def releasable(session: Session, site: Site, version: str | None, attributes: Iterable[str],
               model_thresholds: Mapping[str, float], *, limit: int = RELEASE_SIZE) -> Releasable:
    """The held comments the site's thresholds over `version`'s would publish now."""
    policy = site_policy(site, attributes, model_thresholds)
    reliable = set(attributes)
    rows = session.execute(select(Comment.id, Comment.flagged, Comment.model_version, Comment.scores)
                           .where(Comment.site_id == site.id, Comment.status == HELD)
                           .order_by(Comment.received_at.desc(), Comment.id.desc()).limit(limit)).all()
    found = Releasable(looked_at=len(rows), thresholds=dict(policy.thresholds))
    by_model = []
    for row in rows:
        if not flagged_by_model_alone(row.flagged, reliable):
            continue
        if row.model_version != version:
            found.other_version += 1
            scored_by = row.model_version or "no version"
            found.other_versions[scored_by] = found.other_versions.get(scored_by, 0) + 1
        elif decide(policy, row.scores or {}).status == PUBLISHED:
            by_model.append(row.id)
    found.more = len(by_model) > AT_ONCE
    by_model = by_model[:AT_ONCE]
    if by_model:
        comments = list(session.scalars(select(Comment).where(Comment.id.in_(by_model)).order_by(Comment.id)))
        found.comments = nothing_else_holds(session, site, policy, comments)
    return found


_FOR_A_PERSON = (STORY_HOLD.rule, SITE_HOLD.rule)


def flagged_by_model_alone(flagged: Collection[str] | None, attributes: Collection[str]) -> bool:
    """Held on the model's flags only: none of reports, a rule, a sanction, a storm, an edit after a
    decision, a reader at risk, or a moderator sending it to review."""
    return bool(flagged) and set(flagged) <= set(attributes)


def nothing_else_holds(session: Session, site: Site, policy: Policy, comments: list[Comment],
                       scores: Mapping[int, Mapping[str, float]] | None = None) -> list[Comment]:
    """Those of `comments` that the router (routing.route, as scoring calls it) would publish now on
    their scores, or on `scores[comment id]` where given: another version's, not yet the comment's."""
    claimed = live_claims(session, [c.id for c in comments], at=now())
    kept_as_evidence = set(session.scalars(select(Comment.id).where(Comment.id.in_([c.id for c in comments]),
                                                                    under_hold())))
    reported = open_reports_by_comment(session, comments)
    rules = current_rules(session, site.id)
    compiled = Compiled(rules)
    facts = load_facts(session, comments, rules) if rules else {}
    stories = story_settings(session, site.id, (c.story_id for c in comments))
    stormy = {storm.story_id for storm in active_storms(session, {site.id}, limit=10_000)}
    sanctions = sanctions_in_force(session, comments, now())
    # A banned author's rejected text under another id, as scoring reads it (scoring.evasion_hits): a
    # copy held by the old version's scores was published by the rescore's release (a re-check).
    evasions = evasion_hits(session, comments, now())
    kept = []
    for comment in comments:
        # Kept as evidence under a legal hold: counsel decides what is shown of it, not a threshold.
        if comment.id in claimed or comment.id in reported or comment.story_id in stormy or comment.id in kept_as_evidence:
            continue
        # Held for a person by its story or its site when scored, it waits for one though either has
        # changed since: a site switched from hold-all back to pre-moderation had its held comments
        # published by this page, which said the model alone held them (a re-check).
        if any(hit.get("rule") in _FOR_A_PERSON for hit in comment.rule_hits or () if isinstance(hit, dict)):
            continue
        hits = compiled.evaluate(comment.text or "", facts[comment.id]) if rules else []
        story = story_hit(stories.get(comment.story_id), site)
        if story is not None:
            hits.append(story)
        if comment.id in evasions:
            hits.append(evasions[comment.id])
        read = scores.get(comment.id) if scores is not None else comment.scores
        verdict, _ = route(decide(story_policy(policy, stories.get(comment.story_id)), read or {}), hits,
                           sanctions.get((site.id, comment.author_id)))
        if verdict.status == PUBLISHED:
            kept.append(comment)
    return kept


def release_held(session: Session, site: Site, version: str | None, attributes: Iterable[str],
                 model_thresholds: Mapping[str, float], *, actor: str,
                 shown: Collection[int] | None = None) -> list[WebhookDelivery | None]:
    """Publish what `releasable` finds, of those the admin was `shown` (None: all), each audited with
    the thresholds that let it through; returns their events (the caller commits, then sends). The
    page's count is what is published at most: recomputed, "Publish these 3" had published 5."""
    refuse_if_deactivated(site, "publish its held comments")
    attributes = list(attributes)
    found = {c.id: c.version for c in releasable(session, site, version, attributes, model_thresholds).comments
             if shown is None or c.id in shown}
    if not found:
        return []
    # Read unlocked, then only these locked and read again: a decision, an edit, a report, a claim,
    # a ban, a storm or a rule meanwhile leaves a comment held (rule_backfill's reason: a report must
    # not wait for the whole read; a re-check banned an author while it ran, and both were published).
    locked = list(session.scalars(select(Comment).where(Comment.id.in_(list(found)), Comment.status == HELD)
                                  .order_by(Comment.id).with_for_update(of=Comment)
                                  .execution_options(populate_existing=True)))
    policy = site_policy(site, attributes, model_thresholds)
    still = {c.id for c in nothing_else_holds(session, site, policy, [c for c in locked
                                                                      if c.version == found[c.id]])}
    stories = story_settings(session, site.id, (c.story_id for c in locked))
    deliveries = []
    for comment in locked:
        if comment.id not in still:
            continue
        comment.flagged = []
        # The thresholds it was read by: a strict story's, not the site's (a re-check's audit named the site's).
        applied = story_policy(policy, stories.get(comment.story_id)).thresholds
        deliveries.append(change_status(session, comment, PUBLISHED, actor=actor, by=THRESHOLDS,
                                        reason="the thresholds in force publish it",
                                        thresholds=dict(applied), model_version=version))
    return in_bulk_lane(deliveries)
