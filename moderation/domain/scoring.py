"""Scoring pending comments in micro-batches.

A batch is claimed with SELECT ... FOR UPDATE SKIP LOCKED: the ids a task was given first, then
other pending comments up to the batch size, each site's oldest in turn (every site's first, then
every site's second...), so one site's flood cannot fill every batch; while another site has a few
comments the claim can take (SHARED_TURN or fewer), at most SHARED_TURN of each site's, so a quiet
site's comment is not decided only after hundreds of its neighbour's; busy sites alone split a
full batch between them. Two workers never score the same comment, and a
worker that finds its ids already taken simply scores others. Only `pending` rows are ever
claimed, so scoring a comment twice (a redelivered task, the sweep) changes nothing.

One `model.score` call per site in a batch: the model is much faster on many texts at once, and
each site scores with its own active version (model_provider.py). The provider re-checks the
registry once per batch, so a promotion or rollback applies from the next batch on; every comment
records the version that scored it.

A batch that fails for any reason but a lost database connection is rolled back and scored again
one comment at a time, so one bad row (a created_at psycopg cannot read, a text the model fails
on) cannot keep every site's comments pending. A comment that fails alone is set aside
(`scoring_failed_at`, `scoring_error`), logged, and left to an admin on /admin/set-aside; claiming
skips it. When every comment of a batch fails alone the fault is probably not theirs (a broken
model): each only counts an attempt, and is set aside at its MAX_SCORING_ATTEMPTS-th.
"""
from __future__ import annotations

import functools
import logging
import math
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (BigInteger, Boolean, Integer, and_, any_, bindparam, case, column, func, literal, select, text, true,
                        union_all, update, values)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from classifiers.normalise import mapped_length
from moderation.domain.dispatch import send_webhooks
from moderation.domain.edits import after_edit
from moderation.domain.errors import driver_error
from moderation.domain.policy import REPORTS, Policy, decide, near_misses, site_policy
from moderation.domain.reports import open_reports_by_comment, rank, reports_may_hide, resolve_removed, says_at_risk
from moderation.domain.rule_facts import load_facts
from moderation.domain.rule_sets import current_rule_set
from moderation.domain.routing import cause, route
from moderation.domain.rules import Compiled, Hit, status_reason
from moderation.domain.ban_evasion import evasion_hits
from moderation.domain.sanctions import not_being_sanctioned, sanctions_in_force, wait_for_sanctions
from moderation.domain.shadow import score_in_shadow
from moderation.domain.status_writes import BatchWrites
from moderation.domain.labels import record_import
from moderation.domain.lifecycle import (AUTO_REJECTED, IMPORT, PENDING, PUBLISHED, REJECTED, SANCTION,
                                         SCORER as BY_SCORER, STORM, change_status, now)
from moderation.domain.model_contract import Model, ModelSource
from moderation.domain.stories import story_hit, story_policy, story_settings, strict_hit
from moderation.domain.storms import hold_in_storm, storm_watch
from moderation.models import Comment, Site, WebhookDelivery
from moderation.observability import metrics

log = logging.getLogger(__name__)

SCORER = "system:scorer"
IMPORTER = "system:import"
IMPORTED_REASON = "decided before the import"
EXPLAIN_TOP_K = 5
MAX_SCORING_ATTEMPTS = 3
# Claiming looks at each site's oldest batch_size * CLAIM_LOOKAHEAD pending comments: enough to
# find free ones while that many other workers hold full batches of the same site (SKIP LOCKED
# skips theirs), and a bounded read however deep the backlog.
CLAIM_LOOKAHEAD = 8
MAX_ERROR_LENGTH = 2000
# A claim while a lane (a site's single comments, or its batch imports) with this many comments or
# fewer waits beside others takes at most this many of each. Every comment of a batch waits for all
# of it: a quiet site's comment claimed beside 255 of a neighbour's import was decided 0.4-1.3 s after
# its claim on a busy machine, in a batch of 33 0.2-0.5 s (bench/cross_site.py). A lane alone fills
# its batch and busy lanes alone split it, so floods keep their batches' size; the price is one short
# batch per quiet site's turn.
SHARED_TURN = 32
# A claim of this many comments or more is a stream worth gathering into larger batches (`linger`).
LINGER_FROM = 8
SendWebhooks = Callable[[Session, list[WebhookDelivery]], object]


