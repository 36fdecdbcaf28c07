"""Sanctions on an author, per site: always pre-moderate, suspend for N days, ban.

A new sanction supersedes the one in force (closed with "superseded by ..."), so an author has
one, but for a bulk rejection's "always pre-moderate" over a suspension: that one waits beneath it
and applies when the suspension ends (a re-check: left out, the raider was free in a day). Where
two are in force, the stronger applies (`strongest`). Suspensions end by themselves at
`expires_at`; a moderator's lift ends every sanction in force.

The scorer enforces them (see `enforce`): a banned or suspended author's new comments are
rejected, whatever their scores ("author banned", "author suspended until ..."), but for a reader
who may be at risk, held for a person (routing.route); a pre-moderated
author's are held for review with the flag `author_premoderated`, even when civil. From the moment
it is posted, until scoring, a sanctioned author's comment carries its sanction's flag, which hides
it (`sanction_flags`). Comments already decided are left alone. The site is told by webhook (`author.sanctioned`,
`author.sanction_lifted`) and can ask GET /api/v1/authors/<author_id>.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, Text, case, cast, func, literal, or_, select, text, tuple_
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from moderation.domain.dispatch import send_for_scoring
from moderation.domain.errors import Conflict, NotFound, SiteDeactivated, ValidationFailed
from moderation.domain.membership import visible_site_ids
from moderation.domain.lifecycle import (AUTHOR_BANNED, AUTHOR_PREMODERATED, AUTHOR_SUSPENDED, HELD, PENDING,
                                         PUBLISHED, REJECTED, SANCTION, change_status, commit_and_send,
                                         reflag_pending, refuse_if_deactivated, site_event)
from moderation.domain.policy import Verdict
from moderation.domain.reasons import clean_reason
from moderation.domain.status import audit, now
from moderation.models import SANCTION_KINDS, AuthorSanction, Comment, Site, User, WebhookDelivery

MAX_AUTHOR_ID_LENGTH = 200
MAX_SUSPENSION_DAYS = 3650
BANNED, SUSPENDED, PREMODERATED = AUTHOR_BANNED, AUTHOR_SUSPENDED, AUTHOR_PREMODERATED
_FLAGS = {"ban": BANNED, "suspend": SUSPENDED, "premoderate": PREMODERATED}
KIND_LABELS = {"premoderate": "always pre-moderate", "suspend": "suspended", "ban": "banned"}
# A bulk rejection's sanction for the authors (a raid's clean-up): a suspension's length is one
# author's call, made on their page. Never a step down: a banned author stays banned.
BULK_KINDS = ("premoderate", "ban")
_STRENGTH = {"premoderate": 1, "suspend": 2, "ban": 3}
# The sanctions that keep an author's comments off the site (premoderate only holds them).
BARRING_KINDS = ("ban", "suspend")
NOUNS = {"premoderate": "pre-moderation", "suspend": "suspension", "ban": "ban"}


def weaker(kind: str, than: str) -> bool:
    """Whether a sanction of `kind` is weaker than one of kind `than` (a shorter suspension is not told here)."""
    return _STRENGTH[kind] < _STRENGTH[than]


def is_active(sanction: AuthorSanction, at: datetime | None = None) -> bool:
    at = at or now()
    return sanction.lifted_at is None and (sanction.expires_at is None or sanction.expires_at > at)


def in_force_condition(at: datetime):
    return AuthorSanction.lifted_at.is_(None) & or_(AuthorSanction.expires_at.is_(None), AuthorSanction.expires_at > at)


def _precedence(sanction: AuthorSanction) -> tuple[int, int]:
    """Which of two sanctions in force applies: the stronger, the newer of equals."""
    return _STRENGTH[sanction.kind], sanction.id


def strongest(sanctions: Iterable[AuthorSanction]) -> AuthorSanction | None:
    """The sanction that applies of those in force."""
    return max(sanctions, key=_precedence, default=None)


def current_sanction(session: Session, site_id: int, author_id: str, at: datetime | None = None) -> AuthorSanction | None:
    return session.scalar(
        select(AuthorSanction)
        .where(AuthorSanction.site_id == site_id, AuthorSanction.author_id == author_id, in_force_condition(at or now()))
        .order_by(case(_STRENGTH, value=AuthorSanction.kind).desc(), AuthorSanction.id.desc())
        .limit(1)
    )


def sanction_flags(site_id, author_id, at=None):  # noqa: ANN001, ANN201 - SQL expressions in and out
    """A new or edited text's flags until it is scored: the flag of its author's sanction in force, as
    scoring will record it (`enforce`), which hides it while pending (lifecycle.is_visible). SQL, so
    an INSERT computes it in its own statement, as stories.story_rule_hits."""
    flag = case(*((AuthorSanction.kind == kind, literal(json.dumps([name]))) for kind, name in _FLAGS.items()))
    return (select(cast(flag, JSONB))
            .where(AuthorSanction.site_id == site_id, AuthorSanction.author_id == author_id,
                   in_force_condition(func.now() if at is None else at))
            .order_by(case(_STRENGTH, value=AuthorSanction.kind).desc(), AuthorSanction.id.desc())
            .limit(1).scalar_subquery())


def _pending_reflagged(session: Session, site: Site, author_id: str, at: datetime, actor: str) -> list[WebhookDelivery]:
    """The author's comments still waiting to be scored take the sanction in force now: they had kept
    the flag of one lifted since (hidden on a post-moderation site until scored, and for good if
    scoring failed), or shown with none under one put in force since (a re-check)."""
    session.flush()
    flags = session.scalar(select(sanction_flags(site.id, author_id, at)))
    pending = session.scalars(select(Comment).where(
        Comment.site_id == site.id, Comment.author_id == author_id, Comment.status == PENDING,
    ).order_by(Comment.id).with_for_update(of=Comment)).all()
    found = [reflag_pending(session, comment, flags, actor=actor, reason="the author's sanction changed")
             for comment in pending]
    return [delivery for delivery in found if delivery is not None]


def _all_in_force(session: Session, site_id: int, author_id: str, at: datetime) -> list[AuthorSanction]:
    return list(session.scalars(select(AuthorSanction).where(
        AuthorSanction.site_id == site_id, AuthorSanction.author_id == author_id, in_force_condition(at))))


def sanctions_in_force(
    session: Session, comments: Iterable[Comment], at: datetime
) -> dict[tuple[int, str], AuthorSanction]:
    """The sanction in force for each (site, author) of a batch, in one query."""
    return _in_force_for(session, {(c.site_id, c.author_id) for c in comments}, at)


def still_sanctioned(session: Session, viewer: User, pairs: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """Of these (site, author) pairs, in their order, those under a sanction now on a site `viewer`
    moderates: what an undone bulk decision left in force (review/bulk.py), read from the sanctions
    themselves, never from the page that names them."""
    visible = visible_site_ids(session, viewer)
    wanted = [pair for pair in dict.fromkeys(pairs) if visible is None or pair[0] in visible]
    in_force = _in_force_for(session, set(wanted), now())
    return [pair for pair in wanted if pair in in_force]


def _in_force_for(session: Session, pairs: set[tuple[int, str]], at: datetime) -> dict[tuple[int, str], AuthorSanction]:
    if not pairs:
        return {}
    rows = session.scalars(
        select(AuthorSanction)
        .where(tuple_(AuthorSanction.site_id, AuthorSanction.author_id).in_(list(pairs)), in_force_condition(at))
    )
    # In order of precedence, so the one that applies (`strongest`) is the last written.
    return {(s.site_id, s.author_id): s for s in sorted(rows, key=_precedence)}


def enforce(verdict: Verdict, sanction: AuthorSanction | None) -> tuple[Verdict, str | None]:
    """The policy's verdict overridden by the author's sanction, and the reason to record. A reader
    at risk is held even so (routing.route)."""
    if sanction is None:
        return verdict, None
    if sanction.kind in BARRING_KINDS:
        flag = BANNED if sanction.kind == "ban" else SUSPENDED
        until = sanction.expires_at.isoformat() if sanction.expires_at else "further notice"
        reason = "author banned" if sanction.kind == "ban" else f"author suspended until {until}"
        return Verdict(REJECTED, [*verdict.flagged, flag], verdict.priority), reason
    status = REJECTED if verdict.status == REJECTED else HELD
    return Verdict(status, [*verdict.flagged, PREMODERATED], verdict.priority), "author pre-moderated"


def serialize_sanction(sanction: AuthorSanction, at: datetime | None = None) -> dict[str, Any]:
    """What the site sees; the moderators' names stay on our side."""
    iso = lambda value: value.isoformat() if value else None  # noqa: E731
    return {
        "id": sanction.id,
        "kind": sanction.kind,
        "reason": sanction.reason,
        "active": is_active(sanction, at),
        "created_at": iso(sanction.created_at),
        "expires_at": iso(sanction.expires_at),
        "lifted_at": iso(sanction.lifted_at),
        "lift_reason": sanction.lift_reason,
        # A site syncing bans both ways tells its own from its moderators' (and sends none back).
        "by": "moderator" if sanction.created_by is not None else "site",
        # And who lifted it: a moderator lifting the site's ban on appeal had read "by": "site", and a
        # site dropping its own echoes never heard of the lift (a DSA walk).
        "lifted_by": None if sanction.lifted_at is None else "moderator" if sanction.lifted_by is not None else "site",
    }


