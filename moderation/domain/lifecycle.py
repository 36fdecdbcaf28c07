"""One comment lifecycle: its statuses, who may move it where, and the one way to move it.

Every status change goes through `change_status`, which refuses a transition the table below
does not list for that kind of actor, writes the audit entry and queues the webhook event in the
same transaction. Callers then `commit_and_send`: commit first, then hand the deliveries to the
workers, so a lost broker message is the only thing that can be missed, and the sweep resends those.

Which comments are "in the review queue" is also defined once here, in Python and in SQL.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import and_, func, inspect, or_, select
from sqlalchemy.orm import Session, scoped_session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.elements import ColumnElement

from moderation.domain.dispatch import send_webhooks
from moderation.domain.errors import Conflict, SiteDeactivated
from moderation.domain.pseudonyms import moderator_reference
from moderation.domain.status_writes import BatchWrites, SessionWrites
from moderation.models import AuditEntry, Comment, Site, WebhookDelivery
from moderation.observability import metrics

PENDING = "pending"      # received, not scored yet
PUBLISHED = "published"  # the model found nothing; shown
HELD = "held"            # waiting for a moderator
APPROVED = "approved"    # a moderator's decision
REJECTED = "rejected"    # a moderator's decision, or the policy's auto-reject, or a sanction
DELETED = "deleted"      # removed by the site or its reader (DELETE on the API), or its author erased
STATUSES = (PENDING, PUBLISHED, HELD, APPROVED, REJECTED, DELETED)
DECIDED = (APPROVED, REJECTED)
# Where a comment's retention period starts (domain/retention.py): a moderator's decision or a
# deletion. A published comment is not final: a report can still send it to review.
FINAL = (APPROVED, REJECTED, DELETED)

# Kinds of actor. A transition is allowed only for the kinds listed with it.
SCORER = "scorer"        # the policy's verdict on a newly scored comment
SANCTION = "sanction"    # an author's sanction overriding that verdict when the comment is scored (or just after)
REPORT = "report"        # readers' reports reaching the site's threshold
DECISION = "decision"    # a moderator approves or rejects (also an admin rejecting a set-aside comment)
UNDO = "undo"            # a decision undone by its moderator, or reversed by an admin
REMOVAL = "removal"      # the site deletes a comment, or erases its author (domain/erasure.py)
STORM = "storm"          # a story in storm mode holding a comment the policy would publish (domain/storms.py)
EDIT = "edit"            # the reader edited the text: it is scored again (domain/edits.py)
RULES = "rules"          # an admin holds published comments that rules saved since fire on (domain/rule_backfill.py)
THRESHOLDS = "thresholds"  # an admin publishes held comments the thresholds in force would publish (domain/threshold_release.py)
IMPORT = "import"        # an imported comment takes the decision the site's old system made (imported_decision)
ACTOR_KINDS = (SCORER, SANCTION, REPORT, DECISION, UNDO, REMOVAL, STORM, EDIT, RULES, THRESHOLDS, IMPORT)
# Who gives a pending comment its first status when it is scored: each counts as "scored" (metrics).
SCORING_KINDS = (SCORER, SANCTION, STORM, IMPORT)
# Who publishes a comment on a model's word, naming the version (`model_version`) whose scores do:
# scoring, and an admin's release of held comments at the thresholds in force, on the scores they
# were held on or on those the version in force gave them scored again (held_rescore_publish.py).
ON_A_MODELS_WORD = (SCORER, THRESHOLDS)

TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    SCORER: {PENDING: frozenset({PUBLISHED, HELD, REJECTED})},
    # And, once a sanction waited for a batch that read the sanctions from before: what it published
    # takes the new one (sanctions._scored_meanwhile), and what it held or rejected by one lifted
    # meanwhile goes back to pending, to be scored anew (sanctions._unsanctioned_meanwhile).
    SANCTION: {PENDING: frozenset({HELD, REJECTED}), PUBLISHED: frozenset({HELD, REJECTED}),
               HELD: frozenset({PENDING}), REJECTED: frozenset({PENDING})},
    # After an approval only reports filed since count (domain/reports.py), but they may reopen it.
    REPORT: {PUBLISHED: frozenset({HELD}), APPROVED: frozenset({HELD}),
             # A rejection no person made, which a reader reports saying its author may be at risk
             # (reports.file_report): a person reads it, as the at_risk rule would have had one read it.
             REJECTED: frozenset({HELD})},
    DECISION: {status: frozenset(DECIDED) for status in (HELD, PUBLISHED, PENDING)},
    # Back to whatever the comment was before the decision (domain/undo.py).
    UNDO: {status: frozenset({HELD, PUBLISHED, PENDING}) for status in DECIDED},
    # New text, new scores: from anywhere back to pending (a pending comment simply keeps waiting).
    EDIT: {status: frozenset({PENDING}) for status in (PUBLISHED, HELD, APPROVED, REJECTED)},
    # From anywhere, and for good: nothing moves a deleted comment again.
    REMOVAL: {status: frozenset({DELETED}) for status in (PENDING, PUBLISHED, HELD, APPROVED, REJECTED)},
    STORM: {PENDING: frozenset({HELD})},
    RULES: {PUBLISHED: frozenset({HELD})},
    THRESHOLDS: {HELD: frozenset({PUBLISHED})},
    IMPORT: {PENDING: frozenset(DECIDED)},
}
# Statuses a moderator may still decide: the single definition the queue, detail page and bulk use.
DECIDABLE = tuple(status for status in STATUSES if status in TRANSITIONS[DECISION])


class TransitionRefused(Conflict):
    code = "transition_refused"


class CommentDeleted(TransitionRefused):
    """An edit of, or a report against, a deleted comment: one code for a site to act on (the edit
    had answered `transition_refused` and the report `conflict`)."""

    code = "comment_deleted"


def can_change(old: str, new: str, *, by: str) -> bool:
    return new in TRANSITIONS.get(by, {}).get(old, frozenset())


def now() -> datetime:
    return datetime.now(timezone.utc)


def reports_reach_threshold(report_weight: float, report_threshold: float) -> bool:
    return report_weight > 0 and report_weight >= report_threshold


def in_review_queue(comment: Comment) -> bool:
    """Held by the model (or a sanction), or published but reported past its site's threshold."""
    return comment.status == HELD or (
        comment.status == PUBLISHED and reports_reach_threshold(comment.report_weight, comment.site.report_threshold)
    )