class _Resolved:
    """The models of one batch's sites, loaded before scoring starts; a plain model serves every site."""

    def __init__(self, models: dict[int, Model] | None = None, *, every_site: Model | None = None) -> None:
        self.models = models or {}
        self.every_site = every_site

    def for_site(self, site_id: int | None) -> Model:
        return self.every_site if self.every_site is not None else self.models[site_id]  # type: ignore[index]

    def refresh(self) -> None:
        pass


class _Factory:
    """A callable that returns one model for every site (tests, and callers without a provider)."""

    def __init__(self, get_model: Callable[[], Model]) -> None:
        self.get_model = get_model
        self.model: Model | None = None

    def for_site(self, site_id: int | None) -> Model:
        if self.model is None:
            self.model = self.get_model()
        return self.model

    def refresh(self) -> None:
        pass


def _source(models: ModelSource | Model) -> ModelSource:
    return models if hasattr(models, "for_site") else _Resolved(every_site=models)  # type: ignore[return-value]


@dataclass
class BatchResult:
    scored: dict[int, str] = field(default_factory=dict)  # comment id -> new status
    deliveries: list[WebhookDelivery] = field(default_factory=list)
    # Left pending: their author's sanction was being written as the batch began (sanctions.not_being_sanctioned).
    deferred: list[Comment] = field(default_factory=list)


def score_batch(session: Session, model: Model | ModelSource, comment_ids: Sequence[int], *,
                batch_size: int) -> BatchResult:
    """Claim, score, and move one batch. The caller commits, then sends the webhooks."""
    return score_claimed(session, model, claim_batch(session, comment_ids, batch_size=batch_size))


def claim_batch(session: Session, comment_ids: Sequence[int], *, batch_size: int) -> list[Comment]:
    """Lock up to batch_size pending comments, the given ones first, skipping rows others hold."""
    return load_claimed(session, claim_ids(session, comment_ids, batch_size=batch_size))


def _claimable(received_before: datetime | ColumnElement[Any] | None = None):
    condition = and_(Comment.status == PENDING, Comment.scoring_failed_at.is_(None))
    return condition if received_before is None else and_(condition, Comment.received_at < received_before)


def claim_ids(
    session: Session, comment_ids: Sequence[int], *, batch_size: int, received_before: datetime | None = None
) -> list[int]:
    """Lock up to batch_size claimable comments and return their ids, in the order to score them:
    the given ones, then each site's oldest in turn. Only ids are read, so a row that cannot be
    loaded is still claimed, and fails alone when it is."""
    return [comment_id for comment_id, _ in _claim(session, comment_ids, batch_size=batch_size,
                                                    received_before=received_before).rows]


# Far above a batch's scoring (seconds, even for 256 texts of 20,000 characters).
CLAIM_IDLE_LIMIT_SECONDS = 120.0
_IDLE_LIMIT = text("SELECT set_config('idle_in_transaction_session_timeout', :limit, true)")


class Claimed(NamedTuple):
    rows: list[tuple[int, int]]  # (comment id, site id), in the order to score them
    # The batch, or a lane's share of it, was filled: more are probably waiting, as after a full batch.
    full: bool