# pg_advisory_xact_lock(SANCTION_LOCK, bucket): a sanction being written holds its author's bucket,
# and a scoring batch holds its authors' buckets shared (`not_being_sanctioned`). Buckets, not
# authors, so a batch of 256 authors takes at most that many of the server's lock slots however
# large SCORE_BATCH_SIZE is set; an author sharing a bucket waits a few milliseconds at worst.
SANCTION_LOCK = 0x7361  # "sa"
AUTHOR_BUCKETS = 1024


def _bucket(site_id, author_id):  # noqa: ANN001, ANN202 - SQL expressions in and out
    return func.hashtext(cast(site_id, Text).concat(":").concat(author_id)).op("&")(AUTHOR_BUCKETS - 1)


def _listed(pairs: list[tuple[int, str]]):  # noqa: ANN202 - a subquery of (site_id, author_id) rows
    return select(func.unnest(cast([p[0] for p in pairs], ARRAY(Integer))).label("site_id"),
                  func.unnest(cast([p[1] for p in pairs], ARRAY(Text))).label("author_id")).subquery()


def _buckets(session: Session, pairs: list[tuple[int, str]]) -> list[int]:
    """The pairs' lock buckets, in order: every holder takes them in the same order."""
    listed = _listed(pairs)
    return sorted(set(session.scalars(select(_bucket(listed.c.site_id, listed.c.author_id)))))


