"""The Undo button in the flash after a decision: the decision route offers it, the next page shows it once."""
from __future__ import annotations

from typing import Any

from flask import session

from moderation.models import Comment

KEY = "undo_offer"


def offer_undo(comment: Comment) -> None:
    """Call after a moderator's decision: the page they return to offers to take it back."""
    session[KEY] = {"id": comment.id, "version": comment.version}


def take_undo_offer() -> dict[str, Any] | None:
    """The pending offer, once: a reload does not show it again."""
    return session.pop(KEY, None)
