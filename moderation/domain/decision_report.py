"""What the team decided over a period, for the head of community and the editor who asks "how many
did we reject this week, and why?": decisions by moderators and by rules and the model, rejections
by the guideline reason chosen, and each moderator's share with the decisions an admin reversed.
A head of community's walk could answer none of it without SQL: the tabs show no decider, the
audit log has no counts, and /metrics no reasons. An editor's walk wanted the rest of a weekly
report: how many comments came and how many went to review, how long readers waited for a
moderator, and which stories drew the trouble.

Counts are of decisions standing now, by when they were made; one undone since is not counted (its
moderator took it back), one an admin reversed is counted against its moderator under "reversed".
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from classifiers.attributes import ATTRIBUTES
from moderation.domain.lifecycle import (APPROVED, DECIDED, HELD, REJECTED, REPORTED_AFTER_APPROVAL,
                                         in_review_queue_condition, now, person_decided)
from moderation.domain.policy import REPORTS
from moderation.domain.reason_labels import GUIDELINE_REASONS
from moderation.domain.rules import KINDS
from moderation.domain.undo import REVERSE_ACTION, UNDO_ACTION
from moderation.models import AuditEntry, Comment, Report, Site, StoryStorm, User

OWN_WORDS = "other (the moderator's own words)"
USER_ACTOR = "user:"


@dataclass(frozen=True)
class ModeratorRow:
    username: str
    approved: int
    rejected: int
    undone: int  # taken back by the moderator, within the undo window
    reversed: int  # by an admin
    # Every approval and rejection made in the period, standing or not: a colleague's later decision
    # on a reader's edit took one off a moderator's standing count (an editor's rota report).
    made: int = 0
    # Approvals of comments the model had held: the editor's "how often do they overrule the model?"
    # (a standards editor's walk found approvals of the model's holds, of readers' reports and of a
    # wrong ban's rejections in one number).
    overruled_model: int = 0
    # Approvals of comments a hold or reject rule had held (a threat, a reader at risk, urging), whatever
    # the model said: a new moderator approved seven the safety rules held and no number showed it
    # (a team lead's walk).
    overruled_rule: int = 0

    @property
    def decided(self) -> int:
        return self.approved + self.rejected


@dataclass(frozen=True)
class StoryRow:
    site: str
    story_id: str
    title: str | None
    comments: int  # received in the period
    held: int  # of them, held now
    rejected: int  # of them, rejected now
    reported: int  # of them, reported by a reader


@dataclass(frozen=True)
class Waits:
    """Hours from a comment's arrival to a moderator's decision, of the decisions in the period."""

    median: float | None
    p90: float | None
    longest: float | None


@dataclass(frozen=True)
class DecisionReport:
    since: datetime
    until: datetime
    approved: int  # by moderators
    rejected: int  # by moderators
    rejected_automatically: int  # by the policy's auto-reject, a sanction or a rule, when scored
    reasons: list[tuple[str, int]]  # moderators' rejections by guideline reason, most first
    moderators: list[ModeratorRow]  # most decisions first
    received: int = 0  # comments that arrived in the period
    reviewed: int = 0  # of them, held now or decided by a moderator: those that went to review
    waits: Waits = Waits(None, None, None)
    # Moderators' standing decisions by what had held the comment: {held_by: {approved, rejected}}.
    by_hold: dict[str, dict[str, int]] = field(default_factory=dict)
    stories: list[StoryRow] = field(default_factory=list)  # most held and rejected first
    stories_left_out: int = 0  # past the number of stories asked for
    storms: int = 0  # storms that started in the period
    # Comments in the review queue at the period's end, and how long the longest-held had waited
    # since it arrived: the waits above count decided ones only, and said "the longest 6 min" while
    # 37 comments had waited longer (a standards editor's walk); the longer the backlog, the better
    # they looked.
    still_waiting: int = 0
    still_waiting_longest: float | None = None  # hours


TOP_STORIES = 10
# What had held a comment a moderator decided, in the order a comment is counted under the first
# that applies: the model's scores, then a hold or reject rule, then readers' reports, then anything
# else (an edit after a decision, an author's sanction, a storm, a comment sent to review).
HELD_BY = {"model": "the model's scores", "rules": "a rule", "reports": "readers' reports",
           "other": "an edit, a sanction, a storm or a colleague",
           "nothing": "nothing: shown, and a moderator found it"}
_MODEL_ATTRIBUTES = frozenset(ATTRIBUTES)


def held_by_what(flagged: list[str] | None, rule_hits: list[dict] | None, reported: bool = False) -> str:
    """Which of HELD_BY a decided comment counts under (its flags and rule hits are kept after the
    decision). Readers' reports count under the threshold too: a DSA walk's moderators decided three
    comments each reported once, and the page put them under "an edit, a sanction, a storm or a
    colleague", none of which had happened; what nothing held nor anyone reported is its own row."""
    flags = set(flagged or ())
    if flags & _MODEL_ATTRIBUTES:
        return "model"
    if _held_by_a_rule(rule_hits):
        return "rules"
    if flags & {REPORTS, REPORTED_AFTER_APPROVAL} or reported:
        return "reports"
    return "other" if flags else "nothing"