def _lock_authors(session: Session, pairs: Iterable[tuple[int, str]]) -> None:
    """Two moderators sanctioning one author at once must not leave two sanctions in force, and a
    batch must not score the author's comments with the sanctions from before the change. Taken in
    bucket order, so two bulk sanctions never wait on each other in a circle."""
    pairs = sorted(set(pairs))
    if not pairs:
        return
    for bucket in _buckets(session, pairs):
        session.execute(select(func.pg_advisory_xact_lock(SANCTION_LOCK, bucket)))


def _lock_author(session: Session, site_id: int, author_id: str) -> None:
    _lock_authors(session, [(site_id, author_id)])


def not_being_sanctioned(session: Session, comments: list[Comment]) -> tuple[list[Comment], list[Comment]]:
    """The comments whose authors' sanctions no one is changing now, their buckets held shared until
    the batch commits, and the others, left pending for the next claim. A batch scored
    with the sanctions it read before a ban committed: 236 to 354 of a raider's comments scored while
    a moderator's ban waited were published (a trust and safety analyst's walk)."""
    pairs = sorted({(c.site_id, c.author_id) for c in comments})
    if not pairs:
        return comments, []
    listed = _listed(pairs)
    busy = set(session.execute(select(listed.c.site_id, listed.c.author_id).where(
        ~func.pg_try_advisory_xact_lock_shared(SANCTION_LOCK, _bucket(listed.c.site_id, listed.c.author_id)))).all())
    if not busy:
        return comments, []
    return ([c for c in comments if (c.site_id, c.author_id) not in busy],
            [c for c in comments if (c.site_id, c.author_id) in busy])


