"""Held comments an upgrade shows or hides, told to their sites once.

Visibility is computed, not stored (lifecycle.is_visible), so a release that hides more held
comments on a post-moderation site hides them without a new version or event: an operator's
upgrade from 30 November turned 29 held comments (a pre-moderated story's, a pre-moderated
author's) from visible to hidden silently, and migration 0038 hides the personal information older
releases held. A site that applies only newer versions kept showing them, and six stale
`visible: true` events still waiting were even delivered after the upgrade.

So after migrating, each pending or held comment whose newest `comment.status_changed` event told
its site otherwise gets a new version and an event with `"visibility_changed": true`, as a change
of moderation mode does. A comment never told to its site (no webhook, or its events deleted by
WEBHOOK_EVENT_DAYS) is left alone: nothing it was told is wrong.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from moderation.domain.lifecycle import HELD, PENDING, new_visibility, is_visible, now
from moderation.domain.status_writes import SessionWrites
from moderation.models import Comment, Site

# The newest status event told to each site about its pending and held comments (delivered or not).
_LAST_TOLD = text("""
    SELECT DISTINCT ON (d.comment_id) d.comment_id, (d.event -> 'comment' ->> 'visible')::boolean
      FROM webhook_deliveries d JOIN comments c ON c.id = d.comment_id
      JOIN sites s ON s.id = c.site_id AND s.webhook_url IS NOT NULL AND s.webhook_url <> ''
     WHERE c.status IN ('pending', 'held') AND d.event ->> 'type' = 'comment.status_changed'
       AND jsonb_typeof(d.event -> 'comment' -> 'visible') = 'boolean'
     ORDER BY d.comment_id, d.id DESC
""")


_SLICE = 10_000


def tell_changed_visibility(session: Session, *, actor: str) -> dict[str, list[int]]:
    """Queue a `visibility_changed` event for each pending or held comment whose newest event said
    otherwise than `is_visible` does now; the comment ids by site name. The caller commits; the
    webhook sweep delivers them."""
    told = dict(session.execute(_LAST_TOLD).all())
    writes, at, changed = SessionWrites(session), now(), defaultdict(list)
    ids = sorted(told)
    # A slice at a time: psycopg takes at most 65,535 parameters a statement (a re-check: past that
    # many held comments, every start only warned and no site was told).
    for start in range(0, len(ids), _SLICE):
        comments = session.scalars(select(Comment).join(Site).where(Comment.id.in_(ids[start:start + _SLICE]),
                                                                    Comment.status.in_((PENDING, HELD)))
                                   .order_by(Comment.id).with_for_update(of=Comment)).all()
        for comment in comments:
            if is_visible(comment) != told[comment.id]:
                new_visibility(writes, comment, actor=actor, at=at, reason="an upgrade changed what a held comment shows")
                changed[comment.site.name].append(comment.id)
    return dict(changed)
