"""Errors the domain raises; the API turns each into a 4xx JSON body."""
from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "invalid_request"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def sentence(self) -> str:
        """The message as a sentence for a page: most are clauses ("a suspension lasts 1 to 365 days"),
        a few whole sentences already ("This comment changed since you opened it (now held).")."""
        return self.message if self.message.endswith((".", "!", "?")) else self.message + "."


class ValidationFailed(DomainError):
    status = 400
    code = "invalid_field"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class AlreadyDecided(DomainError):
    status = 409
    code = "already_decided"


class SiteDeactivated(AlreadyDecided, Conflict):
    """A change to a deactivated site's comments or authors (lifecycle.refuse_if_deactivated): a
    Conflict where an admin page expects one, AlreadyDecided where a decision's page does."""

    code = "site_deactivated"


class TooManyAttempts(DomainError):
    """Too many failed sign-ins or key checks: refused before any password hashing, even a right one."""

    status = 429
    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after


class RateLimited(TooManyAttempts):
    """Too many reports (per comment or per reporter) in a short time."""

    code = "rate_limited"


class AccountDisabled(DomainError):
    """The right password for an account an admin turned off."""

    status = 403
    code = "account_disabled"


class KeyScope(DomainError):
    """A right key on an endpoint it does not reach: a site's scoring key on the comment API."""

    status = 403
    code = "key_scope"


class Busy(DomainError):
    status = 503
    code = "busy"

    def __init__(self, message: str, *, retry_after: int = 5) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ClaimedByOther(AlreadyDecided):
    """Another moderator holds a live claim on the comment (domain/claims.py).

    A kind of AlreadyDecided so that every caller refusing a stale decision (the decide form's
    flash, a bulk action's skipped list) refuses this one the same way, with its message.
    """

    code = "claimed_by_other"


def driver_error(error: BaseException) -> BaseException:
    """The database driver's own exception behind SQLAlchemy's wrapper ("No space left on device"),
    whose message carries no statement or row values; the error itself when it wraps nothing."""
    return getattr(error, "orig", None) or error