def wait_for_sanctions(session: Session, pairs: Iterable[tuple[int, str]], *, seconds: float = 2.0) -> None:
    """Wait, at most `seconds`, for the sanctions being written on these authors to commit, then end
    the transaction: a batch that left their comments pending claims them next (SKIP LOCKED had skipped
    them while the ban held their rows, and they waited half a minute for the sweep). Holds nothing
    else while it waits, so it cannot deadlock."""
    pairs = sorted(set(pairs))
    if not pairs:
        return
    try:
        session.execute(text("SELECT set_config('lock_timeout', :wait, true)"), {"wait": f"{int(seconds * 1000)}ms"})
        for bucket in _buckets(session, pairs):
            session.execute(select(func.pg_advisory_xact_lock_shared(SANCTION_LOCK, bucket)))
    except OperationalError:  # still being written after `seconds` (a long bulk decision): the next claim tries
        pass
    finally:
        session.rollback()


def _unsanctioned_meanwhile(session: Session, ids: list[int], actor: str) -> list[WebhookDelivery]:
    """Those of `ids` a batch held or rejected by a sanction lifted while it waited for their author's
    lock go back to pending, to be scored as the author now stands: a lift sent at once after a
    mistaken ban had left 256 of 500 comments "author banned" under no sanction (a re-check)."""
    if not ids:
        return []
    moved = session.scalars(select(Comment).where(Comment.id.in_(ids), Comment.status.in_((HELD, REJECTED)),
                                                  Comment.decision.is_(None))
                            .order_by(Comment.id).with_for_update(of=Comment)).all()
    deliveries = []
    for comment in moved:
        kept = [f for f in comment.flagged or () if f not in _FLAGS.values()]
        if len(kept) == len(comment.flagged or ()):
            continue  # held or rejected by something else: the model, a rule
        comment.flagged = kept
        deliveries.append(change_status(session, comment, PENDING, actor=actor, by=SANCTION,
                                        reason="the author's sanction was lifted while it was being scored"))
    return [delivery for delivery in deliveries if delivery is not None]


def _score_waiting(session: Session, site_id: int, author_id: str) -> None:
    """Once a sanction's change has committed, the author's comments still waiting are sent to be
    scored: a scoring task that claimed while the change held their rows skipped them, and they
    waited up to a minute for the sweep (a re-check)."""
    waiting = list(session.scalars(select(Comment.id).where(
        Comment.site_id == site_id, Comment.author_id == author_id, Comment.status == PENDING,
        Comment.scoring_failed_at.is_(None))))
    session.commit()
    if waiting:
        send_for_scoring(session, waiting)


def _being_scored(session: Session, pairs: Iterable[tuple[int, str]]) -> list[int]:
    """The authors' comments waiting to be scored, read before their lock: the lock waits for a
    batch already scoring them, which read the sanctions from before (`_scored_meanwhile`)."""
    pairs = list(pairs)
    return list(session.scalars(select(Comment.id).where(
        tuple_(Comment.site_id, Comment.author_id).in_(pairs), Comment.status == PENDING)))


def _scored_meanwhile(session: Session, ids: list[int], sanction_of: Callable[[Comment], AuthorSanction | None],
                      actor: str) -> list[WebhookDelivery]:
    """Those of `ids` a batch published while the sanction waited for their author's lock take it
    now, as they would have at scoring: a banned author's are rejected, a pre-moderated one's held."""
    if not ids:
        return []
    shown = session.scalars(select(Comment).where(Comment.id.in_(ids), Comment.status == PUBLISHED)
                            .order_by(Comment.id).with_for_update(of=Comment)).all()
    deliveries = []
    for comment in shown:
        sanction = sanction_of(comment)
        if sanction is None:
            continue
        verdict, reason = enforce(Verdict(PUBLISHED, list(comment.flagged or ()), comment.scored_priority or 0.0),
                                  sanction)
        comment.flagged = verdict.flagged
        deliveries.append(change_status(session, comment, verdict.status, actor=actor, by=SANCTION,
                                        reason=f"{reason} (sent while it was being scored)"))
    return [delivery for delivery in deliveries if delivery is not None]


