"""Rules saved today, applied to comments published before them, on an admin's word.

Rules are evaluated when a comment is scored, so a rule added for a spam wave left the wave's
comments on the page (a head of community's walk: the bit.ly spam stayed visible). From the rules
page an admin can hold those of the site's last BACKFILL_SIZE published comments that the current
rules fire on. Counted among all its last 1,000 comments, a raid's 1,000-comment flood had put its
published threats out of reach, and the page said the rules fired on none. Held, never rejected,
whatever the rule's action: a moderator confirms; comments a moderator already decided are left alone.

The rules read the comments unlocked, and only those they fire on are locked, then held if nothing
changed them meanwhile: reading 5,000 under FOR UPDATE had held their locks for the minute crafted
texts took, and a reader's report on one of them waited 30 s for a 503 (a re-check).
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.domain.lifecycle import HELD, PUBLISHED, RULES, change_status, refuse_if_deactivated
from moderation.domain.reports import open_reports_by_comment, rank
from moderation.domain.rule_facts import load_facts
from moderation.domain.rule_sets import current_rules, recent_comment_ids
from moderation.domain.rules import HOLD, REJECT, Compiled, rule_priority, status_reason
from moderation.models import Comment, Site, WebhookDelivery


BACKFILL_SIZE = 5_000


def hold_published_matches(session: Session, site: Site, *, actor: str,
                           limit: int = BACKFILL_SIZE) -> list[WebhookDelivery | None]:
    """Hold those of the site's last `limit` published comments that its rules hold or reject now;
    returns their events (the caller commits, then sends). Each keeps the hits that held it."""
    refuse_if_deactivated(site, "hold its comments")
    rules = current_rules(session, site.id)
    if not rules:
        return []
    recent = recent_comment_ids(site.id, limit, status=PUBLISHED)
    comments = list(session.scalars(select(Comment).where(Comment.id.in_(recent), Comment.status == PUBLISHED)
                                    .order_by(Comment.id)))
    compiled = Compiled(rules)
    facts = load_facts(session, comments, rules)
    fired = {}
    for comment in comments:
        hits = [h for h in compiled.evaluate(comment.text or "", facts[comment.id]) if h.action in (HOLD, REJECT)]
        if hits:
            fired[comment.id] = (comment.version, hits)
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
    return deliveries
