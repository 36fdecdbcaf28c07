"""Which sign-in did what: a short tag given to each browser session at sign-in.

The sign-in's audit entry carries it with the address and browser, every audit entry a signed-in
user's request writes carries it too, and the access log names the user and tag of each request.
An operator whose moderator's password was phished could not tell the attacker's decisions from
the moderator's own, interleaved in the same minute under the same `user:mona`, nor find when or
from where the attacker had signed in (an incident walk).
"""
from __future__ import annotations

import re
import secrets
from typing import Any

from flask import Flask, g, has_request_context, request, session
from sqlalchemy import event
from sqlalchemy.orm import Session

from moderation.domain.signin import SESSION_TAG
from moderation.models import AuditEntry

SESSION_KEY = "tag"
DETAIL = SESSION_TAG  # the audit entry's detail that holds it
# The access log's field (gunicorn's %({moderation.who}e)s): "mona/3f2a9c1e07b4", or "-" when nobody is signed in.
ENVIRON_KEY = "moderation.who"
BROWSER_LENGTH = 200
_KEY_ID = re.compile(r"[0-9a-f]{16}")


def new_tag() -> str:
    # 48 bits: a newsroom signs in some 200,000 times a year, and 32 bits would have two sign-ins share a tag.
    return secrets.token_hex(6)


def browser() -> str | None:
    """The browser's own description of itself, as sent (User-Agent), cut to a length a log row keeps."""
    agent = request.headers.get("User-Agent", "").strip()
    return agent[:BROWSER_LENGTH] or None


def mark_request(username: str) -> None:
    """Names the signed-in user and their session's tag in the access log's line for this request."""
    tag = session.get(SESSION_KEY)
    request.environ[ENVIRON_KEY] = f"{username}/{tag}" if isinstance(tag, str) else username


def mark_key(site_id: int | None, api_key: str) -> None:
    """Names the site and the public id of the key a request used (`mk_<id>_<secret>`: the id, never
    the secret), so an operator can see whether a leaked key was still used after its rotation;
    `site:?` before the key is checked, which a refused one stays (a re-check: a revoked key's
    requests were logged "-")."""
    if not has_request_context():
        return
    parts = api_key.split("_", 2)
    # Only what a key id can be: a refused key's id is whatever the client sent, and "x mona/eb44ba1737"
    # had ended a line as a signed-in moderator's (a re-check).
    key_id = parts[1] if len(parts) == 3 and _KEY_ID.fullmatch(parts[1]) else "?"
    prefix = parts[0] if parts[0] in ("mk", "mks") else "?"
    request.environ[ENVIRON_KEY] = f"site:{'?' if site_id is None else site_id}/{prefix}_{key_id}"


def _tag_entries(db_session: Session, flush_context: Any, instances: Any) -> None:
    if not has_request_context():
        return
    tag, user = session.get(SESSION_KEY), g.get("user")
    if not isinstance(tag, str) or user is None:
        return
    actor = f"user:{user.username}"
    for entry in db_session.new:
        if isinstance(entry, AuditEntry) and entry.actor == actor and DETAIL not in (entry.details or {}):
            entry.details = {**(entry.details or {}), DETAIL: tag}


def init_app(app: Flask) -> None:
    if not event.contains(Session, "before_flush", _tag_entries):
        event.listen(Session, "before_flush", _tag_entries)