def _refuse_if_deactivated(session: Session, site: Site, doing: str) -> None:
    # As decisions on its comments are; nor can it post a comment for a sanction to apply to.
    try:
        refuse_if_deactivated(site, doing)
    except SiteDeactivated:
        session.rollback()
        raise


def _event(session: Session, site: Site, event_type: str, author_id: str, sanction: AuthorSanction,
           at: datetime, **fields: Any) -> WebhookDelivery | None:
    return site_event(session, site, event_type, at=at, author_id=author_id, sanction=serialize_sanction(sanction, at),
                      **fields)


def _actor(by_user: User | None, site: Site) -> str:
    # None: the site itself, through its API (POST /api/v1/sanctions).
    return f"user:{by_user.username}" if by_user is not None else f"site:{site.id}"


def sanction_author(
    session: Session,
    site: Site,
    author_id: str,
    kind: str,
    reason: str,
    by_user: User | None,
    days: int | None = None,
    *,
    at: datetime | None = None,
) -> AuthorSanction:
    """Put a sanction in force, audit it, commit, and tell the site. It supersedes the one in force,
    but for a weaker one for good under a stronger one that ends (pre-moderation, then a day's
    suspension): that waits beneath it and applies again when it ends, as in a bulk sanction.
    `by_user` None: the site, through its API."""
    return _sanction(session, site, author_id, kind, reason, by_user, days, at=at)[0]


def sanction_by_site(session: Session, site: Site, author_id: str, kind: str, reason: str,
                     days: int | None = None) -> tuple[AuthorSanction, bool]:
    """The site's own measure, from its CMS: as a moderator's, but the same measure already in force
    (for good, or the site's suspension sent within REPEAT_WINDOW) is left as it is, so a CMS that
    sends it again (a retry, a sync) neither writes another row nor sends another event; and one that
    would weaken a moderator's is a Conflict. (The sanction in force, whether this call made it.)"""
    return _sanction(session, site, author_id, kind, reason, None, days)


def _sanction(session: Session, site: Site, author_id: str, kind: str, reason: str, by_user: User | None,
              days: int | None, *, at: datetime | None = None) -> tuple[AuthorSanction, bool]:
    """sanction_author's work, and the site's (`by_user` None): whether this call put one in force."""
    if kind not in SANCTION_KINDS:
        raise ValidationFailed(f"kind must be one of {', '.join(SANCTION_KINDS)}", field="kind")
    author_id = (author_id or "").strip()
    if not author_id or len(author_id) > MAX_AUTHOR_ID_LENGTH:
        raise ValidationFailed("author_id must be 1 to 200 characters", field="author_id")
    reason = clean_reason(reason, required=True)
    if kind == "suspend":
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_SUSPENSION_DAYS:
            raise ValidationFailed(f"a suspension lasts 1 to {MAX_SUSPENSION_DAYS} days", field="days")
    else:
        days = None
    _refuse_if_deactivated(session, site, "sanction its authors")
    at = at or now()
    being_scored = _being_scored(session, [(site.id, author_id)])
    _lock_author(session, site.id, author_id)
    current = current_sanction(session, site.id, author_id, at)
    site_sends = by_user is None
    if site_sends and current is not None and _sent_again(current, kind, reason, days, at):
        session.commit()  # ends the author's lock
        return current, False
    if site_sends and current is not None and _weakens(current, kind, days, at):
        session.rollback()
        raise Conflict(f"a moderator's {NOUNS[current.kind]} of {author_id!r} is in force"
                       + (f" until {current.expires_at:%Y-%m-%d %H:%M} UTC" if current.expires_at else "")
                       + f"; the site's {NOUNS[kind]} would weaken it, so nothing changed. A moderator "
                       "lifts it on the author's page", field="kind")
    # A re-check: "always pre-moderate", then a day's suspension, left the raider free to post a day later.
    beneath = current is not None and current.expires_at is None and days and _STRENGTH[kind] > _STRENGTH[current.kind]
    sanction, delivery = _put_in_force(session, site, author_id, kind, reason, by_user, days, at,
                                       None if beneath else current, **({"above": current.id} if beneath else {}),
                                       then=current.kind if beneath else None)
    shown_or_hidden = _pending_reflagged(session, site, author_id, at, _actor(by_user, site))
    shown_or_hidden += _scored_meanwhile(session, being_scored, lambda _: sanction, _actor(by_user, site))
    if kind in BARRING_KINDS:
        from moderation.domain.reports import reweigh_barred_reporter  # reports read sanctions: imported here

        reweigh_barred_reporter(session, site, author_id, KIND_LABELS[kind])
    commit_and_send(session, [delivery, *shown_or_hidden])
    _reflag_late_comers(session, site, author_id, _actor(by_user, site))
    _score_waiting(session, site.id, author_id)
    return sanction, True


