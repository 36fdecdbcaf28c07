"""The review queue: what moderators should look at, most urgent first.

A comment is in the queue ("To review") when the policy held it, or when it was published but
readers reported it past its site's report threshold. Decided comments (approved/rejected) leave
it; the other tabs (queue_filters.TABS) show them, and the backlog not scored yet.
Everything here is scoped to the sites the viewer may see (domain/membership.py).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.orm import Session, defer, selectinload
from sqlalchemy.sql.elements import ColumnElement

from moderation.domain.edits import EDITED
from moderation.domain.errors import ValidationFailed
from moderation.domain.lifecycle import HELD, in_review_queue, now, reported_condition
from moderation.domain.membership import visible_site_ids
from moderation.domain.precedent import Precedent, precedents_for
from moderation.domain.queue_filters import (TABS, QueueFilters, held_reported_condition, shown_reported_condition,
                                             tab_condition)
from moderation.domain.report_wait import (PRIORITY, WAITING, Waiting, encode_waiting_cursor, oldest_first,
                                          report_window, waiting_past)
from moderation.domain.team_notes import notes_for
from moderation.domain.thread import Thread, threads_for
from moderation.domain.undo import REVERSE_ACTION, UNDO_ACTION
from moderation.domain.written import readable_created_at
from moderation.models import AuditEntry, Comment, CommentRevision, Site, User

# Cards per page. Rendering a card (scores, highlights, thread, reports) is about 1.5 ms of
# Python: 50 cards made the page miss its 150 ms p95 on bench/queue_pages.py; 25 is a screenful or two,
# and "Next" pages by keyset, "All N matching" selects beyond the page.
DEFAULT_PAGE_SIZE = 25
# Tabs count at most this many and then say "10,000+": an exact count of a 100,000-row tab reads
# every row on each page view, a capped one stops after this many index entries.
COUNT_CAP = 10_000


@dataclass(frozen=True)
class QueuePage:
    items: list[Comment]
    tab: str
    # Every tab's count under the same filters, so the tabs say where the work is.
    counts: dict[str, int]
    # Where the next page starts (see encode_cursor); None on the last page.
    next_cursor: str | None
    page_size: int
    # A moderator who is a member of no site: the page says so instead of "nothing to review".
    no_sites: bool = False
    # Each card's thread by comment id, loaded for the whole page at once (domain/thread.py). Precedent
    # is not: it costs too much for fifty cards, so a card loads it when opened (domain/precedent.py).
    threads: dict[int, Thread] = field(default_factory=dict)
    # The text a card's reader replaced after a moderator had decided it, and what it was then, by
    # comment id: "edited after decision" alone hid that a reader edited abuse into an approved comment.
    before_edit: dict[int, CommentRevision] = field(default_factory=dict)
    # An admin's reversal that sent a card back to the queue, by comment id: who decided what, who
    # reversed it and why. Without it the card looked new and the same decision was made again.
    reversals: dict[int, AuditEntry] = field(default_factory=dict)
    # The team's notes on each card (team_notes.py): a comment left held on purpose said so to no one.
    notes: dict[int, list[AuditEntry]] = field(default_factory=dict)
    # Counts above it are only known to be above it; None: the counts are exact.
    count_cap: int | None = COUNT_CAP
    # The order of the page: by priority, or (the Reported tab) the oldest open report first.
    sort: str = PRIORITY
    # Open reports past the desk's window under these sites and filters, which the page says at its top.
    waiting: Waiting | None = None

    @property
    def total(self) -> int:
        return self.counts.get(self.tab, 0)

    def count_label(self, tab: str) -> str:
        """A tab's count as the page shows it: exact up to the cap, then "10,000+"."""
        return count_label(self.counts.get(tab, 0), self.count_cap)


def encode_cursor(comment: Comment) -> str:
    """The sort key of the last item shown: the next page starts after it, however the queue moved meanwhile."""
    return f"{comment.priority!r}~{comment.received_at.isoformat()}~{comment.id}"


CURSOR_ID_MAX = 2**63 - 1  # comments.id is a BIGINT


def _decode_cursor(cursor: str) -> tuple[float, datetime, int]:
    try:
        priority, received_at, comment_id = cursor.split("~")
        key = float(priority), datetime.fromisoformat(received_at), int(comment_id)
    except ValueError:
        raise ValidationFailed("after must be a cursor from the previous page", field="after") from None
    # An id past BIGINT had reached PostgreSQL and answered 500 (a re-check).
    if not math.isfinite(key[0]) or key[1].tzinfo is None or not 0 <= key[2] <= CURSOR_ID_MAX:
        raise ValidationFailed("after must be a cursor from the previous page", field="after")
    return key


