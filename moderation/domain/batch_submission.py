"""Accepting many comments at once (POST /api/v1/comments:batch), with each one's own outcome.

Each item means what a POST /api/v1/comments of it would mean: new (202), the same body again
(200, the stored comment), a different body under an id used before (409), or invalid (400,
decided by the caller before it gets here). An id that appears twice in one batch is treated as
if the second came just after the first. One item's failure never stops the others.

A whole batch costs a fixed number of round trips however many items it has: one INSERT ... ON
CONFLICT DO NOTHING RETURNING of every valid item (the unique constraint decides which are new,
also against a concurrent single POST of the same id), one SELECT of those it skipped, if any,
one commit.

Inserting first, where a SELECT of the stored ids used to come first: on a table PostgreSQL had
not analyzed yet (a fresh install taking an import, the first minute of bench/e2e.py's batch
row) that SELECT filtered every comment of the site against the batch's 500 ids, 15 ms at 32,000
comments and growing with each batch, until the batch endpoint fell behind. The INSERT finds
conflicts through the unique index whatever the statistics say, and a batch of new comments,
the usual case, needs no SELECT at all.
"""
from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from moderation.domain.comments import CommentInput, different_body, insert_new, readable
from moderation.domain.errors import Conflict, DomainError
from moderation.domain.intake_holds import hold_on_arrival
from moderation.models import Comment, Site

MAX_BATCH_ITEMS = 500

CREATED = 202
EXISTING = 200


@dataclass(frozen=True)
class ItemResult:
    """One item's outcome; `status` is the HTTP status a single POST of it would have had."""

    index: int
    status: int
    comment: Comment | None = None
    error: DomainError | None = None

    @property
    def created(self) -> bool:
        return self.status == CREATED


def submit_comments(session: Session, site: Site, items: Sequence[CommentInput | DomainError]) -> list[ItemResult]:
    """Store every new valid item as pending and commit; one result per item, in order.

    An item that is a DomainError (its validation failed) is reported as that error. Commits
    before returning, so the caller can send the new comments for scoring.
    """
    results: dict[int, ItemResult] = {}
    first: dict[str, tuple[int, CommentInput, str]] = {}  # external id -> its first item
    repeats: list[tuple[int, CommentInput]] = []          # later items with an id seen earlier
    for index, item in enumerate(items):
        if isinstance(item, DomainError):
            results[index] = ItemResult(index, item.status, error=item)
        elif item.external_id in first:
            repeats.append((index, item))
        else:
            first[item.external_id] = (index, item, item.body_hash())

    inserted = _insert_new_retrying(session, site, [(data, body_hash) for _, data, body_hash in first.values()]) if first else {}
    stored = _stored(session, site.id, [external_id for external_id in first if external_id not in inserted])
    for external_id, comment in inserted.items():
        index = first[external_id][0]
        results[index] = ItemResult(index, CREATED, comment)
    hold_on_arrival(session, site, inserted.values())
    session.commit()

    for external_id, (index, item, _) in first.items():
        if index not in results:
            results[index] = _against(index, stored[external_id], item)
    # A repeat meets the comment its id holds now, as a single POST just after would: a conflicting
    # first item does not make a matching second one conflict too (both had answered 409).
    held = {**stored, **inserted}
    for index, item in repeats:
        results[index] = _against(index, held[item.external_id], item)
    return [results[index] for index in range(len(items))]


DEADLOCK_DETECTED = "40P01"
# Batches of the same new ids in other orders each wait on a row another inserted, and PostgreSQL
# aborts one. Tried again in its own order it could meet the others in a cycle again: five such
# batches still ran out of ten tries about one run in eight, after 25 s. Tried again in external id
# order, two retrying batches take their rows in one order and cannot deadlock with each other, so a
# retry meets at most the first tries still running. The first try keeps the batch's order: the
# comment ids, which a story's listing follows, are drawn in it.
DEADLOCK_TRIES = 10


def _insert_new_retrying(session: Session, site: Site, new: list[tuple[CommentInput, str]]) -> dict[str, Comment]:
    """insert_new, tried again when PostgreSQL broke a deadlock by aborting it. The INSERT is the
    transaction's first statement, so nothing else is rolled back; tried again, the other batch has
    committed and its ids are conflicts."""
    for attempt in range(DEADLOCK_TRIES):
        try:
            return insert_new(session, site, new if attempt == 0 else sorted(new, key=lambda pair: pair[0].external_id))
        except DBAPIError as error:
            if getattr(error.orig, "sqlstate", None) != DEADLOCK_DETECTED or attempt == DEADLOCK_TRIES - 1:
                raise
            session.rollback()
            time.sleep(random.uniform(0, 0.05 * (attempt + 1)))
    raise AssertionError("unreachable")


def _against(index: int, comment: Comment, item: CommentInput) -> ItemResult:
    if not item.same_body(comment.body_hash):
        return ItemResult(index, Conflict.status, error=different_body(item, comment))
    return ItemResult(index, EXISTING, comment)


def _stored(session: Session, site_id: int, external_ids: list[str]) -> dict[str, Comment]:
    if not external_ids:
        return {}
    query = select(Comment).where(Comment.site_id == site_id, Comment.external_id.in_(external_ids)).options(readable())
    return {comment.external_id: comment for comment in session.scalars(query)}
