"""Erasures made after a backup, applied again once it is restored.

A restore replaces the database, the erasure records made since the backup with it: readers erased
in that time came back, texts, names and earlier drafts, and nothing said who they were (a data
protection officer's walk). `db restore` reads the records of the database it replaces first
(`backup.erasures_before_restore`), keeps them in a file under the var dir until they are applied
(a restore cut short between pg_restore and this had lost them for good: a security review), and
hands them here. A record keeps only a SHA-256, of the author id or of what a Perspective client's
erasure named (suggestion_erasure.py), so the restored site's author ids, reporter ids and
suggestion labels are hashed to find whom each one meant. Each is then erased again as the site had
asked, and the record is kept as it was made.

A site is the same site when its name and the moment it was created agree: a trial server's
"herald", restored over with production's backup, had its test erasures applied to production's
readers of the same ids (a security review).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, union
from sqlalchemy.orm import Session

from moderation.domain.erasure import author_hash, erase_author
from moderation.domain.errors import ValidationFailed
from moderation.domain.labels import SUGGESTSCORE
from moderation.domain.lifecycle import audit
from moderation.domain.suggestion_erasure import asked_hash
from moderation.models import AuthorErasure, AuthorSanction, Comment, LabelledExample, Report, Site


@dataclass(frozen=True)
class CarriedErasure:
    """An erasure record of the database a restore replaced."""

    site_name: str
    site_created_at: datetime
    author_hash: str
    requested_by: str
    erased_at: datetime
    counts: dict[str, Any]

    @property
    def of_an_author(self) -> bool:
        """An author's erasure, not a suggestion's: the two keep their hashes in one column."""
        return "comments_deleted" in self.counts


@dataclass
class Replayed:
    authors: int = 0       # readers found on the restored rows and erased again
    suggestions: int = 0   # suggestion labels deleted again
    kept: int = 0          # records kept with nothing left to erase (the reader wrote nothing in the backup)
    sites_gone: list[str] = field(default_factory=list)  # sites the backup does not have (by name and creation)


def keep_until_applied(path: Path, carried: list[CarriedErasure]) -> list[CarriedErasure]:
    """Write the records to `path` (0600) before the database is replaced, with any a restore cut
    short left there; return them all."""
    from moderation.private_files import open_private

    every = {(c.site_name, c.author_hash, c.erased_at.isoformat()): c for c in [*left_by_a_restore(path), *carried]}
    with open_private(path, encoding="utf-8") as out:
        json.dump([{**asdict(c), "site_created_at": c.site_created_at.isoformat(), "erased_at": c.erased_at.isoformat()}
                   for c in every.values()], out)
    return list(every.values())


def left_by_a_restore(path: Path) -> list[CarriedErasure]:
    if not path.is_file():
        return []
    try:
        return [CarriedErasure(**{**row, "site_created_at": datetime.fromisoformat(row["site_created_at"]),
                                  "erased_at": datetime.fromisoformat(row["erased_at"])})
                for row in json.loads(path.read_text(encoding="utf-8"))]
    except (ValueError, TypeError, KeyError) as error:  # edited or cut short by hand: said, not a traceback
        raise ValidationFailed(f"{path} holds erasures a restore did not apply, and cannot be read ({error}); "
                               "nothing was changed: mend it, or move it aside once you have applied them",
                               field="erasures") from None


def replay_erasures(session: Session, carried: Iterable[CarriedErasure], *, actor: str) -> Replayed:
    """Apply again each carried erasure the restored database has no record of. The caller commits;
    the deleted comments' webhook events wait for the sweep, as the service is stopped for a restore."""
    done = Replayed()
    sites = {(s.name, s.created_at): s for s in session.scalars(select(Site))}
    known = {(r.site_id, r.author_hash, r.erased_at) for r in session.scalars(select(AuthorErasure))}
    people: dict[int, dict[str, str]] = {}
    labels: dict[int, dict[str, list[int]]] = {}
    for record in sorted(carried, key=lambda r: r.erased_at):
        site = sites.get((record.site_name, record.site_created_at))
        if site is None:
            if record.site_name not in done.sites_gone:
                done.sites_gone.append(record.site_name)
            continue
        if (site.id, record.author_hash, record.erased_at) in known:
            continue  # made before the backup: in it already
        author_id = None
        if record.of_an_author:
            if site.id not in people:
                people[site.id] = _people_of(session, site.id)
            author_id = people[site.id].get(record.author_hash)
        if author_id is not None:
            # Made when no hold stood (erasure refuses under one): a hold the backup holds was lifted
            # before it, and the site was told the reader is erased. Held back, a restore had brought
            # the reader's comments back for good, saying nothing (a re-check).
            erased = erase_author(session, site, author_id, actor=record.requested_by, despite_holds=True)
            erased.record.erased_at = record.erased_at  # the record as it was made; its counts are today's
            done.authors += 1
        else:
            if site.id not in labels:
                labels[site.id] = _suggestions_of(session, site.id)
            doomed = [] if record.of_an_author else labels[site.id].pop(record.author_hash, [])
            if doomed:
                session.execute(delete(LabelledExample).where(LabelledExample.id.in_(doomed)))
            done.suggestions += len(doomed)
            done.kept += not doomed
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


def _suggestions_of(session: Session, site_id: int) -> dict[str, list[int]]:
    """The site's suggestion labels by each hash an erasure of them records (suggestion_erasure.asked_hash),
    by client token and by text. Read once per site: read per
    record, 500 records over 50,000 labels took 106 s (a security review)."""
    found: dict[str, list[int]] = {}
    for row in session.execute(select(LabelledExample.id, LabelledExample.client_token, LabelledExample.text)
                               .where(LabelledExample.site_id == site_id, LabelledExample.kind == SUGGESTSCORE)):
        if row.client_token:
            found.setdefault(asked_hash(client_token=row.client_token), []).append(row.id)
        text_sha256 = hashlib.sha256(row.text.encode("utf-8")).hexdigest()
        found.setdefault(asked_hash(text_sha256=text_sha256), []).append(row.id)
    return found