# The rules that hold for a reader's or a person's safety: approving what they held is what a lead
# reads the column for. Every hold rule had been counted, and a readers' editor's two approvals of
# civil Spanish comments (other_language) read as two approved threats (a readers' editor's walk).
SAFETY_RULE_KINDS = tuple(name for name, kind in KINDS.items() if kind.protective)


def _held_by_a_rule(rule_hits: list[dict] | None) -> bool:
    return any(hit.get("action") in ("hold", "reject") for hit in rule_hits or () if isinstance(hit, dict))


def _held_by_a_safety_rule(rule_hits: list[dict] | None) -> bool:
    return any(hit.get("action") in ("hold", "reject") and hit.get("kind") in SAFETY_RULE_KINDS
               for hit in rule_hits or () if isinstance(hit, dict))


def guideline_of(reason: str | None) -> str:
    """The guideline reason a rejection's reason starts with, or OWN_WORDS."""
    choice = (reason or "").split(":", 1)[0].strip()
    return choice if choice in GUIDELINE_REASONS else OWN_WORDS


def decision_report(session: Session, *, since: datetime, until: datetime,
                    site_ids: Collection[int] | None = None, stories: int = TOP_STORIES,
                    every_story: bool = False) -> DecisionReport:
    """The report for [since, until), of every site or of `site_ids`, with the `stories` stories that
    drew the most trouble; `every_story`: those that drew none too, after them."""
    def of_sites(query, column):
        return query.where(column.in_(list(site_ids))) if site_ids is not None else query

    in_period = (Comment.decided_at >= since, Comment.decided_at < until)
    rows = session.execute(of_sites(
        select(User.username, Comment.decision, Comment.decision_reason, Comment.flagged, Comment.rule_hits,
               select(Report.id).where(Report.comment_id == Comment.id, Report.created_at <= Comment.decided_at).exists())
        .join(User, User.id == Comment.decided_by).where(*in_period, Comment.decision.in_(DECIDED)),
        Comment.site_id)).all()
    decided: Counter[tuple[str, str]] = Counter((name, decision) for name, decision, *_ in rows)
    reasons = Counter(guideline_of(reason) for _, decision, reason, *_ in rows if decision == REJECTED)
    held_by = [(name, decision, held_by_what(flagged, hits, reported)) for name, decision, _, flagged, hits, reported in rows]
    held_counts = Counter((what, decision) for _, decision, what in held_by)
    by_hold = {what: {d: held_counts[(what, d)] for d in DECIDED} for what in HELD_BY}
    overruled = Counter(name for name, decision, what in held_by if what == "model" and decision == APPROVED)
    overruled_rule = Counter(name for name, decision, _, flagged, hits, reported in rows
                             if decision == APPROVED and _held_by_a_safety_rule(hits))
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
    made = dict(session.execute(of_sites(
        select(func.substr(AuditEntry.actor, len(USER_ACTOR) + 1), func.count())
        .join(Comment, Comment.id == AuditEntry.comment_id)
        .where(AuditEntry.at >= since, AuditEntry.at < until, person_decided())
        .group_by(AuditEntry.actor), Comment.site_id)).all())
    names = {name for name, _ in decided} | {name for name, _ in taken_back} | set(made)
    moderators = [ModeratorRow(name, decided[(name, APPROVED)], decided[(name, REJECTED)],
                               taken_back[(name, UNDO_ACTION)], taken_back[(name, REVERSE_ACTION)], made.get(name, 0),
                               overruled[name], overruled_rule[name])
                  for name in names]
    moderators.sort(key=lambda m: (-m.decided, m.username))
    received = (Comment.received_at >= since, Comment.received_at < until)
    arrived = session.execute(of_sites(select(
        func.count(), func.count().filter((Comment.status == HELD) | Comment.decided_by.is_not(None))).where(*received),
        Comment.site_id)).one()
    # To its first decision by a person: a lead's reversal and decision 22 minutes later had counted as
    # the reader's wait, "the longest 23 min" where none had waited 5 (a team lead's walk).
    first_decided = (select(func.min(AuditEntry.at)).where(AuditEntry.comment_id == Comment.id, person_decided())
                     .scalar_subquery())
    hours = func.extract("epoch", func.coalesce(first_decided, Comment.decided_at) - Comment.received_at) / 3600.0
    waits = session.execute(of_sites(select(
        func.percentile_cont(0.5).within_group(hours), func.percentile_cont(0.9).within_group(hours), func.max(hours))
        .where(*in_period, Comment.decided_by.is_not(None), Comment.decision.in_(DECIDED)), Comment.site_id)).one()
    still = session.execute(of_sites(select(
        func.count().filter(in_review_queue_condition()),
        # Since it was last sent to review: one decided in a minute and reversed since had "waited 26 min".
        func.min(func.coalesce(Comment.status_changed_at, Comment.received_at)).filter(Comment.status == HELD))
        .join(Site, Site.id == Comment.site_id)
        .where(Site.active.is_(True), Comment.received_at < until), Comment.site_id)).one()
    listed, left_out = _stories(session, received, of_sites, stories, every_story)
    storms = session.scalar(of_sites(select(func.count()).select_from(StoryStorm).where(
        StoryStorm.started_at >= since, StoryStorm.started_at < until), StoryStorm.site_id)) or 0
    return DecisionReport(since, until, approved=sum(n for (_, d), n in decided.items() if d == APPROVED),
                          rejected=sum(n for (_, d), n in decided.items() if d == REJECTED),
                          rejected_automatically=automatic, reasons=reasons.most_common(), moderators=moderators,
                          by_hold=by_hold, received=arrived[0], reviewed=arrived[1], waits=Waits(*(None if w is None else float(w) for w in waits)),
                          stories=listed, stories_left_out=left_out, storms=storms, still_waiting=still[0],
                          # Waited so far, to now: a past month's end would make a comment sent to
                          # review since seem to have waited less than nothing.
                          still_waiting_longest=(max(until, now()) - still[1]).total_seconds() / 3600
                          if still[1] else None)


def _stories(session: Session, received, of_sites,  # noqa: ANN001 - the period's conditions
             limit: int, every_story: bool) -> tuple[list[StoryRow], int]:
    """The stories whose comments of the period are most held and rejected now (then most reported),
    at most `limit`, and how many more there are."""
    held = func.count().filter(Comment.status == HELD)
    rejected = func.count().filter(Comment.status == REJECTED)
    reported = func.count().filter(Comment.report_weight > 0)
    query = of_sites(
        select(Site.name, Comment.story_id, func.max(Comment.story_title), func.count(), held, rejected, reported)
        .join(Site, Site.id == Comment.site_id).where(*received)
        .group_by(Site.name, Comment.story_id), Comment.site_id)
    if not every_story:
        query = query.having(held + rejected + reported > 0)
    rows = session.execute(query.order_by((held + rejected).desc(), reported.desc(), func.count().desc(),
                                          Site.name, Comment.story_id).limit(limit + 1)).all()
    if len(rows) <= limit:
        return [StoryRow(*row) for row in rows], 0
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return [StoryRow(*row) for row in rows[:limit]], total - limit
