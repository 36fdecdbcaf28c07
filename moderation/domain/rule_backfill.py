"""Rules saved today, applied to comments published before them, on an admin's word.

Rules are evaluated when a comment is scored, so a rule added for a spam wave left the wave's
comments on the page (a head of community's walk: the bit.ly spam stayed visible). From the rules
page an admin can hold those of the site's last BACKFILL_SIZE published comments that the current
rules fire on. Counted among all its last 1,000 comments, a raid's 1,000-comment flood had put its
published threats out of reach, and the page said the rules fired on none. Held, never rejected,
whatever the rule's action: a moderator confirms; comments a moderator already decided are left alone.

The page first says how many the rules fire on, by rule, with the first of them, and holds only
those it showed on the admin's word: one click had held 98 with no count first (an editor's walk).
The rules read the comments unlocked, and only those they fire on are locked, then held if nothing
changed them meanwhile: reading 5,000 under FOR UPDATE had held their locks for the minute crafted
texts took, and a reader's report on one of them waited 30 s for a 503 (a re-check).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.domain.dispatch import in_bulk_lane
from moderation.domain.lifecycle import HELD, PUBLISHED, RULES, change_status, refuse_if_deactivated
from moderation.domain.reports import open_reports_by_comment, rank
from moderation.domain.rule_facts import load_facts
from moderation.domain.rule_sets import current_rules, recent_comment_ids
from moderation.domain.rules import HOLD, REJECT, Compiled, Hit, rule_priority, status_reason
from moderation.models import Comment, Site, WebhookDelivery


BACKFILL_SIZE = 5_000
AT_ONCE = 500  # offered and held in one go; the page offers the next after
# Rules about when a comment came, not what it says: a new-author rule judged each published
# comment as of its arrival, when every reader was new, and held 93 civil comments of 55 regular
# readers (an editor's walk); those readers then counted as new again.
ARRIVAL_ONLY = frozenset({"new_author", "first_link"})  # first_link too: a regular's first comment (a re-check)


@dataclass
class Matches:
    """What the saved rules would hold among the site's last published comments."""

    comments: list[tuple[Comment, list[Hit]]] = field(default_factory=list)  # the first AT_ONCE, oldest first
    by_rule: Counter[str] = field(default_factory=Counter)  # every match's holding rules, counted
    total: int = 0
    left_out: list[str] = field(default_factory=list)  # rules not applied to published comments

    @property
    def more(self) -> bool:
        return self.total > len(self.comments)


def published_matches(session: Session, site: Site, *, limit: int = BACKFILL_SIZE) -> Matches:
    """Those of the site's last `limit` published comments that its rules hold or reject now, read
    unlocked: what the rules page offers to hold."""
    refuse_if_deactivated(site, "hold its comments")
    rules = current_rules(session, site.id)
    found = Matches(left_out=[r["name"] for r in rules if r["kind"] in ARRIVAL_ONLY])
    rules = [r for r in rules if r["kind"] not in ARRIVAL_ONLY]
    if not rules:
        return found
    recent = recent_comment_ids(site.id, limit, status=PUBLISHED)
    comments = list(session.scalars(select(Comment).where(Comment.id.in_(recent), Comment.status == PUBLISHED)
                                    .order_by(Comment.id)))
    compiled = Compiled(rules)
    facts = load_facts(session, comments, rules)
    for comment in comments:
        hits = [h for h in compiled.evaluate(comment.text or "", facts[comment.id]) if h.action in (HOLD, REJECT)]
        if hits:
            found.total += 1
            found.by_rule.update({h.rule for h in hits})
            if len(found.comments) < AT_ONCE:
                found.comments.append((comment, hits))
    return found


def hold_published_matches(session: Session, site: Site, *, actor: str, shown: Collection[int] | None = None,
                           limit: int = BACKFILL_SIZE) -> list[WebhookDelivery | None]:
    """Hold those of the `shown` comments (the ones the page offered; None: the first AT_ONCE) that
    the rules still hold or reject, among the site's last `limit` published; returns their events
    (the caller commits, then sends). Each keeps the hits that held it."""
    wanted = None if shown is None else set(shown)
    fired = {comment.id: (comment.version, hits) for comment, hits in published_matches(session, site, limit=limit).comments
             if wanted is None or comment.id in wanted}
    if not fired:
        return []
    # Read again under the lock: a comment a report held or a reader edited meanwhile is left alone.
    locked = session.scalars(select(Comment).where(Comment.id.in_(list(fired)), Comment.status == PUBLISHED)
                             .order_by(Comment.id).with_for_update(of=Comment).execution_options(populate_existing=True))
    locked = list(locked)
    # The rules' floor goes under the reports' share and lift, as when scoring (reports.rank): over
    # them, it had swallowed both, and dismissing the reports then took the comment below the floor.
    open_now = open_reports_by_comment(session, locked)
    deliveries = []
    for comment in locked:
        version, hits = fired[comment.id]
        if comment.version != version:
            continue
        comment.rule_hits = [h.as_json() for h in hits]
        comment.scored_priority = rule_priority(comment.scored_priority or 0.0, hits)
        rank(session, comment, open_now.get(comment.id, []), site.report_threshold)
        deliveries.append(change_status(session, comment, HELD, actor=actor, by=RULES,
                                        reason=status_reason([], hits), rules_saved_after=True))
    return in_bulk_lane(deliveries)