def reported_condition() -> ColumnElement[bool]:
    """SQL twin of the reported half of `in_review_queue`; the query must join Site."""
    return and_(Comment.status == PUBLISHED, Comment.report_weight > 0,
                Comment.report_weight >= Site.report_threshold)


def in_review_queue_condition() -> ColumnElement[bool]:
    """SQL twin of `in_review_queue`; the query must join Site."""
    return or_(Comment.status == HELD, reported_condition())


# The hit a pre-moderated story's comments are held with (domain/stories.py), and a site's that
# holds every comment (HOLD_ALL).
STORY_PREMODERATED = "story_premoderated"
SITE_PREMODERATED = "site_premoderated"
_PREMODERATED = (STORY_PREMODERATED, SITE_PREMODERATED)
# The flags of comments held because their author is always pre-moderated (domain/sanctions.py) or
# their story is in a storm (domain/storms.py, flagged with the actor kind's word): hidden until
# approved in post-moderation too, as a pre-moderated story's are (a site developer's walk: both
# came back held and visible). A sanctioned author's comment carries its sanction's flag from the
# moment it is posted (sanctions.sanction_flags), so it is hidden while pending too: it had been
# `pending, visible: true` until scoring held or rejected it.
AUTHOR_PREMODERATED, AUTHOR_SUSPENDED, AUTHOR_BANNED = "author_premoderated", "author_suspended", "author_banned"
# A comment the policy rejected that a moderator sent to review (undo.review_again): looked at again,
# not shown again; on a post-moderation site held is shown, and a rule's rejection was republished (a re-check).
SENT_TO_REVIEW = "sent_to_review"
# A comment the policy would have rejected, held instead because its reader may be at risk or the
# model cannot read its language (routing.route): hidden while held, or abuse behind "i want to die" was shown on a
# post-moderation site until a moderator came (a re-check).
WOULD_REJECT = "would_reject"
# A comment the model's scores rejected at the site's auto-reject thresholds (policy.decide): said, as
# the site could only infer it from "rejected, no decision, no rule, no sanction" (a newsroom's first day).
AUTO_REJECTED = "auto_rejected"
_HIDDEN_WHILE_HELD = (AUTHOR_PREMODERATED, AUTHOR_SUSPENDED, AUTHOR_BANNED, STORM, SENT_TO_REVIEW, WOULD_REJECT)
# The flag of an approved comment that readers no moderator has trusted yet reported past the
# threshold: back in review, and still shown until a moderator decides again. Two new reader ids had
# hidden approved comments again and again (a raid's walk), each cycle undoing a moderator's decision.
REPORTED_AFTER_APPROVAL = "reported_after_approval"
# A site's moderation mode: pre-moderation hides pending and held comments until approved, post-moderation shows them until rejected.
# Hold-all is pre-moderation that also holds every comment whatever its score, as a pre-moderated story
# does, for a site where nothing may be shown before a person read it (a children's news site's
# editor found "pre" published 67 of 91 comments within seconds: only what the model held waited).
PRE_MODERATION, POST_MODERATION, HOLD_ALL = "pre", "post", "hold_all"
MODES = (PRE_MODERATION, POST_MODERATION, HOLD_ALL)
MODE_MESSAGE = "moderation mode must be 'pre', 'post' or 'hold_all'"


