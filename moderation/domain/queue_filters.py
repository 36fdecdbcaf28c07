"""The review page's tabs and filters, read from a query string and turned into SQL conditions.

Filters combine (AND). Parsing is strict: a filter that cannot be read is an error the page
shows, not a silently wider list a moderator might act on.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Float, and_, exists, func, literal_column, or_, select
from sqlalchemy.sql.elements import ColumnElement

from classifiers.attributes import ATTRIBUTES
from moderation.domain.errors import ValidationFailed
from moderation.domain.lifecycle import (APPROVED, HELD, PENDING, PUBLISHED, REJECTED, STATUSES, STORM,
                                           in_review_queue_condition, reported_condition)
from moderation.domain.rules import KINDS, MAX_NAME as MAX_RULE_NAME
from moderation.domain.typed_numbers import typed_float
from moderation.domain.version_effect import of_version
from moderation.domain.zones import known_zone
from moderation.models import REPORT_REASONS, Comment, Report, User

# The default tab is the work list (held by the model or reported past the site's threshold);
# the others let a moderator look at the backlog and at what was decided.
TABS: dict[str, str] = {
    "review": "To review",
    HELD: "Held",
    "reported": "Reported",
    PENDING: "Pending",
    # What readers see now without a moderator's word: where a spam wave the rules came too late for
    # is searched and rejected in bulk (an SRE's walk left 24,690 spam comments published).
    PUBLISHED: "Published",
    APPROVED: "Approved",
    REJECTED: "Rejected",
    "all": "All",
}
# What each tab holds, for its tooltip and screen readers: "To review 30" beside "Held 30" read as
# the same list twice (a moderator's walk).
TAB_HINTS: dict[str, str] = {
    "review": "held comments, and published ones readers reported past the site's threshold",
    HELD: "comments the model, a rule or reports held",
    "reported": "comments with readers' reports no moderator has answered: held, and shown ones under the threshold",
    PENDING: "comments not scored yet",
    PUBLISHED: "comments the policy published and no moderator has decided",
    APPROVED: "comments a moderator approved",
    REJECTED: "comments rejected by a moderator or the policy",
    "all": "every comment",
}
MAX_SEARCH_LENGTH = 200
MAX_TEXT_FILTER_LENGTH = 200
MAX_VERSION_LENGTH = 100  # comments.model_version's column
# The configuration comments.search_vector is computed with (migration 0025_accent_blind_search):
# English stemming after unaccent, so a query is folded as the comments were.
SEARCH_CONFIG = literal_column("'moderation_search'::regconfig")


def held_reported_condition() -> ColumnElement[bool]:
    """Held with a report no moderator has resolved. `report_weight` alone keeps counting reports
    a moderator dismissed, so a comment approved and then edited (held again for its new text)
    stayed on the Reported tab. The weight test keeps the partial index's narrowing."""
    open_report = exists().where(Report.comment_id == Comment.id, Report.outcome.is_(None))
    return and_(Comment.status == HELD, Comment.report_weight > 0, open_report)


def _reported() -> ColumnElement[bool]:
    """What readers reported that no moderator has answered. Reports past the threshold hold a
    published comment (domain/reports.py), so "published and past the threshold" alone, the queue's
    other half, is nearly always empty: the tab read 0 beside cards held for their reports. A shown
    comment whose open reports are under the threshold is here too, though not to review: a DSA
    walk's single off-topic and anonymous reports waited in no list, while the site must answer
    every notice."""
    return or_(held_reported_condition(), reported_condition(), shown_reported_condition())


def shown_reported_condition() -> ColumnElement[bool]:
    """Shown (published, or approved and reported since) with a report no moderator has answered,
    under what would send it to review: apart from the other two sets of the Reported tab, so their
    counts add up. An approved one's card answers its reports with "Keep approved, dismiss the
    reports" (review/report_answers.py): listed with nothing to answer with, then not listed at all,
    its readers' reports had waited for ever (two re-checks)."""
    open_report = exists().where(Report.comment_id == Comment.id, Report.outcome.is_(None))
    return and_(Comment.status.in_((PUBLISHED, APPROVED)), Comment.report_weight > 0, open_report,
                ~reported_condition())


def tab_condition(tab: str) -> ColumnElement[bool] | None:
    """Which comments a tab holds (None: all); the query must join Site for 'review' and 'reported'."""
    if tab == "review":
        return in_review_queue_condition()
    if tab == "reported":
        return _reported()
    if tab in (HELD, PENDING, PUBLISHED, APPROVED, REJECTED):
        return Comment.status == tab
    return None


