"""What each site's Perspective client is answered, counted and, when refused, said in the log.

Every refusal here is a comment its client publishes unscored (Coral does), and the operator is the
one who can raise a limit or reissue a key; yet the answers were counted by route and status alone,
and the log had no line for them: which site's Coral was being refused could not be told (a
migrating site's walk, 20,167 quota refusals and 46 wrong keys among 42,000 calls, none by site).
Counted as moderation_perspective_answers_total{site, method, outcome}; refusals logged per site,
one line at once and then at most one every LOG_EVERY_SECONDS with the counts meanwhile.
"""
from __future__ import annotations

import logging

from moderation.log_throttle import EveryFewSeconds
from moderation.observability import metrics

log = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 10.0


def outcome(status: int, error_type: str | None) -> str:
    """`answered`, `quota` (429) or `long_texts_at_once` (a 429 of PERSPECTIVE_CONCURRENCY_PER_SITE), a
    400's Perspective errorType in lower case (`comment_empty`, `language_not_supported_by_attribute` ...)
    or `invalid`, or `error`."""
    if status < 400:
        return "answered"
    if status == 429:
        return error_type.lower() if error_type else "quota"
    if status == 400:
        return error_type.lower() if error_type else "invalid"
    return "error"


class RefusalLog:
    """Per site: the first refusal logged at once, the rest counted into a line every LOG_EVERY_SECONDS."""

    def __init__(self) -> None:
        self._lines = EveryFewSeconds(LOG_EVERY_SECONDS)

    def refused(self, site: str, method: str, what: str) -> None:
        counts = self._lines.note(f"{method} {what}", key=site)
        if counts is not None:
            log.warning("site %s: Perspective requests refused (its client publishes them unscored): %s", site,
                        ", ".join(f"{n} {kind}" for kind, n in counts.most_common()))


def count(site: str, method: str, status: int, error_type: str | None, refusals: RefusalLog) -> None:
    what = outcome(status, error_type)
    metrics.record(lambda: metrics.PERSPECTIVE_ANSWERS.labels(site, method, what).inc())
    if what != "answered":
        refusals.refused(site, method, what)
