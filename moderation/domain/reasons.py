"""The free-text reason a moderator gives for a decision, an undo, a sanction or a set-aside
rejection: one length limit and one way to say what is missing."""
from __future__ import annotations

from moderation.domain.errors import ValidationFailed

MAX_REASON_LENGTH = 2000


def clean_reason(reason: str | None, *, required: bool = False, to: str | None = None) -> str | None:
    """The reason trimmed, None when blank; ValidationFailed when too long, or when blank and
    `required`. `to` says what needs it ("reject a comment"); without it the message is bare, for
    pages that already say what was refused ("Not sanctioned: a reason is required.")."""
    reason = (reason or "").strip() or None
    if required and not reason:
        raise ValidationFailed(f"a reason is required to {to}" if to else "a reason is required", field="reason")
    if reason and len(reason) > MAX_REASON_LENGTH:
        raise ValidationFailed(f"the reason must be at most {MAX_REASON_LENGTH} characters", field="reason")
    return reason