# The attribute a kind of site rule (domain/rules.py) finds in words the model misses: a moderator
# clearing threats first filters on "threat" and must see those a rule held, not the model's alone.
# Spam and personal information only rules find too: a business desk's walk had no way to list its
# spam wave's held comments but hand-built searches, and a crime desk's doxxing sat among the rest.
# Each kind says its flag (rules.Kind.flag).
RULE_FLAGS: dict[str, tuple[str, ...]] = {}
for _kind_name, _kind in KINDS.items():
    if _kind.flag:
        RULE_FLAGS[_kind.flag] = (*RULE_FLAGS.get(_kind.flag, ()), _kind_name)
# The report reasons a flag lists too: what a rule missed and a reader reported (a re-check).
REPORTED_FLAGS = ("self_harm", "personal_information", "spam")
# What the "Flagged for" filter offers: the model's attributes, and what only rules and readers find;
# and a storm's holds of comments the policy would have published, to pick them out of the queue once
# it is over (a newsroom's first day: 282 civil comments held on five stories, and no filter for them).
FLAGS = (*ATTRIBUTES, "self_harm", "contact_seeking", "personal_information", "spam", "other_language", STORM)


@dataclass(frozen=True)
class QueueFilters:
    site: int | None = None
    story: str | None = None
    reason: str | None = None
    flag: str | None = None
    # A site rule by name: what a flag rule caught, or what a rule since removed still holds (an
    # editor's walk had no way to list either but scrolling the tabs).
    rule: str | None = None
    # The model version that scored a comment: after a rollback, what the bad version published is
    # still published, and a data scientist's walk found no list of it (215 of 1,244 were ones the
    # site wanted held). With the Published tab and "All N matching…", a moderator holds them.
    model: str | None = None
    score_attr: str = "toxicity"
    score_min: float | None = None
    score_max: float | None = None
    author: str | None = None
    # The moderator who decided, by username: a lead checking a new moderator's approvals, a readers'
    # editor weighing "the moderator is biased against me", an admin reading a suspect batch of labels
    # before promoting what learnt them (three walks had only the audit log, one entry at a time).
    decided_by: str | None = None
    # A reader's reports, whoever wrote the comments: "someone keeps reporting all my comments" (a
    # readers' editor's walk) and a serial reporter's pattern (a trust and safety walk).
    reported_by: str | None = None
    since: date | None = None
    until: date | None = None
    q: str | None = None
    # The browser's zone (IANA name), whose days `since` and `until` are: in UTC days, a Tokyo
    # moderator's "received 12-05", the date every card showed, found nothing (a moderator's walk).
    tz: str | None = None

    def as_args(self) -> dict[str, str]:
        """The query-string form, for links that keep the filters (tabs, next page); the zone only
        with a date it applies to."""
        args: dict[str, str] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value is not None and not (field.name == "score_attr" and value == "toxicity") \
                    and not (field.name == "tz" and not (self.since or self.until)):
                args[field.name] = value.isoformat() if isinstance(value, date) else str(value)
        return args

    @property
    def active(self) -> bool:
        return bool({k for k in self.as_args() if k != "site"})

    def conditions(self) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        if self.site is not None:
            where.append(Comment.site_id == self.site)
        if self.story:
            where.append(Comment.story_id == self.story)
        if self.reason:
            where.append(exists(select(Report.id).where(Report.comment_id == Comment.id,
                                                        Report.reason == self.reason)))
        if self.flag:
            reported = ([exists(select(Report.id).where(Report.comment_id == Comment.id, Report.reason == self.flag))]
                        if self.flag in REPORTED_FLAGS else [])
            where.append(or_(Comment.flagged.contains([self.flag]),
                             *(Comment.rule_hits.contains([{"kind": kind}]) for kind in RULE_FLAGS.get(self.flag, ())),
                             *reported))
        if self.rule:
            where.append(Comment.rule_hits.contains([{"rule": self.rule}]))
        if self.model:
            # Each comment under one version: a published one under the version whose word published it,
            # which a held comment scored again and released does not keep as model_version.
            where.append(of_version(self.model))
        score = Comment.scores[self.score_attr].astext.cast(Float)
        if self.score_min is not None:
            where.append(score >= self.score_min)
        if self.score_max is not None:
            where.append(score <= self.score_max)
        if self.author:
            # The name accent-blind, as the text search is: "Maria Jose" typed on a keyboard without
            # accents found none of María José's comments (a moderator's walk).
            where.append(or_(Comment.author_id == self.author,
                             func.unaccent(func.lower(Comment.author_name)) == func.unaccent(self.author.lower())))
        if self.reported_by:
            where.append(exists(select(Report.id).where(Report.comment_id == Comment.id,
                                                        Report.reporter_id == self.reported_by)))
        if self.decided_by:
            # In any case, as signing in takes it: "Bob" found none of bob's decisions (a re-check).
            where.append(Comment.decided_by.in_(select(User.id).where(
                func.lower(User.username) == self.decided_by.lower())))
        days_in = zone(self.tz)
        if self.since:
            where.append(Comment.received_at >= datetime.combine(self.since, time(), days_in))
        if self.until and self.until < date.max:  # the day after 9999-12-31 is an OverflowError (a 500: a walk)
            where.append(Comment.received_at < datetime.combine(self.until + timedelta(days=1), time(), days_in))
        if self.q:
            where.append(Comment.search_vector.op("@@")(func.websearch_to_tsquery(SEARCH_CONFIG, self.q)))
        return where

    def within(self, tab: str) -> list[ColumnElement[bool]]:
        """What conditions() picks of one tab of a single status, said again as that status's indexes
        read it: with the version's published ones under an OR of two statuses, the Published tab by
        version read every published comment in the queue's order to find them."""
        return [of_version(self.model, tab)] if self.model and tab in STATUSES else []


