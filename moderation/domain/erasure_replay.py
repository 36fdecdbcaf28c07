"""Erasures made after a backup, applied again once it is restored.

A restore replaces the database, the erasure records made since the backup with it: readers erased
in that time came back, texts, names and earlier drafts, and nothing said who they were (a data
protection officer's walk). `db restore` reads the records of the database it replaces first
(`backup.erasures_before_restore`), and hands them here. A record keeps only a SHA-256, of the
author id or of what a Perspective client's erasure named (suggestion_erasure.py), so the restored
site's author ids, reporter ids and suggestion labels are hashed to find whom each one meant.
Each is then erased again as the site had asked, and the record is kept as it was made.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, union
from sqlalchemy.orm import Session

from moderation.domain.erasure import author_hash, erase_author
from moderation.domain.labels import SUGGESTSCORE
from moderation.domain.lifecycle import audit
from moderation.models import AuthorErasure, AuthorSanction, Comment, LabelledExample, Report, Site


@dataclass(frozen=True)
class CarriedErasure:
    """An erasure record of the database a restore replaced."""

    site_name: str
    author_hash: str
    requested_by: str
    erased_at: datetime
    counts: dict[str, Any]


@dataclass
class Replayed:
    authors: int = 0       # readers found on the restored rows and erased again
    suggestions: int = 0   # suggestion labels deleted again
    kept: int = 0          # records kept with nothing left to erase (the reader wrote nothing in the backup)
    sites_gone: list[str] = field(default_factory=list)  # sites the backup does not have


def replay_erasures(session: Session, carried: Iterable[CarriedErasure], *, actor: str) -> Replayed:
    """Apply again each carried erasure the restored database has no record of. The caller commits;
    the deleted comments' webhook events wait for the sweep, as the service is stopped for a restore."""
    done = Replayed()
    sites = {s.name: s for s in session.scalars(select(Site))}
    known = {(r.site_id, r.author_hash, r.erased_at) for r in session.scalars(select(AuthorErasure))}
    ids_by_site: dict[int, dict[str, str]] = {}
    for record in sorted(carried, key=lambda r: r.erased_at):
        site = sites.get(record.site_name)
        if site is None:
            if record.site_name not in done.sites_gone:
                done.sites_gone.append(record.site_name)
            continue
        if (site.id, record.author_hash, record.erased_at) in known:
            continue  # made before the backup: in it already
        if site.id not in ids_by_site:
            ids_by_site[site.id] = _people_of(session, site.id)
        author_id = ids_by_site[site.id].get(record.author_hash)
        if author_id is not None:
            erased = erase_author(session, site, author_id, actor=record.requested_by)
            erased.record.erased_at = record.erased_at  # the record as it was made; its counts are today's
            done.authors += 1
        else:
            deleted = _delete_suggestions(session, site.id, record.author_hash)
            done.suggestions += deleted
            done.kept += not deleted
            session.add(AuthorErasure(site_id=site.id, author_hash=record.author_hash, requested_by=record.requested_by,
                                      erased_at=record.erased_at, counts=record.counts))
        audit(session, actor, "erasure:applied_again", site_id=site.id, hash=record.author_hash,
              first_erased_at=record.erased_at.isoformat())
    session.flush()
    return done


def _people_of(session: Session, site_id: int) -> dict[str, str]:
    """Every author and reporter id the site's rows hold, by its SHA-256."""
    ids = session.scalars(union(
        select(Comment.author_id).where(Comment.site_id == site_id),
        select(Report.reporter_id).join(Comment, Comment.id == Report.comment_id)
        .where(Comment.site_id == site_id, Report.reporter_id.is_not(None)),
        select(AuthorSanction.author_id).where(AuthorSanction.site_id == site_id)))
    return {author_hash(i): i for i in ids if i}


def _delete_suggestions(session: Session, site_id: int, asked_hash: str) -> int:
    """The suggestion labels an erasure by client token or by text hash named, if any."""
    def hashed(asked: str) -> str:
        return hashlib.sha256(asked.encode("utf-8")).hexdigest()

    doomed = [row.id for row in session.execute(
        select(LabelledExample.id, LabelledExample.client_token, LabelledExample.text)
        .where(LabelledExample.site_id == site_id, LabelledExample.kind == SUGGESTSCORE))
        if (row.client_token and hashed(f"client_token:{row.client_token}") == asked_hash)
        or hashed("text_sha256:" + hashlib.sha256(row.text.encode("utf-8")).hexdigest()) == asked_hash]
    if doomed:
        session.execute(delete(LabelledExample).where(LabelledExample.id.in_(doomed)))
    return len(doomed)
