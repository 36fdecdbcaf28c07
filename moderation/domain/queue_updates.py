"""What changed on a moderator's open queue page since it loaded, for the page to show in place.

The page polls this every few seconds (static/live.js) rather than holding a server-sent events
stream: the web server runs gunicorn's sync workers, where each open stream would hold a whole
worker for as long as a moderator keeps the tab open, a shift long. A poll costs the tab counts
query, the count of reports past the desk's window and two small lookups by primary key.

Scoped like the queue: cards of sites the viewer may not see are left out, as if they did not exist.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation.domain.claims import live_claims
from moderation.domain.lifecycle import DECIDABLE
from moderation.domain.membership import visible_site_ids
from moderation.domain.queue import COUNT_CAP, count_label, queue_scope, tab_counts
from moderation.domain.queue_filters import TABS, QueueFilters, tab_condition
from moderation.domain.report_wait import Waiting, report_window, waiting_past
from moderation.models import Comment, Site, User

# A page lists at most one page of cards (50); a little room for a longer page, and a bound on the query.
MAX_IDS = 200


@dataclass(frozen=True)
class CardState:
    status: str
    version: int
    decided_by: str | None
    claimed_by: str | None
    claimed_by_me: bool
    # When and why, as a card drawn by the server says it ("Rejected by maya at 16:30: Spam"): a
    # colleague's decision greyed by a poll said only who.
    decided_at: datetime | None = None
    decision_reason: str | None = None

    def as_json(self) -> dict[str, object]:
        # decidable: false once decided or deleted (by the site, or its author erased), so the page
        # greys the card whatever took it away; the page need not know which statuses those are.
        return {"status": self.status, "version": self.version, "decided_by": self.decided_by,
                "decided_at": self.decided_at.isoformat() if self.decided_at else None,
                "decision_reason": self.decision_reason, "decidable": self.status in DECIDABLE,
                "claimed_by": self.claimed_by, "claimed_by_me": self.claimed_by_me}


@dataclass(frozen=True)
class QueueUpdates:
    counts: dict[str, int]
    # What each tab shows, e.g. "10,000+": the page's own words for the counts.
    count_labels: dict[str, str]
    cards: dict[int, CardState]
    # Comments that entered this tab after `since` and are not on the page: the "N new — show" link.
    new: int
    # The reports past the desk's window, as the page's banner says them: drawn once, its count stayed
    # as it was while the cards under it were answered or more reports grew late (a tester's).
    waiting: Waiting | None = None


def queue_updates(
    session: Session, *, viewer: User, tab: str, filters: QueueFilters, ids: Collection[int], since: datetime,
    at: datetime,
) -> QueueUpdates:
    where = queue_scope(session, viewer, filters)
    if where is None:
        return QueueUpdates(counts=dict.fromkeys(TABS, 0), count_labels=dict.fromkeys(TABS, "0"), cards={}, new=0)
    cap = None if filters.active else COUNT_CAP
    counts = tab_counts(session, where, cap=cap)
    entered = [*where, Comment.status_changed_at > since]
    if (condition := tab_condition(tab)) is not None:
        entered.append(condition)
    if ids:
        entered.append(Comment.id.not_in(ids))
    new = session.scalar(select(func.count(Comment.id)).select_from(Comment)
                         .join(Site, Comment.site_id == Site.id).where(*entered)) or 0
    labels = {tab: count_label(n, cap) for tab, n in counts.items()}
    return QueueUpdates(counts=counts, count_labels=labels, cards=card_states(session, viewer, ids, at=at), new=new,
                        waiting=waiting_past(session, where, report_window(session), at))


def card_states(session: Session, viewer: User, ids: Collection[int], *, at: datetime) -> dict[int, CardState]:
    if not ids:
        return {}
    query = (select(Comment.id, Comment.status, Comment.version, User.username, Comment.decided_at,
                    Comment.decision_reason)
             .outerjoin(User, User.id == Comment.decided_by).where(Comment.id.in_(ids)))
    visible = visible_site_ids(session, viewer)
    if visible is not None:
        query = query.where(Comment.site_id.in_(visible))
    claims = live_claims(session, ids, at=at)
    states = {}
    for row in session.execute(query):
        claim = claims.get(row.id)
        states[row.id] = CardState(status=row.status, version=row.version, decided_by=row.username,
                                   claimed_by=claim.holder if claim else None,
                                   claimed_by_me=bool(claim and claim.mine(viewer)),
                                   decided_at=row.decided_at, decision_reason=row.decision_reason)
    return states