def _after(cursor: str) -> ColumnElement[bool]:
    # Keyset, not OFFSET: a page costs the same deep in a 100,000-item queue, and items decided by
    # others meanwhile neither skip nor repeat anything. Mixed sort directions rule out a row comparison.
    priority, received_at, comment_id = _decode_cursor(cursor)
    return or_(
        Comment.priority < priority,
        and_(Comment.priority == priority,
             or_(Comment.received_at > received_at, and_(Comment.received_at == received_at, Comment.id > comment_id))),
    )


def queue_scope(session: Session, viewer: User, filters: QueueFilters) -> list[ColumnElement[bool]] | None:
    """What every tab of the viewer's queue shares (their sites, the filters); None if they may see no site.
    Queries using it join Site."""
    visible = visible_site_ids(session, viewer)
    if visible is not None and not visible:
        return None
    where = [Site.active.is_(True), *filters.conditions()]
    if visible is not None:
        where.append(Comment.site_id.in_(visible))
    return where


def tab_counts(session: Session, where: list[ColumnElement[bool]], *, cap: int | None) -> dict[str, int]:
    """Every tab's count under the same scope, in one round trip; the page and its live updates
    both show them. With a cap each count stops at cap + 1 (see count_label); without, exact."""
    return _exact_tab_counts(session, where) if cap is None else _capped_tab_counts(session, where, cap)


def count_label(n: int, cap: int | None) -> str:
    """A tab's count as the page shows it: exact up to the cap, then "10,000+"."""
    return f"{cap:,}+" if cap is not None and n > cap else f"{n:,}"


def review_queue(
    session: Session, *, viewer: User, tab: str = "review", filters: QueueFilters = QueueFilters(),
    after: str | None = None, page_size: int = DEFAULT_PAGE_SIZE, count_cap: int = COUNT_CAP,
    with_threads: bool = True, sort: str = PRIORITY,
) -> QueuePage:
    """One page of a tab of the viewer's queue: highest priority first, then the oldest, then by id;
    or, sorted WAITING, the oldest open report first (report_wait.parse_sort checks where).
    `with_threads=False` for a caller that shows no cards (a bulk selection of up to 1,000)."""
    if tab not in TABS:
        raise ValidationFailed(f"tab must be one of {', '.join(TABS)}", field="tab")
    where = queue_scope(session, viewer, filters)
    if where is None:
        return QueuePage(items=[], tab=tab, counts=dict.fromkeys(TABS, 0), next_cursor=None, page_size=page_size,
                         no_sites=True)
    counts = tab_counts(session, where, cap=None if filters.active else count_cap)
    waiting = waiting_past(session, where, report_window(session), now()) if with_threads else None
    query = (select(Comment).join(Site, Comment.site_id == Site.id).where(*where)
             .options(selectinload(Comment.reports), selectinload(Comment.decider), defer(Comment.created_at)))
    if sort == WAITING:  # the Reported tab's (report_wait.parse_sort): its condition comes with the order
        query = oldest_first(query, after)
    else:
        if (condition := tab_condition(tab)) is not None:
            query = query.where(condition, *filters.within(tab))
        if after:
            query = query.where(_after(after))
        query = query.order_by(Comment.priority.desc(), Comment.received_at.asc(), Comment.id.asc())
    rows = session.scalars(query.limit(page_size + 1)).unique().all()
    items = list(rows[:page_size])
    encode = encode_waiting_cursor if sort == WAITING else encode_cursor
    next_cursor = encode(items[-1]) if len(rows) > page_size else None
    return QueuePage(items=items, tab=tab, counts=counts, next_cursor=next_cursor, page_size=page_size,
                     threads=threads_for(session, items) if with_threads else {},
                     before_edit=texts_before_edit(session, items) if with_threads else {},
                     reversals=standing_reversals(session, items) if with_threads else {},
                     notes=notes_for(session, items) if with_threads else {},
                     count_cap=None if filters.active else count_cap, sort=sort, waiting=waiting)


def standing_reversals(session: Session, comments: list[Comment]) -> dict[int, AuditEntry]:
    """Per undecided comment, the admin's reversal that brought it back, if nothing has happened to it
    since (a decision, an undo, an edit): one query over the page's audit entries."""
    # A reversal follows a decision, and each step raised the version: most cards (scored once, at
    # version 2) need no query at all.
    ids = [c.id for c in comments if c.decision is None and c.version >= 3]
    if not ids:
        return {}
    since = (AuditEntry.action.in_((REVERSE_ACTION, UNDO_ACTION, "comment:edited"))
             | AuditEntry.action.like("status:%->approved") | AuditEntry.action.like("status:%->rejected"))
    latest: dict[int, AuditEntry] = {}
    for entry in session.scalars(select(AuditEntry).where(AuditEntry.comment_id.in_(ids), since)
                                 .order_by(AuditEntry.id)):
        latest[entry.comment_id] = entry
    return {comment_id: entry for comment_id, entry in latest.items() if entry.action == REVERSE_ACTION}