_MODES_READ = "moderation.modes_read"


def read_mode_afresh(session: Session, site: Site) -> None:
    """Set the site's moderation mode from its committed row, once per transaction.

    A request's site row is a per-process copy up to ROW_TTL old (site_rows.py). For two seconds
    after an admin switched a site's mode, the comments the switch had given new versions were
    served by the changes feed, and events of status changes were written, with the old mode's
    `visible` at the new version, which no later version corrected: a polling site went on showing
    368 held comments (an integrator's walk). Every status change and every read of the feed or of
    a comment takes the mode from here; a new comment's answer (no status change) does not, which
    keeps the POST without the round trip the copy saves."""
    if isinstance(session, scoped_session):  # the app's session: its transaction is its current Session's
        session = session()
    transaction = session.get_transaction()
    done = session.info.get(_MODES_READ)
    if done is None or done[0] is not transaction:
        done = session.info[_MODES_READ] = (transaction, set())
    if site.id in done[1] or inspect(site).attrs.moderation_mode.history.has_changes():
        return
    with session.no_autoflush:  # a scored batch writes its rows itself (status_writes.py), not through a flush
        mode = session.execute(select(Site.moderation_mode).where(Site.id == site.id)).scalar_one_or_none()
    if mode is not None:
        set_committed_value(site, "moderation_mode", mode)
    transaction = session.get_transaction()  # the read began one if none had
    if done[0] is not transaction:
        done = session.info[_MODES_READ] = (transaction, set())
    done[1].add(site.id)


def is_visible(comment: Comment) -> bool:
    """Whether the site should show the comment right now."""
    if comment.status in (PUBLISHED, APPROVED):
        return True
    if comment.status in (REJECTED, DELETED):
        return False
    if comment.status == HELD and REPORTED_AFTER_APPROVAL in (comment.flagged or ()):
        return True
    # pending or held: pre-moderation hides them, post-moderation shows them until rejected, but for
    # those held until approved: for their story or site (an adversarial walk: switching the site to
    # post-moderation showed them), their author or a storm.
    return comment.site.moderation_mode == POST_MODERATION and not _held_until_approved(comment)


