"""Database tables. Alembic migrations in moderation/migrations mirror these."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Computed,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
    text as sql,
)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.dialects.postgresql import base as postgresql_types
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import UserDefinedType

REPORT_REASONS = ("uncivil", "off_topic", "spam", "harassment", "hate", "personal_information", "self_harm", "other")
# A site admin runs their own sites' settings, rules, thresholds, moderators and reversals (one title of
# a group on one install); an admin runs every site, the model, accounts, keys and operations.
ROLES = ("moderator", "site_admin", "admin")


class Xid8(UserDefinedType[str]):
    """PostgreSQL's 64-bit transaction id; the changes feed reads it cast to text."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "xid8"


# Reflected as ours, so Alembic's comparison of the models with a migrated database knows the type.
postgresql_types.ischema_names.setdefault("xid8", Xid8)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSONB, list[Any]: JSONB}


# The report weight that sends a comment to review (one harassment report weighs 2). Written once: the
# page, the shell and the domain's site-making each had a copy (a newcomer's read).
DEFAULT_REPORT_THRESHOLD = 2.0


class Site(Base):
    """A news site: one API key, its webhook and its moderation settings."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # Keys look like "mk_<key_id>_<secret>": key_id finds the row, argon2 checks the secret.
    key_id: Mapped[str] = mapped_column(String(32), unique=True)
    key_hash: Mapped[str] = mapped_column(String(200))
    # HMAC needs the secret itself, so it is stored; it never leaves the server except when created.
    webhook_secret: Mapped[str] = mapped_column(String(100))
    webhook_url: Mapped[str | None] = mapped_column(String(2000))
    # "pre": held comments are invisible until approved; "post": visible until rejected.
    moderation_mode: Mapped[str] = mapped_column(String(10), default="pre", server_default="pre")
    thresholds: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default=sql("'{}'::jsonb"))
    auto_reject: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql("false"))
    reject_thresholds: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default=sql("'{}'::jsonb"))
    report_threshold: Mapped[float] = mapped_column(Float, default=DEFAULT_REPORT_THRESHOLD,
                                                    server_default=sql(str(DEFAULT_REPORT_THRESHOLD)))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sql("true"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # After a rotation the old key keeps working under its own key id until it expires, so sites
    # can switch over without downtime. An empty key_hash means the current key was revoked.
    previous_key_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    previous_key_hash: Mapped[str | None] = mapped_column(String(200))
    previous_key_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A second key, "mks_<id>_<secret>", that /v1alpha1 (Perspective) takes and /api/v1 refuses: the
    # one a site pastes into Coral, whose admins and logs see it. NULL until issued; "" revoked.
    scoring_key_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    scoring_key_hash: Mapped[str | None] = mapped_column(String(200))
    # The scoring key a replacement rotated out, working until it expires, as previous_key_* above:
    # Coral fails open, so every comment it sent with an ended key was published unscored.
    previous_scoring_key_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    previous_scoring_key_hash: Mapped[str | None] = mapped_column(String(200))
    previous_scoring_key_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # After a rotation the old webhook secret also signs deliveries until it expires, so a site
    # can switch its verifier over without dropping events.
    previous_webhook_secret: Mapped[str | None] = mapped_column(String(100))
    previous_webhook_secret_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Off: sites see a pseudonymous moderator id, not the login name (finding 11).
    share_moderator_names: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql("false"))
    # Off: `moderation dataset export` refuses this site; its comment text stays on the server
    # (training on it here still works: the artifact holds hashed features, no text).
    allow_text_export: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql("false"))
    # Days a comment's text is kept after its final decision (domain/retention.py); NULL: forever.
    retention_days: Mapped[int | None] = mapped_column(Integer)
    # Storm mode (domain/storms.py): a story receiving this many comments in a minute, or whose
    # scored comments of the last minute the policy held at this share, is pre-moderated until
    # calm for storm_calm_minutes. 0 turns each trigger off (the default: a site opts in).
    storm_comments_per_minute: Mapped[int] = mapped_column(Integer, default=0, server_default=sql("0"))
    storm_held_share: Mapped[float] = mapped_column(Float, default=0.0, server_default=sql("0"))
    storm_calm_minutes: Mapped[int] = mapped_column(Integer, default=10, server_default=sql("10"))


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sql("true"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Copied into the signed session cookie at sign-in; bumping it (sign-out, disable, new password)
    # makes every cookie issued before anonymous, however long it was saved.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default=sql("0"))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("site_id", "external_id", name="uq_comments_site_external"),
        Index("ix_comments_pending", "received_at", postgresql_where=sql("status = 'pending'")),
        Index("ix_comments_review", "site_id", "priority", postgresql_where=sql("status = 'held'")),
        Index("ix_comments_claimable", "site_id", "bulk", "received_at",
              postgresql_where=sql("status = 'pending' AND scoring_failed_at IS NULL")),
        Index("ix_comments_changes", "site_id", "changed_xid", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    external_id: Mapped[str] = mapped_column(String(200))
    story_id: Mapped[str] = mapped_column(String(200))
    story_url: Mapped[str | None] = mapped_column(String(2000))
    story_title: Mapped[str | None] = mapped_column(String(1000))
    author_id: Mapped[str] = mapped_column(String(200))
    author_name: Mapped[str | None] = mapped_column(String(200))
    parent_id: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    # SHA-256 of the submitted body, so a repeat POST can be told from a conflicting one.
    body_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    status: Mapped[str] = mapped_column(String(20), default="pending", server_default="pending")
    # Bumped on every status change: a moderator's form carries it, so a stale decision loses.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=sql("1"))
    status_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    scores: Mapped[dict[str, Any] | None] = mapped_column()
    explanations: Mapped[dict[str, Any] | None] = mapped_column()
    model_version: Mapped[str | None] = mapped_column(String(100))
    # The version whose word published it (lifecycle.change_status): the one that scored it, or the one
    # in force whose scores an admin's release published it on, which a held comment scored again keeps
    # apart from model_version. What a rollback counts and the Published tab lists as a version's, read
    # only while it is published (0047); a moderator's approval is "approved", never this.
    published_by_version: Mapped[str | None] = mapped_column(String(100))
    scored_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    flagged: Mapped[list[Any] | None] = mapped_column()
    # The site's rules that fired when it was scored: [{"rule", "action", "reason"}] (domain/rules.py).
    rule_hits: Mapped[list[Any] | None] = mapped_column()
    report_weight: Mapped[float] = mapped_column(Float, default=0.0, server_default=sql("0"))
    # The queue's order: scored_priority plus its open reports' share and a reader at risk's lift
    # (reports.rank). scored_priority is what its scores and rules gave it (None: never scored, 0),
    # kept so a report's filing, resolution or undo, or a new report threshold, ranks it afresh
    # rather than by taking away what it once added.
    priority: Mapped[float] = mapped_column(Float, default=0.0, server_default=sql("0"))
    scored_priority: Mapped[float | None] = mapped_column(Float)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision: Mapped[str | None] = mapped_column(String(20))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    # Set aside: scoring this row failed on its own (see domain/scoring.py); claiming skips it
    # until an admin retries or rejects it on /admin/set-aside.
    scoring_failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    scoring_error: Mapped[str | None] = mapped_column(Text)
    scoring_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=sql("0"))
    # Arrived in a batch (comments:batch) and not edited by its reader since: scored in its site's bulk
    # lane, which takes turns with the comments posted one at a time (scoring.py, 0033_bulk_lane).
    bulk: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql("false"))
    # The decision the site's old system made, sent with the comment in an import (comments:batch):
    # scoring gives it that status instead of routing it, tells the site nothing, and clears it, so
    # an edit or a reversal is scored anew (0036).
    imported_decision: Mapped[str | None] = mapped_column(String(20))
    # The text's full-text vector, computed by PostgreSQL on write (migration 0012_queue_speed):
    # search then reads it instead of parsing every candidate's text again. Deferred: no page shows it.
    # Set when retention or an author's erasure blanked the text (domain/erasure.py); text_sha256
    # is the text's hash taken just before, so a site can still match its own copy.
    text_erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    text_sha256: Mapped[str | None] = mapped_column(String(64))
    search_vector: Mapped[Any] = mapped_column(
        TSVECTOR, Computed("to_tsvector('moderation_search'::regconfig, text)", persisted=True), deferred=True)
    # Set when a reader edits a decided comment (domain/edits.py): the scorer then holds the new
    # text for a moderator rather than publishing it on the model's word alone (0021_revisions).
    review_after_edit: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql("false"))
    # The transaction that last changed its version or erased its text, stamped by a trigger
    # (0030_change_feed): the changes feed's order (domain/change_feed.py). Never set by the code.
    changed_xid: Mapped[str] = mapped_column(Xid8(), server_default=sql("pg_current_xact_id()"), deferred=True)

    site: Mapped[Site] = relationship(lazy="joined")
    reports: Mapped[list["Report"]] = relationship(back_populates="comment", order_by="Report.id")
    decider: Mapped[User | None] = relationship()


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("comment_id", "reporter_id", name="uq_reports_comment_reporter"),
        # The per-reporter rate limit counts a reporter's recent reports on every filing.
        Index("ix_reports_reporter_recent", "reporter_id", "created_at"),
        # Open reports, a few among all ever filed: every queue page counts those past the desk's
        # window, and the sweep lifts their comments (domain/report_wait.py, migration 0041).
        Index("ix_reports_open", "created_at", "comment_id", postgresql_where=sql("outcome IS NULL")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(40))
    # NULL reporter ids never collide (PostgreSQL treats NULLs as distinct), so anonymous reports all count.
    reporter_id: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    weight: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # How the weight came about (reason weight x the reporter's track record on this site), shown
    # to moderators so a discounted report is not mistaken for a light reason.
    weight_reason: Mapped[str | None] = mapped_column(Text)
    # Set when a moderator decides the comment: "upheld" (rejected) or "dismissed" (approved); or
    # "removed" when the comment is deleted before a decision (domain/report_outcomes.py).
    outcome: Mapped[str | None] = mapped_column(String(20))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The comment's status when this report was filed: upheld, only one filed on a shown comment
    # earns the reporter trust (domain/reporter_weights.py). NULL: filed before it was recorded.
    filed_on_status: Mapped[str | None] = mapped_column(String(20))

    comment: Mapped[Comment] = relationship(back_populates="reports")


class AuditEntry(Base):
    """Who did what, when and why: every status change and every admin action."""

    __tablename__ = "audit_log"
    # The admin pages and `moderation up` look up rare actions (promotions, rollbacks, what a release
    # told) among every comment's status changes: without it each lookup read the whole log, 0.4-1.5 s
    # at 3 million entries (bench/audit_log.py), and the Models page and a start paid it several times.
    __table_args__ = (Index("ix_audit_log_action", "action", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    actor: Mapped[str] = mapped_column(String(200))  # "user:alice", "site:3", "system:scorer"
    action: Mapped[str] = mapped_column(String(60))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default=sql("'{}'::jsonb"))


class WebhookDelivery(Base):
    """Outbox: written in the same transaction as the status change, sent after commit."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhooks_undelivered", "created_at", postgresql_where=sql("delivered_at IS NULL AND failed = false")),
        # The dead letters an admin lists and replays: few rows, read by site.
        Index("ix_webhooks_dead", "site_id", "created_at", postgresql_where=sql("failed = true")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    event: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=sql("0"))
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When a retry (or the sweep's resend) is due: the sweep leaves a delivery alone until then.
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql("false"))
    # The scoring of a comment from a batch: waits in its site's bulk lane for a turn (dispatch.py).
    bulk: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql("false"))


