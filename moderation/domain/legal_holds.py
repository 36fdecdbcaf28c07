"""Legal holds: comments a site must keep as evidence, whatever its retention or a reader's erasure.

An admin puts an author's comments, a story's, or one comment on hold, with a reason (a solicitor's
letter, a production order). While a hold stands:

* retention leaves the texts of the comments it covers (retention.expired_ids), and a reader's
  deletion on a site that erases at once keeps the text until the hold is lifted;
* a reader's erasure (DELETE /api/v1/authors/<id>, `moderation authors erase`) is refused with 409
  `legal_hold`, naming the hold, when any of the author's comments is covered: GDPR article
  17(3)(e) lets a controller keep data "for the establishment, exercise or defence of legal claims".
  The site tells its reader why; the erasure can be asked again once the hold is lifted.

Counsel at a regional paper had watched an erasure request destroy two comments named in a
solicitor's letter, and retention erase 25 more, with nothing to stop either. Placing and lifting
are audited; lifted holds stay as history.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import String, and_, cast, exists, func, or_, select
from sqlalchemy.orm import Session

from moderation.domain.errors import Conflict, NotFound, ValidationFailed
from moderation.domain.reasons import clean_reason
from moderation.domain.status import audit, now
from moderation.domain.typed_numbers import typed_int
from moderation.models import Comment, LegalHold, Site, User

SCOPES = ("author", "story", "comment")
MAX_TARGET_LENGTH = 200


class LegalHoldInForce(Conflict):
    code = "legal_hold"


# pg_advisory_xact_lock(HOLDS_LOCK, site id): placing a hold takes it exclusive, and what erases a
# site's texts (an author's erasure, retention, a deletion that erases at once) takes it shared before
# reading the holds, so a hold placed while an erasure runs waits for it to end, and says so only
# once it stands; one placed 0.05 s into an erasure of 500 comments had said it stood while the
# erasure went on to empty all 500 (a re-check).
HOLDS_LOCK = 0x6C68  # "lh"


def erasing(session: Session, site_ids: Iterable[int]) -> None:
    """Before reading the holds, in the transaction that erases these sites' texts."""
    for site_id in sorted(set(site_ids)):
        session.execute(select(func.pg_advisory_xact_lock_shared(HOLDS_LOCK, site_id)))


def _covers():  # noqa: ANN202 - an SQL condition
    """The hold's row covers the comment's row (both in the statement)."""
    return and_(LegalHold.site_id == Comment.site_id, LegalHold.lifted_at.is_(None), or_(
        and_(LegalHold.scope == "author", LegalHold.target == Comment.author_id),
        and_(LegalHold.scope == "story", LegalHold.target == Comment.story_id),
        and_(LegalHold.scope == "comment", LegalHold.target == cast(Comment.id, String))))


def under_hold():  # noqa: ANN201 - an SQL condition on Comment
    """Comment rows some standing hold covers."""
    return exists().where(_covers())


def is_held(session: Session, comment_id: int, site_id: int) -> bool:
    erasing(session, [site_id])
    return bool(session.scalar(select(under_hold()).select_from(Comment).where(Comment.id == comment_id)))


def holds_covering_author(session: Session, site_id: int, author_id: str) -> list[LegalHold]:
    """The standing holds that cover any comment of the author's on the site (their own hold among them)."""
    theirs = select(LegalHold).where(LegalHold.site_id == site_id, LegalHold.lifted_at.is_(None),
                                     LegalHold.scope == "author", LegalHold.target == author_id)
    of_their_comments = (select(LegalHold).join(Comment, _covers())
                         .where(Comment.site_id == site_id, Comment.author_id == author_id))
    found = {h.id: h for h in session.scalars(theirs)} | {h.id: h for h in session.scalars(of_their_comments)}
    return [found[i] for i in sorted(found)]


def refuse_erasure_if_held(session: Session, site: Site, author_id: str) -> None:
    erasing(session, [site.id])
    holds = holds_covering_author(session, site.id, author_id)
    if holds:
        first = holds[0]
        raise LegalHoldInForce(
            f"{len(holds)} legal hold{'s' if len(holds) > 1 else ''} cover{'' if len(holds) > 1 else 's'} comments of "
            f"{author_id!r} (hold #{first.id} on {first.scope} {first.target!r} since {first.created_at:%Y-%m-%d}): "
            "nothing was erased. The site keeps them for a legal claim; ask again once an admin lifts it "
            "(/admin/legal-holds)", field="author_id")