# Rule kinds whose hold hides a comment while held on a post-moderation site too: a reader's
# personal information, a threat, telling someone to harm themselves, an adult asking a child to chat
# privately (a child who sees "dm me" may answer before a moderator comes). Shown until a moderator came,
# "The councilman lives at 12 Oak Street, go pay him a visit" stayed on the page, held (an
# integrator's walk). Other holds (shouting, links, a new author, an insult the model held) are
# shown there until rejected, as post-moderation means. And a text too long for the rules to read
# whole (rules.READ_LIMIT_KIND), which may hide any of those: a re-check padded a threat past the
# bound on a post-moderation site, and it was shown while held.
# A banned author's rejected text under another id (domain/ban_evasion.py): hidden too, as the
# harassment it repeats (a re-check found it shown while held).
BAN_EVASION_KIND = "ban_evasion"
HIDING_RULE_KINDS = ("phone", "email", "street_address", "payment_card", "social_handle", "threat_words",
                     "urging_self_harm", "contact_seeking", "read_limit", BAN_EVASION_KIND)


def _held_until_approved(comment: Comment) -> bool:
    return (any(hit.get("rule") in _PREMODERATED
                or (hit.get("kind") in HIDING_RULE_KINDS and hit.get("action") == "hold") for hit in comment.rule_hits or ())
            or any(flag in _HIDDEN_WHILE_HELD for flag in comment.flagged or ()))


def visible_condition() -> ColumnElement[bool]:
    """SQL twin of `is_visible`; the query must join Site. The story's counts had a hand-written copy."""
    return or_(Comment.status.in_((PUBLISHED, APPROVED)),
               and_(Comment.status == HELD, Comment.flagged.contains([REPORTED_AFTER_APPROVAL])), and_(
        Site.moderation_mode == POST_MODERATION, Comment.status.in_((PENDING, HELD)), _not_held_until_approved()))


def _not_held_until_approved() -> ColumnElement[bool]:
    """SQL twin of `not _held_until_approved(comment)`."""
    return and_(or_(Comment.rule_hits.is_(None), and_(
        *(~Comment.rule_hits.contains([{"rule": rule}]) for rule in _PREMODERATED),
        *(~Comment.rule_hits.contains([{"kind": kind, "action": "hold"}]) for kind in HIDING_RULE_KINDS))),
        *(or_(Comment.flagged.is_(None), ~Comment.flagged.contains([flag])) for flag in _HIDDEN_WHILE_HELD))


def held_shown_by_post_moderation(session: Session, site_id: int) -> int:
    """How many of the site's held comments post-moderation would show: what switching to it reveals."""
    return session.scalar(select(func.count()).select_from(Comment).where(
        Comment.site_id == site_id, Comment.status == HELD, _not_held_until_approved(),
        or_(Comment.flagged.is_(None), ~Comment.flagged.contains([REPORTED_AFTER_APPROVAL])))) or 0


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def serialize_comment(comment: Comment, *, include_text: bool = False) -> dict[str, Any]:
    """The comment as the site sees it; its text only when asked (`?include=text`), never in webhooks."""
    decision = None
    if comment.decision:
        decision = {
            "action": comment.decision,
            "reason": comment.decision_reason,
            "moderator": moderator_reference(comment.decider, comment.site),
            "decided_at": _iso(comment.decided_at),
        }
    return {
        "id": comment.id,
        "site_comment_id": comment.external_id,
        "story_id": comment.story_id,
        "parent_id": comment.parent_id,
        "author_id": comment.author_id,
        "author_name": comment.author_name,
        **({"text": comment.text} if include_text else {}),
        "status": comment.status,
        # Bumped on every status change: a site applies an event only if it is newer than what it holds.
        "version": comment.version,
        "visible": is_visible(comment),
        "scores": comment.scores,
        "flagged": comment.flagged or [],
        # The site's rules that fired when it was scored (domain/rules.py): {"rule", "action", "reason"}.
        "rules": comment.rule_hits or [],
        "model_version": comment.model_version,
        "scored_at": _iso(comment.scored_at),
        "report_weight": comment.report_weight,
        "decision": decision,
        "received_at": _iso(comment.received_at),
        "status_changed_at": _iso(comment.status_changed_at),
        # Set once retention or an author's erasure removed the text; scores and decision remain.
        "text_erased_at": _iso(comment.text_erased_at),
        # ... and the erased text's SHA-256, which docs/api.md promises a site can match its copy with.
        "text_sha256": comment.text_sha256,
    }


