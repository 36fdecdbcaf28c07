"""Bulk decisions: one action and one reason applied to many comments, each decided on its own.

Every item goes through decisions.apply_decision, the step decide() takes for one comment, so each
is exactly the decision a moderator would have made one at a time: scoped to their sites, refused
if it changed since they saw it (or whatever else decide refuses, e.g. someone else's claim),
audited, its reports resolved, labelled for training, and announced by its own webhook event.
A refusal skips that item and says why; the rest go on.

All items share one transaction: one query locks the rows, one flush writes them, one commit,
one message to the webhook worker. A commit per comment cost ~30 ms each on a busy 2-core
machine (3.3 s for 100); one transaction brings 100 well under the 2 s target.

Selections are lists of (comment id, version the moderator saw). The pages build them: ticked
cards, an author's held comments, or every comment matching a queue filter (capped, counted and
confirmed first); the versions are what make "taken meanwhile" show up as skipped, not redone.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from moderation.domain.audit_actions import BULK_ACTIONS
from moderation.domain.dispatch import in_bulk_lane
from moderation.domain.decisions import ACTIONS, DECIDABLE, apply_decision, checked_reason, lock_for_decision
from moderation.domain.errors import DomainError, NotFound, ValidationFailed
from moderation.domain.membership import visible_site_ids
from moderation.domain.queue import count_label, review_queue
from moderation.domain.queue_filters import QueueFilters
from moderation.domain.lifecycle import APPROVED, HELD, PUBLISHED, REJECTED, commit_and_send, now
from moderation.domain.reports import says_at_risk
from moderation.domain.regulars import regular_authors
from moderation.domain.rules import KINDS
from moderation.domain.sanctions import BARRING_KINDS, BULK_KINDS, KIND_LABELS, sanction_in_bulk, sanctions_in_force
from moderation.domain.undo import undo_decision
from moderation.models import AuditEntry, Comment, Report, User

# A sane ceiling for one bulk action: a filter matching more is decided in several confirmed steps.
MAX_BULK = 1000
# Tabs whose comments can all still be decided; "all", "approved" and "rejected" hold final ones.
BULK_TABS = ("review", "held", "reported", "pending", "published")

Selection = list[tuple[int, int]]
AT_RISK_SKIPPED = "the reader may be at risk: decide it on its own card, after your newsroom's procedure"
# Releasing a raided story's storm holds with "all matching" and Approve listed 190 comments of its
# raiders, banned since, among 14 regulars' (a night shift's walk): a bulk approval passes them over.
BARRED_KINDS = BARRING_KINDS


def barred_skip(kind: str) -> str:
    return f"its author is {KIND_LABELS[kind]} now: approve it on its own card if you mean to"


def barred_authors(session: Session, comments: Iterable[Comment]) -> dict[tuple[int, str], str]:
    """The (site id, author id) of these comments whose author is banned or suspended now, with the kind."""
    return {pair: s.kind for pair, s in sanctions_in_force(session, comments, now()).items() if s.kind in BARRED_KINDS}


def at_risk_comment(comment: Comment) -> bool:
    """Whether the at_risk rule held the comment (rules.reader_at_risk, as stored on it), or a named
    reader's open self_harm report says its reader may be at risk: "I just want it all to end",
    which the rule missed and two readers reported, was rejected in bulk as a personal attack (a re-check)."""
    return (any(hit.get("kind") == "at_risk" for hit in comment.rule_hits or ())
            or any(says_at_risk(r) for r in comment.reports if r.outcome is None))


# Approving what these rules held asks first, as an at-risk reader's does: a new moderator approved two
# "someone should shoot ..." comments and a "kys" to an at-risk reader with one key each (a team lead's walk).
_APPROVE_ASKS = {name: kind.approve_question for name, kind in KINDS.items() if kind.approve_question}


def _asking_hit(comment: Comment) -> dict[str, Any] | None:
    return next((hit for hit in comment.rule_hits or ()
                 if isinstance(hit, dict) and hit.get("kind") in _APPROVE_ASKS), None)


def approval_question(comment: Comment) -> str | None:
    """What Approve asks first of a comment a threat, group-attack or urging rule held, or None (at-risk asks its own)."""
    hit = _asking_hit(comment)
    return _APPROVE_ASKS[hit["kind"]] if hit else None


def rule_held_skip(comment: Comment) -> str:
    """Why a bulk approval passed over a comment whose card asks first, naming what the rule read."""
    hit = _asking_hit(comment)
    # "Read", not "held": a rule kept to flag asks too, on a comment reports held (a re-check).
    return f"a rule read it ({KINDS[hit['kind']].reason if hit else 'a hold'}): approve it on its own card, if at all"


@dataclass(frozen=True)
class Skipped:
    comment_id: int
    why: str


@dataclass
class BulkResult:
    action: str  # approve, reject, undo, or reverse (a sign-in's decisions: session_reversal.py)
    decided: list[int] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    reason: str | None = None
    versions: dict[int, int] = field(default_factory=dict)  # each decided comment's version after it
    # A rejection's sanction for the authors: kind, (site id, author) sanctioned, and those left as
    # they were, already under one as strong (site id, author, its kind).
    author_sanction: str | None = None
    sanctioned: list[tuple[int, str]] = field(default_factory=list)
    already_sanctioned: list[tuple[int, str, str]] = field(default_factory=list)
    # Regular readers (regulars.py) among the rejected comments' authors, left unsanctioned as the
    # moderator did not ask for them too.
    spared: list[tuple[int, str]] = field(default_factory=list)
    # The audit entry that records it, whose page shows it again (`shown_again`); for an undo, the
    # authors the undone decision sanctioned, as its form named them.
    entry_id: int | None = None
    made_at: datetime | None = None
    named_sanctioned: list[tuple[int, str]] = field(default_factory=list)


def _unique(selection: Iterable[tuple[int, int]]) -> Selection:
    """The first version given for each id, in the order given (a page may list a card twice)."""
    return list(dict(reversed(list(selection))).items())[::-1]


def bulk_decide(session: Session, selection: Iterable[tuple[int, int]], *, user: User, action: str,
                reason: str | None, author_sanction: str | None = None, sanction_regulars: bool = False,
                reports_seen: Mapping[int, int] | None = None) -> BulkResult:
    """Decide each (id, version) as decide() would, in one transaction; report the refused ones as skipped.
    `reports_seen`: per id, the newest report the page showed (decisions.apply_decision).
    With `author_sanction` (BULK_KINDS; rejections only), the rejected comments' authors are
    sanctioned in the same transaction: a raid's moderators had to open each author's page. Regular
    readers among them (regulars.py) only with `sanction_regulars`; else they are listed as spared.

    Raises ValidationFailed, with nothing decided, for an empty or oversized selection and for an
    action or reason decide() would refuse.
    """
    items = _unique(selection)
    if not items:
        raise ValidationFailed("select at least one comment", field="ids")
    if len(items) > MAX_BULK:
        raise ValidationFailed(f"at most {MAX_BULK} comments can be decided at once", field="ids")
    if author_sanction is not None and author_sanction not in BULK_KINDS:
        raise ValidationFailed("authors can be " + " or ".join(KIND_LABELS[k] for k in BULK_KINDS), field="authors")
    if author_sanction is not None and ACTIONS.get(action) != REJECTED:
        raise ValidationFailed("authors are sanctioned only with a rejection", field="authors")
    reason = checked_reason(action, reason)
    visible = visible_site_ids(session, user)
    # One query locks them all. SKIP LOCKED: a row another moderator is deciding this instant is
    # reported, not waited for, so two bulk actions never deadlock or queue behind each other.
    locked = {c.id: c for c in lock_for_decision(session, [i for i, _ in items], skip_locked=True)
              if visible is None or c.site_id in visible}
    busy = _deciding_elsewhere(session, [i for i, _ in items if i not in locked], visible)
    result = BulkResult(action=action, reason=reason, author_sanction=author_sanction)
    barred = barred_authors(session, locked.values()) if ACTIONS.get(action) == APPROVED else {}
    # Read before deciding, as the confirmation page read them.
    regulars = regular_authors(session, locked.values()) if author_sanction is not None else set()
    deliveries = []
    for comment_id, version in items:
        comment = locked.get(comment_id)
        if comment is None:
            # Another site's id reads exactly like a missing one, as everywhere else.
            # Locked by another decision, or by the scorer scoring a reader's edit: either way, busy now.
            why = "being changed right now (decided by someone else, or scored again): try again in a moment" \
                if comment_id in busy else "not found"
            result.skipped.append(Skipped(comment_id, why))
            continue
        if at_risk_comment(comment):
            # A decision for its own card, after the newsroom's procedure: "All on this page" and Reject
            # rejected three readers' "Tonight's the night, goodbye" as personal attacks, upheld the
            # worried readers' reports to the site, and labelled them for training (a moderator's walk).
            result.skipped.append(Skipped(comment_id, AT_RISK_SKIPPED))
            continue
        if action == "approve" and approval_question(comment):
            # Its card asks before publishing it; in bulk nothing did, and a re-check published 367
            # comments the threats rule held in one "Approve selected".
            result.skipped.append(Skipped(comment_id, rule_held_skip(comment)))
            continue
        if (comment.site_id, comment.author_id) in barred:
            result.skipped.append(Skipped(comment_id, barred_skip(barred[comment.site_id, comment.author_id])))
            continue
        try:
            deliveries += apply_decision(session, comment, user=user, action=action, reason=reason,
                                         expected_version=version, reports_seen=(reports_seen or {}).get(comment_id))
        except DomainError as error:
            # Already decided, changed meanwhile, claimed by someone else...: in decide's own words.
            result.skipped.append(Skipped(comment_id, error.message))
        else:
            result.decided.append(comment_id)
            result.versions[comment_id] = comment.version
    if author_sanction is not None and reason is not None:
        rejected = [locked[i] for i in result.decided]
        if not sanction_regulars:
            spared = {(c.site_id, c.author_id) for c in rejected} & regulars
            rejected = [c for c in rejected if (c.site_id, c.author_id) not in spared]
            result.spared = sorted(spared)
        result.sanctioned, result.already_sanctioned, sent = sanction_in_bulk(
            session, rejected, author_sanction, reason, user)
        deliveries += sent
    # One entry tying the individual decisions together, so the audit log shows they were one action;
    # its sites, so a site's log shows it too.
    record_bulk(session, user, result, site_ids=sorted({locked[i].site_id for i in result.decided}),
            **({"authors": author_sanction, "sanctioned": [list(a) for a in result.sanctioned],
                "already_sanctioned": [list(a) for a in result.already_sanctioned],
                "spared": [list(a) for a in result.spared]} if author_sanction else {}))
    commit_and_send(session, in_bulk_lane(deliveries))
    return result


def record_bulk(session: Session, user: User, result: BulkResult, **details: Any) -> None:
    """One entry tying the individual decisions together, so the audit log shows they were one
    action, with its sites, so a site's log shows it too; and all its result page shows, which is
    drawn from it (`shown_again`): drawn from the POST, a reload sent the decision again and read
    "0 approved, 3 skipped (already decided by alice)" with Undo all gone (a moderator's walk)."""
    if result.action not in BULK_ACTIONS:  # erasure finds these entries by their actions (audit_actions.py)
        raise ValueError(f"a bulk action audit_actions.BULK_ACTIONS does not list: {result.action}")
    entry = AuditEntry(actor=f"user:{user.username}", action=f"bulk:{result.action}", details={
        "reason": result.reason, ("undone" if result.action == "undo" else "decided"): result.decided,
        "skipped": [[s.comment_id, s.why] for s in result.skipped],
        "versions": {str(i): v for i, v in result.versions.items()}, **details})
    session.add(entry)
    session.flush()
    result.entry_id = entry.id


def undoable(session: Session, result: BulkResult, window: timedelta) -> list[int]:
    """Of a bulk decision's comments, those its Undo all would still take back: within the window, and
    each at the version the decision left. Drawn again later, the page had offered Undo all for ever,
    after the undo too, which then listed each as "no decision to take back" (a re-check)."""
    if result.action == "undo" or not result.decided or result.made_at is None or result.made_at + window < now():
        return []
    versions = dict(session.execute(select(Comment.id, Comment.version).where(Comment.id.in_(result.decided))).all())
    return [i for i in result.decided if versions.get(i) == result.versions.get(i)]


def shown_again(session: Session, entry_id: int, user: User) -> BulkResult:
    """The result of the user's own bulk action `entry_id`, as its page showed it when made."""
    entry = session.get(AuditEntry, entry_id)
    if entry is None or entry.actor != f"user:{user.username}" or not entry.action.startswith("bulk:"):
        raise NotFound(f"no bulk decision {entry_id} of yours")
    d = entry.details
    action = entry.action.removeprefix("bulk:")
    return BulkResult(
        action=action, reason=d.get("reason"), decided=list(d.get("undone" if action == "undo" else "decided") or []),
        skipped=[Skipped(i, why) for i, why in d.get("skipped") or []],
        versions={int(i): v for i, v in (d.get("versions") or {}).items()},
        author_sanction=d.get("authors"), sanctioned=[(s, a) for s, a in d.get("sanctioned") or []],
        already_sanctioned=[(s, a, k) for s, a, k in d.get("already_sanctioned") or []],
        spared=[(s, a) for s, a in d.get("spared") or []],
        named_sanctioned=[(s, a) for s, a in d.get("named_sanctioned") or []], entry_id=entry.id, made_at=entry.at)


def bulk_undo(session: Session, selection: Iterable[tuple[int, int]], *, user: User,
              window: timedelta, named_sanctioned: Iterable[tuple[int, str]] = ()) -> BulkResult:
    """Take back a bulk decision: each (id, version after it) as undo_decision() would, one at a
    time, so a comment refused (changed since, past the window) is listed and the rest still go."""
    items = _unique(selection)
    if not items:
        raise ValidationFailed("select at least one comment", field="ids")
    if len(items) > MAX_BULK:
        raise ValidationFailed(f"at most {MAX_BULK} comments can be undone at once", field="ids")
    result = BulkResult(action="undo", named_sanctioned=list(named_sanctioned)[:MAX_BULK])
    return take_back_each(session, user, result, items, lambda comment_id, version: undo_decision(
        session, comment_id, user=user, expected_version=version, window=window))


def take_back_each(session: Session, user: User, result: BulkResult, items: Iterable[tuple[int, int]],
                   take_back: Callable[[int, int], Comment], **details: Any) -> BulkResult:
    """Each (id, version) taken back by `take_back` (an undo, a reversal: each commits on its own), one
    refused listed and the rest still going; then, as bulk_decide does, one entry tying them together."""
    sites: set[int] = set()
    for comment_id, version in items:
        try:
            comment = take_back(comment_id, version)
        except DomainError as error:
            session.rollback()
            result.skipped.append(Skipped(comment_id, error.message))
        else:
            result.decided.append(comment_id)
            result.versions[comment_id] = comment.version
            sites.add(comment.site_id)
    record_bulk(session, user, result, site_ids=sorted(sites), named_sanctioned=[list(a) for a in result.named_sanctioned],
                **details)
    commit_and_send(session, [])
    return result


def _deciding_elsewhere(session: Session, comment_ids: list[int], visible: set[int] | None) -> set[int]:
    """Of ids the lock skipped, those that exist on a visible site: locked by another decision."""
    if not comment_ids:
        return set()
    query = select(Comment.id).where(Comment.id.in_(comment_ids))
    if visible is not None:
        query = query.where(Comment.site_id.in_(visible))
    return set(session.scalars(query))


def author_held_comments(session: Session, site_id: int, author_id: str, *, viewer: User,
                         limit: int = MAX_BULK) -> list[Row[Any]]:
    """The author's held comments on a site the viewer works, oldest first: "all of this author's held".

    Rows of what the list shows (id, version, received_at, text, text_erased_at), not comments: up
    to a thousand of them, and whole comments, each with its site joined, were half the busiest
    author's page."""
    return _author_rows(session, site_id, author_id, HELD, viewer=viewer, limit=limit)


def author_published_comments(session: Session, site_id: int, author_id: str, *, viewer: User,
                              limit: int = MAX_BULK) -> list[Row[Any]]:
    """The author's comments shown as published on a site the viewer works, oldest first, with their
    report counts: what a lead takes down after a ban, which acts on the next comments only (an
    election night's banned author's "strung up from a lamppost" stayed up, 240th in the queue).
    An approved one is a colleague's decision, undone on its own page, so not among them."""
    return _author_rows(session, site_id, author_id, PUBLISHED, viewer=viewer, limit=limit)


def author_approved_comments(session: Session, site_id: int, author_id: str, *, viewer: User,
                             limit: int = MAX_BULK) -> list[Row[Any]]:
    """The author's comments a moderator approved, shown on the site too: listed beside the published
    ones for their undo or reversal on their own pages, not offered to the take-down (a re-check: a
    banned author's approved comment stayed up unmentioned)."""
    return _author_rows(session, site_id, author_id, APPROVED, viewer=viewer, limit=limit)


def _author_rows(session: Session, site_id: int, author_id: str, status: str, *, viewer: User,
                 limit: int) -> list[Row[Any]]:
    visible = visible_site_ids(session, viewer)
    if visible is not None and site_id not in visible:
        return []
    return list(session.execute(
        select(Comment.id, Comment.version, Comment.received_at, Comment.text, Comment.text_erased_at,
               Comment.rule_hits,  # the language a rule read it in, for its lang attribute (a re-check)
               # Its bulk form's reports-<id>: a report filed after the page refuses the decision, one before does not.
               select(func.coalesce(func.max(Report.id), 0)).where(Report.comment_id == Comment.id)
               .scalar_subquery().label("newest_report_id"),
               select(func.count()).where(Report.comment_id == Comment.id, Report.outcome.is_(None))
               .scalar_subquery().label("open_reports"))
        .where(Comment.site_id == site_id, Comment.author_id == author_id, Comment.status == status)
        .order_by(Comment.received_at, Comment.id).limit(limit)
    ))


@dataclass(frozen=True)
class MatchingSelection:
    comments: list[Comment]  # in queue order, at most MAX_BULK
    total: int  # how many match, which may be more than are selected
    total_label: str = ""  # as the queue says it: "10,000+" past its count's cap, which "10001" had read as exact

    @property
    def selection(self) -> Selection:
        return [(c.id, c.version) for c in self.comments]


def matching_selection(session: Session, *, viewer: User, tab: str, filters: QueueFilters,
                       limit: int = MAX_BULK) -> MatchingSelection:
    """Every comment a queue tab and its filters show the viewer, first `limit` in queue order:
    the same query as the page, so "all matching" means what the moderator was looking at."""
    if tab not in BULK_TABS:
        raise ValidationFailed(f"only these tabs can be decided in bulk: {', '.join(BULK_TABS)}", field="tab")
    # No threads: the confirmation lists the comments, and a thousand threads were 40 % of its time.
    page = review_queue(session, viewer=viewer, tab=tab, filters=filters, page_size=limit, with_threads=False)
    # The Reported tab holds approved comments too, whose reports are answered on their own card: not
    # counted as matching, or "3 match; the first 2 will be decided" promised one it never would.
    kept = [c for c in page.items if c.status in DECIDABLE]
    total = max(len(kept), page.total - (len(page.items) - len(kept)))
    return MatchingSelection(kept, total, count_label(total, page.count_cap))
