"""What the team decided over a period, for the head of community and the editor who asks "how many
did we reject this week, and why?": decisions by moderators and by rules and the model, rejections
by the guideline reason chosen, and each moderator's share with the decisions an admin reversed.
A head of community's walk could answer none of it without SQL: the tabs show no decider, the
audit log has no counts, and /metrics no reasons.

Counts are of decisions standing now, by when they were made; one undone since is not counted (its
moderator took it back), one an admin reversed is counted against its moderator under "reversed".
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation.domain.lifecycle import APPROVED, DECIDED, REJECTED
from moderation.domain.reason_labels import GUIDELINE_REASONS
from moderation.domain.undo import REVERSE_ACTION, UNDO_ACTION
from moderation.models import AuditEntry, Comment, User

OWN_WORDS = "other (the moderator's own words)"


@dataclass(frozen=True)
class ModeratorRow:
    username: str
    approved: int
    rejected: int
    undone: int  # taken back by the moderator, within the undo window
    reversed: int  # by an admin

    @property
    def decided(self) -> int:
        return self.approved + self.rejected


@dataclass(frozen=True)
class DecisionReport:
    since: datetime
    until: datetime
    approved: int  # by moderators
    rejected: int  # by moderators
    rejected_automatically: int  # by the policy's auto-reject, a sanction or a rule, when scored
    reasons: list[tuple[str, int]]  # moderators' rejections by guideline reason, most first
    moderators: list[ModeratorRow]  # most decisions first


def guideline_of(reason: str | None) -> str:
    """The guideline reason a rejection's reason starts with, or OWN_WORDS."""
    choice = (reason or "").split(":", 1)[0].strip()
    return choice if choice in GUIDELINE_REASONS else OWN_WORDS


def decision_report(session: Session, *, since: datetime, until: datetime,
                    site_ids: Collection[int] | None = None) -> DecisionReport:
    """The report for [since, until), of every site or of `site_ids`."""
    def of_sites(query, column):
        return query.where(column.in_(list(site_ids))) if site_ids is not None else query

    in_period = (Comment.decided_at >= since, Comment.decided_at < until)
    rows = session.execute(of_sites(
        select(User.username, Comment.decision, Comment.decision_reason)
        .join(User, User.id == Comment.decided_by).where(*in_period, Comment.decision.in_(DECIDED)),
        Comment.site_id)).all()
    decided: Counter[tuple[str, str]] = Counter((name, decision) for name, decision, _ in rows)
    reasons = Counter(guideline_of(reason) for _, decision, reason in rows if decision == REJECTED)
    automatic = session.scalar(of_sites(
        select(func.count()).select_from(Comment).where(
            Comment.status == REJECTED, Comment.decision.is_(None),
            Comment.status_changed_at >= since, Comment.status_changed_at < until),
        Comment.site_id)) or 0
    taken_back: Counter[tuple[str, str]] = Counter()
    entries = session.execute(of_sites(
        select(AuditEntry.action, AuditEntry.details).join(Comment, Comment.id == AuditEntry.comment_id)
        .where(AuditEntry.action.in_((UNDO_ACTION, REVERSE_ACTION)), AuditEntry.at >= since, AuditEntry.at < until),
        Comment.site_id)).all()
    for action, details in entries:
        who = (details or {}).get("decided_by")
        if who:
            taken_back[(who, action)] += 1
    names = {name for name, _ in decided} | {name for name, _ in taken_back}
    moderators = [ModeratorRow(name, decided[(name, APPROVED)], decided[(name, REJECTED)],
                               taken_back[(name, UNDO_ACTION)], taken_back[(name, REVERSE_ACTION)]) for name in names]
    moderators.sort(key=lambda m: (-m.decided, m.username))
    return DecisionReport(since, until, approved=sum(n for (_, d), n in decided.items() if d == APPROVED),
                          rejected=sum(n for (_, d), n in decided.items() if d == REJECTED),
                          rejected_automatically=automatic, reasons=reasons.most_common(), moderators=moderators)