def audit(session: Session, actor: str, action: str, *, comment_id: int | None = None, **details: Any) -> None:
    SessionWrites(session).audit(actor, action, comment_id=comment_id, details=details)


# Who an audit entry's actor is, as a moderator reads it: "(now published, by system:scorer)" and
# "by site:1" were the audit log's own spelling.
_ACTORS_IN_WORDS = {"system:scorer": "the model", "system:storm": "storm mode", "system:retention": "data retention",
                    "system:import": "the site's earlier system (imported)"}


def actor_in_words(actor: str) -> str:
    if actor.startswith("user:"):
        return actor.removeprefix("user:")
    if actor.startswith("site:"):
        return "the site"
    return _ACTORS_IN_WORDS.get(actor, actor.removeprefix("system:"))


def status_action(old: str, new: str) -> str:
    """The audit action of a status change; `parse_status_action` reads it back."""
    return f"status:{old}->{new}"


def person_decided() -> ColumnElement[bool]:
    """The audit entries of a person's approval or rejection (a moderator's, an admin's)."""
    return (AuditEntry.actor.startswith("user:") & AuditEntry.action.like("status:%")
            & (AuditEntry.action.endswith(f"->{APPROVED}") | AuditEntry.action.endswith(f"->{REJECTED}")))


def parse_status_action(action: str) -> tuple[str, str] | None:
    if not action.startswith("status:") or "->" not in action:
        return None
    old, new = action.removeprefix("status:").split("->", 1)
    return old, new


