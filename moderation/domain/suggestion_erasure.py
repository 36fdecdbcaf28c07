"""Erasing the texts a Perspective client sent to `comments:suggestscore`, by its `clientToken` or by
the text's SHA-256.

Coral, with "Allow Coral to send moderation actions", sends every approved and rejected comment's
text here, with no author; a reader's erasure (DELETE /api/v1/authors/<id>) finds them only by the
texts of that author's comments sent to the comment API, so a site on Perspective's endpoint alone
had no way to honour an erasure request (an integrator's walk). The erasure is recorded as an
author's is (author_erasures, keeping only the SHA-256 of what was asked for), so a training run
that read those labels is discarded, as for any erasure (own_training.py).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, func
from sqlalchemy.orm import Session

from moderation.domain.errors import ValidationFailed
from moderation.domain.labels import SUGGESTSCORE
from moderation.domain.lifecycle import audit, now
from moderation.models import AuthorErasure, LabelledExample, Site

SHA256_HEX = re.compile(r"[0-9a-f]{64}")
MAX_TOKEN = 200  # labelled_examples.client_token


@dataclass(frozen=True)
class SuggestionErasure:
    record: AuthorErasure
    deleted: int


def asked_hash(*, client_token: str | None = None, text_sha256: str | None = None) -> str:
    """What an erasure record keeps of what was asked for: the SHA-256 of "client_token:<token>" or
    of "text_sha256:<the text's SHA-256>" (erasure_replay.py hashes labels the same way to find them)."""
    asked = f"client_token:{client_token}" if client_token is not None else f"text_sha256:{text_sha256}"
    return hashlib.sha256(asked.encode("utf-8")).hexdigest()


def _selector(client_token: str | None, text_sha256: str | None) -> ColumnElement[bool]:
    if (client_token is None) == (text_sha256 is None):
        raise ValidationFailed("give client_token or text_sha256 (one of them)", field="client_token")
    if client_token is not None:
        if not client_token or len(client_token) > MAX_TOKEN:
            raise ValidationFailed(f"client_token must have 1 to {MAX_TOKEN} characters", field="client_token")
        return LabelledExample.client_token == client_token
    if not SHA256_HEX.fullmatch(text_sha256 or ""):
        raise ValidationFailed("text_sha256 must be 64 lower-case hex digits: the SHA-256 of the text's UTF-8",
                               field="text_sha256")
    text_hash = func.encode(func.sha256(func.convert_to(LabelledExample.text, "UTF8")), "hex")
    return text_hash == text_sha256


def erase_suggestions(session: Session, site: Site, *, actor: str, client_token: str | None = None,
                      text_sha256: str | None = None) -> SuggestionErasure:
    """Delete the site's suggestscore labels with this client token, or of this text; recorded and
    audited, even when none were found (asking again is harmless). The caller commits."""
    which = _selector(client_token, text_sha256)
    deleted = session.execute(delete(LabelledExample).where(
        LabelledExample.site_id == site.id, LabelledExample.kind == SUGGESTSCORE, which)
        .execution_options(synchronize_session=False)).rowcount or 0
    record = AuthorErasure(site_id=site.id, author_hash=asked_hash(client_token=client_token, text_sha256=text_sha256),
                           requested_by=actor, erased_at=now(), counts={"labelled_examples": deleted})
    session.add(record)
    audit(session, actor, "suggestions:erased", site_id=site.id, asked_hash=record.author_hash, deleted=deleted)
    session.flush()
    return SuggestionErasure(record, deleted)