def _reflag_late_comers(session: Session, site: Site, author_id: str, actor: str) -> None:
    """Once the change has committed, the author's comments stored meanwhile take it too. A comment's
    INSERT reads the sanction in force in its own snapshot, and _pending_reflagged locks the pending
    rows there were: one stored between the two, before the commit, kept no flag and stayed shown
    until scored (a security review: 86 of a banned raider's comments, posted while the ban ran)."""
    late = _pending_reflagged(session, site, author_id, now(), actor)
    if late:
        commit_and_send(session, late)
    else:
        session.commit()


# A site's suspension sent again within this long, alike, is the same one: a retry after a timeout
# added a row, moved the end and sent an event each time (a security review: 50 at once, 50 of each).
REPEAT_WINDOW = timedelta(hours=1)


def _sent_again(current: AuthorSanction, kind: str, reason: str, days: int | None, at: datetime) -> bool:
    """Whether the site's measure is the one in force: the same for good, or the same suspension it
    sent within REPEAT_WINDOW."""
    if current.kind != kind:
        return False
    if current.expires_at is None:
        return days is None
    return (days is not None and current.created_by is None and current.reason == reason
            and current.expires_at - current.created_at == timedelta(days=days) and at - current.created_at < REPEAT_WINDOW)


def _weakens(current: AuthorSanction, kind: str, days: int | None, at: datetime) -> bool:
    """Whether a site's measure would weaken a moderator's in force: a weaker kind, or a suspension
    ending sooner. A CMS syncing its own pre-moderation had lifted a moderator's ban for threats (a
    security review)."""
    if current.created_by is None:
        return False
    if kind != current.kind:
        return weaker(kind, current.kind)
    return kind == "suspend" and current.expires_at is not None and at + timedelta(days=days or 0) < current.expires_at


def _put_in_force(session: Session, site: Site, author_id: str, kind: str, reason: str, by_user: User | None,
                  days: int | None, at: datetime, replaced: AuthorSanction | None, *,
                  applies_from: datetime | None = None, then: str | None = None,
                  **details: Any) -> tuple[AuthorSanction, WebhookDelivery | None]:
    """The sanction added and audited, superseding `replaced`, and its event; the caller commits and sends.
    `applies_from`: when the stronger one it waits beneath ends, which its event says, as nothing is
    sent when that happens (a site had no way to know the pre-moderation waited). `then`: the kind of
    the lasting one this suspension lies above, which applies again when it ends, said for the same
    reason (a site's CMS was told of a suspension and a ban, and never that a pre-moderation stayed)."""
    if replaced is not None:
        replaced.lifted_at = at
        replaced.lifted_by = by_user.id if by_user is not None else None
        replaced.lift_reason = f"superseded by {KIND_LABELS[kind]}"
    sanction = AuthorSanction(
        site_id=site.id, author_id=author_id, kind=kind, reason=reason,
        created_by=by_user.id if by_user is not None else None, created_at=at,
        expires_at=at + timedelta(days=days) if days else None,
    )
    session.add(sanction)
    session.flush()
    audit(session, _actor(by_user, site), "author:sanctioned", site_id=site.id, author_id=author_id,
          kind=kind, reason=reason, days=days, sanction_id=sanction.id,
          replaced=replaced.id if replaced is not None else None, **details)
    waiting = {"applies_from": applies_from.isoformat()} if applies_from is not None else {}
    if then is not None:
        waiting["then"] = then
    return sanction, _event(session, site, "author.sanctioned", author_id, sanction, at, **waiting)