def _claim(session: Session, comment_ids: Sequence[int], *, batch_size: int,
           received_before: datetime | None = None) -> Claimed:
    """claim_ids, with each comment's site id: the batch's models are chosen before the rows load.

    Two steps: rank candidates (no locks), then lock the first of them by id. In one statement
    the planner joined the ranking to the comments table, and on a backlog that grew faster than
    autovacuum's ANALYZE (a surge of comments, the bench's batch run) it expected one pending row
    and chose a nested loop that re-read the ranking for every pending comment: 19 to 44 s per
    claim at 20,000 pending. Locking by id is a primary-key lookup whatever the statistics say."""
    # A worker frozen while it holds its claim (stopped, swapped out, a debugger) would keep the
    # rows locked, and every sweep skips locked rows: its comments stayed pending for as long as
    # it stayed frozen. The server ends such a transaction, releasing them to the next sweep.
    session.execute(_IDLE_LIMIT, {"limit": f"{CLAIM_IDLE_LIMIT_SECONDS * 1000:.0f}"})
    wanted = [int(i) for i in comment_ids]
    params: dict[str, Any] = {"lookahead": batch_size * CLAIM_LOOKAHEAD}
    if wanted:
        params["wanted"] = wanted
    if received_before is not None:
        params["received_before"] = received_before
    ranked = session.execute(_rank_statement(bool(wanted), received_before is not None), params).all()
    cutoff = {"received_before": received_before} if received_before is not None else {}
    taken: Counter[tuple[int, bool]] = Counter()
    claimed: list[tuple[int, int]] = []
    untried = [(row[0], (row[1], row[2])) for row in ranked]
    share = batch_size
    # A window at a time: each lane's next candidates, as many as its share has room for; rows
    # another worker holds are skipped and the lane's next ones tried, up to the lookahead. Never
    # more than batch_size rows are locked, nor more than a lane's share: a row locked stays locked.
    while untried and len(claimed) < batch_size:
        # Shared only with lanes this claim can still take from: another worker already scoring the
        # quiet site's comment leaves this one the flood's full batch. A short turn only while a lane
        # with a few comments waits: two backlogs (two imports, an import beside a busy live lane)
        # cut to 32 each were scored in batches of 64 for their whole length, 1.5 times the CPU (a
        # re-check); busy lanes alone split the batch between them.
        lanes = Counter(taken) + Counter(lane for _, lane in untried)
        if len(lanes) < 2:
            share = batch_size
        elif min(lanes.values()) <= SHARED_TURN:
            share = min(batch_size, SHARED_TURN)
        else:
            share = min(batch_size, max(SHARED_TURN, batch_size // len(lanes)))
        window, rest, room = [], [], Counter(taken)
        for comment_id, lane in untried:
            if room[lane] < share and len(window) < batch_size - len(claimed):
                window.append(comment_id)
                room[lane] += 1
            else:
                rest.append((comment_id, lane))
        if not window:
            break
        rows = session.execute(_lock_statement(received_before is not None),
                               {**cutoff, "ids": window, "wanted_count": batch_size - len(claimed)}).all()
        claimed.extend((row[0], row[1]) for row in rows)
        taken.update((row[1], row[2]) for row in rows)
        untried = rest
    position = {row[0]: i for i, row in enumerate(ranked)}
    # A lane that took its share has more waiting. Judged as at least the last pass's share, not equal
    # to it: a share that fell from 128 to 32 in the claim's last pass (rows other workers hold left a
    # lane with 32 or fewer) matched no lane's count, and the task stopped with 936 pending (a re-check).
    full = len(claimed) >= batch_size or (share < batch_size and any(n >= share for n in taken.values()))
    return Claimed(sorted(claimed, key=lambda row: position[row[0]]), full)


@functools.cache
def _rank_statement(with_wanted: bool, with_cutoff: bool):
    """The claimable comments to try, (id, site id, bulk), in the order to score them: the given ones, then each
    site's oldest in turn, a site's comments posted one at a time and those that came in a batch
    taking turns as two sites do. Built once per shape: built for every batch, the claim query
    and its cache key cost 2.4 ms of CPU, a tenth of a one-comment batch."""
    claimable = _claimable(bindparam("received_before") if with_cutoff else None)
    # A site's import had its readers' comments wait for all of it, oldest first (bench/import_lane.py).
    lanes = values(column("bulk", Boolean), name="lanes").data([(False,), (True,)])
    # Each lane's oldest few (ix_comments_claimable), numbered within the lane: its turn.
    oldest = (
        select(Comment.id, Comment.site_id, Comment.bulk, Comment.received_at)
        .where(claimable, Comment.site_id == Site.id, Comment.bulk == lanes.c.bulk)
        .order_by(Comment.received_at, Comment.id)
        .limit(bindparam("lookahead", type_=Integer))
        .lateral()
    )
    turns = select(
        oldest.c.id,
        oldest.c.site_id,
        oldest.c.bulk,
        func.row_number().over(partition_by=(oldest.c.site_id, oldest.c.bulk),
                               order_by=(oldest.c.received_at, oldest.c.id)).label("turn"),
        oldest.c.received_at,
    ).select_from(Site).join(lanes, true()).join(oldest, true())
    if with_wanted:
        wanted = Comment.id == any_(bindparam("wanted", type_=ARRAY(BigInteger)))
        turns = union_all(turns, select(Comment.id, Comment.site_id, Comment.bulk, literal(0).label("turn"),
                                            Comment.received_at).where(wanted, claimable))
    candidates = turns.subquery()
    turn = func.min(candidates.c.turn)
    return (
        select(candidates.c.id, candidates.c.site_id, candidates.c.bulk)
        .group_by(candidates.c.id, candidates.c.site_id, candidates.c.bulk)
        .order_by(turn, func.min(candidates.c.received_at), candidates.c.id)
        .limit(bindparam("lookahead", type_=Integer))
    )


@functools.cache
def _lock_statement(with_cutoff: bool):
    """Lock up to wanted_count of the given ids that are still claimable, skipping rows others hold:
    (id, site id, bulk)."""
    claimable = _claimable(bindparam("received_before") if with_cutoff else None)
    return (
        select(Comment.id, Comment.site_id, Comment.bulk)
        .where(Comment.id == any_(bindparam("ids", type_=ARRAY(BigInteger))), claimable)
        .order_by(Comment.received_at, Comment.id)
        .limit(bindparam("wanted_count", type_=Integer))
        .with_for_update(skip_locked=True)
    )


def _among(ids: Sequence[int]) -> ColumnElement[bool]:
    """`comments.id = ANY(:ids)`: one array parameter, where IN (...) sent one per id. psycopg
    parses every statement of more than 50 parameters afresh, and a batch's three id lists
    (claim, sites, load) were up to 768 placeholders of it, every batch."""
    return Comment.id == any_(literal([int(i) for i in ids], ARRAY(BigInteger)))


# What one batch reads at most, in characters once normalised (the rules and the model cost about
# 10 µs each): its rows stay locked while it scores, and a reader's edit or report of one waits. A
# batch of 256 long texts took minutes and held the rows past the claim's idle limit (a chaos walk);
# a comment past the budget is left pending for the next claim, the first always scored. Every site's
# comments in a batch wait for all of it: at a million characters (10 s, 30-60 s on a loaded machine)
# one site's three batch requests of the longest texts had another site's every comment wait 43 s
# (p50) to 237 s to be scored (an SRE's walk). A quarter of a million reads in about 2.5 s, and a batch
# of ordinary comments (256 of a few hundred characters) is far under it.
BATCH_CHARACTERS = 250_000


def within_budget(comments: list[Comment], budget: int | None = None) -> list[Comment]:
    """The first of `comments` whose texts together read at most `budget` characters (at least one)."""
    budget = BATCH_CHARACTERS if budget is None else budget
    kept: list[Comment] = []
    read = 0
    for comment in comments:
        read += mapped_length(comment.text or "")
        if kept and read > budget:
            break
        kept.append(comment)
    return kept


def load_claimed(session: Session, ids: Sequence[int]) -> list[Comment]:
    """The claimed rows as objects, in the order claimed (their locks are already held)."""
    if not ids:
        return []
    found = {c.id: c for c in session.scalars(
        select(Comment).where(_among(ids)).execution_options(populate_existing=True))}
    return [found[i] for i in ids if i in found]


def score_claimed(session: Session, models: Model | ModelSource, comments: list[Comment]) -> BatchResult:
    """Score claimed comments, each site's with its own model (a plain model scores them all).
    Their rows are written (not committed) and the objects leave the session (BatchWrites.write)."""
    result = BatchResult()
    comments, result.deferred = not_being_sanctioned(session, comments)
    if not comments:
        return result
    source = _source(models)
    by_site: dict[int, list[Comment]] = {}
    for comment in comments:
        by_site.setdefault(comment.site_id, []).append(comment)
    scored_at = now()
    sanctions = sanctions_in_force(session, comments, scored_at)
    evasions = evasion_hits(session, comments, scored_at)
    storms = storm_watch(session, comments, scored_at)  # a storm started here is sent with the batch's events
    result.deliveries.extend(storms.deliveries)
    writes = BatchWrites()
    for site_id, group in by_site.items():
        _score_site(session, source.for_site(site_id), group, scored_at, sanctions, result, writes, storms.stories,
                    evasions)
    writes.write(session, comments)
    return result


def _take_imported_decisions(session: Session, model: Model, comments: list[Comment], scored_at: datetime,
                             result: BatchResult, writes: BatchWrites) -> None:
    """Imported comments take the decision the site's old system made (imported_decision): scored,
    so thresholds can be tuned on them, but not routed, held for review or told to the site, which
    made the decision. Their labels are kept as an import's (labels.record_import)."""
    for comment, raw in zip(comments, model.score([c.text for c in comments]), strict=True):
        comment.scores = {k: round(float(v), 6) for k, v in raw.items() if k in model.attributes}
        if not all(map(math.isfinite, comment.scores.values())):
            raise ValueError(f"the model gave {comment.scores} for comment {comment.id}")
        comment.model_version, comment.scored_at, comment.flagged, comment.rule_hits = model.version, scored_at, [], None
        decision, comment.imported_decision = comment.imported_decision, None  # once: an edit or reversal is scored anew
        comment.decision, comment.decision_reason = decision, IMPORTED_REASON
        comment.decided_at, comment.decided_by, comment.review_after_edit = scored_at, None, False
        change_status(session, comment, decision, actor=IMPORTER, by=IMPORT, reason=IMPORTED_REASON,
                      model_version=model.version, writes=writes, tell_site=False)
        record_import(session, comment)
        result.scored[comment.id] = comment.status
    # The decision's columns are not among those the batch's own UPDATE writes (status_writes.SCORED_COLUMNS):
    # flushed here, by the unit of work, before that UPDATE takes the rows out of the session.
    session.flush()


def _score_site(session: Session, model: Model, comments: list[Comment], scored_at: datetime, sanctions: dict,
                result: BatchResult, writes: BatchWrites, stormy: set[tuple[int, str]] = frozenset(),
                evasions: dict[int, Hit] | None = None) -> None:
    imported = [c for c in comments if c.imported_decision]
    if imported:
        comments = [c for c in comments if not c.imported_decision]
        _take_imported_decisions(session, model, imported, scored_at, result, writes)
        if not comments:
            return
    all_scores = rounded_scores(model, [c.text for c in comments])
    # The site's rules and story settings: read once for this site's share of the batch.
    rule_set = current_rule_set(session, comments[0].site_id)
    rules = list(rule_set.rules) if rule_set else []
    compiled = Compiled(rules)
    facts = load_facts(session, comments, rules) if rules else {}
    stories = story_settings(session, comments[0].site_id, (c.story_id for c in comments))
    open_now = open_reports_by_comment(session, comments)
    policy: Policy | None = None
    for comment, scores in zip(comments, all_scores, strict=True):
        site: Site = comment.site
        if policy is None:
            policy = site_policy(site, model.attributes, model.thresholds)
        hits = compiled.evaluate(comment.text, facts[comment.id]) if rules else []
        story = story_hit(stories.get(comment.story_id), site)
        if story is not None:
            hits.append(story)
        if evasions and comment.id in evasions:
            hits.append(evasions[comment.id])
        weight = sum(r.weight for r in open_now.get(comment.id, []))
        # Rescored after an edit, one untried reader's reports still do not hide it (an adversarial walk:
        # one report and a typo fix held a civil comment).
        may_hide = reports_may_hide(session, comment, weight, policy.report_threshold)
        on_story = stories.get(comment.story_id)
        routing_policy = story_policy(policy, on_story)
        verdict = decide(routing_policy, scores, weight, reports_may_hide=may_hide)
        # At the site's thresholds: what a strict story's and the rules' holds are told apart from.
        plain = verdict if routing_policy is policy else decide(policy, scores, weight, reports_may_hide=may_hide)
        strict = strict_hit(on_story, verdict, lambda: plain)
        if strict is not None:
            hits.append(strict)
        verdict, sanction_reason = route(verdict, hits, sanctions.get((comment.site_id, comment.author_id)),
                                         reported_at_risk=any(map(says_at_risk, open_now.get(comment.id, []))))
        routed = verdict
        verdict, comment.review_after_edit = after_edit(verdict, comment.review_after_edit), False
        comment.rule_hits = [h.as_json() for h in hits] or None
        storm_reason = None
        if not sanction_reason:
            verdict, storm_reason = hold_in_storm(verdict, (comment.site_id, comment.story_id) in stormy)
        # Only attributes the model scores reliably: the others it can only copy from toxicity.
        comment.scores = {k: v for k, v in scores.items() if k in model.attributes}
        if not all(map(math.isfinite, comment.scores.values())):
            # Not a score a policy can compare, nor one JSON can hold: the comment fails alone (or the model does).
            raise ValueError(f"the model gave {comment.scores} for comment {comment.id}")
        comment.model_version = model.version
        comment.scored_at = scored_at
        comment.flagged = verdict.flagged
        comment.scored_priority = verdict.priority
        rank(session, comment, open_now.get(comment.id, []), policy.report_threshold)
        for report in open_now.get(comment.id, []):
            # A report filed before scoring met what scoring made of the comment: it found something if
            # the model let it through, and nothing if the model held it (reporter_weights.FINDS_ON).
            # Left "pending", a post-moderation reader's report on a shown insult never earned trust (a re-check).
            if report.filed_on_status == PENDING:
                report.filed_on_status = verdict.status
        if verdict.status != PUBLISHED:
            comment.explanations = _explain(model, comment.text, verdict.flagged, near_misses(policy, scores))
        delivery = change_status(
            session,
            comment,
            verdict.status,
            actor=SCORER,
            by=SANCTION if sanction_reason else STORM if storm_reason else BY_SCORER,
            reason=sanction_reason or storm_reason or status_reason(verdict.flagged, hits),
            model_version=model.version,
            writes=writes,
            **cause(plain, verdict, hits, sanctioned=sanction_reason is not None, stormy=storm_reason is not None,
                    edited=verdict.status != routed.status and storm_reason is None),
            # The thresholds and rules it was routed by, as they stood then: after the site changed them,
            # a comment published at 0.74 under a hold at 0.95 read as one the model should have held,
            # with nothing to say why (counsel's walk); and why this one was rejected unseen and not a
            # worse one (a readers' editor's walk).
            # Every attribute the model scores, one switched off at 1: a comment published at toxicity
            # 1.00 never named toxicity (a re-check).
            hold_at={a: round(routing_policy.thresholds.get(a, 1.0), 6) for a in model.attributes},  # as compared
            rules_version=rule_set.version if rule_set else None,
            **({"auto_reject_at": {a: t for a, t in routing_policy.reject_thresholds.items() if a in verdict.flagged}}
               if AUTO_REJECTED in verdict.flagged else {}),
        )
        result.scored[comment.id] = verdict.status
        answered = []
        if verdict.status == REJECTED and open_now.get(comment.id):
            # Rejected unseen: no moderator's decision will answer the reports filed while it waited.
            answered = resolve_removed(session, comment, open_now[comment.id], scored_at)
        for delivery in (delivery, *answered):
            if delivery is not None:
                delivery.bulk = comment.bulk  # an import's events wait in its site's bulk lane
                result.deliveries.append(delivery)


def rounded_scores(model: Model, texts: Sequence[str]) -> list[dict[str, float]]:
    """The model's scores of `texts`, one dict each: the one spelling of a score that scoring and
    scoring held comments again (held_rescore.py) compare with thresholds."""
    # Compared as stored and shown, to six places: a score shown equal to the threshold had been held
    # or not by its seventh place (a migrating site's walk).
    return [{k: round(float(v), 6) for k, v in raw.items()} for raw in model.score(list(texts))]


def _explain(model: Model, text: str, flagged: list[str], near: list[str]) -> dict[str, Any] | None:
    """Highlights for the reviewer: the flagged attributes' words, else those of the attributes that
    came near their threshold, else none. A failure here must not keep a comment from being scored."""
    attributes = [a for a in flagged if a != REPORTS and a in model.attributes] or [a for a in near if a in model.attributes]
    if not attributes:
        return None
    try:
        return model.explain(text, attributes=attributes, top_k=EXPLAIN_TOP_K)
    except Exception:
        log.exception("could not explain a held comment; scoring it anyway")
        return None


def is_transient(error: BaseException) -> bool:
    """A lost or restarting database: worth retrying the whole batch later, not the rows' fault."""
    return isinstance(error, OperationalError) or (isinstance(error, DBAPIError) and error.connection_invalidated)


def score_pending(
    session: Session,
    get_model: ModelSource | Callable[[], Model],
    comment_ids: Sequence[int],
    *,
    batch_size: int,
    max_batches: int = 1,
    received_before: datetime | None = None,
    get_shadow: Callable[[], Model | None] | None = None,
    send: SendWebhooks = send_webhooks,
    release: Callable[[], object] | None = None,
    carry_on: Callable[[], object] | None = None,
    on_claim: Callable[[bool], object] | None = None,
    linger: float = 0.0,
) -> dict[int, str]:
    """Score the given comments (and other pending ones, received before `received_before` if
    given) batch by batch, committing each batch before its webhooks are sent. Returns the new
    status of every comment scored.

    `get_model` is the ModelProvider (each site's active version, re-checked once per batch) or a
    callable returning one model for every site. Models are loaded only when there is something
    to score, and before scoring starts: a model that cannot load leaves the comments pending
    (the error propagates), rather than counting against each comment.

    `send` gets each committed batch's webhook events: by default the webhook task's; the scoring
    task POSTs some itself (direct_delivery.py). It must not raise.

    `release` (the scoring task's dispatch.ScoringTurn.release) says "comments committed from
    now on must send a task of their own". Given one, this claims batch after batch while it finds
    comments, calls `release` at the first claim that finds none, and claims once more, for a
    comment committed between that claim and the release; then it stops at the first batch that
    is not full. Until then, comments arriving while this scores are left to it, so under load
    one task scores them in batches instead of every few comments sending a task that claims
    only those few. Without it, this stops at the first batch that is not full.

    `carry_on` is called when this stops after `max_batches` batches, with comments perhaps still
    pending: the scoring task sends a fresh task, behind whatever else is queued, rather than
    leave the rest to the sweep.

    `on_claim(full)` is called on each claim that found comments: the scoring task keeps its
    "a task will claim" key alive, and on a full batch (or a lane's full share of one, SHARED_TURN),
    a sign of a backlog, asks for a helper task (dispatch.py). It must not raise.

    `linger`: after two claims in a row of at least LINGER_FROM comments that did not fill a batch
    (a steady stream, not a trickle or one hiccup), the next claim waits until `linger` seconds
    after this one started. Each batch has a fixed cost (a dozen statements, two commits, a round of webhook POSTs): at
    600 comments/s a task claimed 15 at a time, at 0.95 ms of CPU per comment, where batches of
    60 cost 0.72 ms (bench/profile_path.py --batch 15 and 60). A trickle is never held back.
    """
    scored: dict[int, str] = {}
    source = get_model if hasattr(get_model, "for_site") else _Factory(get_model)  # type: ignore[arg-type]
    held = release is not None  # new comments are left to this call until it releases them
    previous = 0  # comments the last claim found
    for batches_left in range(max_batches, 0, -1):
        started = time.perf_counter()
        claimed, full = _claim(session, comment_ids, batch_size=batch_size, received_before=received_before)
        ids = [comment_id for comment_id, _ in claimed]
        if not ids:
            session.rollback()
            if not held:
                break
            release()  # type: ignore[misc]
            held = False
            continue
        if on_claim is not None:
            on_claim(full)  # a helper claims past this batch's locks while this one scores
        source.refresh()
        model = _Resolved({site_id: source.for_site(site_id) for site_id in {site_id for _, site_id in claimed}})
        trimmed, deferred = False, []
        try:
            comments = within_budget(load_claimed(session, ids))
            trimmed = len(comments) < len(ids)  # the rest stay pending, first in the next claim
            batch = score_claimed(session, model, comments)
            deferred = [(c.site_id, c.author_id) for c in batch.deferred]
            metrics.scoring_batch(session, size=len(comments), seconds=time.perf_counter() - started,
                                  model_versions={m.version for m in model.models.values()})
            session.commit()
        except Exception as error:
            session.rollback()
            if is_transient(error):
                raise
            log.warning("a scoring batch of %d failed (%s); scoring its comments one by one", len(ids), _describe(error))
            alone = _score_one_by_one(session, model, ids, send)
            scored.update(alone)
            if not alone:  # nothing could be scored: stop here rather than fail the same rows again
                break
        else:
            # Not lifecycle.commit_and_send: a failed commit must reach the except above, which
            # scores the batch one by one, while sending never raises.
            send(session, batch.deliveries)
            scored.update(batch.scored)
        if not full and not held and not trimmed and not deferred:
            break
        if deferred:
            wait_for_sanctions(session, deferred)  # then claims them, with the sanction as written
        streaming, previous = min(previous, len(ids)) >= LINGER_FROM, len(ids)
        if linger > 0 and streaming and not full and batches_left > 1:
            time.sleep(max(0.0, linger - (time.perf_counter() - started)))
    else:
        if carry_on is not None:
            carry_on()
    # A shadow model (get_shadow) scores the same comments apart, once they are committed; never raises.
    score_in_shadow(session, get_shadow, scored)
    return scored


def _score_one_by_one(session: Session, model: ModelSource, ids: Sequence[int], send: SendWebhooks) -> dict[int, str]:
    scored: dict[int, str] = {}
    failures: dict[int, str] = {}
    for comment_id in ids:
        try:
            claimed = session.scalar(
                select(Comment.id).where(Comment.id == comment_id, _claimable()).with_for_update(skip_locked=True))
            if claimed is None:  # another worker took it meanwhile, or scored it
                session.rollback()
                continue
            batch = score_claimed(session, model, load_claimed(session, [comment_id]))
            session.commit()
        except Exception as error:
            session.rollback()
            if is_transient(error):
                raise
            failures[comment_id] = _describe(error)
            continue
        send(session, batch.deliveries)
        scored.update(batch.scored)
    for comment_id, error in failures.items():
        set_aside = _record_failure(session, comment_id, error, blame_it=bool(scored))
        session.commit()
        if set_aside:
            log.error("comment %s set aside: scoring it fails on its own: %s", comment_id, error)
        else:
            log.warning("comment %s failed to score (%s); every comment of its batch failed, so it stays pending", comment_id, error)
    return scored


def _record_failure(session: Session, comment_id: int, error: str, *, blame_it: bool) -> bool:
    """Count a failed attempt and set the comment aside when it is to blame: others scored fine, or
    it failed MAX_SCORING_ATTEMPTS times. A plain UPDATE by id: loading the row may be what fails."""
    set_aside = literal(blame_it) | (Comment.scoring_attempts + 1 >= MAX_SCORING_ATTEMPTS)
    result = session.execute(
        update(Comment)
        .where(Comment.id == comment_id, _claimable())
        .values(
            scoring_attempts=Comment.scoring_attempts + 1,
            scoring_error=error[:MAX_ERROR_LENGTH],
            scoring_failed_at=case((set_aside, func.now()), else_=None),
        )
        .returning(Comment.scoring_failed_at.is_not(None))
        .execution_options(synchronize_session=False)
    )
    return bool(result.scalar())


def _describe(error: BaseException) -> str:
    """Its first line: PostgreSQL's DETAIL quotes the failing row, the comment's text and author with
    it, which the set-aside page showed and an author's erasure left behind (an admin's walk)."""
    cause = driver_error(error)
    first = (str(cause).strip().splitlines() or [""])[0]
    return f"{type(cause).__name__}: {first}".strip()