def texts_before_edit(session: Session, comments: list[Comment]) -> dict[int, CommentRevision]:
    """The latest replaced text of each comment held again because it was edited after a decision,
    in one query for the page."""
    ids = [c.id for c in comments if EDITED in (c.flagged or [])]
    if not ids:
        return {}
    revisions = session.scalars(
        select(CommentRevision).where(CommentRevision.comment_id.in_(ids)).order_by(CommentRevision.revision))
    return {revision.comment_id: revision for revision in revisions}  # the latest of each wins


def _capped_tab_counts(session: Session, where: list[ColumnElement[bool]], cap: int) -> dict[str, int]:
    """Every tab's count, each stopping at cap + 1, in one round trip. Each tab is its own
    subquery so PostgreSQL plans it alone, reading one index (migration 0012_queue_speed) instead
    of passing over every comment to evaluate seven filters."""
    def capped(condition: ColumnElement[bool] | None) -> ColumnElement[int]:
        rows = (select(literal(1)).select_from(Comment).join(Site, Comment.site_id == Site.id)
                .where(*where, *([condition] if condition is not None else [])).limit(cap + 1).subquery())
        return select(func.count()).select_from(rows).scalar_subquery()

    # "To review" (held, or published and reported past the threshold) and "Reported" (held with
    # reports, or that same published set) are each the sum of two sets that cannot overlap, each
    # counted off its own index: an OR of the two made PostgreSQL read every comment, and the
    # admin's queue went from 61 to 108-135 ms (bench/queue_pages.py).
    conditions = {name: tab_condition(name) for name in TABS if name not in ("review", "reported")}
    conditions |= {"held_reported": held_reported_condition(), "published_reported": reported_condition(),
                   "shown_reported": shown_reported_condition()}
    row = session.execute(select(*(capped(c).label(name) for name, c in conditions.items()))).one()
    counts = dict(zip(conditions, row, strict=True))
    held_reported, published_reported = counts.pop("held_reported"), counts.pop("published_reported")
    shown_reported = counts.pop("shown_reported")
    return {"review": counts[HELD] + published_reported,
            "reported": held_reported + published_reported + shown_reported, **counts}


def _exact_tab_counts(session: Session, where: list[ColumnElement[bool]]) -> dict[str, int]:
    """Every tab's exact count in one pass over the rows a filter (search, flag, score ...) selects.
    Capped per-tab counts would evaluate the filter once per tab on the same rows: six times the
    work of this one pass over the rows the filter has to look at."""
    conditions = {name: tab_condition(name) for name in TABS}
    row = session.execute(
        select(*(func.count().filter(c) if c is not None else func.count() for c in conditions.values()))
        .select_from(Comment).join(Site, Comment.site_id == Site.id).where(*where)
    ).one()
    return dict(zip(TABS, row, strict=True))


@dataclass(frozen=True)
class CommentDetail:
    comment: Comment
    history: list[AuditEntry]
    in_queue: bool
    thread: Thread | None = None
    precedents: list[Precedent] = field(default_factory=list)
    # What the queue's card says of it too: the text before a reader's edit after a decision, and an
    # admin's reversal standing (the detail page had left both out: a moderator's walk).
    before_edit: CommentRevision | None = None
    reversal: AuditEntry | None = None
    written_at: datetime | None = None  # the site's created_at, where it can be read


def comment_detail(session: Session, comment_id: int, *, viewer: User) -> CommentDetail | None:
    """One comment with its reports and its audit history, oldest first; None if the viewer may not see it."""
    # created_at beside it, as far as it can be read: rows stored before it was range-checked may not
    # load with it, and the page shows when a late comment was written.
    found = session.execute(select(Comment, readable_created_at()).where(Comment.id == comment_id)
                            .options(selectinload(Comment.reports), selectinload(Comment.decider),
                                     defer(Comment.created_at))).first()
    comment, written = found if found is not None else (None, None)
    visible = visible_site_ids(session, viewer)
    # Another site's comment looks exactly like a missing one, so ids do not reveal what exists.
    if comment is None or (visible is not None and comment.site_id not in visible):
        return None
    history = session.scalars(
        select(AuditEntry).where(AuditEntry.comment_id == comment_id).order_by(AuditEntry.at, AuditEntry.id)
    ).all()
    return CommentDetail(comment, list(history), in_review_queue(comment), thread=threads_for(session, [comment])[comment.id],
                         precedents=precedents_for(session, [comment], viewer=viewer).get(comment.id, []),
                         before_edit=texts_before_edit(session, [comment]).get(comment.id),
                         reversal=standing_reversals(session, [comment]).get(comment.id), written_at=written)
