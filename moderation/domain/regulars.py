"""Readers a site already knows, and comments held by nothing but a storm: what a raid's bulk
clean-up must tell apart from the raid.

A night shift cleared a raided story with "all matching", Reject and "and their authors: banned":
75 authors were banned, 34 of them the story's regular readers, 8 of whose civil comments were held
only because the story was in storm mode (a moderator's walk). A regular is an author with a comment
shown on the site (published or approved) that arrived at least REGULAR_AGE ago: a raid's new ids
have none. A bulk sanction passes regulars over unless the moderator asks for them too; the
confirmation page counts and marks both.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from moderation.domain.lifecycle import APPROVED, PUBLISHED, STORM, now
from moderation.models import Comment

REGULAR_AGE = timedelta(days=1)


def regular_authors(session: Session, comments: Iterable[Comment], at: datetime | None = None,
                    ) -> set[tuple[int, str]]:
    """Of these comments' (site id, author id), those with another comment shown on the site from
    before REGULAR_AGE. Not one of these: the confirmation page and the decision read the same (a
    re-check: an author whose one shown comment was in the selection was a regular on the page, and
    banned once its rejection had taken that comment away)."""
    comments = list(comments)
    wanted = sorted({(c.site_id, c.author_id) for c in comments})
    if not wanted:
        return set()
    rows = session.execute(
        select(Comment.site_id, Comment.author_id).distinct()
        .where(tuple_(Comment.site_id, Comment.author_id).in_(wanted), Comment.status.in_((PUBLISHED, APPROVED)),
               Comment.received_at < (at or now()) - REGULAR_AGE, Comment.id.not_in([c.id for c in comments])))
    return {(site_id, author_id) for site_id, author_id in rows}


def held_only_by_storm(comment: Comment) -> bool:
    """Held because its story was in storm mode and for nothing else: no score, rule or report (a
    report on a comment held already adds no flag: its weight says it)."""
    return set(comment.flagged or ()) == {STORM} and not comment.rule_hits and not comment.report_weight