# The filter form's labels: an error names the box the moderator typed in, not the query parameter.
LABELS = {"site": "Site", "story": "Story id", "author": "Author", "decided_by": "Decided by", "reported_by": "Reported by",
          "reason": "Report reason",
          "flag": "Flagged for",
          "rule": "Rule", "model": "Scored by version",
          "score_attr": "Score of", "score_min": "Score from", "score_max": "Score to", "since": "Received from",
          "until": "Received to", "q": "Search the text", "tab": "The tab"}


def _unreadable(name: str, problem: str) -> ValidationFailed:
    return ValidationFailed(f"{LABELS.get(name, name)} {problem}", field=name)


def _text(args: Mapping[str, str], name: str, limit: int = MAX_TEXT_FILTER_LENGTH) -> str | None:
    value = (args.get(name) or "").strip()
    if len(value) > limit:
        raise _unreadable(name, f"must be at most {limit} characters")
    return value or None


def _choice(args: Mapping[str, str], name: str, allowed: tuple[str, ...] | list[str]) -> str | None:
    value = _text(args, name)
    if value is not None and value not in allowed:
        raise _unreadable(name, f"must be one of {', '.join(allowed)}")
    return value


def _score(args: Mapping[str, str], name: str) -> float | None:
    value = _text(args, name)
    if value is None:
        return None
    if value.count(",") == 1 and "." not in value:  # a decimal comma ("0,7"): the error page had replaced the queue
        value = value.replace(",", ".")
    try:
        number = typed_float(value)
    except ValueError:
        number = -1.0
    if not 0.0 <= number <= 1.0:
        raise _unreadable(name, "must be a number from 0 to 1")
    return number


def _date(args: Mapping[str, str], name: str) -> date | None:
    value = _text(args, name)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _unreadable(name, "must be a date like 2026-11-28") from None


def parse_tab(args: Mapping[str, str]) -> str:
    return _choice(args, "tab", list(TABS)) or "review"


def parse_filters(args: Mapping[str, str]) -> QueueFilters:
    """Filters from a query string; raises ValidationFailed naming the first unreadable one."""
    site = _text(args, "site")
    # isascii: str.isdigit() also admits "²", which int() refuses.
    if site is not None and not (site.isascii() and site.isdigit() and len(site) < 10):
        raise _unreadable("site", "must be a site id")
    filters: dict[str, Any] = dict(
        site=int(site) if site is not None else None,
        story=_text(args, "story"),
        reason=_choice(args, "reason", REPORT_REASONS),
        flag=_choice(args, "flag", FLAGS),
        rule=_text(args, "rule", MAX_RULE_NAME),
        model=_text(args, "model", MAX_VERSION_LENGTH),
        score_attr=_choice(args, "score_attr", ATTRIBUTES) or "toxicity",
        score_min=_score(args, "score_min"),
        score_max=_score(args, "score_max"),
        author=_text(args, "author"),
        decided_by=_text(args, "decided_by"),
        reported_by=_text(args, "reported_by"),
        since=_date(args, "since"),
        until=_date(args, "until"),
        q=_text(args, "q", MAX_SEARCH_LENGTH),
        tz=zone_name(args),
    )
    return QueueFilters(**filters)


def zone_name(args: Mapping[str, str]) -> str | None:
    """A zone this server knows, else None (UTC days): a browser names its own, and an unknown one
    (tzdata older than the browser's) should not make the queue a 400."""
    return known_zone(args.get("tz"))


def zone(name: str | None) -> tzinfo:
    return ZoneInfo(name) if name else timezone.utc
