"""The admin's audit log: newest first, filtered by who and what, a page at a time.

Pages go by id (`before`), not offset: entries keep arriving while an admin reads, and an offset
would show some twice.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, false, or_, select, text
from sqlalchemy.orm import Session

from moderation.domain.pseudonyms import user_of_pseudonym
from moderation.domain.signin import SESSION_TAG
from moderation.models import AuditEntry, Comment

PAGE_SIZE = 200


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    older: int | None  # the `before` of the next page, if there is one


def action_code(text: str) -> str:
    """What an admin typed, as the page shows actions ("status: held → approved", "rules changed"),
    in the codes' spelling ("status:held->approved", "rules_changed"); codes pass unchanged."""
    text = re.sub(r"\s*(?:→|->)\s*", "->", text.strip())
    return re.sub(r"\s*:\s*", ":", text).replace(" ", "_")


def _contains(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# The log's distinct actions, one probe of the (action, id) index each (a few dozen in all): a filter
# `action ILIKE '%code%'` read every entry to find a rare action ("decision:reversed", which the
# Decisions page links to), some 2-3 s at 3 million entries (a re-check). The actions it would have
# matched are found here, and the log is read by the index for those.
_DISTINCT_ACTIONS = text("""
WITH RECURSIVE found(action) AS (
    (SELECT action FROM audit_log ORDER BY action LIMIT 1)
    UNION ALL
    SELECT (SELECT a.action FROM audit_log AS a WHERE a.action > found.action ORDER BY a.action LIMIT 1)
    FROM found WHERE found.action IS NOT NULL
)
SELECT action FROM found WHERE action IS NOT NULL
""")


def _actions_containing(session: Session, code: str) -> list[str]:
    """The actions in the log that contain `code`, as ILIKE matched them: without regard to case."""
    wanted = code.casefold()
    return [action for action in session.scalars(_DISTINCT_ACTIONS) if wanted in action.casefold()]


def _of_sites(site_ids: list[int]) -> ColumnElement[bool]:
    """Entries about these sites: about their comments (scoring, decisions, reports), about the sites
    themselves (settings, keys, rules), and what their keys did. An agency running 25 sites had no
    way to read one site's log: scorer and moderator entries do not name the site. A bulk
    decision's summary names every site it touched."""
    if not site_ids:
        return false()
    return or_(AuditEntry.comment_id.in_(select(Comment.id).where(Comment.site_id.in_(site_ids))),
               AuditEntry.details["site_id"].astext.in_([str(site_id) for site_id in site_ids]),
               *(AuditEntry.details.contains({"site_ids": [site_id]}) for site_id in site_ids),
               AuditEntry.actor.in_([f"site:{site_id}" for site_id in site_ids]))


def audit_page(session: Session, *, who: str = "", what: str = "", comment_id: int | Collection[int] | None = None,
               site_id: int | None = None, before: int | None = None, page_size: int = PAGE_SIZE,
               within: Collection[int] | None = None, since: datetime | None = None,
               until: datetime | None = None) -> AuditPage:
    """The entries, newest first. `comment_id`: one comment's, or several's (counsel's timeline of the
    29 comments a solicitor's letter named, one number at a time before). `since` and `until`: those
    at or after, and before, these instants (a month's entries for a transparency report)."""
    query = select(AuditEntry)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    if site_id is not None:
        query = query.where(_of_sites([site_id]))
    if within is not None:  # a site admin's log: their sites' entries only, whatever else is asked
        # Not a bulk decision's summary that also names another site: it lists that site's comment
        # ids, readers and bans (a security review's site admin read another title's reader ids).
        query = query.where(_of_sites(sorted(within)),
                            or_(~AuditEntry.details.has_key("site_ids"),
                                AuditEntry.details["site_ids"].contained_by(sorted(within))))
    if (named := user_of_pseudonym(session, who)) is not None:
        # A site's mod_... id names one account exactly: matched as a part of a name, ann's id had
        # listed joanne's decisions too (a re-check).
        query = query.where(or_(AuditEntry.actor == f"user:{named.username}",
                                AuditEntry.details["user"].astext == named.username,
                                AuditEntry.details["username"].astext == named.username))
        who = ""
    if who.strip():
        # Who acted, or whose account was acted on: "olu" finds olu's own decisions and the day an
        # admin created, added and disabled olu. A sign-in's session tag finds what that session did.
        pattern = _contains(who.strip())
        query = query.where(or_(AuditEntry.actor.ilike(pattern, escape="\\"),
                                AuditEntry.details[SESSION_TAG].astext == who.strip(),
                                AuditEntry.details["user"].astext.ilike(pattern, escape="\\"),
                                AuditEntry.details["username"].astext.ilike(pattern, escape="\\")))
    if what.strip():
        query = query.where(AuditEntry.action.in_(_actions_containing(session, action_code(what))))
    if isinstance(comment_id, int):
        query = query.where(AuditEntry.comment_id == comment_id)
    elif comment_id is not None:
        query = query.where(AuditEntry.comment_id.in_(sorted(comment_id)))
    if before is not None:
        query = query.where(AuditEntry.id < before)
    rows = session.scalars(query.order_by(AuditEntry.id.desc()).limit(page_size + 1)).all()
    entries = list(rows[:page_size])
    return AuditPage(entries, entries[-1].id if len(rows) > page_size else None)