@dataclass(frozen=True)
class HoldInput:
    site_id: int
    scope: str
    target: str
    reason: str


def hold_input(site_id: int | None, scope: str | None, target: str | None, reason: str | None) -> HoldInput:
    if site_id is None:
        raise ValidationFailed("choose a site", field="site_id")
    if scope not in SCOPES:
        raise ValidationFailed(f"scope must be one of: {', '.join(SCOPES)}", field="scope")
    target = (target or "").strip()
    if scope == "comment":
        number = typed_int(target.lstrip("#"), maximum=2**63 - 1)  # a bigint, as comment ids are
        if number is None:
            raise ValidationFailed("a comment is held by its number here, as #305", field="target")
        target = str(number)
    if not any(ch.isprintable() and not ch.isspace() for ch in target) or len(target) > MAX_TARGET_LENGTH:
        # A zero-width space alone, which no comment's id can be, had been said to stand (a re-check).
        raise ValidationFailed(f"give the {scope}'s id, 1 to {MAX_TARGET_LENGTH} characters", field="target")
    return HoldInput(site_id, scope, target, clean_reason(reason, required=True))


def place_hold(session: Session, wanted: HoldInput, user: User) -> LegalHold:
    """The hold, audited; the caller commits. The same hold standing already is returned as it is."""
    site = session.get(Site, wanted.site_id)
    if site is None:
        raise ValidationFailed("no such site", field="site_id")
    if wanted.scope == "comment" and session.scalar(
            select(Comment.id).where(Comment.id == int(wanted.target), Comment.site_id == site.id)) is None:
        raise ValidationFailed(f"{site.name} has no comment #{wanted.target}", field="target")
    session.execute(select(func.pg_advisory_xact_lock(HOLDS_LOCK, site.id)))  # waits for erasures in flight
    standing = session.scalar(select(LegalHold).where(
        LegalHold.site_id == site.id, LegalHold.scope == wanted.scope, LegalHold.target == wanted.target,
        LegalHold.lifted_at.is_(None)))
    if standing is not None:
        return standing
    hold = LegalHold(site_id=site.id, scope=wanted.scope, target=wanted.target, reason=wanted.reason,
                     created_by=user.id, created_at=now())
    session.add(hold)
    session.flush()
    audit(session, f"user:{user.username}", "legal_hold:placed", hold_id=hold.id, site_id=site.id,
          scope=hold.scope, target=hold.target, reason=hold.reason)
    return hold


def lift_hold(session: Session, hold_id: int, user: User, reason: str | None) -> LegalHold:
    hold = session.get(LegalHold, hold_id, with_for_update=True)
    if hold is None:
        raise NotFound(f"no legal hold #{hold_id}")
    if hold.lifted_at is not None:
        raise Conflict(f"hold #{hold_id} was lifted on {hold.lifted_at:%Y-%m-%d}", field="hold_id")
    hold.lifted_at, hold.lifted_by, hold.lift_reason = now(), user.id, clean_reason(reason, required=True)
    audit(session, f"user:{user.username}", "legal_hold:lifted", hold_id=hold.id, site_id=hold.site_id,
          scope=hold.scope, target=hold.target, reason=hold.lift_reason)
    return hold


def list_holds(session: Session) -> list[tuple[LegalHold, int]]:
    """Every hold, standing first then newest, with how many comments it covers now."""
    holds = session.scalars(select(LegalHold).order_by(LegalHold.lifted_at.is_not(None), LegalHold.id.desc())).all()
    return [(hold, covered_count(session, hold)) for hold in holds]


def covered_count(session: Session, hold: LegalHold) -> int:
    # By id for one comment: compared as text, every comment of the site was read (a re-check).
    found = (Comment.id == int(hold.target) if hold.scope == "comment" else
             {"author": Comment.author_id, "story": Comment.story_id}[hold.scope] == hold.target)
    return session.scalar(select(func.count(Comment.id)).where(Comment.site_id == hold.site_id, found)) or 0