def sanction_in_bulk(session: Session, comments: Iterable[Comment], kind: str, reason: str, by_user: User,
                     ) -> tuple[list[tuple[int, str]], list[tuple[int, str, str]], list[WebhookDelivery]]:
    """Sanction the authors of `comments` (a bulk rejection's), each once, in the caller's transaction:
    ((site id, author) sanctioned, (site id, author, kind) left as they were under a sanction as
    strong or stronger for good, their events). Under a stronger one that ends (a suspension), the
    new one waits beneath it. The caller commits and sends."""
    at = now()
    sanctioned: list[tuple[int, str]] = []
    unchanged: list[tuple[int, str, str]] = []
    deliveries = []
    authors = {(c.site_id, c.author_id): c.site for c in comments}
    being_scored = _being_scored(session, authors)
    _lock_authors(session, authors)
    put: dict[tuple[int, str], AuthorSanction] = {}
    for (site_id, author_id), site in sorted(authors.items(), key=lambda item: item[0]):
        in_force = _all_in_force(session, site_id, author_id, at)
        current = strongest(in_force)
        lasting = strongest(s for s in in_force if s.expires_at is None)
        if lasting is not None and _STRENGTH[lasting.kind] >= _STRENGTH[kind]:
            unchanged.append((site_id, author_id, current.kind))
            continue
        # Under a stronger one that ends (a suspension), it waits beneath it; else it supersedes.
        waits = current is not None and _STRENGTH[current.kind] >= _STRENGTH[kind]
        sanction, delivery = _put_in_force(session, site, author_id, kind, reason, by_user, None, at,
                                           None if waits else current,
                                           applies_from=current.expires_at if waits else None,
                                           bulk=True, **({"after": current.id} if waits else {}))
        put[(site_id, author_id)] = current if waits else sanction
        sanctioned.append((site_id, author_id))
        deliveries += [delivery] if delivery is not None else []
        deliveries += _pending_reflagged(session, site, author_id, at, f"user:{by_user.username}")
    deliveries += _scored_meanwhile(session, being_scored, lambda c: put.get((c.site_id, c.author_id)),
                                    f"user:{by_user.username}")
    return sanctioned, unchanged, deliveries


def lift_sanction(
    session: Session,
    site: Site,
    author_id: str,
    by_user: User | None,
    reason: str | None = None,
    *,
    at: datetime | None = None,
) -> AuthorSanction:
    """End every sanction in force (one waiting beneath a suspension too); NotFound when there is
    none. Audits, commits, tells the site; returns the one that applied. `by_user` None: the site."""
    at = at or now()
    reason = clean_reason(reason)
    _refuse_if_deactivated(session, site, "lift its authors' sanctions")
    being_scored = _being_scored(session, [(site.id, author_id)])
    _lock_author(session, site.id, author_id)
    in_force = sorted(_all_in_force(session, site.id, author_id, at), key=_precedence)
    if by_user is None:  # the site lifts its own measures; a moderator's stays (a security review)
        theirs = [s for s in in_force if s.created_by is not None]
        in_force = [s for s in in_force if s.created_by is None]
        if theirs and not in_force:
            session.rollback()
            raise Conflict(f"only a moderator's {NOUNS[strongest(theirs).kind]} of {author_id!r} is in force; "
                           "the site lifts its own measures, a moderator lifts theirs on the author's page",
                           field="author_id")
    if not in_force:
        session.rollback()
        raise NotFound(f"author {author_id!r} has no sanction in force on this site", field="author_id")
    deliveries = []
    for sanction in in_force:
        sanction.lifted_at = at
        sanction.lifted_by = by_user.id if by_user is not None else None
        sanction.lift_reason = reason or "lifted"
        audit(session, _actor(by_user, site), "author:sanction_lifted", site_id=site.id, author_id=author_id,
              kind=sanction.kind, reason=reason, sanction_id=sanction.id)
        deliveries.append(_event(session, site, "author.sanction_lifted", author_id, sanction, at))
    deliveries += _pending_reflagged(session, site, author_id, at, _actor(by_user, site))
    deliveries += _unsanctioned_meanwhile(session, being_scored, _actor(by_user, site))
    commit_and_send(session, deliveries)
    _reflag_late_comers(session, site, author_id, _actor(by_user, site))
    _score_waiting(session, site.id, author_id)
    return in_force[-1]

