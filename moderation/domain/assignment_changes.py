"""Who last made each scope's version active, and why, as the audit log records it.

The assignment row keeps only a user id, so a promotion from the shell showed as "the shell (cli) or
the first start" on the Models page where the audit log said `cli:root` (a data scientist's walk).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.domain.lifecycle import actor_in_words
from moderation.models import AuditEntry

# The newest promotions and rollbacks read: a scope changed longer ago than this many changes shows
# its assigner alone, as before.
LOOK_BACK = 1_000


@dataclass(frozen=True)
class LastChange:
    actor: str  # in words: "dana", "cli:root (the shell)"
    reason: str | None


def last_changes(session: Session) -> dict[int | None, LastChange]:
    """Each scope's (site id; None: global) latest promotion or rollback."""
    rows = session.execute(select(AuditEntry.actor, AuditEntry.details)
                           .where(AuditEntry.action.in_(("model:promoted", "model:rolled_back")))
                           .order_by(AuditEntry.id.desc()).limit(LOOK_BACK))
    found: dict[int | None, LastChange] = {}
    for actor, details in rows:
        details = details or {}
        scope = details.get("site_id")
        if scope not in found:
            found[scope] = LastChange(_who(actor), details.get("reason") or None)
    return found


def _who(actor: str) -> str:
    return f"{actor} (the shell)" if actor.startswith("cli:") else actor_in_words(actor)