class LabelledExample(Base):
    """A human label for a text, for retraining: a moderator's decision, a report's outcome or a
    Perspective suggestscore call, with who gave it and why (domain/labels.py records them)."""

    __tablename__ = "labelled_examples"
    __table_args__ = (Index("ix_labelled_examples_site_created", "site_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    labels: Mapped[dict[str, Any]] = mapped_column()  # {"toxicity": 1, ...}
    source: Mapped[str] = mapped_column(String(40))  # "moderator" | "suggestscore"
    client_token: Mapped[str | None] = mapped_column(String(200))
    community_id: Mapped[str | None] = mapped_column(String(200))
    context: Mapped[dict[str, Any] | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Provenance (0014_labels). kind: "decision" | "report_outcome" | "suggestscore".
    kind: Mapped[str] = mapped_column(String(20))
    # Who: the moderator (labelled_by) or the API client ("site:3"), as in the audit log's actor.
    labelled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    # The decision it came from: its status and instant (an undo removes exactly these rows).
    decision: Mapped[str | None] = mapped_column(String(20))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))


SANCTION_KINDS = ("premoderate", "suspend", "ban")


class AuthorSanction(Base):
    """A moderator's measure against one author on one site; lifted or expired rows are history."""

    __tablename__ = "author_sanctions"
    __table_args__ = (Index("ix_author_sanctions_author", "site_id", "author_id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    author_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # SANCTION_KINDS
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # suspensions only
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lifted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lift_reason: Mapped[str | None] = mapped_column(Text)

    creator: Mapped[User | None] = relationship(foreign_keys=[created_by])
    lifter: Mapped[User | None] = relationship(foreign_keys=[lifted_by])


class LegalHold(Base):
    """An admin's hold on a site's comments kept as evidence: an author's, a story's or one comment's
    (domain/legal_holds.py). While it stands, retention and erasure leave them be; lifted rows are history."""

    __tablename__ = "legal_holds"
    __table_args__ = (Index("ix_legal_holds_site", "site_id", "scope", "target"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(20))  # legal_holds.SCOPES
    target: Mapped[str] = mapped_column(String(200))  # the author id, story id, or our comment id
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lifted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lift_reason: Mapped[str | None] = mapped_column(Text)

    site: Mapped[Site] = relationship()
    creator: Mapped[User | None] = relationship(foreign_keys=[created_by])
    lifter: Mapped[User | None] = relationship(foreign_keys=[lifted_by])


# Declared here rather than in the classes' __table_args__: the author's counts (the author page,
# GET /api/v1/authors/<id>) and a reporter's track record (report weights) look rows up by these.
Index("ix_comments_author", Comment.site_id, Comment.author_id)
Index("ix_reports_reporter", Report.reporter_id)
class SiteMember(Base):
    """A moderator works one or more sites and sees only their comments; admins see every site."""

    __tablename__ = "site_members"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # Indexed on its own for "who works this site" on the admin page; user_id leads the primary key.
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


# Full-text search on /review (domain/queue_filters.py), on the stored vector (0012_queue_speed).
Index("ix_comments_search_vector", Comment.search_vector, postgresql_using="gin")
# The queue's sort and keyset paging (domain/queue.py): priority first, highest first.
Index("ix_comments_queue_order", Comment.priority.desc(), Comment.received_at, Comment.id)
# A comment's history on its detail page lists the webhook events sent about it (domain/history.py).
Index("ix_webhook_deliveries_comment", WebhookDelivery.comment_id)


class ReviewClaim(Base):
    """A moderator's lease on one comment while they look at it (domain/claims.py).

    A row of its own rather than columns on comments: claims change every minute while a
    moderator works, and an expired row means nothing, so the busiest table is left alone.
    """

    __tablename__ = "review_claims"

    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
# A card's thread (domain/thread.py): earlier replies to one parent, earlier top-level comments on a story.
Index("ix_comments_thread", Comment.site_id, Comment.parent_id, Comment.received_at, Comment.id,
      postgresql_where=sql("parent_id IS NOT NULL"))
Index("ix_comments_story_top", Comment.site_id, Comment.story_id, Comment.received_at, Comment.id,
      postgresql_where=sql("parent_id IS NULL"))
# Precedent (domain/precedent.py): trigram nearest neighbours among one site's decided comments;
# needs the pg_trgm and btree_gist extensions (migration 0011_precedent creates them).
Index("ix_comments_precedent", Comment.site_id, Comment.text, postgresql_using="gist",
      postgresql_ops={"text": "gist_trgm_ops"}, postgresql_where=sql("decision IS NOT NULL"))
# The queue's capped tab counts and a site-filtered page (domain/queue.py, migration 0012_queue_speed).
Index("ix_comments_status_queue_order", Comment.status, Comment.priority.desc(), Comment.received_at, Comment.id,
      postgresql_include=["site_id"])
Index("ix_comments_reported", Comment.site_id, Comment.report_weight,
      postgresql_where=sql("status = 'published' AND report_weight > 0"))
Index("ix_comments_site_queue_order", Comment.site_id, Comment.priority.desc(), Comment.received_at, Comment.id)
# What a version published: the Published tab by version, in the queue's order, and a rollback's count
# (domain/version_effect.py, migration 0047_published_by_version); and what it scored otherwise, which
# the tab's counts (every tab's, by version) and the rollback's held count read beside it.
Index("ix_comments_published_by_version", Comment.published_by_version, Comment.priority.desc(), Comment.received_at,
      Comment.id, postgresql_where=sql("status = 'published'"))
Index("ix_comments_scored_by_version", Comment.model_version, postgresql_where=sql("status <> 'published'"))
# The Reported tab's held half (domain/queue.py, migration 0022_held_reported).
Index("ix_comments_held_reported", Comment.site_id, Comment.report_weight,
      postgresql_where=sql("status = 'held' AND report_weight > 0"))


class ModelVersion(Base):
    """One trained classifier: its content-addressed artifact under the var dir, card and lifecycle.

    `sha256` covers the artifact and its card (domain/model_registry.py); `version` is the
    CivilityModel.version string, which abbreviates the same digest.
    """

    __tablename__ = "model_versions"
    __table_args__ = (
        # At most one candidate scores live comments in shadow at a time.
        Index("uq_model_versions_one_shadow", "status", unique=True, postgresql_where=sql("status = 'shadow'")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(100), unique=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    artifact: Mapped[str] = mapped_column(String(300))  # relative to VAR_DIR: models/<sha256>.skops
    # The same bytes, so a process on another machine (or a container with its own var dir) can
    # write the files it lacks; deferred, as only that first load reads them.
    artifact_bytes: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    card_bytes: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    card: Mapped[dict[str, Any]] = mapped_column()
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default=sql("'{}'::jsonb"))
    status: Mapped[str] = mapped_column(String(20), default="candidate", server_default="candidate")
    trained_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Who trained it where no account did, as the audit log names them: `moderation train`'s shell account.
    trainer_name: Mapped[str | None] = mapped_column(String(200))
    training_data: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default=sql("'{}'::jsonb"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    notes: Mapped[str | None] = mapped_column(Text)

    trainer: Mapped[User | None] = relationship(foreign_keys=[trained_by])


class ModelAssignment(Base):
    """The active version of one site (site_id NULL: the global default every other site follows).

    One row per scope, changed in place; previous_version_id is what rollback returns to (NULL on a
    site's row: it followed the global default before).
    """

    __tablename__ = "model_assignments"
    __table_args__ = (UniqueConstraint("site_id", name="uq_model_assignments_site", postgresql_nulls_not_distinct=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("model_versions.id"))
    previous_version_id: Mapped[int | None] = mapped_column(ForeignKey("model_versions.id"))
    assigned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    version: Mapped[ModelVersion] = relationship(foreign_keys=[version_id])
    previous_version: Mapped[ModelVersion | None] = relationship(foreign_keys=[previous_version_id])
    assigner: Mapped[User | None] = relationship(foreign_keys=[assigned_by])


class ShadowScore(Base):
    """What a shadow model said about a comment the live model scored (domain/shadow.py).

    Kept apart from the comment, which the shadow never changes: `would_be_status` is the status
    the site's policy gives with the shadow's scores and thresholds, `live_status` the one it got.
    """

    __tablename__ = "shadow_scores"
    __table_args__ = (
        UniqueConstraint("comment_id", "version", name="uq_shadow_scores_comment_version"),
        Index("ix_shadow_scores_version_scored_at", "version", "scored_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    version: Mapped[str] = mapped_column(String(100))
    scores: Mapped[dict[str, Any]] = mapped_column()
    would_be_status: Mapped[str] = mapped_column(String(20))
    live_status: Mapped[str] = mapped_column(String(20))
    live_version: Mapped[str | None] = mapped_column(String(100))
    scored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    comment: Mapped[Comment] = relationship()


class DriftReport(Base):
    """One comparison of a day's live scores with the model card's validation scores (domain/drift.py)."""

    __tablename__ = "drift_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    window_end: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    comments: Mapped[int] = mapped_column(Integer)
    held_rate: Mapped[float | None] = mapped_column(Float)  # at the model's own thresholds
    validation_held_rate: Mapped[float | None] = mapped_column(Float)
    psi: Mapped[dict[str, Any]] = mapped_column(default=dict)  # attribute -> PSI
    max_psi: Mapped[float | None] = mapped_column(Float)
    live_histograms: Mapped[dict[str, Any]] = mapped_column(default=dict)
    validation_histograms: Mapped[dict[str, Any]] = mapped_column(default=dict)
    warning: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)  # why no PSI was computed, when it was not


class TrainingRun(Base):
    """A candidate being trained by the worker on the "training" queue (domain/training_runs.py).

    The worker writes progress, stage and log in short transactions of their own, so the admin
    page's polling sees them while the run goes on; at most one run is queued or running at a time
    (uq_training_runs_one_active, migration 0015_training_runs).
    """

    __tablename__ = "training_runs"
    __table_args__ = (
        Index("uq_training_runs_one_active", sql("(true)"), unique=True,
              postgresql_where=sql("state IN ('queued', 'running')")),
        Index("ix_training_runs_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The site whose own labels join the shared data; NULL trains on the shared data only.
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    requested_by: Mapped[str] = mapped_column(String(200))  # "user:alice" or "cli:root", as in the audit log
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(20), default="queued", server_default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0, server_default=sql("0"))
    stage: Mapped[str | None] = mapped_column(Text)
    log: Mapped[str] = mapped_column(Text, default="", server_default="")
    error: Mapped[str | None] = mapped_column(Text)
    # Set by cancel on a running run; the worker stops at its next stage and marks it cancelled.
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql("false"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    artifact: Mapped[str | None] = mapped_column(Text)  # where the trainer wrote it, before registering
    version_id: Mapped[int | None] = mapped_column(ForeignKey("model_versions.id", ondelete="SET NULL"))

    site: Mapped[Site | None] = relationship()
    version: Mapped[ModelVersion | None] = relationship()


class CommentRevision(Base):
    """A text a comment had before a reader edited it (domain/edits.py); the comment holds the current one."""

    __tablename__ = "comment_revisions"
    __table_args__ = (UniqueConstraint("comment_id", "revision", name="uq_comment_revisions_comment_revision"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)  # 1 is the text first posted
    text: Mapped[str] = mapped_column(Text)
    author_name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))  # the comment's status when this text was replaced
    scores: Mapped[dict[str, Any] | None] = mapped_column()
    replaced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


# GET /api/v1/comments?story_id=... pages through one story's comments in id order (0021_revisions).
Index("ix_comments_story_id", Comment.site_id, Comment.story_id, Comment.id)
# The retention task's look-up (0019_retention): finally decided comments still holding their text.
Index("ix_comments_retention", Comment.site_id, Comment.status_changed_at,
      postgresql_where=sql("text_erased_at IS NULL AND status IN ('approved', 'rejected', 'deleted')"))


class AuthorErasure(Base):
    """That an author's texts and names were erased on a site (domain/erasure.py), and how much.

    The author id is kept only as its SHA-256, so the record proves the request was carried out
    without keeping who asked.
    """

    __tablename__ = "author_erasures"
    __table_args__ = (Index("ix_author_erasures_site_author", "site_id", "author_hash"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    author_hash: Mapped[str] = mapped_column(String(64))
    requested_by: Mapped[str] = mapped_column(String(200))  # "site:3", as in the audit log
    erased_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default=sql("'{}'::jsonb"))


class RuleSet(Base):
    """One version of a site's rules (domain/rules.py); a save adds a version, the newest is in force."""

    __tablename__ = "rule_sets"
    __table_args__ = (UniqueConstraint("site_id", "version", name="uq_rule_sets_site_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    rules: Mapped[list[Any]] = mapped_column()
    created_by: Mapped[str] = mapped_column(String(200))  # "user:alice", as in the audit log
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Story(Base):
    """A story's own settings on a site: comments closed, or every comment pre-moderated (domain/stories.py).

    Only stories someone changed have a row; a story without one is open and follows the site's rules.
    """

    __tablename__ = "stories"
    __table_args__ = (UniqueConstraint("site_id", "story_id", name="uq_stories_site_story"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    story_id: Mapped[str] = mapped_column(String(200))
    closed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql("false"))
    premoderated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql("false"))
    # Held at half the site's hold thresholds (policy.stricter): a sensitive story, not the sport.
    strict: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql("false"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
class StoryStorm(Base):
    """A story in storm mode (domain/storms.py): its new comments are held for review until calm.

    At most one open storm (ended_at NULL) per story: uq_story_storms_open lets two workers that
    see the same burst start it once. `last_stormy_at` is the last time a trigger still held;
    the sweep ends the storm when that is storm_calm_minutes old.
    """

    __tablename__ = "story_storms"
    __table_args__ = (
        Index("uq_story_storms_open", "site_id", "story_id", unique=True, postgresql_where=sql("ended_at IS NULL")),
        Index("ix_story_storms_site_started", "site_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    story_id: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    trigger: Mapped[str] = mapped_column(Text)  # e.g. "130 comments in the last minute (limit 100)"
    last_stormy_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    site: Mapped[Site] = relationship()


# Storm detection counts one story's comments of the last minute.
Index("ix_comments_story_received", Comment.site_id, Comment.story_id, Comment.received_at)
# Back-pressure's Retry-After divides the backlog by the comments scored in the last seconds
# (domain/backpressure.py); the daily drift check reads a day of scored_at too.
Index("ix_comments_scored_at", Comment.scored_at)
# The operations page's last day and the retention job (migration 0026_operations_indexes).
Index("ix_comments_received_at", Comment.received_at)
Index("ix_webhook_deliveries_created_at", WebhookDelivery.created_at)
Index("ix_webhook_deliveries_delivered_at", WebhookDelivery.delivered_at, postgresql_where=sql("delivered_at IS NOT NULL"))


class HeldRescoreRun(Base):
    """One scoring of a site's held comments by the version in force (domain/held_rescore.py): one
    per site, a new run replacing it, so nothing one run found is carried into another."""

    __tablename__ = "held_rescore_runs"
    __table_args__ = (UniqueConstraint("site_id", name="uq_held_rescore_runs_site"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    version: Mapped[str | None] = mapped_column(String(100))  # set when scoring starts: what scored them
    requested_by: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed: Mapped[str | None] = mapped_column(Text)
    scored: Mapped[int] = mapped_column(Integer, default=0, server_default=sql("0"))
    # Stamped as it starts and at each page: a run is stale this long after it last moved, not after it
    # was asked for, which had called a big site's run stale while it still scored (migration 0044).
    progressed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class HeldRescoreResult(Base):
    """What the run's version scored for one held comment, kept off the comment, which stays the
    earlier version's decision until it is published on these scores."""

    __tablename__ = "held_rescore_results"

    run_id: Mapped[int] = mapped_column(ForeignKey("held_rescore_runs.id", ondelete="CASCADE"), primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True)
    text_sha256: Mapped[str] = mapped_column(String(64))  # the text scored: an edit since makes the scores another text's
    scores: Mapped[dict[str, Any]] = mapped_column()