def change_status(
    session: Session,
    comment: Comment,
    new_status: str,
    *,
    actor: str,
    by: str,
    reason: str | None = None,
    event_fields: Mapping[str, Any] | None = None,
    writes: SessionWrites | BatchWrites | None = None,
    shown_while_held: bool = False,
    tell_site: bool = True,
    **details: Any,
) -> WebhookDelivery | None:
    """Move the comment, record why, and queue its webhook event in the same transaction.

    Raises TransitionRefused, before changing anything, if `by` may not make this move.
    `event_fields` are added to the webhook event (e.g. {"reversal": True}). The audit entry and
    the event go to the session, or to `writes` (status_writes.py: a scored batch's own statements).
    `shown_while_held` holds it flagged REPORTED_AFTER_APPROVAL. Any move out of held ends that flag (a
    decision answers the readers who sent it back; a re-check found the flag outlived a second
    approval), and the audit entry says so (`was_shown_while_held`), so an undo holds it shown again.
    """
    old_status = comment.status
    if not can_change(old_status, new_status, by=by):
        raise TransitionRefused(f"a {by} cannot move a comment from {old_status} to {new_status}")
    read_mode_afresh(session, comment.site)  # the event and the answer say `visible` as committed
    flags = [f for f in comment.flagged or () if f != REPORTED_AFTER_APPROVAL]
    if len(flags) != len(comment.flagged or ()):
        details["was_shown_while_held"] = True
    if shown_while_held and new_status == HELD:
        flags.append(REPORTED_AFTER_APPROVAL)
    if flags != (comment.flagged or []):
        comment.flagged = sorted(flags)
    # Since its text arrived: a comment edited a day after it was posted waited since the edit.
    pending_since = comment.status_changed_at if old_status == PENDING else None
    if new_status == PUBLISHED and by in ON_A_MODELS_WORD:
        # The version whose word published it, on the comment: a rescore's release keeps the arrival
        # version that held it in model_version, so a rollback said a version had published 9 where it
        # had made 37 public; read through the audit log instead, the Published tab by version took
        # three times as long at a million entries, and counted a released comment under both
        # versions. An undo puts back the word its decision had set aside, kept here meanwhile. Without
        # a version named, the one that scored it (scoring sets model_version first).
        comment.published_by_version = details.get("model_version", comment.model_version)
    elif new_status == PUBLISHED and comment.published_by_version is None:
        # Taken out of published before migration 0047 kept the word, and reversed since: the version
        # that scored it, as every count read it then. It had counted under no version (a re-check).
        comment.published_by_version = comment.model_version
    comment.status = new_status
    comment.version += 1
    comment.status_changed_at = now()
    if writes is None:
        writes = SessionWrites(session)
    writes.audit(actor, status_action(old_status, new_status), comment_id=comment.id, details={"reason": reason, **details})
    metrics.status_changed(session, site=comment.site.name, new=new_status, by=by, actor=actor,
                           scored=old_status == PENDING and by in SCORING_KINDS, held=new_status == HELD,
                           decided=by == DECISION, pending_since=pending_since or comment.received_at)
    if not comment.site.webhook_url or not tell_site:  # not told: an import's decision, which the site made
        return None
    # No flush here: a scored batch's rows go to the database together at commit, which is
    # what keeps a batch of hundreds of comments to a few round trips.
    # Its id is set at flush, or by BatchWrites.write; send it for delivery after the commit.
    return _status_event(writes, comment, old_status, comment.status_changed_at, event_fields)


def _status_event(writes: SessionWrites | BatchWrites, comment: Comment, previous_status: str, at: datetime,
                  fields: Mapping[str, Any] | None = None) -> WebhookDelivery:
    """The comment's `comment.status_changed` event at its current version."""
    event = {"type": "comment.status_changed", "version": comment.version, "previous_status": previous_status,
             **(fields or {}), "comment": serialize_comment(comment), "occurred_at": at.isoformat()}
    return writes.event(site_id=comment.site_id, comment_id=comment.id, event=event, at=at)


def refuse_if_deactivated(site: Site, doing: str) -> None:
    """Refuse a change to a deactivated site's comments or authors (decide, undo, reject a set-aside
    comment, hold by rules, sanction, lift): the site would never hear of it, its events closed while
    it is away and staying closed (domain/sites.set_site_active). The caller rolls back."""
    if not site.active:
        raise SiteDeactivated(f"Site {site.name} is deactivated: reactivate it to {doing}", field="site")  # callers end the sentence


def site_event(session: Session, site: Site, event_type: str, *, at: datetime, comment_id: int | None = None,
               **fields: Any) -> WebhookDelivery | None:
    """A webhook event other than a status change (a report's outcome, a sanction, a storm), added to
    the session for `commit_and_send`; None when the site has no webhook. Every event has its
    `type` and `occurred_at`, and its `comment_id` if about one comment; the body adds its
    `delivery_id` (webhooks.event_body)."""
    if not site.webhook_url:
        return None
    about = {"comment_id": comment_id} if comment_id is not None else {}
    event = {"type": event_type, **about, **fields, "occurred_at": at.isoformat()}
    delivery = WebhookDelivery(site_id=site.id, comment_id=comment_id, event=event)
    session.add(delivery)
    return delivery


VISIBILITY_ACTION = "visibility"


def visibility_changed(session: Session, site: Site, *, actor: str) -> list[WebhookDelivery]:
    """The site's moderation mode changed whether its pending and held comments show (`is_visible`):
    each gets a new version and a `comment.status_changed` event, its status the same and
    `"visibility_changed": true`, so a site that applies only newer versions shows or hides it. A
    head of community switched to pre-moderation in a storm and the held insults stayed on the page:
    nothing told the site. The caller commits and sends. Written as a scored batch is (BatchWrites):
    through the unit of work, switching a site with 5,000 held comments took 8 s."""
    at = now()
    comments = session.scalars(select(Comment).where(Comment.site_id == site.id, Comment.status.in_((PENDING, HELD)))
                               .order_by(Comment.id).with_for_update(of=Comment)).all()
    # Those held for their story or site, author or a storm are hidden in either mode, those reported after approval shown.
    shown_or_hidden = [c for c in comments if not _held_until_approved(c) and REPORTED_AFTER_APPROVAL not in (c.flagged or ())]
    writes = BatchWrites()
    deliveries = [new_visibility(writes, comment, actor=actor, at=at, moderation_mode=site.moderation_mode)
                  for comment in shown_or_hidden]
    writes.write(session, shown_or_hidden)
    return [d for d in deliveries if d is not None]


def hide_reported_after_approval(session: Session, comment: Comment, *, actor: str) -> WebhookDelivery | None:
    """A held comment shown because untried readers reported it after its approval, hidden now that a
    reader whose reports were upheld reported it too: a new version and a `comment.status_changed`
    event, its status the same and `"visibility_changed": true`. The caller commits and sends."""
    comment.flagged = [f for f in comment.flagged or () if f != REPORTED_AFTER_APPROVAL]
    if is_visible(comment):  # post-moderation shows it held all the same: nothing changes for the site
        return None
    return new_visibility(SessionWrites(session), comment, actor=actor, at=now(),
                           reason="reported by a reader whose reports were upheld")


def reflag_pending(session: Session, comment: Comment, flags: list[str] | None, *, actor: str,
                   reason: str) -> WebhookDelivery | None:
    """A comment waiting to be scored takes new flags (its author's sanction, put in force or lifted
    since it was posted): a new version and event when that shows or hides it. The caller commits and sends."""
    was = is_visible(comment)
    comment.flagged = flags
    if is_visible(comment) == was:
        return None
    return new_visibility(SessionWrites(session), comment, actor=actor, at=now(), reason=reason)


def new_visibility(writes: SessionWrites | BatchWrites, comment: Comment, *, actor: str, at: datetime,
                    **details: Any) -> WebhookDelivery | None:
    """A version that only shows or hides the comment: its audit entry and, for a site with a webhook,
    a `comment.status_changed` event, its status the same and `"visibility_changed": true`."""
    comment.version += 1
    writes.audit(actor, VISIBILITY_ACTION, comment_id=comment.id, details={"visible": is_visible(comment), **details})
    if not comment.site.webhook_url:
        return None
    return _status_event(writes, comment, comment.status, at, {"visibility_changed": True})


def only_visibility_changed(session: Session, comment: Comment, since_version: int) -> bool:
    """Whether every version the comment took after `since_version` only showed or hid it (a new
    moderation mode): a moderator's card from before is not stale for that. Each version has its
    audit entry, a status change or a visibility one."""
    newer = comment.version - since_version
    if newer <= 0:
        return False
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.comment_id == comment.id,
                                        or_(AuditEntry.action == VISIBILITY_ACTION, AuditEntry.action.like("status:%")))
        .order_by(AuditEntry.id.desc()).limit(newer)).all()
    return len(actions) == newer and all(action == VISIBILITY_ACTION for action in actions)


def commit_and_send(session: Session, deliveries: Iterable[WebhookDelivery | None]) -> None:
    """Commit, then queue the webhooks: never send an event for a change that might roll back."""
    deliveries = list(deliveries)
    session.commit()
    send_webhooks(session, deliveries)
